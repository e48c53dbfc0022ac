package data

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// eventsCorpus is the map folder of data/testdata/events with events.csv taken from the
// corpus file name (good/…, bad/…).
func eventsCorpus(t *testing.T, name string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	for file, from := range map[string]string{"map.json": "map/map.json", "regions.geojson": "map/regions.geojson", "events.csv": name} {
		raw, err := os.ReadFile(filepath.Join("testdata", "events", from))
		if err != nil {
			t.Fatal(err)
		}
		fsys[file] = &fstest.MapFile{Data: raw}
	}
	return fsys
}

// TestEventsCorpusAccepted: every habit of a spreadsheet in good/ reads as the same three
// events that good/plain.csv writes plainly.
func TestEventsCorpusAccepted(t *testing.T) {
	want := []Event{
		{Region: "UA-65", Faction: "russia", Date: "2022-03-02", Source: "https://example.org/kherson", Note: "Taken", Confidence: Confirmed},
		{Region: "UA-23", Faction: "contested", Date: "2022-09-30", Source: "https://example.org/zap", Note: "Fighting, north", Confidence: Claimed},
		{Region: "UA-65", Faction: "ukraine", Date: "2022-11-11", Source: "https://example.org/kherson-back", Confidence: Confirmed},
	}
	files, err := filepath.Glob(filepath.Join("testdata", "events", "good", "*.csv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	formats := map[string]string{"day_first.csv": DayFirst, "month_first.csv": MonthFirst}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".csv"), func(t *testing.T) {
			f, events, err := OpenFolderWith(eventsCorpus(t, "good/"+name), FolderOptions{DateFormat: formats[name]})
			if err != nil {
				t.Fatal(err)
			}
			defer events.Close()
			var got []Event
			for {
				e, _, ok := events.Next()
				if !ok {
					break
				}
				got = append(got, e)
			}
			if err := events.Err(); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			if f.Map.Slug != "south-2022" {
				t.Errorf("map %q", f.Map.Slug)
			}
		})
	}
}

// TestEventsCorpusRefused: every bad line of a file in bad/ is named, with a hint, and
// the import stores nothing.
func TestEventsCorpusRefused(t *testing.T) {
	tests := []struct {
		file string
		want []string // every line of the error, in order
	}{
		{"header_misnamed.csv", []string{
			`events.csv: line 1: the header must be region,faction,date,source,note,confidence (confidence may be left out; any letter case; separated by commas, semicolons or tabs), not region;side;date;source;note;confidence; column 2 is "side" where "faction" is expected`,
		}},
		{"day_first_without_flag.csv", []string{
			`events.csv: lines 2-6 (5 lines): date: date "24/02/2022" is not a real date in the form YYYY-MM-DD; it looks day-first: import with --date-format DD/MM/YYYY, or write dates YYYY-MM-DD`,
		}},
		{"typos.csv", []string{
			`events.csv: lines 2 and 7 (2 lines): region: "Kherzon" is not a region of this map; did you mean UA-65 (Kherson)?`,
			`events.csv: line 3: faction: "rusia" is not a faction of this map; the factions are ukraine, russia, contested`,
			`events.csv: line 4: source: "example.org/c" is not an http or https URL; did you mean "https://example.org/c"?`,
			`events.csv: line 5: confidence: "probable" must be "confirmed" or "claimed"`,
			`events.csv: line 6: date: date 2021-03-05 is outside this map's range, 2022-02-24 to 2022-12-31`,
		}},
		{"ambiguous_name.csv", []string{
			`events.csv: line 2: region: "Novoselivka" names 2 regions, NV-1 (Novoselivka) and NV-2 (Novoselivka); write the id of the one meant`,
		}},
		{"unquoted.csv", []string{
			`events.csv: line 2: 7 fields, the header has 6; a field with a comma in it is put in quotes ("taken, then held")`,
			`events.csv: parse error on line 3, column 55: bare " in non-quoted-field; a quote inside a field is written twice ("") and the field put in quotes`,
		}},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.file, ".csv"), func(t *testing.T) {
			s := openTestStore(t)
			err := importFolder(t, s, eventsCorpus(t, "bad/"+tt.file))
			if err == nil {
				t.Fatal("import succeeded; want it refused")
			}
			got := strings.Split(strings.TrimPrefix(err.Error(), `import map "south-2022": `), "\n")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("error lines (-want +got):\n%s", diff)
			}
			if maps, _ := s.Maps(context.Background()); len(maps) != 0 {
				t.Errorf("a refused file stored %d maps", len(maps))
			}
		})
	}
}

// importFolder imports a folder as the command line does: its events read as they are stored.
func importFolder(t *testing.T, s *Store, fsys fstest.MapFS) error {
	t.Helper()
	f, events, err := OpenFolderWith(fsys, FolderOptions{})
	if err != nil {
		return err
	}
	defer events.Close()
	_, err = s.ImportFolder(context.Background(), f, ImportOptions{Author: "test", Events: events})
	return err
}

func TestCheckDateFormatNamesValidValues(t *testing.T) {
	err := CheckDateFormat("DD-MM-YY")
	if err == nil || !strings.Contains(err.Error(), "DD/MM/YYYY, MM/DD/YYYY") {
		t.Errorf("CheckDateFormat = %v, want the valid formats named", err)
	}
	for _, f := range append([]string{""}, DateFormats...) {
		if err := CheckDateFormat(f); err != nil {
			t.Errorf("CheckDateFormat(%q) = %v", f, err)
		}
	}
}

func TestOtherDate(t *testing.T) {
	tests := []struct {
		in, form, want string
		ok             bool
	}{
		{"24/02/2022", DayFirst, "2022-02-24", true},
		{"4.2.2022", DayFirst, "2022-02-04", true},
		{"4-2-2022", MonthFirst, "2022-04-02", true},
		{"02/24/2022", MonthFirst, "2022-02-24", true},
		{"24/02/2022", MonthFirst, "", false},
		{"31/02/2022", DayFirst, "", false},
		{"24/02/22", DayFirst, "", false},
		{"24/02.2022", DayFirst, "", false},
		{"2022-02-24", DayFirst, "", false},
		{"x4/02/2022", DayFirst, "", false},
	}
	for _, tt := range tests {
		got, ok := otherDate(tt.in, tt.form)
		if got != tt.want || ok != tt.ok {
			t.Errorf("otherDate(%q, %s) = %q, %v; want %q, %v", tt.in, tt.form, got, ok, tt.want, tt.ok)
		}
	}
}

// TestEventsGroupedLines: one cause on many lines is one problem naming its lines, listed
// in full when they run on, else the first few and a count.
func TestEventsGroupedLines(t *testing.T) {
	m := &Map{Start: "2022-01-01", End: "2022-12-31", Factions: []Faction{{ID: "red"}}}
	has := func(id string) bool { return id == "A" }
	tests := []struct {
		name, rows, want string
	}{
		{"run", strings.Repeat("Z,red,2022-03-01,https://example.org,,\n", 25), `lines 2-26 (25 lines): region: "Z" is not a region of this map`},
		{"scattered", strings.Repeat("Z,red,2022-03-01,https://example.org,,\nA,red,2022-03-01,https://example.org,,\n", 8),
			`lines 2, 4, 6, 8, 10 and 3 more (8 lines): region: "Z" is not a region of this map`},
		{"row_after_a_note_of_two_lines", "A,red,2022-03-01,https://example.org,\"taken,\nthen held\",\nZ,red,2022-03-01,https://example.org,,\n",
			`line 3: region: "Z" is not a region of this map`},
		{"few", "Z,red,2022-03-01,https://example.org,,\nA,red,2022-03-01,https://example.org,,\nZ,red,2022-03-01,https://example.org,,\n",
			`lines 2 and 4 (2 lines): region: "Z" is not a region of this map`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadEvents(strings.NewReader("region,faction,date,source,note,confidence\n"+tt.rows), m, has)
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestRegionIndexSuggest(t *testing.T) {
	x := NewRegionIndex()
	for _, r := range [][2]string{{"UA-65", "Kherson"}, {"UA-23", "Zaporizhzhia"}, {"UA-48", "Mykolaiv"}} {
		x.Add(r[0], r[1])
	}
	tests := []struct {
		in   string
		want []string
	}{
		{"Kherzon", []string{"UA-65"}},
		{"ua-66", []string{"UA-65"}},
		{"Mikolaiv", []string{"UA-48"}},
		{"Odesa", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := x.Suggest(tt.in); !cmp.Equal(got, tt.want, cmpopts.EquateEmpty()) {
			t.Errorf("suggest(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestRegionIndexResolve: what a written region or place resolves to. A name a place shares
// with one region (a province named after its capital) means the region; the place is
// written by its id. Names two regions or two places share are refused with both ids.
func TestRegionIndexResolve(t *testing.T) {
	x := NewRegionIndex()
	for _, r := range [][2]string{{"AF-KAB", "Kabul"}, {"AF-KDZ", "Kunduz"}, {"D-1", "Khan Abad"}, {"D-2", "Khan Abad"}} {
		x.Add(r[0], r[1])
	}
	for _, p := range [][2]string{{"kabul", "Kabul"}, {"kunduz", "Kunduz"}, {"char-asyab", "Char Asyab"}, {"qala", "Qala"}, {"qala-2", "Qala"}} {
		x.AddPlace(p[0], p[1])
	}
	tests := []struct {
		in, want string
		ids      []string // the candidates of a refusal
	}{
		{"Kabul", "AF-KAB", nil},
		{"KABUL", "AF-KAB", nil},
		{"kabul", "kabul", nil}, // the place's id, exactly
		{"af-kab", "AF-KAB", nil},
		{"Kunduz", "AF-KDZ", nil},
		{"Char Asyab", "char-asyab", nil},
		{"CHAR-ASYAB", "char-asyab", nil},
		{"Khan Abad", "", []string{"D-1", "D-2"}},
		{"Qala", "", []string{"qala", "qala-2"}},
		{"Atlantis", "", nil},
	}
	for _, tt := range tests {
		id, ok, ids := x.Resolve(tt.in)
		if ok != (tt.want != "") || id != tt.want || !cmp.Equal(ids, tt.ids, cmpopts.EquateEmpty()) {
			t.Errorf("Resolve(%q) = %q, %v, %v; want %q, %v", tt.in, id, ok, ids, tt.want, tt.ids)
		}
	}
}
