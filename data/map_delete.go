package data

import (
	"context"
	"database/sql"
	"fmt"
)

// MapContents counts what deleting a map destroys.
type MapContents struct {
	Regions, Places int
	// Events counts every event, retracted and corrected ones included; ByEditors those
	// recorded on the website rather than imported.
	Events, ByEditors int
	// Grants counts the editors granted the map.
	Grants int
}

// MapContents returns what the map holds, for a person to confirm its deletion.
func (s *Store) MapContents(ctx context.Context, slug string) (MapContents, error) {
	return mapContents(ctx, s.db, slug)
}

func mapContents(ctx context.Context, q querier, slug string) (MapContents, error) {
	id, err := mapID(ctx, q, slug)
	if err != nil {
		return MapContents{}, err
	}
	var c MapContents
	err = q.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM regions WHERE map_id = ?1 AND place = 0),
		(SELECT count(*) FROM regions WHERE map_id = ?1 AND place = 1),
		(SELECT count(*) FROM events WHERE map_id = ?1),
		(SELECT count(*) FROM events WHERE map_id = ?1 AND author NOT IN (?2, ?4)),
		(SELECT count(*) FROM grants WHERE map_slug = ?3)`, id, BuiltinAuthor, slug, ImportAuthor).
		Scan(&c.Regions, &c.Places, &c.Events, &c.ByEditors, &c.Grants)
	if err != nil {
		return MapContents{}, fmt.Errorf("count map %q: %w", slug, err)
	}
	return c, nil
}

// DeleteMap deletes a map with its regions, factions, events and grants, in one
// transaction, and returns what it deleted. Callers keep a backup first (Backup).
func (s *Store) DeleteMap(ctx context.Context, slug string) (MapContents, error) {
	var c MapContents
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if c, err = mapContents(ctx, tx, slug); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM maps WHERE slug = ?`, slug); err != nil {
			return fmt.Errorf("delete map %q: %w", slug, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM grants WHERE map_slug = ?`, slug); err != nil {
			return fmt.Errorf("delete grants of map %q: %w", slug, err)
		}
		return nil
	})
	return c, err
}
