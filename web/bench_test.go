package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/static"
)

// benchMaps are the maps of the state API benchmarks: the built-in provinces and a world of
// 5,000 regions with a million events.
var benchMaps = []struct {
	name            string
	regions, events int // 0: the built-in map
}{
	{"34_regions", 0, 0},
	{"5000_regions_1M_events", 5000, 1_000_000},
}

// benchStore opens a database holding one benchmark map and returns it with the map's slug.
// A grid map is built once, as data's benchmarks build it (same files, same name), in the
// OS temporary directory, and reused by later runs.
func benchStore(b *testing.B, regions, events int) (*data.Store, string) {
	b.Helper()
	ctx := context.Background()
	if regions == 0 {
		return newTestServer(b).store, "afghanistan-2021"
	}
	slug := fmt.Sprintf("grid-%d", regions)
	folder := gridFolder(slug, regions, events)
	h := sha256.New()
	for _, name := range []string{"map.json", "regions.geojson", "events.csv"} {
		fmt.Fprintf(h, "%s %d\n", name, len(folder[name].Data))
		h.Write(folder[name].Data)
	}
	path := filepath.Join(os.TempDir(), "frontline-bench-"+hex.EncodeToString(h.Sum(nil))[:16]+".db")
	if _, err := os.Stat(path); err != nil {
		f, err := data.LoadFolder(folder)
		if err != nil {
			b.Fatal(err)
		}
		tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
		s, err := data.Open(ctx, tmp)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.ImportFolder(ctx, f, data.ImportOptions{Author: "bench"}); err != nil {
			b.Fatal(err)
		}
		// Closing the last connection folds the WAL into the file.
		s.Close()
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
		os.Remove(tmp + "-wal")
		os.Remove(tmp + "-shm")
	}
	s, err := data.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, slug
}

// uncachedStore makes every request miss the server's cache of state documents, as the
// first request for a date after a change does: its count of writes moves on at every call,
// so the server reads the revision again each time, and each time it is new. The map (read
// once) and the holders (from the loaded timeline) are the real ones.
type uncachedStore struct {
	*data.Store
	m   *data.Map
	rev int64
}

func (u *uncachedStore) Writes() uint64 { u.rev++; return uint64(u.rev) }

func (u *uncachedStore) Revision(context.Context, string) (int64, error) { return -u.rev, nil }

func (u *uncachedStore) Map(context.Context, string) (*data.Map, error) { return u.m, nil }

// BenchmarkAPIState serves GET /api/maps/{slug}/state?date=D through the whole handler,
// middleware included, cycling through the dates of the map's range: "cached" is a date
// asked before (the encoded document is kept), "uncached" computes it again.
func BenchmarkAPIState(b *testing.B) {
	for _, bm := range benchMaps {
		for _, cached := range []bool{true, false} {
			name := bm.name + "/cached"
			if !cached {
				name = bm.name + "/uncached"
			}
			b.Run(name, func(b *testing.B) {
				ctx := context.Background()
				s, slug := benchStore(b, bm.regions, bm.events)
				m, err := s.Map(ctx, slug)
				if err != nil {
					b.Fatal(err)
				}
				srv := newServer(s, slog.New(slog.DiscardHandler), static.FS)
				if !cached {
					srv.states = newStateCache(&uncachedStore{Store: s, m: m})
				}
				h := srv.handler()
				var targets []string
				start, _ := time.Parse(data.DateLayout, m.Start)
				end, _ := time.Parse(data.DateLayout, m.End)
				for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
					targets = append(targets, "/api/maps/"+slug+"/state?date="+d.Format(data.DateLayout))
				}
				// Every date once, so that the timeline is loaded and, when cached, every
				// document encoded before the timer starts.
				for _, target := range targets {
					if rec := serve(h, target); rec.Code != http.StatusOK {
						b.Fatalf("GET %s: %d %s", target, rec.Code, rec.Body)
					}
				}
				i := 0
				for b.Loop() {
					if rec := serve(h, targets[i%len(targets)]); rec.Code != http.StatusOK {
						b.Fatalf("%d", rec.Code)
					}
					i++
				}
			})
		}
	}
}

// serve sends a GET request, as a browser would (accepting gzip), through the whole handler.
func serve(h http.Handler, target string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// BenchmarkEmbedPage serves GET /embed/{slug}?date=D, gzipped, through the whole handler, the
// same date every time (its inline map cached): the server's share of the embed's first
// paint, which the first-paint bench compares with a static page from nginx.
func BenchmarkEmbedPage(b *testing.B) {
	for _, bm := range benchMaps {
		b.Run(bm.name, func(b *testing.B) {
			ctx := context.Background()
			s, slug := benchStore(b, bm.regions, bm.events)
			m, err := s.Map(ctx, slug)
			if err != nil {
				b.Fatal(err)
			}
			h := newServer(s, slog.New(slog.DiscardHandler), static.FS).handler()
			target := "/embed/" + slug + "?date=" + m.DefaultDate
			if rec := serve(h, target); rec.Code != http.StatusOK {
				b.Fatalf("GET %s: %d %s", target, rec.Code, rec.Body)
			}
			for b.Loop() {
				if rec := serve(h, target); rec.Code != http.StatusOK {
					b.Fatalf("%d", rec.Code)
				}
			}
		})
	}
}
