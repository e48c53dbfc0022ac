package data

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/frontline-maps/frontline/geo"
)

// PlacesFile is the optional places layer of a map folder.
const PlacesFile = "places.geojson"

// placeFeature is the GeoJSON shape in which places are served and exported: the id on the
// feature, the name, kind and population in its properties.
type placeFeature struct {
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	Properties placeProperties `json:"properties"`
	Geometry   json.RawMessage `json:"geometry"`
}

type placeProperties struct {
	Name       string `json:"name"`
	Kind       string `json:"kind,omitempty"`
	Population int64  `json:"population,omitempty"`
}

// Places returns the places of a map sorted by name.
func (s *Store) Places(ctx context.Context, slug string) ([]Region, error) {
	id, err := mapID(ctx, s.db, slug)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, population, kind, geometry FROM regions WHERE map_id = ? AND place = 1 ORDER BY name, id`, id)
	if err != nil {
		return nil, fmt.Errorf("list places of %q: %w", slug, err)
	}
	defer rows.Close()
	var places []Region
	for rows.Next() {
		p := Region{Place: true}
		var geom string
		if err := rows.Scan(&p.ID, &p.Name, &p.Population, &p.Kind, &geom); err != nil {
			return nil, fmt.Errorf("list places of %q: %w", slug, err)
		}
		if p.Point, err = pointOf(geom); err != nil {
			return nil, fmt.Errorf("place %q of %q: %w", p.ID, slug, err)
		}
		places = append(places, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list places of %q: %w", slug, err)
	}
	return places, nil
}

// Place returns one place of a map.
func (s *Store) Place(ctx context.Context, slug, placeID string) (Region, error) {
	p := Region{ID: placeID, Place: true}
	var geom string
	err := s.db.QueryRowContext(ctx, `
		SELECT r.name, r.population, r.kind, r.geometry FROM regions r JOIN maps m ON m.id = r.map_id
		WHERE m.slug = ? AND r.id = ? AND r.place = 1`, slug, placeID).Scan(&p.Name, &p.Population, &p.Kind, &geom)
	if errors.Is(err, sql.ErrNoRows) {
		return Region{}, fmt.Errorf("place %q of map %q: %w", placeID, slug, ErrNotFound)
	}
	if err == nil {
		p.Point, err = pointOf(geom)
	}
	if err != nil {
		return Region{}, fmt.Errorf("get place %q of map %q: %w", placeID, slug, err)
	}
	return p, nil
}

// PlacesGeoJSON returns the map's places as an RFC 7946 FeatureCollection of Points in file
// order, one feature per line so that a diff of two exports reads place by place. A map
// without places has an empty collection.
func (s *Store) PlacesGeoJSON(ctx context.Context, slug string) ([]byte, error) {
	id, err := mapID(ctx, s.db, slug)
	if err != nil {
		return nil, err
	}
	b, err := placesGeoJSON(ctx, s.db, id)
	if err != nil {
		return nil, fmt.Errorf("places geojson of %q: %w", slug, err)
	}
	return b, nil
}

func placesGeoJSON(ctx context.Context, q querier, mapID int64) ([]byte, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, kind, population, geometry FROM regions WHERE map_id = ? AND place = 1 ORDER BY position`, mapID)
	if err != nil {
		return nil, fmt.Errorf("get places: %w", err)
	}
	defer rows.Close()
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	n := 0
	for ; rows.Next(); n++ {
		f := placeFeature{Type: "Feature"}
		var geom string
		if err := rows.Scan(&f.ID, &f.Properties.Name, &f.Properties.Kind, &f.Properties.Population, &geom); err != nil {
			return nil, fmt.Errorf("get places: %w", err)
		}
		f.Geometry = json.RawMessage(geom)
		line, err := json.Marshal(f)
		if err != nil {
			return nil, fmt.Errorf("encode place %q: %w", f.ID, err)
		}
		if n > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
		b.Write(line)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("get places: %w", err)
	}
	if n > 0 {
		b.WriteByte('\n')
	}
	b.WriteString("]}\n")
	return b.Bytes(), nil
}

// exportPlaces writes places.geojson for a map folder, or nil when the map has no places:
// a folder without places leaves the file out, as it came.
func exportPlaces(ctx context.Context, tx *sql.Tx, mapID int64) ([]byte, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM regions WHERE map_id = ? AND place = 1`, mapID).Scan(&n); err != nil {
		return nil, fmt.Errorf("count places: %w", err)
	}
	if n == 0 {
		return nil, nil
	}
	return placesGeoJSON(ctx, tx, mapID)
}

// insertPlaces stores a folder's places after its regions, from position first on.
func insertPlaces(ctx context.Context, tx *sql.Tx, mapID int64, places []geo.Place, first int) error {
	if len(places) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO regions (map_id, id, name, population, kind, geometry, position, place) VALUES (?, ?, ?, ?, ?, ?, ?, 1)`)
	if err != nil {
		return fmt.Errorf("prepare place insert: %w", err)
	}
	defer stmt.Close()
	for i, p := range places {
		g, err := geo.MarshalGeometry(p.Point)
		if err != nil {
			return fmt.Errorf("place %q: %w", p.ID, err)
		}
		if _, err := stmt.ExecContext(ctx, mapID, p.ID, p.Name, p.Population, p.Kind, string(g), first+i); err != nil {
			return fmt.Errorf("insert place %q: %w", p.ID, err)
		}
	}
	return nil
}

// pointOf reads a place's stored geometry, a GeoJSON Point.
func pointOf(geometry string) ([2]float64, error) {
	var g struct {
		Type        string     `json:"type"`
		Coordinates [2]float64 `json:"coordinates"`
	}
	if err := json.Unmarshal([]byte(geometry), &g); err != nil || g.Type != "Point" {
		return [2]float64{}, fmt.Errorf("not a GeoJSON Point: %.40q", geometry)
	}
	return g.Coordinates, nil
}
