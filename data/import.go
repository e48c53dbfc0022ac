package data

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/frontline-maps/frontline/geo"
)

// Import stores a map folder in one transaction: on any error nothing is stored. A map with
// the same slug is an error unless replace is set, in which case it is replaced whole.
// Imported events are recorded with author as their author.
func (s *Store) Import(ctx context.Context, f *Folder, author string, replace bool) error {
	m := &f.Map
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if old, err := mapID(ctx, tx, m.Slug); err == nil {
			if !replace {
				return Invalidf("a map with slug %q already exists; import with --replace to replace it", m.Slug)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM maps WHERE id = ?`, old); err != nil {
				return fmt.Errorf("delete old map: %w", err)
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO maps (`+mapColumns+`, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.Slug, m.Title, m.Description, m.Attribution, m.Start, m.End, m.DefaultDate, m.Initial,
			m.IDProperty, m.NameProperty, now())
		if err != nil {
			return fmt.Errorf("insert map: %w", err)
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		for i, fa := range m.Factions {
			if _, err := tx.ExecContext(ctx, `INSERT INTO factions (map_id, id, name, color, position) VALUES (?, ?, ?, ?, ?)`,
				id, fa.ID, fa.Name, fa.Color, i); err != nil {
				return fmt.Errorf("insert faction %q: %w", fa.ID, err)
			}
		}
		if err := insertRegions(ctx, tx, id, f.Regions); err != nil {
			return err
		}
		for i := range f.Events {
			if err := insertEvent(ctx, tx, id, &f.Events[i], author); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("import map %q: %w", m.Slug, err)
	}
	return nil
}

func insertRegions(ctx context.Context, tx *sql.Tx, mapID int64, regions []geo.Region) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO regions (map_id, id, name, capital, population, geometry, position) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare region insert: %w", err)
	}
	defer stmt.Close()
	for i, r := range regions {
		geom, err := geo.MarshalGeometry(r.Geometry)
		if err != nil {
			return fmt.Errorf("region %q: %w", r.ID, err)
		}
		if _, err := stmt.ExecContext(ctx, mapID, r.ID, r.Name, r.Capital, r.Population, string(geom), i); err != nil {
			return fmt.Errorf("insert region %q: %w", r.ID, err)
		}
	}
	return nil
}

// insertEvent records e, setting its id, author and creation time.
func insertEvent(ctx context.Context, tx *sql.Tx, mapID int64, e *Event, author string) error {
	created := now()
	res, err := tx.ExecContext(ctx, `
		INSERT INTO events (map_id, region_id, faction_id, date, source, note, confidence, author, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		mapID, e.Region, e.Faction, e.Date, e.Source, e.Note, e.Confidence, author, created)
	if err != nil {
		return fmt.Errorf("insert event for %q on %s: %w", e.Region, e.Date, err)
	}
	if e.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	e.Author, e.CreatedAt = author, parseTime(created)
	return nil
}

// HasMaps reports whether the database holds any map.
func (s *Store) HasMaps(ctx context.Context) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM maps`).Scan(&n); err != nil {
		return false, fmt.Errorf("count maps: %w", err)
	}
	return n > 0, nil
}
