package data

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/frontline-maps/frontline/geo/geotest"
)

// openTestStore opens a fresh database file in a temporary directory; with withBuiltins,
// holding the built-in maps.
func openTestStore(t testing.TB, opts ...storeOption) *Store {
	t.Helper()
	var o storeOptions
	for _, opt := range opts {
		opt(&o)
	}
	s := openStoreAt(t, filepath.Join(t.TempDir(), "test.db"))
	if o.builtins {
		if err := s.Seed(context.Background(), discardLogger()); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

type storeOptions struct{ builtins bool }

// storeOption changes the store openTestStore opens.
type storeOption func(*storeOptions)

// withBuiltins seeds the store with the built-in maps.
func withBuiltins() storeOption { return func(o *storeOptions) { o.builtins = true } }

// openStoreAt opens a Store on the database file at path, closed when the test ends: a
// second one on the same file stands for another process.
func openStoreAt(t testing.TB, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

const testMapJSON = `{
  "slug": "test", "title": "Test map", "description": "", "attribution": "",
  "start": "2021-01-01", "end": "2021-01-31", "default_date": "2021-01-10",
  "initial": "gov", "id_property": "", "name_property": "name",
  "factions": [{"id": "gov", "name": "Government", "color": "#0000ff"},
               {"id": "reb", "name": "Rebels", "color": "#FF0000"}]
}`

// squares returns a FeatureCollection of n unit squares in a row, ids R0..Rn-1.
func squares(n int) string {
	var fs []string
	for i := 0; i < n; i++ {
		fs = append(fs, fmt.Sprintf(`{"type":"Feature","id":"R%d","properties":{"name":"Region %d"},
			"geometry":{"type":"Polygon","coordinates":[[[%d,0],[%d,0],[%d,1],[%d,1],[%d,0]]]}}`, i, i, i, i+1, i+1, i, i))
	}
	return `{"type":"FeatureCollection","features":[` + strings.Join(fs, ",") + `]}`
}

func testFolder(events string) fstest.MapFS {
	fsys := fstest.MapFS{
		"map.json":        {Data: []byte(testMapJSON)},
		"regions.geojson": {Data: []byte(squares(3))},
	}
	if events != "" {
		fsys["events.csv"] = &fstest.MapFile{Data: []byte(events)}
	}
	return fsys
}

// importTest loads a test folder with the given events CSV body (after the header) into s.
func importTest(t *testing.T, s *Store, rows string) *Map {
	t.Helper()
	f, err := LoadFolder(testFolder("region,faction,date,source,note,confidence\n" + rows))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Import(context.Background(), f, "test", false); err != nil {
		t.Fatal(err)
	}
	m, err := s.Map(context.Background(), "test")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// gridFolder returns a map folder of the test map with a generated layer of n regions and
// k generated events over January 2021.
func gridFolder(t *testing.T, n, k int) *Folder {
	t.Helper()
	f, err := LoadFolder(gridFS(n, bigEvents(n, k)))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// bigEvents returns k generated events.csv lines (header first) for a grid of n regions over
// the test map's January, so that a file spans many progress steps.
func bigEvents(n, k int) string {
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	return string(geotest.GridEvents(n, k, []string{"gov", "reb"}, start, start.AddDate(0, 0, 30)))
}

// gridFS returns the test map with a grid layer of n regions and the given events.csv.
func gridFS(n int, events string) fstest.MapFS {
	return fstest.MapFS{
		"map.json":        {Data: []byte(testMapJSON)},
		"regions.geojson": {Data: geotest.GridLayer(n)},
		"events.csv":      {Data: []byte(events)},
	}
}
