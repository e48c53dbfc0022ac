package data

import (
	"context"
	"fmt"
	"time"
)

const eventColumns = `e.id, e.region_id, e.faction_id, e.date, e.source, e.note, e.confidence, e.author, e.created_at`

func scanEvent(row interface{ Scan(...any) error }) (Event, error) {
	var e Event
	var created string
	if err := row.Scan(&e.ID, &e.Region, &e.Faction, &e.Date, &e.Source, &e.Note, &e.Confidence, &e.Author, &created); err != nil {
		return Event{}, err
	}
	e.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
	return e, nil
}

// Events returns every live event of a map, sorted by date and then by recording order.
func (s *Store) Events(ctx context.Context, slug string) ([]Event, error) {
	id, err := mapID(ctx, s.db, slug)
	if err != nil {
		return nil, err
	}
	return s.queryEvents(ctx, `SELECT `+eventColumns+` FROM events e WHERE e.map_id = ? ORDER BY e.date, e.id`, id)
}

// RegionEvents returns the events of one region, oldest first.
func (s *Store) RegionEvents(ctx context.Context, slug, regionID string) ([]Event, error) {
	id, err := mapID(ctx, s.db, slug)
	if err != nil {
		return nil, err
	}
	return s.queryEvents(ctx, `SELECT `+eventColumns+` FROM events e WHERE e.map_id = ? AND e.region_id = ? ORDER BY e.date, e.id`, id, regionID)
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

// State returns who holds each region of a map at date, which the caller has validated: the
// faction of the region's latest event on or before date (on one date, the later-recorded
// event wins), or the map's initial faction since its start when there is none.
func (s *Store) State(ctx context.Context, m *Map, date string) (State, error) {
	id, err := mapID(ctx, s.db, m.Slug)
	if err != nil {
		return State{}, err
	}
	// One index seek per region (events_region_date), so the cost grows with regions, not events.
	// A region with no event yet gets a zero event id and empty columns.
	rows, err := s.db.QueryContext(ctx, `
		SELECT r.id, r.name, r.capital, r.population, COALESCE(e.id, 0),
		       COALESCE(e.faction_id, ''), COALESCE(e.date, ''), COALESCE(e.source, ''),
		       COALESCE(e.note, ''), COALESCE(e.confidence, ''), COALESCE(e.author, ''), COALESCE(e.created_at, '')
		FROM regions r
		LEFT JOIN events e ON e.id = (
			SELECT x.id FROM events x
			WHERE x.map_id = r.map_id AND x.region_id = r.id AND x.date <= ?
			ORDER BY x.date DESC, x.id DESC LIMIT 1)
		WHERE r.map_id = ?
		ORDER BY r.name, r.id`, date, id)
	if err != nil {
		return State{}, fmt.Errorf("state of %q at %s: %w", m.Slug, date, err)
	}
	defer rows.Close()
	st := State{Date: date}
	for rows.Next() {
		var h Holding
		var e Event
		var created string
		if err := rows.Scan(&h.Region.ID, &h.Region.Name, &h.Region.Capital, &h.Region.Population, &e.ID,
			&e.Faction, &e.Date, &e.Source, &e.Note, &e.Confidence, &e.Author, &created); err != nil {
			return State{}, fmt.Errorf("state of %q at %s: %w", m.Slug, date, err)
		}
		if e.ID == 0 {
			h.Faction, h.Since = m.Initial, m.Start
		} else {
			e.Region = h.Region.ID
			e.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
			h.Faction, h.Since, h.Event = e.Faction, e.Date, &e
		}
		st.Holdings = append(st.Holdings, h)
	}
	if err := rows.Err(); err != nil {
		return State{}, fmt.Errorf("state of %q at %s: %w", m.Slug, date, err)
	}
	return st, nil
}
