package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/geo"
	"github.com/frontline-maps/frontline/geo/geotest"
)

func TestImportGeneratedLayers(t *testing.T) {
	tests := []struct {
		regions, events int
		simplified      bool
	}{
		{34, 500, false},
		{400, 10_000, false},
		{5000, 100_000, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d_regions", tt.regions), func(t *testing.T) {
			if testing.Short() && tt.regions > 400 {
				t.Skip("large layer")
			}
			ctx := context.Background()
			dir := filepath.Join(t.TempDir(), "grid")
			slug := fmt.Sprintf("grid-%d", tt.regions)
			writeFiles(t, dir, map[string]string{
				"map.json":        gridMapJSON(slug),
				"regions.geojson": string(geotest.GridLayer(tt.regions)),
				"events.csv":      gridEvents(tt.regions, tt.events),
			})
			db := filepath.Join(t.TempDir(), "frontline.db")

			start := time.Now()
			out, err := frontline(t, "import", dir, "--db", db)
			took := time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("imported %d regions and %d events in %s:\n%s", tt.regions, tt.events, took, out)
			for _, want := range []string{
				fmt.Sprintf("Imported map %q", slug),
				"regions   " + count(tt.regions) + "\n",
				"events    " + count(tt.events) + "\n",
				map[bool]string{true: "stored (", false: "stored as they are"}[tt.simplified],
				"of GeoJSON stored",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("summary lacks %q:\n%s", want, out)
				}
			}
			if strings.ContainsAny(out, "\r\x1b") {
				t.Errorf("a progress bar was drawn on a pipe: %q", out)
			}

			s := openStore(t, db)
			m, err := s.Map(ctx, slug)
			if err != nil {
				t.Fatal(err)
			}
			regions, err := s.Regions(ctx, slug)
			if err != nil {
				t.Fatal(err)
			}
			if events := liveEvents(t, db, slug); len(regions) != tt.regions || events != tt.events {
				t.Errorf("stored %d regions and %d events, want %d and %d", len(regions), events, tt.regions, tt.events)
			}
			stateStart := time.Now()
			st, err := s.State(ctx, m, m.End)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("state at %s of %d regions in %s", m.End, tt.regions, time.Since(stateStart))
			counts := st.Counts(m)
			if counts["blue"]+counts["gold"]+counts["green"] != tt.regions || counts["gold"] == 0 || counts["green"] == 0 {
				t.Errorf("counts at the end %v, want all %d regions held and gold and green among them", counts, tt.regions)
			}
			first, err := s.State(ctx, m, m.Start)
			if err != nil {
				t.Fatal(err)
			}
			if c := first.Counts(m); c["blue"] > tt.regions || c["blue"] < tt.regions-tt.events {
				t.Errorf("counts at the start %v", c)
			}

			// Export and import again: the same map, geometry included.
			exported := filepath.Join(t.TempDir(), "export")
			if _, err := frontline(t, "export", "--db", db, "--map", slug, "--out", exported); err != nil {
				t.Fatal(err)
			}
			db2 := filepath.Join(t.TempDir(), "again.db")
			if _, err := frontline(t, "import", "--db", db2, exported); err != nil {
				t.Fatal(err)
			}
			s2 := openStore(t, db2)
			g1, _ := s.RegionsGeoJSON(ctx, slug)
			g2, _ := s2.RegionsGeoJSON(ctx, slug)
			if !bytes.Equal(g1, g2) {
				t.Errorf("regions GeoJSON changed on a round trip: %d bytes, then %d", len(g1), len(g2))
			}
			for _, date := range []string{"2024-01-01", "2024-03-15", m.DefaultDate, "2024-12-31"} {
				a, _ := s.State(ctx, m, date)
				b, _ := s2.State(ctx, m, date)
				if diff := cmp.Diff(a.Counts(m), b.Counts(m)); diff != "" {
					t.Errorf("counts at %s changed on a round trip (-before +after):\n%s", date, diff)
				}
			}
		})
	}
}

// liveEvents counts the live events of a map with SQL: Store.Events answers each event's
// "supersedes" with a subquery that scans the table, too slow for 100,000 events.
func liveEvents(t *testing.T, path, slug string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM events e JOIN maps m ON m.id = e.map_id
		WHERE m.slug = ? AND e.retracted_at IS NULL AND e.superseded_by IS NULL`, slug).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// squareJSON returns a closed square ring from (x, y) as GeoJSON.
func squareJSON(x, y, size float64) string {
	return fmt.Sprintf("[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]", x, y, x+size, y, x+size, y+size, x, y+size, x, y)
}

// layerWith returns the regions R0001..R0004 with feature 2 (R0003) replaced by bad.
func layerWith(bad string) string {
	var fs []string
	for i := range 4 {
		if i == 2 {
			fs = append(fs, bad)
			continue
		}
		fs = append(fs, fmt.Sprintf(`{"type":"Feature","id":"R%04d","properties":{"name":"Region %d"},"geometry":{"type":"Polygon","coordinates":[%s]}}`,
			i+1, i+1, squareJSON(float64(i), 0, 1)))
	}
	return `{"type":"FeatureCollection","features":[` + strings.Join(fs, ",") + `]}`
}

// badPolygon is feature R0003 with the given rings.
func badPolygon(rings ...string) string {
	return `{"type":"Feature","id":"R0003","properties":{},"geometry":{"type":"Polygon","coordinates":[` + strings.Join(rings, ",") + `]}}`
}

const eventsHeader = "region,faction,date,source,note,confidence\n"

// TestImportRejectsMalformedFiles imports broken map folders and event files into a
// database that already holds two maps: each must fail with an error that names the file
// and the place, and leave the database exactly as it was, byte for byte.
func TestImportRejectsMalformedFiles(t *testing.T) {
	good := map[string]string{
		"map.json":        gridMapJSON("grid"),
		"regions.geojson": layerWith(badPolygon(squareJSON(2, 0, 1))),
		"events.csv":      eventsHeader + "R0001,gold,2024-02-01,https://example.org/1,,\nR0002,green,2024-03-01,https://example.org/2,,claimed\n",
	}
	with := func(name, body string) map[string]string {
		files := map[string]string{}
		for k, v := range good {
			files[k] = v
		}
		files[name] = body
		return files
	}
	// Many good lines before a bad one: the import has stored thousands of events when it
	// meets it, and must still leave nothing behind.
	many := gridEvents(4, 5000)
	manyNew := strings.ReplaceAll(many, "/events/", "/new/")
	tests := []struct {
		name   string
		files  map[string]string // a map folder to import; nil for an events file
		events string            // an events file to import into the map "grid"
		args   []string          // more arguments
		want   []string
	}{
		// GeoJSON
		{name: "regions_not_json", files: with("regions.geojson", `{"type":"FeatureCollection","features":[`),
			want: []string{"regions.geojson: not valid JSON"}},
		{name: "regions_not_a_feature_collection", files: with("regions.geojson", `{"type":"GeometryCollection","geometries":[]}`),
			want: []string{`regions.geojson: not a GeoJSON FeatureCollection (type is "GeometryCollection")`}},
		{name: "region_without_id", files: with("regions.geojson", layerWith(`{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[`+squareJSON(2, 0, 1)+`]}}`)),
			want: []string{`regions.geojson: feature 2: no id`}},
		{name: "region_duplicate_id", files: with("regions.geojson", strings.Replace(layerWith(badPolygon(squareJSON(2, 0, 1))), `"R0003"`, `"R0001"`, 1)),
			want: []string{`regions.geojson: feature 2: duplicate id "R0001" (also feature 0)`}},
		{name: "every_bad_feature_is_named", files: with("regions.geojson", strings.Replace(layerWith(badPolygon(`[[2,0],[3,0],[3,95],[2,0]]`)), `[[3,0],[4,0],[4,1],[3,1],[3,0]]`, `[[3,0],[4,0],[4,1],[3,95],[3,0]]`, 1)),
			want: []string{"regions.geojson: features 2-3 (2 features): region \"R0003\": ring 0: position [3, 95] has latitude outside -90..90"}},
		// map.json
		{name: "map_json_missing", files: map[string]string{"regions.geojson": good["regions.geojson"]}, want: []string{"map.json: open map.json"}},
		{name: "map_initial_unknown", files: with("map.json", strings.Replace(gridMapJSON("grid"), `"initial": "blue"`, `"initial": "red"`, 1)),
			want: []string{`map.json: initial "red" is not one of the factions`}},
		{name: "map_every_rule_on_its_line", files: with("map.json", strings.NewReplacer(`"initial": "blue"`, `"initial": "Gold"`, `"#d9a441"`, `"gold"`,
			`"start": "2024-01-01"`, `"start": "2024-02-30"`).Replace(gridMapJSON("grid"))),
			want: []string{"map.json: start: date \"2024-02-30\" is not a real date in the form YYYY-MM-DD\n" +
				"map.json: faction 2 (gold): color \"gold\" must be #rrggbb, such as #c0392b\n" +
				"map.json: initial \"Gold\" is not one of the factions (blue, gold, green); did you mean \"gold\"?"}},
		// events.csv in a folder
		{name: "folder_events_bad_header", files: with("events.csv", "province,side,when\n"), want: []string{"events.csv: line 1: the header must name the columns"}},
		{name: "folder_events_unknown_region", files: with("events.csv", eventsHeader+"R0001,gold,2024-02-01,https://example.org/1,,\nR0009,gold,2024-02-01,https://example.org/1,,\n"),
			want: []string{`events.csv: line 3: region: "R0009" is not a region of this map`}},
		{name: "folder_events_bad_date_and_source", files: with("events.csv", eventsHeader+"R0001,gold,2024-02-30,ftp://example.org/1,,\n"),
			want: []string{`events.csv: line 2: date: date "2024-02-30" is not a real date`, "events.csv: line 2: source: \"ftp://example.org/1\" is not an http or https URL"}},
		{name: "folder_events_date_out_of_range", files: with("events.csv", eventsHeader+"R0001,gold,2025-01-01,https://example.org/1,,\n"),
			want: []string{"events.csv: line 2: date: date 2025-01-01 is outside this map's range"}},
		{name: "folder_events_bare_quote", files: with("events.csv", eventsHeader+"R0001,gold,2024-02-01,https://example.org/1,,\nR0001,gold,2024-02-01,https://example.org/1,say \"hi\",\n"),
			want: []string{`events.csv: parse error on line 3`}},
		// The slug "grid" exists: the file's problems are still reported before that.
		{name: "folder_events_bad_line_after_many", files: with("events.csv", many+"R0009,gold,2024-02-01,https://example.org/1,,\n"),
			want: []string{`events.csv: line 5002: region: "R0009" is not a region of this map`}},
		{name: "folder_replace_bad_lines_after_many", files: with("events.csv", many+"R0001,gold,2024-02-01,https://example.org/1,,maybe\n\"R0002\n"),
			args: []string{"--replace"},
			want: []string{"events.csv: line 5002: confidence: \"maybe\" must be \"confirmed\" or \"claimed\"\nevents.csv: parse error on line 5003"}},
		// refused inside the transaction
		{name: "slug_exists_without_replace", files: with("map.json", strings.Replace(gridMapJSON("grid"), `"slug": "grid"`, `"slug": "afghanistan-2021"`, 1)),
			want: []string{`a map with slug "afghanistan-2021" already exists; import with --replace`}},
		// import events
		{name: "events_unknown_faction", events: eventsHeader + "R0001,gold,2024-04-01,https://example.org/3,,\nR0002,purple,2024-04-01,https://example.org/3,,\n",
			want: []string{`new.csv: line 3: faction: "purple" is not a faction of this map`}},
		{name: "events_missing_source", events: eventsHeader + "R0001,gold,2024-04-01,,,\n", want: []string{"new.csv: line 2: source: is required"}},
		{name: "events_bad_confidence", events: eventsHeader + "R0001,gold,2024-04-01,https://example.org/3,,rumoured\n",
			want: []string{`new.csv: line 2: confidence: "rumoured" must be "confirmed" or "claimed"`}},
		{name: "events_wrong_field_count", events: eventsHeader + "R0001,gold\n", want: []string{"new.csv: line 2: 2 fields, the header has 6"}},
		{name: "events_day_first_without_flag", events: eventsHeader + "R0001,gold,24/04/2024,https://example.org/3,,\nR0002,gold,25/04/2024,https://example.org/4,,\n",
			want: []string{`new.csv: lines 2-3 (2 lines): date: date "24/04/2024" is not a real date in the form YYYY-MM-DD; it looks day-first: import with --date-format DD/MM/YYYY`}},
		{name: "events_empty_file", events: "", want: []string{"new.csv: the file is empty"}},
		{name: "events_already_recorded", events: eventsHeader + "R0003,gold,2024-04-01,https://example.org/3,,\n\"R0001\",gold,2024-02-01,https://example.org/1,\"a note\non two lines\",\n",
			want: []string{"new.csv: line 3: the same change (region, faction, date and source) is already recorded as event"}},
		{name: "events_already_recorded_after_many", events: manyNew + "R0002,green,2024-03-01,https://example.org/2,,\n",
			want: []string{"new.csv: line 5002: the same change (region, faction, date and source) is already recorded as event"}},
		{name: "events_bad_line_after_a_repeat", events: manyNew + "R0002,green,2024-03-01,https://example.org/2,,\nR0001,gold,2024-04-01,https://example.org/3,,rumoured\n",
			want: []string{`new.csv: line 5003: confidence: "rumoured" must be "confirmed" or "claimed"`}},
		{name: "events_unknown_map", events: eventsHeader, args: []string{"--map", "nowhere"}, want: []string{`has no map "nowhere"`}},
	}
	// One database for all cases: every failure must leave it as it was.
	db := seededDB(t)
	goodDir := filepath.Join(t.TempDir(), "good")
	writeFiles(t, goodDir, good)
	if _, err := frontline(t, "import", "--db", db, goodDir); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := dbFiles(t, db)
			var args []string
			if tt.files != nil {
				dir := filepath.Join(t.TempDir(), "folder")
				writeFiles(t, dir, tt.files)
				args = append([]string{"import", dir, "--db", db}, tt.args...)
			} else {
				file := filepath.Join(t.TempDir(), "new.csv")
				writeFiles(t, filepath.Dir(file), map[string]string{"new.csv": tt.events})
				args = []string{"import", "events", "--db", db, file}
				if tt.args == nil {
					args = append(args, "--map", "grid")
				}
				args = append(args, tt.args...)
			}
			out, err := frontline(t, args...)
			if err == nil {
				t.Fatalf("import succeeded:\n%s", out)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error:\n%s\nwant it to contain %q", err, want)
				}
			}
			if tt.name != "events_unknown_map" && !strings.Contains(err.Error(), "nothing was imported") {
				t.Errorf("error does not say that nothing was imported:\n%s", err)
			}
			after := dbFiles(t, db)
			if len(after) != len(before) {
				t.Errorf("database files %d before, %d after", len(before), len(after))
			}
			for name, b := range before {
				if !bytes.Equal(b, after[name]) {
					t.Errorf("%s changed: a failed import must leave the database as it was", name)
				}
			}
		})
	}
	// The comparison can fail: a good import changes the bytes.
	before := dbFiles(t, db)
	file := filepath.Join(t.TempDir(), "good.csv")
	writeFiles(t, filepath.Dir(file), map[string]string{"good.csv": eventsHeader + "R0003,gold,2024-05-01,https://example.org/5,,\n"})
	if _, err := frontline(t, "import", "events", "--db", db, "--map", "grid", file); err != nil {
		t.Fatal(err)
	}
	if after := dbFiles(t, db); bytes.Equal(before["frontline.db"], after["frontline.db"]) {
		t.Error("a good import left the database file as it was; the byte comparison proves nothing")
	}
}

// TestImportRefusedLeavesNoDatabase: a folder refused for a bad line of events.csv, found
// after thousands of events were stored, leaves no database behind where there was none,
// as when a folder was checked whole before the database was opened.
func TestImportRefusedLeavesNoDatabase(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "grid")
	writeFiles(t, dir, map[string]string{
		"map.json":        gridMapJSON("grid"),
		"regions.geojson": string(geotest.GridLayer(34)),
		"events.csv":      gridEvents(34, 5000) + "R0001,gold,2024-02-01,https://example.org/1,,maybe\n",
	})
	db := filepath.Join(t.TempDir(), "new.db")
	_, err := frontline(t, "import", dir, "--db", db)
	if err == nil || !strings.Contains(err.Error(), "events.csv: line 5002: confidence") {
		t.Fatalf("err = %v, want line 5002 named", err)
	}
	if files, _ := filepath.Glob(db + "*"); len(files) > 0 {
		t.Errorf("a refused import left %v", files)
	}
}

func TestImportEventsAppends(t *testing.T) {
	ctx := context.Background()
	db := seededDB(t)
	dir := filepath.Join(t.TempDir(), "grid")
	writeFiles(t, dir, map[string]string{
		"map.json":        gridMapJSON("grid"),
		"regions.geojson": string(geotest.GridLayer(34)),
		"events.csv":      eventsHeader + "R0001,gold,2024-02-01,https://example.org/1,,\n",
	})
	if _, err := frontline(t, "import", "--db", db, dir); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "more.csv")
	writeFiles(t, filepath.Dir(file), map[string]string{"more.csv": eventsHeader +
		"R0001,green,2024-03-01,https://example.org/2,\"retaken, says the \"\"source\"\"\",claimed\n" +
		"R0002,gold,2024-03-02,https://example.org/3,,\n"})

	// Flags after the file, as people type them.
	out, err := frontline(t, "import", "events", file, "--map", "grid", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `Appended 2 events from `+file+` to map "grid"`) {
		t.Errorf("output = %q", out)
	}
	s := openStore(t, db)
	m, err := s.Map(ctx, "grid")
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.State(ctx, m, "2024-03-05")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, h := range st.Holdings[:] {
		if h.Region.ID == "R0001" || h.Region.ID == "R0002" {
			got[h.Region.ID] = fmt.Sprintf("%s since %s, claimed %v", h.Faction, h.Since, h.Claimed())
		}
	}
	want := map[string]string{"R0001": "green since 2024-03-01, claimed true", "R0002": "gold since 2024-03-02, claimed false"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("state after appending (-want +got):\n%s", diff)
	}
	events, err := s.RegionEvents(ctx, "grid", "R0001")
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[1].Author != importAuthor || events[1].Note != `retaken, says the "source"` {
		t.Errorf("R0001's events: %+v", events)
	}
	// The built-in map is untouched.
	if afg, err := s.Events(ctx, "afghanistan-2021"); err != nil || len(afg) == 0 || afg[0].Author != data.BuiltinAuthor {
		t.Errorf("built-in events: %d, %v", len(afg), err)
	}
}

// TestImportRepairsGeometry: a layer with repairable faults imports, and the summary says
// which regions were repaired and how (geo's TestRepair covers each repair).
func TestImportRepairsGeometry(t *testing.T) {
	layer := strings.Replace(layerWith(badPolygon(`[[2,0],[3,1],[3,0],[2,1],[2,0]]`)), `[[3,0],[4,0],[4,1],[3,1],[3,0]]`, `[[3,0],[4,0],[4,1],[3,1]]`, 1)
	dir := filepath.Join(t.TempDir(), "grid")
	writeFiles(t, dir, map[string]string{"map.json": gridMapJSON("grid"), "regions.geojson": layer})
	db := filepath.Join(t.TempDir(), "frontline.db")
	out, err := frontline(t, "import", "--db", db, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"  repaired  1 region: " + geo.RepairClosed + " (R0004)\n",
		"            1 region: " + geo.RepairCrossing + " (R0003)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output:\n%s\nwant it to contain %q", out, want)
		}
	}
	regions, err := openStore(t, db).Regions(context.Background(), "grid")
	if err != nil || len(regions) != 4 {
		t.Errorf("%d regions stored, %v; want all 4", len(regions), err)
	}
}

// TestImportSpreadsheetEvents: the command line reads events as spreadsheets write them
// (data/testdata/events/good has each habit; data tests read every one), in a folder and
// appended, with --date-format.
func TestImportSpreadsheetEvents(t *testing.T) {
	corpus := filepath.Join("..", "..", "data", "testdata", "events")
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(corpus, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	folder := map[string]string{"map.json": read("map/map.json"), "regions.geojson": read("map/regions.geojson")}

	withEvents := filepath.Join(t.TempDir(), "south")
	writeFiles(t, withEvents, folder)
	writeFiles(t, withEvents, map[string]string{"events.csv": read("good/excel_semicolon.csv")})
	db := filepath.Join(t.TempDir(), "a.db")
	out, err := frontline(t, "import", "--db", db, withEvents)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "events    3\n") {
		t.Errorf("output = %q, want 3 events", out)
	}

	bare := filepath.Join(t.TempDir(), "south")
	writeFiles(t, bare, folder)
	db = filepath.Join(t.TempDir(), "b.db")
	if _, err := frontline(t, "import", "--db", db, bare); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "day_first.csv")
	writeFiles(t, filepath.Dir(file), map[string]string{"day_first.csv": read("good/day_first.csv")})
	out, err = frontline(t, "import", "events", "--date-format", "DD/MM/YYYY", "--map", "south-2022", "--db", db, file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Appended 3 events") {
		t.Errorf("output = %q", out)
	}
	events, err := openStore(t, db).Events(context.Background(), "south-2022")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range events {
		got = append(got, e.Region+" "+e.Faction+" "+e.Date+" "+e.Confidence)
	}
	want := []string{"UA-65 russia 2022-03-02 confirmed", "UA-23 contested 2022-09-30 claimed", "UA-65 ukraine 2022-11-11 confirmed"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestExportRoundTripsBuiltinMap(t *testing.T) {
	ctx := context.Background()
	a := seededDB(t)
	dir := filepath.Join(t.TempDir(), "afghanistan")
	out, err := frontline(t, "export", "--db", a, "--map", "afghanistan-2021", "--out", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `Exported map "afghanistan-2021"`) {
		t.Errorf("output = %q", out)
	}
	// Into a database that has the built-in map already: --replace.
	b := seededDB(t)
	if _, err := frontline(t, "import", dir, "--db", b); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("import over an existing map without --replace: err = %v", err)
	}
	if _, err := frontline(t, "import", "--replace", dir, "--db", b); err != nil {
		t.Fatal(err)
	}
	sa, sb := openStore(t, a), openStore(t, b)
	ma, err := sa.Map(ctx, "afghanistan-2021")
	if err != nil {
		t.Fatal(err)
	}
	mb, err := sb.Map(ctx, "afghanistan-2021")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ma, mb); diff != "" {
		t.Errorf("map (-original +round trip):\n%s", diff)
	}
	ra, _ := sa.Regions(ctx, ma.Slug)
	rb, _ := sb.Regions(ctx, mb.Slug)
	if diff := cmp.Diff(ra, rb); diff != "" {
		t.Errorf("regions (-original +round trip):\n%s", diff)
	}
	ga, _ := sa.RegionsGeoJSON(ctx, ma.Slug)
	gb, _ := sb.RegionsGeoJSON(ctx, mb.Slug)
	if !bytes.Equal(ga, gb) {
		t.Errorf("regions GeoJSON differs after a round trip")
	}
	ea, _ := sa.Events(ctx, ma.Slug)
	eb, _ := sb.Events(ctx, mb.Slug)
	if len(ea) != len(eb) || len(ea) == 0 {
		t.Fatalf("%d events, %d after a round trip", len(ea), len(eb))
	}
	for i := range ea {
		x, y := ea[i], eb[i]
		if x.Region != y.Region || x.Faction != y.Faction || x.Date != y.Date || x.Source != y.Source || x.Note != y.Note || x.Confidence != y.Confidence {
			t.Errorf("event %d: %+v, after a round trip %+v", i, x, y)
		}
	}
	for d := gridDate(ma.Start); d.Format(data.DateLayout) <= ma.End; d = d.AddDate(0, 0, 1) {
		date := d.Format(data.DateLayout)
		x, _ := sa.State(ctx, ma, date)
		y, _ := sb.State(ctx, mb, date)
		// Revisions are cache tokens: a replacing import moves the map's past the old one's.
		if diff := cmp.Diff(x, y, cmp.Comparer(func(a, b *data.Event) bool { return (a == nil) == (b == nil) }),
			cmpopts.IgnoreFields(data.State{}, "Revision")); diff != "" {
			t.Fatalf("state at %s (-original +round trip):\n%s", date, diff)
		}
	}
	// The export of the round trip is the export: into the same directory, as an earlier
	// export may be overwritten.
	files := readDir(t, dir)
	if _, err := frontline(t, "export", "--map", "afghanistan-2021", "--out", dir, "--db", b); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(files, readDir(t, dir)); diff != "" {
		t.Errorf("the export of the imported export differs (-first +second):\n%s", diff)
	}
}

func gridDate(s string) time.Time {
	d, _ := time.Parse(data.DateLayout, s)
	return d
}

func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	return files
}

func TestImportExportRejectBadCommandLines(t *testing.T) {
	db := seededDB(t)
	notFolder := filepath.Join(t.TempDir(), "file.txt")
	writeFiles(t, filepath.Dir(notFolder), map[string]string{"file.txt": "x"})
	foreign := t.TempDir()
	writeFiles(t, foreign, map[string]string{"thesis.tex": "years of work"})
	missing := filepath.Join(t.TempDir(), "missing.db")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"import_without_folder", []string{"import", "--db", db}, "usage: frontline import [--db frontline.db] [--replace] [--object NAME] [--skip-undrawable] [--date-format DD/MM/YYYY|MM/DD/YYYY] DIR|FOLDER.zip"},
		{"import_two_folders", []string{"import", "a", "b"}, "usage: frontline import"},
		{"import_unknown_flag", []string{"import", "--force", "dir"}, "see 'frontline --help'"},
		{"import_a_file", []string{"import", notFolder, "--db", db}, "not a directory"},
		{"import_bad_date_format", []string{"import", "--date-format", "DD-MM-YY", foreign, "--db", db}, `--date-format: date format "DD-MM-YY" is not one of DD/MM/YYYY, MM/DD/YYYY`},
		{"import_events_bad_date_format", []string{"import", "events", "--date-format", "dd/mm/yyyy", "--map", "afghanistan-2021", "--db", db, "x.csv"}, `is not one of DD/MM/YYYY, MM/DD/YYYY`},
		{"import_events_without_map", []string{"import", "events", "x.csv", "--db", db}, "usage: frontline import events"},
		{"import_events_missing_file", []string{"import", "events", "--map", "afghanistan-2021", "--db", db, "nowhere.csv"}, "nowhere.csv: no such file"},
		{"import_events_missing_database", []string{"import", "events", "--map", "x", "--db", missing, "x.csv"}, "database " + missing},
		{"export_without_out", []string{"export", "--map", "afghanistan-2021", "--db", db}, "usage: frontline export"},
		{"export_stray_argument", []string{"export", "--map", "afghanistan-2021", "--out", "x", "now"}, `export takes no arguments, got ["now"]`},
		{"export_unknown_map", []string{"export", "--map", "nowhere", "--out", t.TempDir(), "--db", db}, `has no map "nowhere"`},
		{"export_missing_database", []string{"export", "--map", "x", "--out", t.TempDir(), "--db", missing}, "database " + missing},
		{"export_over_other_files", []string{"export", "--map", "afghanistan-2021", "--out", foreign, "--db", db}, "holds thesis.tex, which a map folder does not"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := frontline(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("run(%q) = %v, want an error containing %q", tt.args, err, tt.want)
			}
		})
	}
	if _, err := os.Stat(missing); err == nil {
		t.Errorf("a command that needs a database created %s", missing)
	}
	if got := readDir(t, foreign); len(got) != 1 || got["thesis.tex"] != "years of work" {
		t.Errorf("export changed a directory it refused: %v", got)
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -5000: "-5,000"} {
		if got := count(n); got != want {
			t.Errorf("count(%d) = %q, want %q", n, got, want)
		}
	}
}
