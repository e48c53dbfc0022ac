package data

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"

	"github.com/frontline-maps/frontline/geo"
	"github.com/frontline-maps/frontline/geo/geotest"
)

func TestImportFolderSummary(t *testing.T) {
	tests := []struct {
		name       string
		n, k       int
		simplified bool
	}{
		{"small_layer_stored_as_it_is", 34, 100, false},
		{"large_layer_simplified", 5000, 1000, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := openTestStore(t)
			f := gridFolder(t, tt.n, tt.k)
			sum, err := s.ImportFolder(ctx, f, ImportOptions{Author: "test"})
			if err != nil {
				t.Fatal(err)
			}
			if sum.Regions != tt.n || sum.Events != tt.k {
				t.Errorf("summary %+v, want %d regions and %d events", sum, tt.n, tt.k)
			}
			simp := sum.Simplification
			if got := simp.VerticesAfter < simp.VerticesBefore && simp.Tolerance > 0; got != tt.simplified {
				t.Errorf("simplification %+v, want simplified = %v", simp, tt.simplified)
			}
			// What is stored is what the summary says, and imports again.
			body, err := s.RegionsGeoJSON(ctx, "test")
			if err != nil {
				t.Fatal(err)
			}
			stored, err := geo.ParseRegions(body, "", "name")
			if err != nil {
				t.Fatalf("stored regions do not parse: %v", err)
			}
			if got := vertexCount(stored); got != simp.VerticesAfter {
				t.Errorf("stored %d vertices, summary says %d", got, simp.VerticesAfter)
			}
			if sum.GeometryBytes <= 0 || sum.GeometryBytes > len(body) {
				t.Errorf("geometry bytes %d, regions.geojson %d bytes", sum.GeometryBytes, len(body))
			}
			if holes(stored) != holes(f.Regions) || holes(stored) == 0 {
				t.Errorf("%d holes stored, %d in the file", holes(stored), holes(f.Regions))
			}
		})
	}
}

func TestImportFolderFailureStoresNothing(t *testing.T) {
	tests := []struct {
		name   string
		k, bad int // k good events, and the bad one's place among them
	}{
		{"bad_event_last", 10, 10},
		// Inside a batch of events stored by one statement: the error still names it.
		{"bad_event_inside_a_batch", 3 * eventBatch, eventBatch + eventBatch/2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := openTestStore(t)
			f := gridFolder(t, 34, tt.k)
			// A folder that bypassed LoadFolder's checks: the database's constraints still hold.
			bad := Event{Region: "nowhere", Faction: "gov", Date: "2021-01-02", Source: "https://example.org", Confidence: Confirmed}
			f.Events = append(f.Events[:tt.bad], append([]Event{bad}, f.Events[tt.bad:]...)...)
			progressed := false
			_, err := s.ImportFolder(ctx, f, ImportOptions{Author: "test", Progress: func(string, int, int) { progressed = true }})
			if err == nil || !strings.Contains(err.Error(), `insert event for "nowhere"`) {
				t.Fatalf("err = %v, want the bad event named", err)
			}
			if !progressed {
				t.Error("progress was never reported")
			}
			if has, err := s.HasMaps(ctx); err != nil || has {
				t.Errorf("after a failed import HasMaps = %v, %v; want nothing stored", has, err)
			}
		})
	}
}

func TestImportFolderGivesEventsTheirIDs(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	importTest(t, s, "R0,reb,2021-01-05,https://example.org/a,,\n") // event 1, another map
	f := gridFolder(t, 34, 2*eventBatch+7)
	f.Map.Slug = "grid"
	if _, err := s.ImportFolder(ctx, f, ImportOptions{Author: "test"}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.db.Query(`SELECT e.id, e.source FROM events e JOIN maps m ON m.id = e.map_id WHERE m.slug = 'grid' ORDER BY e.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for ; rows.Next(); i++ {
		var id int64
		var source string
		if err := rows.Scan(&id, &source); err != nil {
			t.Fatal(err)
		}
		if e := f.Events[i]; e.ID != id || e.Source != source || e.Author != "test" || e.CreatedAt.IsZero() {
			t.Fatalf("event %d of the file: id %d, author %q, created %v; stored as %d with source %s", i, e.ID, e.Author, e.CreatedAt, id, source)
		}
	}
	if i != len(f.Events) {
		t.Errorf("%d events stored, %d in the folder", i, len(f.Events))
	}
}

// TestImportLeavesConnectionsAsTheyWere: an import sets its connection up for large writes
// and must give it back to the pool with SQLite's settings.
func TestImportLeavesConnectionsAsTheyWere(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	s.db.SetMaxOpenConns(1) // the import's connection is the one asked afterwards
	pragmas := func() string {
		var cache, temp string
		if err := s.db.QueryRow(`PRAGMA cache_size`).Scan(&cache); err != nil {
			t.Fatal(err)
		}
		if err := s.db.QueryRow(`PRAGMA temp_store`).Scan(&temp); err != nil {
			t.Fatal(err)
		}
		return "cache_size " + cache + ", temp_store " + temp
	}
	before := pragmas()
	if _, err := s.ImportFolder(ctx, gridFolder(t, 34, 10), ImportOptions{Author: "test"}); err != nil {
		t.Fatal(err)
	}
	if after := pragmas(); after != before {
		t.Errorf("after an import: %s; before: %s", after, before)
	}
}

func TestAppendEvents(t *testing.T) {
	const src = "https://example.org/a"
	ctx := context.Background()
	tests := []struct {
		name    string
		before  string // events.csv rows of the imported map
		retract bool   // retract the first event before appending
		append  []Event
		wantErr string
		// R0's holder on 2021-01-20 afterwards, and how many live events the map has.
		wantHolder string
		wantLive   int
	}{
		{
			name:       "appends_and_the_state_changes",
			before:     "R0,reb,2021-01-05," + src + ",,\n",
			append:     []Event{{Region: "R0", Faction: "gov", Date: "2021-01-10", Source: src, Confidence: Confirmed}},
			wantHolder: "gov", wantLive: 2,
		},
		{
			name:   "refuses_a_change_already_recorded_and_appends_nothing",
			before: "R0,reb,2021-01-05," + src + ",,\n",
			append: []Event{
				{Region: "R1", Faction: "reb", Date: "2021-01-10", Source: src, Confidence: Confirmed},
				{Region: "R0", Faction: "reb", Date: "2021-01-05", Source: src, Confidence: Claimed},
			},
			wantErr:    "event 2 is already recorded as event 1",
			wantHolder: "reb", wantLive: 1,
		},
		{
			name:    "a_retracted_change_may_be_recorded_again",
			before:  "R0,reb,2021-01-05," + src + ",,\n",
			retract: true,
			append:  []Event{{Region: "R0", Faction: "reb", Date: "2021-01-05", Source: src, Confidence: Confirmed}},
			// The retracted event no longer counts; the appended one does.
			wantHolder: "reb", wantLive: 1,
		},
		{
			name: "repeats_within_one_file_are_let_be",
			append: []Event{
				{Region: "R0", Faction: "reb", Date: "2021-01-05", Source: src, Confidence: Confirmed},
				{Region: "R0", Faction: "reb", Date: "2021-01-05", Source: src, Confidence: Confirmed},
			},
			wantHolder: "reb", wantLive: 2,
		},
		{
			name:       "unknown_region_appends_nothing",
			append:     []Event{{Region: "R0", Faction: "reb", Date: "2021-01-05", Source: src, Confidence: Confirmed}, {Region: "R9", Faction: "reb", Date: "2021-01-05", Source: src, Confidence: Confirmed}},
			wantErr:    `insert event for "R9"`,
			wantHolder: "gov", wantLive: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTestStore(t)
			m := importTest(t, s, tt.before)
			if tt.retract {
				if err := s.Retract(ctx, "test", 1, "alice", "wrong"); err != nil {
					t.Fatal(err)
				}
			}
			err := s.AppendEvents(ctx, "test", tt.append, "import", nil)
			if tt.wantErr == "" && err != nil {
				t.Fatal(err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
			}
			if got := holder(t, s, m, "R0", "2021-01-20"); got != tt.wantHolder {
				t.Errorf("R0 held by %s, want %s", got, tt.wantHolder)
			}
			events, err := s.Events(ctx, "test")
			if err != nil {
				t.Fatal(err)
			}
			if len(events) != tt.wantLive {
				t.Errorf("%d live events, want %d", len(events), tt.wantLive)
			}
			for _, e := range events {
				if e.ID > 1 && e.Author != "import" {
					t.Errorf("appended event %d has author %q", e.ID, e.Author)
				}
			}
		})
	}
}

func TestAppendEventsDuplicateErrorNamesEachEvent(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	importTest(t, s, "R0,reb,2021-01-05,https://example.org/a,,\nR1,reb,2021-01-06,https://example.org/b,,\n")
	events := []Event{
		{Region: "R1", Faction: "reb", Date: "2021-01-06", Source: "https://example.org/b", Confidence: Confirmed},
		{Region: "R2", Faction: "reb", Date: "2021-01-06", Source: "https://example.org/b", Confidence: Confirmed},
		{Region: "R0", Faction: "reb", Date: "2021-01-05", Source: "https://example.org/a", Confidence: Confirmed},
	}
	err := s.AppendEvents(ctx, "test", events, "import", nil)
	var dup *DuplicateError
	if !errors.As(err, &dup) {
		t.Fatalf("err = %v, want a *DuplicateError", err)
	}
	if diff := cmp.Diff(&DuplicateError{Index: []int{0, 2}, Existing: []int64{2, 1}}, dup); diff != "" {
		t.Errorf("duplicates (-want +got):\n%s", diff)
	}
}

func TestAppendEventsUnknownMap(t *testing.T) {
	s := openTestStore(t)
	err := s.AppendEvents(context.Background(), "nowhere", nil, "import", nil)
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
}

func vertexCount(regions []geo.Region) int {
	n := 0
	for _, r := range regions {
		n += geo.VertexCount([]orb.Geometry{r.Geometry})
	}
	return n
}

// holes counts the holes of every polygon of the regions.
func holes(regions []geo.Region) int {
	n := 0
	for _, r := range regions {
		switch g := r.Geometry.(type) {
		case orb.Polygon:
			n += len(g) - 1
		case orb.MultiPolygon:
			for _, p := range g {
				n += len(p) - 1
			}
		}
	}
	return n
}

func TestImportKeepsAntimeridianPartsAndHoles(t *testing.T) {
	ctx := context.Background()
	layer := `{"type":"FeatureCollection","features":[
		{"type":"Feature","id":"FJ","properties":{"name":"Fiji"},"geometry":{"type":"MultiPolygon","coordinates":[
			[[[178,-18],[180,-18],[180,-16],[178,-16],[178,-18]]],
			[[[-180,-18],[-179,-18],[-179,-16],[-180,-16],[-180,-18]]]]}},
		{"type":"Feature","id":"LK","properties":{"name":"Lake"},"geometry":{"type":"Polygon","coordinates":[
			[[10,10],[20,10],[20,20],[10,20],[10,10]],
			[[14,14],[14,16],[16,16],[16,14],[14,14]]]}}]}`
	f, err := LoadFolder(fstest.MapFS{"map.json": {Data: []byte(testMapJSON)}, "regions.geojson": {Data: []byte(layer)}})
	if err != nil {
		t.Fatal(err)
	}
	s := openTestStore(t)
	if err := s.Import(ctx, f, "test", false); err != nil {
		t.Fatal(err)
	}
	files, err := s.ExportFolder(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	regions, err := geo.ParseRegions(files["regions.geojson"], "", "name")
	if err != nil {
		t.Fatal(err)
	}
	if mp, ok := regions[0].Geometry.(orb.MultiPolygon); !ok || len(mp) != 2 || mp[1][0][0] != (orb.Point{-180, -18}) {
		t.Errorf("Fiji after import and export: %v", regions[0].Geometry)
	}
	if p, ok := regions[1].Geometry.(orb.Polygon); !ok || len(p) != 2 {
		t.Errorf("the lake after import and export: %v", regions[1].Geometry)
	}
}

// dbState is what a failed import must leave as it was: every map's revision and every
// event's id, region, faction, date and source.
func dbState(t *testing.T, s *Store) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT slug || ' ' || revision FROM maps ORDER BY id`,
		`SELECT id || ' ' || map_id || ' ' || region_id || ' ' || faction_id || ' ' || date || ' ' || source FROM events ORDER BY id`,
	} {
		rows, err := s.db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			b.WriteString(line + "\n")
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// openEvents opens a folder with OpenFolder, for its events to be read as they are stored.
func openEvents(t *testing.T, fsys fstest.MapFS) (*Folder, *EventReader) {
	t.Helper()
	f, events, err := OpenFolder(fsys)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { events.Close() })
	return f, events
}

func TestImportFolderReadsEventsAsItStores(t *testing.T) {
	const n, k = 34, 5*progressEvery + 10
	good := bigEvents(n, k)
	tests := []struct {
		name    string
		events  string
		replace bool
		want    string // a part of the error; "" for success
		// fileProblem: the error is a problem of the file, which the reader reports too.
		fileProblem bool
	}{
		{name: "stores_every_event_in_file_order", events: good, replace: true},
		{name: "unknown_region_on_the_last_line", events: good + "R9999,gov,2021-01-05,https://example.org,,\n", replace: true,
			want: fmt.Sprintf(`events.csv: line %d: region: "R9999" is not a region of this map`, k+2), fileProblem: true},
		{name: "bad_quote_on_the_last_line", events: good + "R0001,gov,2021-01-05,https://example.org,say \"hi\",\n", replace: true,
			want: fmt.Sprintf("events.csv: parse error on line %d", k+2), fileProblem: true},
		{name: "every_bad_line_is_named", events: strings.Replace(good, ",gov,2021-01-02,", ",army,2021-01-02,", 1) + "R0001,gov\n", replace: true,
			want: fmt.Sprintf(`"army" is not a faction of this map; the factions are gov, reb`+"\nevents.csv: line %d: 2 fields, the header has 6", k+2), fileProblem: true},
		// Without --replace the file's problems still come first, as when it was read
		// whole before the import began.
		{name: "bad_line_before_existing_slug", events: good + "R0001,gov,2021-02-05,https://example.org,,\n",
			want: fmt.Sprintf("events.csv: line %d: date: date 2021-02-05 is outside this map's range", k+2), fileProblem: true},
		{name: "existing_slug", events: good, want: `a map with slug "test" already exists`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := openTestStore(t)
			importTest(t, s, "R0,reb,2021-01-05,https://example.org/a,,\n")
			before := dbState(t, s)
			f, events := openEvents(t, gridFS(n, tt.events))
			var steps []string
			progress := func(step string, done, total int) {
				if total > 0 && done > total {
					t.Errorf("progress %s: %d of %d", step, done, total)
				}
				if len(steps) == 0 || steps[len(steps)-1] != step {
					steps = append(steps, step)
				}
			}
			sum, err := s.ImportFolder(ctx, f, ImportOptions{Author: "test", Replace: tt.replace, Events: events, Progress: progress})
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err = %v\nwant %q", err, tt.want)
				}
				// The reader holds the file's problems alone, for a caller to report.
				if fileErr := events.Err(); (fileErr != nil) != tt.fileProblem || fileErr != nil && !strings.Contains(fileErr.Error(), tt.want) {
					t.Errorf("file's problems = %v, want them to hold %q: %v", fileErr, tt.want, tt.fileProblem)
				}
				if after := dbState(t, s); after != before {
					t.Errorf("a failed import changed the database: %d bytes of state before, %d after", len(before), len(after))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if sum.Events != k || sum.Regions != n {
				t.Errorf("summary %+v, want %d regions and %d events", sum, n, k)
			}
			if diff := cmp.Diff([]string{"simplifying regions", "storing", StepEvents}, steps); diff != "" {
				t.Errorf("progress steps (-want +got):\n%s", diff)
			}
			// The same events, ids and order as the whole file read first and then stored.
			whole := openTestStore(t)
			importTest(t, whole, "R0,reb,2021-01-05,https://example.org/a,,\n")
			loaded, err := LoadFolder(gridFS(n, tt.events))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := whole.ImportFolder(ctx, loaded, ImportOptions{Author: "test", Replace: true}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(dbState(t, whole), dbState(t, s)); diff != "" {
				t.Errorf("streamed import differs from the whole file's (-whole +streamed):\n%.2000s", diff)
			}
		})
	}
}

func TestAppendEventsFrom(t *testing.T) {
	const n, k = 34, 3*progressEvery + 10
	recorded := bigEvents(n, k) // imported first
	// Other events: the same lines with other sources, so none repeats a recorded one.
	fresh := strings.ReplaceAll(recorded, "/events/", "/more/")
	header, rows, _ := strings.Cut(fresh, "\n")
	header += "\n"
	lines := strings.SplitAfter(rows, "\n")
	lines = lines[:len(lines)-1]
	_, recordedRows, _ := strings.Cut(recorded, "\n")
	recordedLines := strings.SplitAfter(recordedRows, "\n")
	tests := []struct {
		name     string
		events   string
		want     string // a part of the error; "" for success
		wantDups *DuplicateError
		wantN    int
	}{
		{name: "appends_every_line", events: fresh, wantN: k},
		// Repeats within one file are let be, however far apart: only events recorded
		// before the import count as duplicates.
		{name: "repeats_within_the_file_far_apart_are_let_be", events: fresh + lines[0], wantN: k + 1},
		{name: "a_recorded_event_on_the_last_line", events: fresh + recordedLines[6],
			wantDups: &DuplicateError{Index: []int{k}, Existing: []int64{8}, Line: []int{k + 2}}},
		{name: "recorded_events_at_both_ends", events: header + recordedLines[0] + strings.Join(lines, "") + recordedLines[k-1],
			wantDups: &DuplicateError{Index: []int{0, k + 1}, Existing: []int64{2, int64(k) + 1}, Line: []int{2, k + 3}}},
		// The file's problems come before repeats, as when it was read whole first.
		{name: "a_bad_line_after_a_repeat", events: header + recordedLines[0] + strings.Join(lines, "") + "R0001,gov,2021-01-05,,,\n",
			want: fmt.Sprintf("line %d: source: is required", k+3)},
		{name: "a_bad_line_after_many_repeats", events: recorded + "R0001,gov,2021-01-05,,,\n",
			want: fmt.Sprintf("line %d: source: is required", k+2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := openTestStore(t)
			importTest(t, s, "R0,reb,2021-01-05,https://example.org/a,,\n") // event 1, another map
			f, events := openEvents(t, gridFS(n, recorded))
			f.Map.Slug = "grid"
			if _, err := s.ImportFolder(ctx, f, ImportOptions{Author: "test", Events: events}); err != nil {
				t.Fatal(err)
			}
			m, err := s.Map(ctx, "grid")
			if err != nil {
				t.Fatal(err)
			}
			known := map[string]bool{}
			for i := range n {
				known[geotest.GridID(i)] = true
			}
			r, err := NewEventReader(strings.NewReader(tt.events), m, func(id string) bool { return known[id] })
			if err != nil {
				t.Fatal(err)
			}
			before := dbState(t, s)
			got, err := s.AppendEventsFrom(ctx, "grid", r, "import", nil)
			var dups *DuplicateError
			switch {
			case tt.wantDups != nil:
				if !errors.As(err, &dups) {
					t.Fatalf("err = %v, want a *DuplicateError", err)
				}
				if diff := cmp.Diff(tt.wantDups, dups); diff != "" {
					t.Errorf("duplicates (-want +got):\n%s", diff)
				}
			case tt.want != "":
				if err == nil || r.Err() == nil || !strings.Contains(r.Err().Error(), tt.want) || errors.As(err, &dups) {
					t.Fatalf("err = %v\nfile's problems = %v\nwant %q", err, r.Err(), tt.want)
				}
			case err != nil:
				t.Fatal(err)
			}
			if err != nil {
				if after := dbState(t, s); after != before {
					t.Errorf("a failed append changed the database")
				}
				return
			}
			if got != tt.wantN || liveCount(t, s, "grid") != k+tt.wantN {
				t.Errorf("appended %d, %d live events; want %d appended to %d", got, liveCount(t, s, "grid"), tt.wantN, k)
			}
		})
	}
}

func liveCount(t *testing.T, s *Store, slug string) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM events e JOIN maps m ON m.id = e.map_id WHERE m.slug = ? AND `+live, slug).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
