package data

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadFolderErrors(t *testing.T) {
	header := "region,faction,date,source,note,confidence\n"
	tests := []struct {
		name   string
		change func(fstest.MapFS)
		want   string // a part of the error message
	}{
		{"missing_map_json", func(f fstest.MapFS) { delete(f, "map.json") }, "map.json"},
		{"map_json_not_json", func(f fstest.MapFS) { f["map.json"].Data = []byte("{") }, "map.json: not a valid map description"},
		{"map_json_unknown_field", func(f fstest.MapFS) {
			f["map.json"].Data = []byte(strings.Replace(testMapJSON, `"slug"`, `"colour": 1, "slug"`, 1))
		}, `unknown field "colour"`},
		{"bad_slug", func(f fstest.MapFS) {
			f["map.json"].Data = []byte(strings.Replace(testMapJSON, `"test"`, `"Test Map"`, 1))
		}, `slug "Test Map"`},
		{"initial_not_a_faction", func(f fstest.MapFS) {
			f["map.json"].Data = []byte(strings.Replace(testMapJSON, `"initial": "gov"`, `"initial": "nobody"`, 1))
		}, `initial "nobody" is not one of the factions`},
		{"initial_names_the_factions", func(f fstest.MapFS) {
			f["map.json"].Data = []byte(strings.Replace(testMapJSON, `"initial": "gov"`, `"initial": "Gov"`, 1))
		}, `initial "Gov" is not one of the factions (gov, reb); did you mean "gov"?`},
		{"faction_counted_from_one", func(f fstest.MapFS) {
			f["map.json"].Data = []byte(strings.Replace(testMapJSON, `"id": "reb"`, `"id": "Rebels Front"`, 1))
		}, `faction 2: id "Rebels Front" must be lower-case letters, digits and hyphens ("rebels-front" would do)`},
		{"id_property_in_another_case", func(f fstest.MapFS) {
			f["map.json"].Data = []byte(strings.Replace(testMapJSON, `"id_property": ""`, `"id_property": "Name"`, 1))
		}, `regions.geojson: features 0-2 (3 features): no id: property "Name" is missing or empty; did you mean "name"? (id_property and name_property are matched exactly)`},
		{"map_and_regions_reported_together", func(f fstest.MapFS) {
			f["map.json"].Data = []byte(strings.NewReplacer(`"initial": "gov"`, `"initial": "Gov"`, `"id_property": ""`, `"id_property": "iso"`).Replace(testMapJSON))
		}, `map.json: initial "Gov" is not one of the factions (gov, reb); did you mean "gov"?` + "\n" + `regions.geojson: features 0-2 (3 features): no id: property "iso" is missing or empty`},
		{"id_property_absent", func(f fstest.MapFS) {
			f["map.json"].Data = []byte(strings.Replace(testMapJSON, `"id_property": ""`, `"id_property": "iso"`, 1))
		}, `regions.geojson: features 0-2 (3 features): no id: property "iso" is missing or empty; the feature's properties are "name"`},
		{"bad_colour", func(f fstest.MapFS) {
			f["map.json"].Data = []byte(strings.Replace(testMapJSON, `#0000ff`, `blue`, 1))
		}, `color "blue" must be #rrggbb`},
		{"default_date_outside_range", func(f fstest.MapFS) {
			f["map.json"].Data = []byte(strings.Replace(testMapJSON, `"2021-01-10"`, `"2021-02-10"`, 1))
		}, "start <= default_date <= end"},
		{"impossible_date", func(f fstest.MapFS) {
			f["map.json"].Data = []byte(strings.Replace(testMapJSON, `"2021-01-31"`, `"2021-02-30"`, 1))
		}, `end: date "2021-02-30" is not a real date`},
		{"missing_regions", func(f fstest.MapFS) { delete(f, "regions.geojson") }, "regions.geojson"},
		{"regions_not_feature_collection", func(f fstest.MapFS) {
			f["regions.geojson"].Data = []byte(`{"type":"Feature"}`)
		}, "not a GeoJSON FeatureCollection"},
		{"duplicate_region_id", func(f fstest.MapFS) {
			f["regions.geojson"].Data = []byte(strings.Replace(squares(3), `"R2"`, `"R0"`, 1))
		}, `feature 2: duplicate id "R0" (also feature 0)`},
		{"region_without_id", func(f fstest.MapFS) {
			f["regions.geojson"].Data = []byte(strings.Replace(squares(2), `"id":"R1",`, ``, 1))
		}, "feature 1: no id"},
		{"coordinates_out_of_range", func(f fstest.MapFS) {
			f["regions.geojson"].Data = []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":"A","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,100],[0,0]]]}}]}`)
		}, "has latitude outside -90..90"},
		{"events_bad_header", func(f fstest.MapFS) {
			f["events.csv"] = &fstest.MapFile{Data: []byte("province,side,when\n")}
		}, "events.csv: line 1: the header must name the columns"},
		{"events_unknown_region", func(f fstest.MapFS) {
			f["events.csv"] = &fstest.MapFile{Data: []byte(header + "R9,reb,2021-01-05,https://example.org,,\n")}
		}, `events.csv: line 2: region: "R9" is not a region of this map`},
		{"events_unknown_faction", func(f fstest.MapFS) {
			f["events.csv"] = &fstest.MapFile{Data: []byte(header + "R0,reb,2021-01-05,https://example.org,,\nR0,army,2021-01-06,https://example.org,,\n")}
		}, `line 3: faction: "army" is not a faction of this map`},
		{"events_bad_date", func(f fstest.MapFS) {
			f["events.csv"] = &fstest.MapFile{Data: []byte(header + "R0,reb,05/01/2021,https://example.org,,\n")}
		}, `line 2: date: date "05/01/2021" is not a real date`},
		{"events_date_outside_range", func(f fstest.MapFS) {
			f["events.csv"] = &fstest.MapFile{Data: []byte(header + "R0,reb,2022-01-05,https://example.org,,\n")}
		}, "line 2: date: date 2022-01-05 is outside this map's range"},
		{"events_source_not_http", func(f fstest.MapFS) {
			f["events.csv"] = &fstest.MapFile{Data: []byte(header + "R0,reb,2021-01-05,javascript:alert(1),,\n")}
		}, "line 2: source: \"javascript:alert(1)\" is not an http or https URL"},
		{"events_missing_source", func(f fstest.MapFS) {
			f["events.csv"] = &fstest.MapFile{Data: []byte(header + "R0,reb,2021-01-05,,,\n")}
		}, "line 2: source: is required"},
		{"events_bad_confidence", func(f fstest.MapFS) {
			f["events.csv"] = &fstest.MapFile{Data: []byte(header + "R0,reb,2021-01-05,https://example.org,,maybe\n")}
		}, `line 2: confidence: "maybe" must be`},
		{"events_wrong_field_count", func(f fstest.MapFS) {
			f["events.csv"] = &fstest.MapFile{Data: []byte(header + "R0,reb\n")}
		}, "line 2: 2 fields, the header has 6"},
		{"events_note_too_long", func(f fstest.MapFS) {
			f["events.csv"] = &fstest.MapFile{Data: []byte(header + "R0,reb,2021-01-05,https://example.org," + strings.Repeat("x", MaxNoteLen+1) + ",\n")}
		}, "line 2: note: is longer than 2000 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := testFolder(header + "R0,reb,2021-01-05,https://example.org,,\n")
			tt.change(fsys)
			f, err := LoadFolder(fsys)
			if err == nil {
				t.Fatalf("LoadFolder succeeded (%d regions, %d events); want an error containing %q", len(f.Regions), len(f.Events), tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

func TestLoadFolderAcceptsVariants(t *testing.T) {
	tests := []struct {
		name       string
		events     string
		wantEvents int
	}{
		{"no_events_file", "", 0},
		{"confidence_column_left_out", "region,faction,date,source,note\nR0,reb,2021-01-05,https://example.org,a note\n", 1},
		{"byte_order_mark_and_crlf", "\ufeffregion,faction,date,source,note,confidence\r\nR0,reb,2021-01-05,https://example.org,,claimed\r\n", 1},
		{"quoted_fields", "region,faction,date,source,note,confidence\nR0,reb,2021-01-05,https://example.org,\"taken, then \"\"held\"\"\",\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := LoadFolder(testFolder(tt.events))
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Events) != tt.wantEvents {
				t.Errorf("got %d events, want %d", len(f.Events), tt.wantEvents)
			}
			for _, e := range f.Events {
				if e.Confidence != Confirmed && e.Confidence != Claimed {
					t.Errorf("event confidence %q", e.Confidence)
				}
			}
		})
	}
}

func TestImportExistingSlug(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	importTest(t, s, "R0,reb,2021-01-05,https://example.org,,\n")
	f, err := LoadFolder(testFolder(""))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Import(ctx, f, "test", false); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("second import without replace: err = %v, want 'already exists'", err)
	}
	if events, _ := s.Events(ctx, "test"); len(events) != 1 {
		t.Fatalf("failed import changed the map: %d events, want the original 1", len(events))
	}
	if err := s.Import(ctx, f, "test", true); err != nil {
		t.Fatalf("import with replace: %v", err)
	}
	if events, _ := s.Events(ctx, "test"); len(events) != 0 {
		t.Fatalf("replaced map has %d events, want 0", len(events))
	}
}

func TestSeedLoadsBuiltinOnce(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	for range 2 {
		if err := s.Seed(ctx, discardLogger()); err != nil {
			t.Fatal(err)
		}
	}
	maps, err := s.Maps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(maps) != 1 || maps[0].Slug != "afghanistan-2021" {
		t.Fatalf("maps = %+v, want only afghanistan-2021", maps)
	}
	regions, err := s.Regions(ctx, "afghanistan-2021")
	if err != nil {
		t.Fatal(err)
	}
	if len(regions) != 34 {
		t.Errorf("%d regions, want Afghanistan's 34 provinces", len(regions))
	}
	events, err := s.Events(ctx, "afghanistan-2021")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	isRegion := map[string]bool{}
	for _, r := range regions {
		isRegion[r.ID] = true
	}
	places := map[string]bool{}
	for _, e := range events {
		if !isRegion[e.Region] {
			places[e.Region] = true
			continue
		}
		seen[e.Region] = true
		if !strings.HasPrefix(e.Source, "https://") {
			t.Errorf("event %d has source %q", e.ID, e.Source)
		}
	}
	if len(seen) != 34 {
		t.Errorf("events cover %d provinces, want all 34", len(seen))
	}
	// The 34 provincial capitals and Char Asyab, each with at least one event.
	if len(places) != 35 {
		t.Errorf("events cover %d places, want the 34 capitals and Char Asyab", len(places))
	}
}
