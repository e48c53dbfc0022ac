package data

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"

	"github.com/frontline-maps/frontline/geo"
)

// gridFolder returns a map folder of the test map with a generated layer of n regions and
// k generated events over January 2021.
func gridFolder(t *testing.T, n, k int) *Folder {
	t.Helper()
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	fsys := fstest.MapFS{
		"map.json":        {Data: []byte(testMapJSON)},
		"regions.geojson": {Data: geo.GridLayer(n)},
		"events.csv":      {Data: geo.GridEvents(n, k, []string{"gov", "reb"}, start, start.AddDate(0, 0, 30))},
	}
	f, err := LoadFolder(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

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
	ctx := context.Background()
	s := openTestStore(t)
	f := gridFolder(t, 34, 10)
	// A folder that bypassed LoadFolder's checks: the database's constraints still hold.
	f.Events = append(f.Events, Event{Region: "nowhere", Faction: "gov", Date: "2021-01-02", Source: "https://example.org", Confidence: Confirmed})
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
