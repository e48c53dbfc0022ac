package web

import (
	"bytes"
	"context"
	"fmt"
	"image/gif"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/geo"
	"github.com/frontline-maps/frontline/static"
)

// decodeGIF decodes an animation answered with 200 and image/gif.
func decodeGIF(t *testing.T, rec *httptest.ResponseRecorder) *gif.GIF {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "image/gif" {
		t.Errorf("Content-Type = %q, want image/gif", ct)
	}
	g, err := gif.DecodeAll(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("decode the GIF: %v", err)
	}
	return g
}

// TestMapAnimationBuiltIn animates the built-in map over its whole range: a frame at the
// start and one per change date, the first and last held longer, every frame the card's size.
func TestMapAnimationBuiltIn(t *testing.T) {
	ts := newTestServer(t)
	m, err := ts.store.Map(context.Background(), "afghanistan-2021")
	if err != nil {
		t.Fatal(err)
	}
	dates, err := ts.store.DatesChanged(context.Background(), m, m.Start, m.End)
	if err != nil {
		t.Fatal(err)
	}
	g := decodeGIF(t, get(t, ts.h, "/maps/afghanistan-2021/"+m.Start+"_"+m.End+".gif"))
	if len(g.Image) != 1+len(dates) {
		t.Errorf("%d frames, want %d: the start and %d change dates", len(g.Image), 1+len(dates), len(dates))
	}
	if g.Config.Width != 1200 || g.Config.Height != 630 {
		t.Errorf("the animation is %dx%d, want the card's 1200x630", g.Config.Width, g.Config.Height)
	}
	want := []int{geo.GIFFirstDelay}
	for range len(dates) - 1 {
		want = append(want, geo.GIFDelay)
	}
	want = append(want, geo.GIFLastDelay)
	if diff := cmp.Diff(want, g.Delay); diff != "" {
		t.Errorf("delays (-want +got):\n%s", diff)
	}
	if g.LoopCount != 0 {
		t.Errorf("LoopCount = %d, want 0 (forever)", g.LoopCount)
	}
	// The page links the map's start to the date shown, which may be the start itself: one frame.
	if one := decodeGIF(t, get(t, ts.h, "/maps/afghanistan-2021/"+m.Start+"_"+m.Start+".gif")); len(one.Image) != 1 {
		t.Errorf("from the start to the start: %d frames, want 1", len(one.Image))
	}
}

// fortyFiveFrames is the built-in map with an event on each of the 44 days strictly inside
// its range, so that its whole range animates in 45 frames: the bench's animation.
func fortyFiveFrames(t *testing.T) *data.Folder {
	t.Helper()
	f, err := data.Builtin("afghanistan-2021")
	if err != nil {
		t.Fatal(err)
	}
	f.Map.Slug = "daily"
	f.Events = nil
	day, _ := time.Parse(data.DateLayout, f.Map.Start)
	for k := range 44 {
		day = day.AddDate(0, 0, 1)
		e := data.Event{Region: f.Regions[k%len(f.Regions)].ID, Faction: "taliban", Date: day.Format(data.DateLayout),
			Source: "https://example.org/" + fmt.Sprint(k), Confidence: data.Confirmed}
		if k >= len(f.Regions) {
			e.Faction = "resistance"
		}
		if k%3 == 0 {
			e.Confidence = data.Claimed
		}
		f.Events = append(f.Events, e)
	}
	if last := f.Events[len(f.Events)-1].Date; last >= f.Map.End {
		t.Fatalf("the last event is on %s, not before the map's end %s", last, f.Map.End)
	}
	return f
}

// TestMapAnimationFortyFiveFrames: the built-in map's 45-frame animation stays under 1.5 MB.
func TestMapAnimationFortyFiveFrames(t *testing.T) {
	ts := newTestServer(t)
	f := fortyFiveFrames(t)
	if err := ts.store.Import(context.Background(), f, "test", false); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	rec := get(t, ts.h, "/maps/daily/"+f.Map.Start+"_"+f.Map.End+".gif")
	took := time.Since(began)
	g := decodeGIF(t, rec)
	if len(g.Image) != 45 {
		t.Errorf("%d frames, want 45", len(g.Image))
	}
	const limit = 1_500_000
	if n := rec.Body.Len(); n > limit {
		t.Errorf("the 45-frame animation is %d bytes, over %d", n, limit)
	}
	t.Logf("45 frames: %d bytes, drawn in %v", rec.Body.Len(), took)
}

// TestMapAnimationDrawnOnce: readers asking at once for an animation nobody asked for yet
// have it drawn once, and all get the same bytes.
func TestMapAnimationDrawnOnce(t *testing.T) {
	store := newTestServer(t).store
	s := &Server{}
	h := New(store, slog.New(slog.DiscardHandler), static.FS, func(srv *Server) { s = srv })
	const readers = 8
	var start, done sync.WaitGroup
	start.Add(1)
	bodies := make([][]byte, readers)
	for i := range readers {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/maps/afghanistan-2021/2021-08-05_2021-08-16.gif", nil))
			if rec.Code != http.StatusOK {
				t.Errorf("reader %d: %d %s", i, rec.Code, rec.Body)
			}
			bodies[i] = rec.Body.Bytes()
		}()
	}
	start.Done()
	done.Wait()
	if n := s.images.drawn.Load(); n != 1 {
		t.Errorf("%d concurrent requests for one new animation drew it %d times, want 1", readers, n)
	}
	for i, b := range bodies {
		if len(b) == 0 || !bytes.Equal(b, bodies[0]) {
			t.Errorf("reader %d got other bytes (%d) than reader 0 (%d)", i, len(b), len(bodies[0]))
		}
	}
	// Asked again: from the cache.
	get(t, h, "/maps/afghanistan-2021/2021-08-05_2021-08-16.gif")
	if n := s.images.drawn.Load(); n != 1 {
		t.Errorf("asked again: %d drawings, want 1", n)
	}
}

// TestMapAnimationBadPeriod: a period that is not two dates of the map's range, the first
// not after the second, is a 400 naming what is wrong. (A GIF named by one date is no
// animation at all: 404, as image_test.go's TestMapImageBadRequests says.)
func TestMapAnimationBadPeriod(t *testing.T) {
	h := newTestServer(t).h
	for _, c := range []struct{ name, want string }{
		{"2021-08-14_.gif", "D1_D2.gif"},
		{"_2021-08-14.gif", "D1_D2.gif"},
		{"yesterday_2021-08-14.gif", "YYYY-MM-DD"},
		{"2021-08-01_2021-02-30.gif", "YYYY-MM-DD"},
		{"2021-07-01_2021-08-14.gif", "2021-08-01 to 2021-09-15"},
		{"2021-08-01_2021-09-16.gif", "2021-08-01 to 2021-09-15"},
		{"2021-08-15_2021-08-01.gif", "must not be after"},
		{"2021-08-01_2021-08-10_2021-08-20.gif", "D1_D2.gif"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := get(t, h, "/maps/afghanistan-2021/"+c.name)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("%d, want 400", rec.Code)
			}
			if !strings.Contains(rec.Body.String(), c.want) {
				t.Errorf("the message does not say %q: %s", c.want, rec.Body)
			}
		})
	}
}

// TestSampleFrames keeps every date up to the limit, and past it the limit's number spread
// evenly, the first and last included.
func TestSampleFrames(t *testing.T) {
	var dates []string
	for i := range 300 {
		dates = append(dates, fmt.Sprintf("d%03d", i))
	}
	if got := sampleFrames(dates[:120], 120); len(got) != 120 {
		t.Errorf("120 dates kept as %d", len(got))
	}
	got := sampleFrames(dates, 120)
	if len(got) != 120 || got[0] != "d000" || got[119] != "d299" {
		t.Fatalf("sampled %d, from %s to %s; want 120 from d000 to d299", len(got), got[0], got[len(got)-1])
	}
	for i := 1; i < len(got); i++ {
		if got[i] <= got[i-1] {
			t.Errorf("sample %d (%s) is not after %s", i, got[i], got[i-1])
		}
	}
}
