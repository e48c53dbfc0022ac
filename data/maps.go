package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

const mapColumns = `slug, title, description, attribution, start_date, end_date, default_date, initial, id_property, name_property, locale, calendar, title_i18n, description_i18n`

// Maps returns every map but the archived ones, without factions, sorted by title.
func (s *Store) Maps(ctx context.Context) ([]Map, error) {
	return s.maps(ctx, `WHERE archived_at IS NULL`)
}

// AllMaps returns every map, archived ones included (Map.Archived), as Maps does.
func (s *Store) AllMaps(ctx context.Context) ([]Map, error) {
	return s.maps(ctx, ``)
}

func (s *Store) maps(ctx context.Context, where string) ([]Map, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+mapColumns+`, archived_at IS NOT NULL FROM maps `+where+` ORDER BY title, slug`)
	if err != nil {
		return nil, fmt.Errorf("list maps: %w", err)
	}
	defer rows.Close()
	var maps []Map
	for rows.Next() {
		var m Map
		if err := rows.Scan(append(mapFields(&m), &m.Archived)...); err != nil {
			return nil, fmt.Errorf("list maps: %w", err)
		}
		maps = append(maps, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list maps: %w", err)
	}
	return maps, nil
}

// Map returns the map with the given slug and its factions in display order.
func (s *Store) Map(ctx context.Context, slug string) (*Map, error) {
	var m Map
	var id int64
	row := s.db.QueryRowContext(ctx, `SELECT id, `+mapColumns+` FROM maps WHERE slug = ?`, slug)
	err := row.Scan(append([]any{&id}, mapFields(&m)...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("map %q: %w", slug, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get map %q: %w", slug, err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, color, name_i18n FROM factions WHERE map_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, fmt.Errorf("get factions of %q: %w", slug, err)
	}
	defer rows.Close()
	for rows.Next() {
		var f Faction
		if err := rows.Scan(&f.ID, &f.Name, &f.Color, &f.NameI18n); err != nil {
			return nil, fmt.Errorf("get factions of %q: %w", slug, err)
		}
		m.Factions = append(m.Factions, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("get factions of %q: %w", slug, err)
	}
	return &m, nil
}

func mapFields(m *Map) []any {
	return []any{&m.Slug, &m.Title, &m.Description, &m.Attribution, &m.Start, &m.End,
		&m.DefaultDate, &m.Initial, &m.IDProperty, &m.NameProperty, &m.Locale, &m.Calendar, &m.TitleI18n, &m.DescriptionI18n}
}

// mapID returns the internal id of the map with the given slug.
func mapID(ctx context.Context, q querier, slug string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM maps WHERE slug = ?`, slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("map %q: %w", slug, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("find map %q: %w", slug, err)
	}
	return id, nil
}

// querier is what *sql.DB and *sql.Tx share, so lookups work inside and outside transactions.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// SetArchived archives a map, taking it out of the lists of maps, or brings it back.
func (s *Store) SetArchived(ctx context.Context, slug string, archived bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := mapID(ctx, tx, slug)
		if err != nil {
			return err
		}
		var at any
		if archived {
			at = now()
		}
		if _, err := tx.ExecContext(ctx, `UPDATE maps SET archived_at = ? WHERE id = ?`, at, id); err != nil {
			return fmt.Errorf("archive map %q: %w", slug, err)
		}
		return nil
	})
}
