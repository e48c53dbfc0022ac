package data

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// exportAndReimport exports slug from src, loads the files as a map folder and imports them,
// replacing, into dst.
func exportAndReimport(t *testing.T, src, dst *Store, slug string) FolderFiles {
	t.Helper()
	ctx := context.Background()
	files, err := src.ExportFolder(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: body}
	}
	f, err := LoadFolder(fsys)
	if err != nil {
		t.Fatalf("the export does not load: %v", err)
	}
	if err := dst.Import(ctx, f, "import", true); err != nil {
		t.Fatal(err)
	}
	return files
}

// sameMap fails the test unless slug is the same map in a and b: metadata, factions,
// regions with their geometry, live events, and the state at every date of its range.
func sameMap(t *testing.T, a, b *Store, slug string) {
	t.Helper()
	ctx := context.Background()
	ma, err := a.Map(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	mb, err := b.Map(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	// The export names regions by feature id and "name", whatever the source file used.
	ma.IDProperty, ma.NameProperty = "", "name"
	if diff := cmp.Diff(ma, mb); diff != "" {
		t.Errorf("map (-original +reimported):\n%s", diff)
	}
	ra, _ := a.Regions(ctx, slug)
	rb, _ := b.Regions(ctx, slug)
	if diff := cmp.Diff(ra, rb); diff != "" {
		t.Errorf("regions (-original +reimported):\n%s", diff)
	}
	ga, _ := a.RegionsGeoJSON(ctx, slug)
	gb, _ := b.RegionsGeoJSON(ctx, slug)
	if string(ga) != string(gb) {
		t.Errorf("regions GeoJSON differs: %d bytes, reimported %d", len(ga), len(gb))
	}
	pa, _ := a.PlacesGeoJSON(ctx, slug)
	pb, _ := b.PlacesGeoJSON(ctx, slug)
	if string(pa) != string(pb) {
		t.Errorf("places GeoJSON (-original +reimported):\n%s", cmp.Diff(string(pa), string(pb)))
	}
	ea, _ := a.Events(ctx, slug)
	eb, _ := b.Events(ctx, slug)
	key := func(es []Event) []string {
		var ks []string
		for _, e := range es {
			ks = append(ks, strings.Join([]string{e.Region, e.Faction, e.Date, e.Source, e.Note, e.Confidence}, "|"))
		}
		return ks
	}
	if diff := cmp.Diff(key(ea), key(eb)); diff != "" {
		t.Errorf("events (-original +reimported):\n%s", diff)
	}
	for _, date := range datesOf(t, ma) {
		sa, err := a.State(ctx, ma, date)
		if err != nil {
			t.Fatal(err)
		}
		sb, err := b.State(ctx, mb, date)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(holdings(sa), holdings(sb)); diff != "" {
			t.Fatalf("state at %s (-original +reimported):\n%s", date, diff)
		}
	}
}

// datesOf lists every date of a map's range.
func datesOf(t *testing.T, m *Map) []string {
	t.Helper()
	start, err := time.Parse(DateLayout, m.Start)
	if err != nil {
		t.Fatal(err)
	}
	var dates []string
	for d := start; d.Format(DateLayout) <= m.End; d = d.AddDate(0, 0, 1) {
		dates = append(dates, d.Format(DateLayout))
	}
	return dates
}

func holdings(st State) []string {
	var hs []string
	for _, h := range append(st.Holdings, st.Places...) {
		hs = append(hs, h.Region.ID+" "+h.Faction+" "+h.Since+" "+map[bool]string{true: "claimed", false: ""}[h.Claimed()])
	}
	return hs
}

func TestExportRoundTripsBuiltinMap(t *testing.T) {
	ctx := context.Background()
	a := openTestStore(t, withBuiltins())
	b := openTestStore(t, withBuiltins())
	first := exportAndReimport(t, a, b, "afghanistan-2021")
	sameMap(t, a, b, "afghanistan-2021")
	again, err := b.ExportFolder(ctx, "afghanistan-2021")
	if err != nil {
		t.Fatal(err)
	}
	for name := range first {
		if string(first[name]) != string(again[name]) {
			t.Errorf("%s differs between the export and the export of its import", name)
		}
	}
}

func TestExportKeepsOnlyLiveEventsAndTheState(t *testing.T) {
	ctx := context.Background()
	a := openTestStore(t)
	m := importTest(t, a, "R0,reb,2021-01-05,https://example.org/a,\"a note, with a comma\nand a line\",claimed\n"+
		"R1,reb,2021-01-05,https://example.org/b,,\nR1,gov,2021-01-05,https://example.org/c,,\n")
	fix := Event{Region: "R0", Faction: "reb", Date: "2021-01-07", Source: "https://example.org/d", Confidence: Confirmed}
	if err := a.Record(ctx, "test", &fix, "alice", 1); err != nil {
		t.Fatal(err)
	}
	late := Event{Region: "R2", Faction: "reb", Date: "2021-01-03", Source: "https://example.org/e", Confidence: Confirmed}
	if err := a.Record(ctx, "test", &late, "alice", 0); err != nil {
		t.Fatal(err)
	}
	if err := a.Retract(ctx, "test", late.ID, "alice", "wrong province"); err != nil {
		t.Fatal(err)
	}
	b := openTestStore(t)
	files := exportAndReimport(t, a, b, "test")
	sameMap(t, a, b, "test")
	if strings.Contains(string(files["events.csv"]), "example.org/e") || strings.Contains(string(files["events.csv"]), "example.org/a") {
		t.Errorf("events.csv holds a retracted or superseded event:\n%s", files["events.csv"])
	}
	if got := holder(t, b, m, "R1", "2021-01-05"); got != "gov" {
		t.Errorf("R1 on the day of two events held by %s, want gov, recorded later", got)
	}
}

func TestExportUnknownMap(t *testing.T) {
	s := openTestStore(t)
	if _, err := s.ExportFolder(context.Background(), "nowhere"); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("err = %v, want not found", err)
	}
}

func TestWriteFolder(t *testing.T) {
	files := FolderFiles{"map.json": []byte("{}\n"), "regions.geojson": []byte("[]\n"), "events.csv": []byte("x\n")}
	tests := []struct {
		name    string
		setup   func(t *testing.T, dir string)
		wantErr string
	}{
		{name: "new_directory_is_created", setup: func(t *testing.T, dir string) { os.Remove(dir) }},
		{name: "empty_directory"},
		{name: "earlier_export_is_overwritten", setup: func(t *testing.T, dir string) {
			for _, name := range []string{"map.json", "events.csv"} {
				write(t, filepath.Join(dir, name), "old")
			}
		}},
		{name: "other_files_are_left_alone", setup: func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "map.json"), "old")
			write(t, filepath.Join(dir, "notes.txt"), "mine")
		}, wantErr: "holds notes.txt, which a map folder does not"},
		{name: "subdirectory_is_left_alone", setup: func(t *testing.T, dir string) {
			if err := os.Mkdir(filepath.Join(dir, "events.csv"), 0o755); err != nil {
				t.Fatal(err)
			}
		}, wantErr: "holds events.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			before := listDir(t, dir)
			err := WriteFolder(dir, files)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if diff := cmp.Diff(before, listDir(t, dir)); diff != "" {
					t.Errorf("a refused export changed the directory (-before +after):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]string{"events.csv": "x\n", "map.json": "{}\n", "regions.geojson": "[]\n"}
			if diff := cmp.Diff(want, listDir(t, dir)); diff != "" {
				t.Errorf("directory (-want +got):\n%s", diff)
			}
		})
	}
}

func write(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// listDir returns every entry of dir with its content ("<dir>" for directories).
func listDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	got := map[string]string{}
	for _, e := range entries {
		if e.IsDir() {
			got[e.Name()] = "<dir>"
			continue
		}
		body, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got[e.Name()] = string(body)
	}
	return got
}
