package data

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/frontline-maps/frontline/geo/geotest"
)

// The benchmark maps: the built-in provinces, and grid layers of districts and of a world's
// first-level regions with a year of events. `go tool task bench` reports these.
var benchMaps = []struct {
	name            string
	regions, events int // 0: the built-in map
}{
	{"34_regions_35_events", 0, 0},
	{"400_regions_10k_events", 400, 10_000},
	{"5000_regions_1M_events", 5000, 1_000_000},
}

// benchMapJSON is the map.json of the grid maps: a year, three factions.
func benchMapJSON(slug string) []byte {
	return []byte(`{"slug": "` + slug + `", "title": "Grid ` + slug + `", "description": "", "attribution": "generated",
  "start": "2024-01-01", "end": "2024-12-31", "default_date": "2024-06-30",
  "initial": "blue", "id_property": "", "name_property": "name",
  "factions": [{"id": "blue", "name": "Blue", "color": "#2f6db5"},
               {"id": "gold", "name": "Gold", "color": "#d9a441"},
               {"id": "green", "name": "Green", "color": "#3f9b58"}]}`)
}

// benchStore opens a database holding one benchmark map and returns it with the map. A grid
// map is imported once through LoadFolder and ImportFolder into a file in the OS temporary
// directory named by a hash of the folder, so later runs (and the web benchmarks, which
// build the same files) open it at once; delete $TMPDIR/frontline-bench-*.db to rebuild.
func benchStore(b *testing.B, regions, events int) (*Store, *Map) {
	b.Helper()
	ctx := context.Background()
	if regions == 0 {
		s := openTestStore(b, withBuiltins())
		m, err := s.Map(ctx, "afghanistan-2021")
		if err != nil {
			b.Fatal(err)
		}
		return s, m
	}
	slug := fmt.Sprintf("grid-%d", regions)
	folder := fstest.MapFS{
		"map.json":        {Data: benchMapJSON(slug)},
		"regions.geojson": {Data: geotest.GridLayer(regions)},
		"events.csv": {Data: geotest.GridEvents(regions, events, []string{"gold", "green", "blue"},
			time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC))},
	}
	h := sha256.New()
	for _, name := range []string{"map.json", "regions.geojson", "events.csv"} {
		fmt.Fprintf(h, "%s %d\n", name, len(folder[name].Data))
		h.Write(folder[name].Data)
	}
	path := filepath.Join(os.TempDir(), "frontline-bench-"+hex.EncodeToString(h.Sum(nil))[:16]+".db")
	if _, err := os.Stat(path); err != nil {
		start := time.Now()
		f, err := LoadFolder(folder)
		if err != nil {
			b.Fatal(err)
		}
		// Built under another name and renamed, so an interrupted build leaves no half
		// database behind under the final name.
		tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
		s, err := Open(ctx, tmp)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.ImportFolder(ctx, f, ImportOptions{Author: "bench"}); err != nil {
			b.Fatal(err)
		}
		// Closing the last connection folds the WAL into the file.
		s.Close()
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
		os.Remove(tmp + "-wal")
		os.Remove(tmp + "-shm")
		b.Logf("built %s (%d regions, %d events) in %s", path, regions, events, time.Since(start).Round(time.Millisecond))
	}
	s, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	m, err := s.Map(ctx, slug)
	if err != nil {
		b.Fatal(err)
	}
	return s, m
}

// benchDates returns every date of a map's range, which the benchmarks cycle through.
func benchDates(m *Map) []string {
	start, _ := time.Parse(DateLayout, m.Start)
	end, _ := time.Parse(DateLayout, m.End)
	var dates []string
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		dates = append(dates, d.Format(DateLayout))
	}
	return dates
}

// BenchmarkHolders is the state API's read: who holds each region at a date, from the
// timeline in memory (loaded before the timer starts).
func BenchmarkHolders(b *testing.B) {
	for _, bm := range benchMaps {
		b.Run(bm.name, func(b *testing.B) {
			ctx := context.Background()
			s, m := benchStore(b, bm.regions, bm.events)
			dates := benchDates(m)
			if _, err := s.Holders(ctx, m, m.DefaultDate); err != nil {
				b.Fatal(err)
			}
			i := 0
			for b.Loop() {
				if _, err := s.Holders(ctx, m, dates[i%len(dates)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkState is the pages' read: the holders and the event in force for each region,
// whose details come from SQLite.
func BenchmarkState(b *testing.B) {
	for _, bm := range benchMaps {
		b.Run(bm.name, func(b *testing.B) {
			ctx := context.Background()
			s, m := benchStore(b, bm.regions, bm.events)
			dates := benchDates(m)
			if _, err := s.State(ctx, m, m.DefaultDate); err != nil {
				b.Fatal(err)
			}
			i := 0
			for b.Loop() {
				if _, err := s.State(ctx, m, dates[i%len(dates)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkLoadTimeline is what the first state request after a change costs: reading a
// map's live events into memory.
func BenchmarkLoadTimeline(b *testing.B) {
	for _, bm := range benchMaps {
		b.Run(bm.name, func(b *testing.B) {
			ctx := context.Background()
			s, m := benchStore(b, bm.regions, bm.events)
			id, _, err := mapRevision(ctx, s.db, m.Slug)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := s.loadTimeline(ctx, id, m.Slug); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkStateAfterEdit is what the first state request after an edit costs now that the
// timeline is updated rather than loaded again: each round records an event, corrects it or
// retracts the correction (untimed), then asks for the holders at a date (timed). It works
// on a copy of the benchmark database, which the edits would otherwise change for good, and
// reports the full load that primes the cache for comparison.
func BenchmarkStateAfterEdit(b *testing.B) {
	for _, bm := range benchMaps {
		b.Run(bm.name, func(b *testing.B) {
			ctx := context.Background()
			shared, m := benchStore(b, bm.regions, bm.events)
			path := filepath.Join(b.TempDir(), "edits.db")
			if err := shared.Backup(ctx, path); err != nil {
				b.Fatal(err)
			}
			s, err := Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			dates := benchDates(m)
			start := time.Now()
			h, err := s.Holders(ctx, m, m.DefaultDate)
			if err != nil {
				b.Fatal(err)
			}
			load := time.Since(start)
			var last int64 // the event the round before recorded, live
			i := 0
			for b.Loop() {
				b.StopTimer()
				e := Event{Region: h.Regions[i*7919%len(h.Regions)], Faction: m.Factions[i%len(m.Factions)].ID,
					Date: dates[i*31%len(dates)], Source: fmt.Sprintf("https://example.org/bench/%d", i), Confidence: Confirmed}
				switch {
				case i%3 == 1:
					e.Region = h.Regions[(i-1)*7919%len(h.Regions)]
					err = s.Record(ctx, m.Slug, &e, "bench", last)
				case i%3 == 2:
					err = s.Retract(ctx, m.Slug, last, "bench", "benchmark")
				default:
					err = s.Record(ctx, m.Slug, &e, "bench", 0)
				}
				if err != nil {
					b.Fatal(err)
				}
				last = e.ID
				b.StartTimer()
				if _, err := s.Holders(ctx, m, dates[i%len(dates)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
			if loads, updates := timelineCounts(s); loads != 1 || updates != b.N {
				b.Fatalf("%d full loads and %d updates in %d rounds: want 1 and %d", loads, updates, b.N, b.N)
			}
			b.ReportMetric(float64(load.Microseconds())/1000, "full-load-ms")
			b.ReportMetric(float64(load)/(float64(b.Elapsed())/float64(b.N)), "x-faster")
		})
	}
}
