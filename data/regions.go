package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// Regions returns the regions of a map sorted by name.
func (s *Store) Regions(ctx context.Context, slug string) ([]Region, error) {
	id, err := mapID(ctx, s.db, slug)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, capital, population FROM regions WHERE map_id = ? AND place = 0 ORDER BY name, id`, id)
	if err != nil {
		return nil, fmt.Errorf("list regions of %q: %w", slug, err)
	}
	defer rows.Close()
	var regions []Region
	for rows.Next() {
		var r Region
		if err := rows.Scan(&r.ID, &r.Name, &r.Capital, &r.Population); err != nil {
			return nil, fmt.Errorf("list regions of %q: %w", slug, err)
		}
		regions = append(regions, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list regions of %q: %w", slug, err)
	}
	return regions, nil
}

// Region returns one region of a map.
func (s *Store) Region(ctx context.Context, slug, regionID string) (Region, error) {
	r := Region{ID: regionID}
	err := s.db.QueryRowContext(ctx, `
		SELECT r.name, r.capital, r.population FROM regions r JOIN maps m ON m.id = r.map_id
		WHERE m.slug = ? AND r.id = ? AND r.place = 0`, slug, regionID).Scan(&r.Name, &r.Capital, &r.Population)
	if errors.Is(err, sql.ErrNoRows) {
		return Region{}, fmt.Errorf("region %q of map %q: %w", regionID, slug, ErrNotFound)
	}
	if err != nil {
		return Region{}, fmt.Errorf("get region %q of map %q: %w", regionID, slug, err)
	}
	return r, nil
}

// feature is the GeoJSON shape in which regions are served: the id on the feature and the
// name (and capital and population, where known) in its properties.
type feature struct {
	Type       string            `json:"type"`
	ID         string            `json:"id"`
	Properties featureProperties `json:"properties"`
	Geometry   json.RawMessage   `json:"geometry"`
}

type featureProperties struct {
	Name       string `json:"name"`
	Capital    string `json:"capital,omitempty"`
	Population int64  `json:"population,omitempty"`
}

// RegionsGeoJSON returns the map's regions as an RFC 7946 FeatureCollection in file order.
func (s *Store) RegionsGeoJSON(ctx context.Context, slug string) ([]byte, error) {
	id, err := mapID(ctx, s.db, slug)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, capital, population, geometry FROM regions WHERE map_id = ? AND place = 0 ORDER BY position`, id)
	if err != nil {
		return nil, fmt.Errorf("regions geojson of %q: %w", slug, err)
	}
	defer rows.Close()
	fc := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection", Features: []feature{}}
	for rows.Next() {
		f := feature{Type: "Feature"}
		var geom string
		if err := rows.Scan(&f.ID, &f.Properties.Name, &f.Properties.Capital, &f.Properties.Population, &geom); err != nil {
			return nil, fmt.Errorf("regions geojson of %q: %w", slug, err)
		}
		f.Geometry = json.RawMessage(geom)
		fc.Features = append(fc.Features, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("regions geojson of %q: %w", slug, err)
	}
	return json.Marshal(fc)
}
