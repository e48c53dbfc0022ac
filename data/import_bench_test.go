package data

import (
	"context"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/frontline-maps/frontline/geo/geotest"
)

// benchImportEvents is the size of the events file the import benchmarks read: large enough
// that holding it whole would show in the heap, small enough for a few iterations a run.
const benchImportEvents = 200_000

// BenchmarkImportEvents imports a large events file, into a fresh database each time: as the
// command line does (the file read as it is stored), as it did before (the file read whole,
// then stored), and appended to a map. Besides time and allocations it reports peak-heap-MB,
// the most heap the import held at once beyond what was held before it began (the files,
// which the benchmark holds in memory): what bounds the import's own memory. SQLite's page
// cache is not Go heap and is not counted.
func BenchmarkImportEvents(b *testing.B) {
	const regions = 400
	start, end := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
	factions := []string{"gold", "green", "blue"}
	events := geotest.GridEvents(regions, benchImportEvents, factions, start, end)
	folder := fstest.MapFS{
		"map.json":        {Data: benchMapJSON("grid")},
		"regions.geojson": {Data: geotest.GridLayer(regions)},
		"events.csv":      {Data: events},
	}
	// Other sources, so that none of the appended events repeats a recorded one.
	more := strings.ReplaceAll(string(events), "/events/", "/more/")
	ctx := context.Background()

	b.Run("folder_streamed", func(b *testing.B) {
		benchImport(b, func(s *Store) {
			f, r, err := OpenFolder(folder)
			if err != nil {
				b.Fatal(err)
			}
			defer r.Close()
			if _, err := s.ImportFolder(ctx, f, ImportOptions{Author: "bench", Events: r}); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("folder_loaded_whole", func(b *testing.B) {
		benchImport(b, func(s *Store) {
			f, err := LoadFolder(folder)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.ImportFolder(ctx, f, ImportOptions{Author: "bench"}); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("append_streamed", func(b *testing.B) {
		small := fstest.MapFS{"map.json": folder["map.json"], "regions.geojson": folder["regions.geojson"]}
		f, err := LoadFolder(small)
		if err != nil {
			b.Fatal(err)
		}
		known := map[string]bool{}
		for _, r := range f.Regions {
			known[r.ID] = true
		}
		prepare := func(s *Store) {
			if _, err := s.ImportFolder(ctx, f, ImportOptions{Author: "bench"}); err != nil {
				b.Fatal(err)
			}
		}
		benchImportAfter(b, prepare, func(s *Store) {
			r, err := NewEventReader(strings.NewReader(more), &f.Map, func(id string) bool { return known[id] })
			if err != nil {
				b.Fatal(err)
			}
			if n, err := s.AppendEventsFrom(ctx, "grid", r, "bench", nil); err != nil || n != benchImportEvents {
				b.Fatalf("appended %d events: %v", n, err)
			}
		})
	})
}

func benchImport(b *testing.B, run func(*Store)) { benchImportAfter(b, nil, run) }

// benchImportAfter times run on a fresh database, which prepare (when set) fills first,
// untimed, and reports the peak of the live heap during run.
func benchImportAfter(b *testing.B, prepare, run func(*Store)) {
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		b.StopTimer()
		s, err := Open(context.Background(), filepath.Join(b.TempDir(), "import.db"))
		if err != nil {
			b.Fatal(err)
		}
		if prepare != nil {
			prepare(s)
		}
		runtime.GC()
		stop := sampleHeap()
		b.StartTimer()
		run(s)
		b.StopTimer()
		peak = max(peak, stop())
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// sampleHeap samples the bytes of live and not yet swept heap objects every millisecond
// until the returned function is called, which returns the largest sample less the first.
// runtime/metrics reads it without stopping the world, as runtime.ReadMemStats would.
func sampleHeap() (stop func() uint64) {
	const name = "/memory/classes/heap/objects:bytes"
	done := make(chan struct{})
	var wg sync.WaitGroup
	var peak uint64
	sample := []metrics.Sample{{Name: name}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return max(peak, base) - base
	}
}
