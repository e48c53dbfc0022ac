package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"

	"github.com/frontline-maps/frontline/geo"
)

// emptyContext is the context of a map without one.
var emptyContext = []byte(`{"type":"FeatureCollection","features":[]}` + "\n")

// ContextGeoJSON returns the map's context (geo.MarshalContext), an empty FeatureCollection
// for a map without one.
func (s *Store) ContextGeoJSON(ctx context.Context, slug string) ([]byte, error) {
	id, err := mapID(ctx, s.db, slug)
	if err != nil {
		return nil, err
	}
	b, err := contextGeoJSON(ctx, s.db, id)
	if err != nil {
		return nil, fmt.Errorf("context of %q: %w", slug, err)
	}
	if b == nil {
		return emptyContext, nil
	}
	return b, nil
}

// contextGeoJSON returns the stored context of a map, or nil when it has none.
func contextGeoJSON(ctx context.Context, q querier, mapID int64) ([]byte, error) {
	var s string
	err := q.QueryRowContext(ctx, `SELECT geojson FROM map_context WHERE map_id = ?`, mapID).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("get context: %w", err)
	}
	return []byte(s), nil
}

// readContext reads a folder's context.geojson, when it has one.
func readContext(fsys fs.FS) ([]geo.ContextShape, error) {
	raw, err := fs.ReadFile(fsys, geo.ContextFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", geo.ContextFile, err)
	}
	shapes, err := geo.ParseContext(raw)
	if err != nil {
		return nil, InFile(geo.ContextFile, err)
	}
	return shapes, nil
}

// encodeContext clips a folder's context to its regions' surroundings and encodes it for
// storing: nil when the folder has none, or none of it is near the regions.
func encodeContext(f *Folder) ([]byte, error) {
	if len(f.Context) == 0 || len(f.Regions) == 0 {
		return nil, nil
	}
	shapes := geo.ClipContext(f.Context, geo.SurroundingsOf(f.Regions)...)
	if len(shapes) == 0 {
		return nil, nil
	}
	b, err := geo.MarshalContext(shapes)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", geo.ContextFile, err)
	}
	return b, nil
}

// insertContext stores a map's encoded context, when it has one.
func insertContext(ctx context.Context, tx *sql.Tx, mapID int64, b []byte) error {
	if b == nil {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO map_context (map_id, geojson) VALUES (?, ?)`, mapID, string(b)); err != nil {
		return fmt.Errorf("insert context: %w", err)
	}
	return nil
}
