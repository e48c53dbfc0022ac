package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// MapVersion returns a value that changes whenever the map is imported again, so that
// caches of its geometry know when to let go.
func (s *Store) MapVersion(ctx context.Context, slug string) (string, error) {
	var id int64
	var created string
	err := s.db.QueryRowContext(ctx, `SELECT id, created_at FROM maps WHERE slug = ?`, slug).Scan(&id, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("map %q: %w", slug, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("version of map %q: %w", slug, err)
	}
	return fmt.Sprintf("%d-%s", id, created), nil
}

// RegionShapes returns each region's geometry, parsed, keyed by region id.
func (s *Store) RegionShapes(ctx context.Context, slug string) (map[string]orb.Geometry, error) {
	id, err := mapID(ctx, s.db, slug)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, geometry FROM regions WHERE map_id = ? AND place = 0`, id)
	if err != nil {
		return nil, fmt.Errorf("shapes of %q: %w", slug, err)
	}
	defer rows.Close()
	shapes := map[string]orb.Geometry{}
	for rows.Next() {
		var rid, raw string
		if err := rows.Scan(&rid, &raw); err != nil {
			return nil, fmt.Errorf("shapes of %q: %w", slug, err)
		}
		g, err := geojson.UnmarshalGeometry([]byte(raw))
		if err != nil {
			return nil, fmt.Errorf("shape of region %q of %q: %w", rid, slug, err)
		}
		shapes[rid] = g.Geometry()
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("shapes of %q: %w", slug, err)
	}
	return shapes, nil
}
