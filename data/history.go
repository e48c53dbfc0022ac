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
	"maps"
	"slices"
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
		return nil, Invalid(inHistory(P("ProblemLine", "line", 1, "problem", P("HistoryHeader", "header", strings.Join(historyHeader, ",")))))
	}
	var events []Event
	var problems []Problem
	line := func(p Problem) {
		l, _ := r.FieldPos(0)
		problems = append(problems, inHistory(P("ProblemLine", "line", l, "problem", p)))
	}
	index := map[int64]int{}
	for len(problems) < 50 {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			problems = append(problems, inHistory(P("ProblemCSV", "detail", err.Error())))
			break
		}
		e := Event{Region: rec[1], Faction: rec[2], Date: rec[3], Source: rec[4], Note: rec[5], Confidence: rec[6],
			Author: rec[7], RetractedBy: rec[10], RetractReason: rec[11]}
		if e.ID, err = strconv.ParseInt(rec[0], 10, 64); err != nil || e.ID <= 0 {
			line(P("HistoryID", "id", quote(rec[0])))
			continue
		}
		if len(events) > 0 && e.ID <= events[len(events)-1].ID {
			line(P("HistoryOrder", "id", int(e.ID), "previous", int(events[len(events)-1].ID)))
		}
		bad := CheckEvent(m, hasRegion, &e)
		for _, field := range slices.Sorted(maps.Keys(bad)) {
			line(P("ProblemField", "field", field, "problem", bad[field]))
		}
		if c, ok := controlChar(e.Author+e.RetractedBy, false); ok || strings.TrimSpace(e.Author) == "" {
			line(P("HistoryAuthor", "author", quote(e.Author), "char", runeName(c)))
		}
		if e.CreatedAt, err = time.Parse(time.RFC3339Nano, rec[8]); err != nil {
			line(P("HistoryCreatedAt", "value", quote(rec[8])))
		}
		if rec[9] != "" {
			if e.RetractedAt, err = time.Parse(time.RFC3339Nano, rec[9]); err != nil {
				line(P("HistoryRetractedAtTime", "value", quote(rec[9])))
			} else if e.RetractedBy == "" {
				line(P("HistoryRetractedBy"))
			}
		} else if e.RetractedBy != "" || e.RetractReason != "" {
			line(P("HistoryRetractedAt"))
		}
		if rec[12] != "" {
			if e.SupersededBy, err = strconv.ParseInt(rec[12], 10, 64); err != nil || e.SupersededBy <= e.ID {
				line(P("HistorySupersededBy", "value", quote(rec[12])))
			}
		}
		index[e.ID] = len(events)
		events = append(events, e)
	}
	for _, e := range events {
		if e.SupersededBy != 0 {
			if _, ok := index[e.SupersededBy]; !ok {
				problems = append(problems, inHistory(P("HistorySupersededNone", "id", int(e.ID), "by", int(e.SupersededBy))))
			}
		}
	}
	if len(problems) > 0 {
		return nil, Invalid(problems...)
	}
	return events, nil
}

// inHistory is a problem of history.csv, named with the file.
func inHistory(p Problem) Problem { return P("ProblemInFile", "file", historyFile, "problem", p) }

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
	p := P("HistoryDisagree", "missing", missing, "extra", h.extra)
	if h.first != nil {
		p = P("HistoryDisagreeFirst", "problem", p, "region", h.first.Region, "faction", h.first.Faction, "date", h.first.Date)
	}
	return Invalid(P("HistoryDisagreeFix", "problem", p))
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
