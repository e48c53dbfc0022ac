package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/geo/geotest"
)

// gridMapJSON is the map.json of the generated test maps: a year, three factions.
func gridMapJSON(slug string) string {
	return `{
  "slug": "` + slug + `", "title": "Grid ` + slug + `", "description": "A generated layer.", "attribution": "Frontline tests",
  "start": "2024-01-01", "end": "2024-12-31", "default_date": "2024-06-30",
  "initial": "blue", "id_property": "", "name_property": "name",
  "factions": [{"id": "blue", "name": "Blue", "color": "#2f6db5"},
               {"id": "gold", "name": "Gold", "color": "#d9a441"},
               {"id": "green", "name": "Green", "color": "#3f9b58"}]
}`
}

var (
	gridStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	gridEnd   = time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
)

// gridEvents returns k generated events for a grid of n regions over the test maps' year.
func gridEvents(n, k int) string {
	return string(geotest.GridEvents(n, k, []string{"gold", "green", "blue"}, gridStart, gridEnd))
}

// writeFiles writes files (name to content) into dir, creating it.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// frontline runs the command line and returns what it printed.
func frontline(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out strings.Builder
	err := run(context.Background(), args, strings.NewReader(""), &out, slog.New(slog.DiscardHandler))
	return out.String(), err
}

// openStore opens the database at path, closed when the test ends.
func openStore(t *testing.T, path string) *data.Store {
	t.Helper()
	s, err := data.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// seededDB returns the path of a new database holding the built-in map, closed.
func seededDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "frontline.db")
	s, err := data.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Seed(context.Background(), slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	return path
}

// dbFiles returns the bytes of the database file and of any file SQLite keeps beside it,
// so that two calls compare the whole database byte for byte.
func dbFiles(t *testing.T, path string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		if b, err := os.ReadFile(path + suffix); err == nil {
			files[filepath.Base(path+suffix)] = b
		}
	}
	return files
}
