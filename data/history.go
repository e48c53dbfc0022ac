package data

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"time"
)

// The history file of a map folder, history.csv: every event of the map, live or not, in
// the order it was recorded, with its author, when it was recorded, its retraction and
// the correction that replaced it. events.csv says what holds; history.csv says who said
// so and what was said before, so that an export imported again keeps both exactly. An
// export writes it only when there is more to say than events.csv does.
const historyFile = "history.csv"

var historyHeader = []string{"id", "region", "faction", "date", "source", "note", "confidence",
	"author", "created_at", "retracted_at", "retracted_by", "retract_reason", "superseded_by"}

// exportHistory returns history.csv for the map, or nil when every event is live and was
// imported (events.csv then says it all).
func exportHistory(ctx context.Context, tx *sql.Tx, mapID int64) ([]byte, error) {
	var needed bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM events WHERE map_id = ? AND
		(NOT (`+live+`) OR author NOT IN (?, ?)))`, mapID, ImportAuthor, BuiltinAuthor).Scan(&needed); err != nil {
		return nil, fmt.Errorf("get history: %w", err)
	}
	if !needed {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, region_id, faction_id, date, source, note, confidence, author, created_at,
		coalesce(retracted_at, ''), coalesce(retracted_by, ''), retract_reason, coalesce(superseded_by, '')
		FROM events WHERE map_id = ? ORDER BY id`, mapID)
	if err != nil {
		return nil, fmt.Errorf("get history: %w", err)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(historyHeader)
	rec := make([]string, len(historyHeader))
	ptrs := make([]any, len(rec))
	for i := range rec {
		ptrs[i] = &rec[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			rows.Close()
			return nil, fmt.Errorf("get history: %w", err)
		}
		w.Write(rec)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("get history: %w", err)
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// readHistory reads and checks history.csv, when the folder has one: every problem by line,
// nothing imported on any. Ids are the file's own, to say which event corrected which.
func readHistory(fsys fs.FS, m *Map, hasRegion func(string) bool) ([]Event, error) {
	file, err := fsys.Open(historyFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", historyFile, err)
	}
	defer file.Close()
	r := csv.NewReader(file)
	r.FieldsPerRecord = len(historyHeader)
	header, err := r.Read()
	if err != nil || strings.Join(header, ",") != strings.Join(historyHeader, ",") {
		return nil, Invalidf("%s: line 1: the header must be %s", historyFile, strings.Join(historyHeader, ","))
	}
	var events []Event
	var problems []string
	line := func(format string, args ...any) {
		l, _ := r.FieldPos(0)
		problems = append(problems, fmt.Sprintf("%s: line %d: ", historyFile, l)+fmt.Sprintf(format, args...))
	}
	index := map[int64]int{}
	for len(problems) < 50 {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", historyFile, err))
			break
		}
		e := Event{Region: rec[1], Faction: rec[2], Date: rec[3], Source: rec[4], Note: rec[5], Confidence: rec[6],
			Author: rec[7], RetractedBy: rec[10], RetractReason: rec[11]}
		if e.ID, err = strconv.ParseInt(rec[0], 10, 64); err != nil || e.ID <= 0 {
			line("id %q is not a positive whole number", rec[0])
			continue
		}
		if len(events) > 0 && e.ID <= events[len(events)-1].ID {
			line("id %d does not follow %d: the rows are in the order the events were recorded", e.ID, events[len(events)-1].ID)
		}
		for field, msg := range CheckEvent(m, hasRegion, &e) {
			line("%s: %s", field, msg)
		}
		if c, ok := controlChar(e.Author+e.RetractedBy, false); ok || strings.TrimSpace(e.Author) == "" {
			line("author %q must be a name without control characters (%U)", e.Author, c)
		}
		if e.CreatedAt, err = time.Parse(time.RFC3339Nano, rec[8]); err != nil {
			line("created_at %q is not a time such as 2021-08-15T09:30:00Z", rec[8])
		}
		if rec[9] != "" {
			if e.RetractedAt, err = time.Parse(time.RFC3339Nano, rec[9]); err != nil {
				line("retracted_at %q is not a time such as 2021-08-15T09:30:00Z", rec[9])
			} else if e.RetractedBy == "" {
				line("retracted_at is set but retracted_by is empty")
			}
		} else if e.RetractedBy != "" || e.RetractReason != "" {
			line("retracted_by and retract_reason need retracted_at")
		}
		if rec[12] != "" {
			if e.SupersededBy, err = strconv.ParseInt(rec[12], 10, 64); err != nil || e.SupersededBy <= e.ID {
				line("superseded_by %q must be the id of a later row", rec[12])
			}
		}
		index[e.ID] = len(events)
		events = append(events, e)
	}
	for _, e := range events {
		if e.SupersededBy != 0 {
			if _, ok := index[e.SupersededBy]; !ok {
				problems = append(problems, fmt.Sprintf("%s: event %d: superseded_by %d is no event of the file", historyFile, e.ID, e.SupersededBy))
			}
		}
	}
	if len(problems) > 0 {
		return nil, &InvalidError{Msg: strings.Join(problems, "\n")}
	}
	return events, nil
}

// historyKey is what makes an event of history.csv the same as one of events.csv.
func historyKey(e *Event) string {
	return strings.Join([]string{e.Region, e.Faction, e.Date, e.Source, e.Note, e.Confidence}, "\x00")
}

// historyMatch checks that events.csv holds exactly the live events of history.csv, as
// the events arrive one by one (from a slice or a file read as it goes).
type historyMatch struct {
	want  map[string]int
	extra int
	first *Event
}

func newHistoryMatch(history []Event) *historyMatch {
	h := &historyMatch{want: map[string]int{}}
	for i := range history {
		if history[i].Live() {
			h.want[historyKey(&history[i])]++
		}
	}
	return h
}

func (h *historyMatch) see(e *Event) {
	k := historyKey(e)
	if h.want[k] == 0 {
		h.extra++
		if h.first == nil {
			c := *e
			h.first = &c
		}
		return
	}
	h.want[k]--
}

func (h *historyMatch) err() error {
	missing := 0
	for _, n := range h.want {
		missing += n
	}
	if missing == 0 && h.extra == 0 {
		return nil
	}
	msg := fmt.Sprintf("events.csv and history.csv disagree: %d live events of history.csv are not in events.csv, and %d events of events.csv are not live in history.csv", missing, h.extra)
	if h.first != nil {
		msg += fmt.Sprintf(" (the first: %s, %s, %s)", h.first.Region, h.first.Faction, h.first.Date)
	}
	return Invalidf("%s; change both alike, or remove history.csv to import events.csv alone (the authors and past revisions are then lost)", msg)
}

// insertHistory stores the events of history.csv, with their authors, times, retractions
// and corrections, in their order. The file's ids become new ones in the same order.
func insertHistory(ctx context.Context, tx *sql.Tx, mapID int64, history []Event) error {
	ids := make(map[int64]int64, len(history))
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO events (map_id, region_id, faction_id, date, source, note, confidence,
		author, created_at, retracted_at, retracted_by, retract_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare history insert: %w", err)
	}
	defer stmt.Close()
	for i := range history {
		e := &history[i]
		var retractedAt, retractedBy any
		if !e.RetractedAt.IsZero() {
			retractedAt, retractedBy = e.RetractedAt.UTC().Format(time.RFC3339Nano), e.RetractedBy
		}
		res, err := stmt.ExecContext(ctx, mapID, e.Region, e.Faction, e.Date, e.Source, e.Note, e.Confidence,
			e.Author, e.CreatedAt.UTC().Format(time.RFC3339Nano), retractedAt, retractedBy, e.RetractReason)
		if err != nil {
			return fmt.Errorf("%s: event %d: %w", historyFile, e.ID, err)
		}
		if ids[e.ID], err = res.LastInsertId(); err != nil {
			return err
		}
	}
	for _, e := range history {
		if e.SupersededBy == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE events SET superseded_by = ? WHERE id = ?`, ids[e.SupersededBy], ids[e.ID]); err != nil {
			return fmt.Errorf("%s: event %d: %w", historyFile, e.ID, err)
		}
	}
	return nil
}
