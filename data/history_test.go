package data

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// historyRows returns every event of a map as a line, live or not, in recording order,
// with its author, times, retraction and the position of its correction (ids differ
// between databases; positions do not).
func historyRows(t *testing.T, s *Store, slug string) []string {
	t.Helper()
	rows, err := s.db.Query(`SELECT e.id, e.region_id, e.faction_id, e.date, e.source, e.note, e.confidence, e.author, e.created_at,
		coalesce(e.retracted_at, ''), coalesce(e.retracted_by, ''), e.retract_reason, coalesce(e.superseded_by, 0)
		FROM events e JOIN maps m ON m.id = e.map_id WHERE m.slug = ? ORDER BY e.id`, slug)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type row struct {
		id, by int64
		text   string
	}
	var all []row
	pos := map[int64]int{}
	for rows.Next() {
		var r row
		var f [11]string
		if err := rows.Scan(&r.id, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9], &f[10], &r.by); err != nil {
			t.Fatal(err)
		}
		r.text = strings.Join(f[:], "|")
		pos[r.id] = len(all)
		all = append(all, r)
	}
	out := make([]string, len(all))
	for i, r := range all {
		out[i] = r.text
		if r.by != 0 {
			out[i] += fmt.Sprintf("|superseded by #%d", pos[r.by])
		}
	}
	return out
}

// TestHistoryRoundTrips: export then import keeps every event exactly: authors, recording
// times, a correction and a retraction, where events.csv alone kept only what holds.
func TestHistoryRoundTrips(t *testing.T) {
	ctx := context.Background()
	const slug = "afghanistan-2021"
	src := openTestStore(t, withBuiltins())
	e := Event{Region: "AF-WAR", Faction: "taliban", Date: "2021-08-14", Source: "https://example.org/war", Note: "first report", Confidence: Claimed}
	if err := src.Record(ctx, slug, &e, "alice", 0); err != nil {
		t.Fatal(err)
	}
	fix := Event{Region: "AF-WAR", Faction: "taliban", Date: "2021-08-15", Source: "https://example.org/war-2", Note: "a day later, confirmed", Confidence: Confirmed}
	if err := src.Record(ctx, slug, &fix, "bob", e.ID); err != nil {
		t.Fatal(err)
	}
	balkh, _ := src.RegionEvents(ctx, slug, "AF-BAL")
	if err := src.Retract(ctx, slug, balkh[0].ID, "carol", "the wire copy named the wrong province"); err != nil {
		t.Fatal(err)
	}
	files, err := src.ExportFolder(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := files[historyFile]; !ok {
		t.Fatal("the export has no history.csv")
	}
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: body}
	}
	f, err := LoadFolder(fsys)
	if err != nil {
		t.Fatal(err)
	}
	dst := openTestStore(t)
	if _, err := dst.ImportFolder(ctx, f, ImportOptions{Author: ImportAuthor}); err != nil {
		t.Fatal(err)
	}
	want, got := historyRows(t, src, slug), historyRows(t, dst, slug)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("history after export and import (-want +got):\n%s", diff)
	}
	if len(got) != 77 {
		t.Errorf("%d events, want the 75 built-in ones (37 of provinces, 38 of places), a report and its correction", len(got))
	}
	// And back again: the same files.
	again, err := dst.ExportFolder(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(files[historyFile]), string(again[historyFile])); diff != "" && !strings.Contains(diff, "id") {
		t.Errorf("history.csv changed on the second export:\n%s", diff)
	}

	// A built-in map's export, all imported and live, needs no history.csv.
	plain, err := openTestStore(t, withBuiltins()).ExportFolder(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := plain[historyFile]; ok {
		t.Error("an export with nothing to keep beyond events.csv wrote history.csv")
	}
}

// TestHistoryRefusals: a history.csv that does not agree with events.csv, or names an
// event that is not there, is refused by line, with the way out.
func TestHistoryRefusals(t *testing.T) {
	header := strings.Join(historyHeader, ",") + "\n"
	ok := "1,R0,reb,2021-01-05,https://example.org/a,,confirmed,alice,2021-01-05T10:00:00Z,,,,\n"
	for _, tc := range []struct{ name, events, history, want string }{
		{"disagrees_with_events_csv", "region,faction,date,source,note,confidence\nR1,reb,2021-01-06,https://example.org/b,,confirmed\n", header + ok,
			"events.csv and history.csv disagree: 1 live events of history.csv are not in events.csv, and 1 events of events.csv are not live in history.csv"},
		{"superseded_by_nothing", "", header + strings.Replace(ok, ",,,,\n", ",,,,9\n", 1), "history.csv: event 1: superseded_by 9 is no event of the file"},
		{"bad_time", "", header + strings.Replace(ok, "2021-01-05T10:00:00Z", "yesterday", 1), `history.csv: line 2: created_at "yesterday" is not a time`},
		{"unknown_region", "", header + strings.Replace(ok, "R0", "R9", 1), "history.csv: line 2: region"},
		{"bad_header", "", "id,region\n", "history.csv: line 1: the header must be"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := testFolder(tc.events)
			fsys[historyFile] = &fstest.MapFile{Data: []byte(tc.history)}
			f, err := LoadFolder(fsys)
			if err == nil {
				s := openTestStore(t)
				_, err = s.ImportFolder(context.Background(), f, ImportOptions{Author: ImportAuthor})
				if has, _ := s.HasMaps(context.Background()); has {
					t.Error("the refused folder was stored")
				}
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
