package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// live is the SQL condition for an event that counts towards the state. It must match the
// WHERE of the partial index events_live_region_date for SQLite to use that index.
const live = `retracted_at IS NULL AND superseded_by IS NULL`

const eventColumns = `e.id, e.region_id, e.faction_id, e.date, e.source, e.note, e.confidence, e.author, e.created_at,
	COALESCE(e.retracted_at, ''), COALESCE(e.retracted_by, ''), e.retract_reason, COALESCE(e.superseded_by, 0),
	COALESCE((SELECT s.id FROM events s WHERE s.superseded_by = e.id), 0)`

// scanEvent scans eventColumns, after the columns in before when a query selects more.
func scanEvent(row interface{ Scan(...any) error }, before ...any) (Event, error) {
	var e Event
	var created, retracted string
	if err := row.Scan(append(before, &e.ID, &e.Region, &e.Faction, &e.Date, &e.Source, &e.Note, &e.Confidence, &e.Author, &created,
		&retracted, &e.RetractedBy, &e.RetractReason, &e.SupersededBy, &e.Supersedes)...); err != nil {
		return Event{}, err
	}
	e.CreatedAt = parseTime(created)
	e.RetractedAt = parseTime(retracted)
	return e, nil
}

// parseTime reads a stored timestamp; the empty string is the zero time.
func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// Events returns every live event of a map, sorted by date and then by recording order.
func (s *Store) Events(ctx context.Context, slug string) ([]Event, error) {
	id, err := mapID(ctx, s.db, slug)
	if err != nil {
		return nil, err
	}
	return s.queryEvents(ctx, `SELECT `+eventColumns+` FROM events e
		WHERE e.map_id = ? AND e.retracted_at IS NULL AND e.superseded_by IS NULL ORDER BY e.date, e.id`, id)
}

// EventsBetween returns the live events of a map dated from..to, both included (from ""
// for no lower bound), sorted by date and then by recording order: what changed on a day.
func (s *Store) EventsBetween(ctx context.Context, slug, from, to string) ([]Event, error) {
	id, err := mapID(ctx, s.db, slug)
	if err != nil {
		return nil, err
	}
	return s.queryEvents(ctx, `SELECT `+eventColumns+` FROM events e
		WHERE e.map_id = ? AND e.date >= ? AND e.date <= ? AND e.retracted_at IS NULL AND e.superseded_by IS NULL
		ORDER BY e.date, e.id`, id, from, to)
}

// RegionEvents returns every event of one region, live or not, oldest first.
func (s *Store) RegionEvents(ctx context.Context, slug, regionID string) ([]Event, error) {
	id, err := mapID(ctx, s.db, slug)
	if err != nil {
		return nil, err
	}
	return s.queryEvents(ctx, `SELECT `+eventColumns+` FROM events e WHERE e.map_id = ? AND e.region_id = ? ORDER BY e.date, e.id`, id, regionID)
}

// Event returns one event of a map, live or not.
func (s *Store) Event(ctx context.Context, slug string, eventID int64) (Event, error) {
	e, err := scanEvent(s.db.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events e JOIN maps m ON m.id = e.map_id
		WHERE m.slug = ? AND e.id = ?`, slug, eventID))
	if errors.Is(err, sql.ErrNoRows) {
		return Event{}, fmt.Errorf("event %d of map %q: %w", eventID, slug, ErrNotFound)
	}
	if err != nil {
		return Event{}, fmt.Errorf("get event %d of map %q: %w", eventID, slug, err)
	}
	return e, nil
}

func (s *Store) queryEvents(ctx context.Context, query string, args ...any) ([]Event, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query events: %w", err)
	}
	defer rows.Close()
	events := []Event{}
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("scan event: %w", err)
		}
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query events: %w", err)
	}
	return events, nil
}
