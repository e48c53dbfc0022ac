package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxReasonLen bounds a retraction's reason.
const MaxReasonLen = 1000

// Record stores a new event by author on the map with the given slug, which the caller has
// checked with CheckEvent. When supersedes is not 0, the new event replaces that live event
// of the same map and region, in the same transaction. A live event identical in region,
// faction, date and source is refused as a duplicate.
func (s *Store) Record(ctx context.Context, slug string, e *Event, author string, supersedes int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		mid, err := mapID(ctx, tx, slug)
		if err != nil {
			return err
		}
		var dup int64
		err = tx.QueryRowContext(ctx, `SELECT id FROM events WHERE map_id = ? AND region_id = ? AND faction_id = ?
			AND date = ? AND source = ? AND `+live+` AND id != ? LIMIT 1`,
			mid, e.Region, e.Faction, e.Date, e.Source, supersedes).Scan(&dup)
		if err == nil {
			return Invalid(P("EventDuplicate", "id", int(dup)))
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("look for duplicates: %w", err)
		}
		if supersedes != 0 {
			var region string
			err := tx.QueryRowContext(ctx, `SELECT region_id FROM events WHERE map_id = ? AND id = ? AND `+live, mid, supersedes).Scan(&region)
			if errors.Is(err, sql.ErrNoRows) {
				return &ConflictError{Msg: fmt.Sprintf("event %d is no longer live: another editor has just retracted or corrected it", supersedes)}
			}
			if err != nil {
				return fmt.Errorf("find superseded event: %w", err)
			}
			if region != e.Region {
				return Invalid(P("EventCorrectSame", "id", int(supersedes), "region", region))
			}
		}
		if err := insertEvent(ctx, tx, mid, e, author); err != nil {
			return err
		}
		if supersedes != 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE events SET superseded_by = ? WHERE id = ?`, e.ID, supersedes); err != nil {
				return fmt.Errorf("mark event %d superseded: %w", supersedes, err)
			}
			e.Supersedes = supersedes
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record event on map %q: %w", slug, err)
	}
	return nil
}

// Retract withdraws a live event of a map: it stays readable with who retracted it, when
// and why, but no longer counts towards the state.
func (s *Store) Retract(ctx context.Context, slug string, eventID int64, author, reason string) error {
	reason, err := checkReason(reason)
	if err != nil {
		return err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		mid, err := mapID(ctx, tx, slug)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE events SET retracted_at = ?, retracted_by = ?, retract_reason = ?
			WHERE map_id = ? AND id = ? AND `+live, now(), author, reason, mid, eventID)
		if err != nil {
			return fmt.Errorf("retract: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
		return nothingRetracted(ctx, tx, mid, eventID, fmt.Sprintf("event %d is already retracted or corrected", eventID))
	})
	if err != nil {
		return fmt.Errorf("retract event %d on map %q: %w", eventID, slug, err)
	}
	return nil
}

// nothingRetracted says why a retraction changed nothing: the event does not exist
// (ErrNotFound), or it and what it stands for are no longer live (a conflict, saying so).
func nothingRetracted(ctx context.Context, tx *sql.Tx, mapID, eventID int64, conflict string) error {
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE map_id = ? AND id = ?`, mapID, eventID).Scan(&exists); err != nil {
		return fmt.Errorf("look up event %d: %w", eventID, err)
	}
	if exists == 0 {
		return fmt.Errorf("event %d: %w", eventID, ErrNotFound)
	}
	return &ConflictError{Msg: conflict}
}

// checkReason trims a retraction's reason and refuses one that is empty, not text, or too long.
func checkReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return "", Invalid(P("RetractReason"))
	case !utf8.ValidString(reason):
		return "", Invalid(P("RetractReasonText"))
	case utf8.RuneCountInString(reason) > MaxReasonLen:
		return "", Invalid(P("RetractReasonLong", "max", MaxReasonLen))
	}
	return reason, nil
}

// batchOf is the SQL condition for the events recorded in one go with event ? of map ?:
// the same author and creation time, which AppendEvents gives every event it stores.
const batchOf = `(e.map_id, e.author, e.created_at) = (SELECT map_id, author, created_at FROM events WHERE map_id = ? AND id = ?)`

// Batch returns the events recorded together with an event of a map (one form with several
// regions, one spreadsheet), live or not, in the order they were recorded; the event
// itself is among them.
func (s *Store) Batch(ctx context.Context, slug string, eventID int64) ([]Event, error) {
	mid, err := mapID(ctx, s.db, slug)
	if err != nil {
		return nil, err
	}
	events, err := s.queryEvents(ctx, `SELECT `+eventColumns+` FROM events e WHERE `+batchOf+` ORDER BY e.id`, mid, eventID)
	if err != nil {
		return nil, fmt.Errorf("batch of event %d on map %q: %w", eventID, slug, err)
	}
	if len(events) == 0 {
		return nil, fmt.Errorf("event %d: %w", eventID, ErrNotFound)
	}
	return events, nil
}

// RetractBatch retracts, in one transaction and with one reason, every event of the batch
// of an event (see Batch) that is still live; each retraction is kept as Retract keeps one.
// It returns how many it retracted; a batch with none live left is a *ConflictError.
func (s *Store) RetractBatch(ctx context.Context, slug string, eventID int64, author, reason string) (int, error) {
	reason, err := checkReason(reason)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		mid, err := mapID(ctx, tx, slug)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE events AS e SET retracted_at = ?, retracted_by = ?, retract_reason = ?
			WHERE `+batchOf+` AND `+live, now(), author, reason, mid, eventID)
		if err != nil {
			return fmt.Errorf("retract: %w", err)
		}
		if n, _ = res.RowsAffected(); n > 0 {
			return nil
		}
		return nothingRetracted(ctx, tx, mid, eventID, fmt.Sprintf("every event recorded with event %d is already retracted or corrected", eventID))
	})
	if err != nil {
		return 0, fmt.Errorf("retract the batch of event %d on map %q: %w", eventID, slug, err)
	}
	return int(n), nil
}
