package data

import (
	"context"
	"fmt"
	"time"
)

// Change is one entry of a map's audit log: an event recorded (perhaps as a correction of
// another) or retracted.
type Change struct {
	Kind   string // ChangeRecorded or ChangeRetracted
	At     time.Time
	Author string
	Event  Event
}

// Kinds of Change.
const (
	ChangeRecorded  = "recorded"
	ChangeRetracted = "retracted"
)

// Changes returns the latest edits of a map, newest first, at most limit of them.
func (s *Store) Changes(ctx context.Context, slug string, limit int) ([]Change, error) {
	id, err := mapID(ctx, s.db, slug)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT kind, at, who, `+eventColumns+` FROM (
			SELECT 'recorded' AS kind, created_at AS at, author AS who, id AS eid FROM events WHERE map_id = ?
			UNION ALL
			SELECT 'retracted', retracted_at, retracted_by, id FROM events WHERE map_id = ? AND retracted_at IS NOT NULL
		) c JOIN events e ON e.id = c.eid
		ORDER BY c.at DESC, e.id DESC LIMIT ?`, id, id, limit)
	if err != nil {
		return nil, fmt.Errorf("changes of %q: %w", slug, err)
	}
	defer rows.Close()
	var changes []Change
	for rows.Next() {
		var c Change
		var at string
		e, err := scanEvent(rows, &c.Kind, &at, &c.Author)
		if err != nil {
			return nil, fmt.Errorf("changes of %q: %w", slug, err)
		}
		c.At, c.Event = parseTime(at), e
		changes = append(changes, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("changes of %q: %w", slug, err)
	}
	return changes, nil
}
