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
			return Invalidf("the same change (same region, faction, date and source) is already recorded as event %d", dup)
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
				return Invalidf("a correction must be for the same region as event %d (%s)", supersedes, region)
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
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return Invalidf("a retraction needs a reason")
	case !utf8.ValidString(reason):
		return Invalidf("the reason is not valid UTF-8 text")
	case utf8.RuneCountInString(reason) > MaxReasonLen:
		return Invalidf("the reason is longer than %d characters", MaxReasonLen)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
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
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE map_id = ? AND id = ?`, mid, eventID).Scan(&exists); err != nil {
			return err
		}
		if exists == 0 {
			return fmt.Errorf("event %d: %w", eventID, ErrNotFound)
		}
		return &ConflictError{Msg: fmt.Sprintf("event %d is already retracted or corrected", eventID)}
	})
	if err != nil {
		return fmt.Errorf("retract event %d on map %q: %w", eventID, slug, err)
	}
	return nil
}
