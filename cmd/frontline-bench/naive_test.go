package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/frontline-maps/frontline/geo"
)

// TestCountiesOf: the subset keeps the counties of the states named, by their ids' first two
// digits, and the arcs; a subset with no county is an error naming the states.
func TestCountiesOf(t *testing.T) {
	topo := `{"type":"Topology","objects":{"counties":{"type":"GeometryCollection","geometries":[
		{"type":"Polygon","id":"48001","properties":{"name":"A"},"arcs":[[0]]},
		{"type":"Polygon","id":"06001","properties":{"name":"B"},"arcs":[[1]]},
		{"type":"Polygon","id":"22001","properties":{"name":"C"},"arcs":[[2]]}]},"states":{"type":"GeometryCollection","geometries":[]}},
		"arcs":[[[0,0],[1,0],[1,1],[0,1],[0,0]],[[2,0],[3,0],[3,1],[2,1],[2,0]],[[4,0],[5,0],[5,1],[4,1],[4,0]]]}`
	tests := []struct {
		states []string
		want   []string
		err    string
	}{
		{[]string{"48", "22"}, []string{"48001", "22001"}, ""},
		{[]string{"06"}, []string{"06001"}, ""},
		{[]string{"99"}, nil, "no counties of the states [99]"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.states, ","), func(t *testing.T) {
			raw, err := countiesOf(tt.states...)([]byte(topo))
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			regions, err := geo.ParseTopoJSON(raw, "", "", "name")
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range regions {
				ids = append(ids, r.ID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("counties %v, want %v", ids, tt.want)
			}
		})
	}
}

// TestRealEvents: the generated events name only the layer's regions, in date order over
// 2024, a tenth of them claims, as events.csv's header says.
func TestRealEvents(t *testing.T) {
	ids := []string{"A", "B", "C"}
	rows, err := csv.NewReader(bytes.NewReader(realEvents(ids, 1000))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "region,faction,date,source,note,confidence" || len(rows) != 1001 {
		t.Fatalf("header %q, %d rows; want events.csv's header and 1,000 events", got, len(rows)-1)
	}
	claims, last := 0, ""
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		seen[r[0]] = true
		if !slices.Contains(ids, r[0]) || r[2] < last || r[2] < "2024-01-01" || r[2] > "2024-12-31" {
			t.Fatalf("event %v: want a region of %v, dates in order within 2024", r, ids)
		}
		last = r[2]
		if r[5] == "claimed" {
			claims++
		}
	}
	if claims != 100 || len(seen) != len(ids) {
		t.Errorf("%d claims, %d regions named; want 100 and all %d", claims, len(seen), len(ids))
	}
}

// TestDisplayFrames: frame times compared in display frames, so that two worst frames of
// one vsync each tie whatever their jitter, and a dropped frame still loses.
func TestDisplayFrames(t *testing.T) {
	for _, tt := range []struct {
		ms   float64
		want float64
	}{{16.79, 1}, {16.81, 1}, {16.7, 1}, {24.9, 1}, {25.1, 2}, {33.3, 2}, {50.1, 3}, {0, 0}} {
		if got := displayFrames(tt.ms); got != tt.want {
			t.Errorf("displayFrames(%v) = %v, want %v", tt.ms, got, tt.want)
		}
	}
}

// TestNaivePageSetDate: the naive page's hook, as Frontline's setDate, shows the date and
// moves the slider to it, so that a timed step costs the thumb's move on both pages, as a
// reader's drag does; its slider, moved by hand or by the bench's drag, restyles the map as
// well.
func TestNaivePageSetDate(t *testing.T) {
	leaflet := filepath.Join("..", "..", "node_modules", "leaflet", "dist")
	www := t.TempDir()
	files := map[string][]byte{
		"index.html": naiveHTML("2024-01-01"),
		"regions.geojson": []byte(`{"type":"FeatureCollection","features":[
			{"type":"Feature","id":"A","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
			{"type":"Feature","id":"B","properties":{},"geometry":{"type":"Polygon","coordinates":[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}}]}`),
		"events.json": []byte(`[{"region":"A","faction":"gold","date":"2024-02-01","confidence":"confirmed"},
			{"region":"B","faction":"green","date":"2024-03-01","confidence":"claimed"}]`),
	}
	for _, name := range []string{"leaflet.js", "leaflet.css"} {
		b, err := os.ReadFile(filepath.Join(leaflet, name))
		if err != nil {
			t.Fatalf("%v: run `go tool task assets` (npm ci)", err)
		}
		files[name] = b
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(www, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(www)))
	defer srv.Close()
	browser, cancel, err := newBrowser(context.Background(), &config{tmp: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	ctx, cancelTab := context.WithTimeout(browser, time.Minute)
	defer cancelTab()
	ctx, cancelTarget := chromedp.NewContext(ctx)
	defer cancelTarget()
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/index.html")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`!!window.frontline`)); err != nil {
		t.Fatal(err)
	}
	// Each region's fill and opacity, and the slider's value.
	const state = `[...document.querySelectorAll('path.leaflet-interactive')].map((p) => p.getAttribute('fill') + ' ' + p.getAttribute('fill-opacity')).join(', ') + ' @' + document.getElementById('slider').value`
	for _, tt := range []struct{ do, want string }{
		{`window.frontline.setDate('2024-02-15')`, "#d9a441 1, #2f6db5 1 @45"},
		{`window.frontline.setDate('2024-03-01')`, "#d9a441 1, #3f9b58 0.5 @60"},
		{`(() => { const s = document.getElementById('slider'); s.value = '10'; s.dispatchEvent(new Event('input')); })()`, "#2f6db5 1, #2f6db5 1 @10"},
	} {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](tt.do+`, `+state))
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("%s: %s, want %s", tt.do, got, tt.want)
		}
	}
	// The bench's drag: the slider moved a day a frame by input events, as a reader's drag.
	frames, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](dragScript+`(["2024-01-30", "2024-01-31", "2024-02-01", "2024-02-02"])`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](state))
	if err != nil {
		t.Fatal(err)
	}
	if want := "#d9a441 1, #2f6db5 1 @32"; len(frames) != 3 || got != want {
		t.Errorf("after the drag: %d frames timed, %s; want 3 and %s", len(frames), got, want)
	}
}

// TestStepRuns: n runs of consecutive days, together the steps asked for, each inside the
// range and centred on its nth of it, in order and apart.
func TestStepRuns(t *testing.T) {
	tests := []struct {
		name       string
		start, end string
		n, steps   int
		firsts     []string // each run's first day
		size       int      // days in each run
	}{
		{"the bench's", "2024-01-01", "2024-12-31", 5, 60, []string{"2024-01-31", "2024-04-13", "2024-06-25", "2024-09-06", "2024-11-18"}, 13},
		{"uneven", "2024-01-01", "2024-01-31", 3, 7, []string{"2024-01-05", "2024-01-15", "2024-01-25"}, 4},
		{"runs longer than the range", "2024-01-01", "2024-01-03", 2, 10, []string{"2024-01-01", "2024-01-01"}, 3},
		{"one load", "2024-01-01", "2024-12-31", 1, 4, []string{"2024-06-29"}, 5},
		{"no load", "2024-01-01", "2024-12-31", 0, 4, nil, 0},
		{"no step", "2024-01-01", "2024-12-31", 5, 0, nil, 0},
		{"a range backwards", "2024-12-31", "2024-01-01", 5, 60, nil, 0},
		{"not a date", "2024-13-01", "2024-12-31", 5, 60, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runs := stepRuns(tt.start, tt.end, tt.n, tt.steps)
			var firsts []string
			for _, run := range runs {
				firsts = append(firsts, run[0])
				if len(run) != tt.size {
					t.Errorf("run from %s has %d days, want %d", run[0], len(run), tt.size)
				}
				for j := 1; j < len(run); j++ {
					prev, _ := time.Parse(time.DateOnly, run[j-1])
					if next := prev.AddDate(0, 0, 1).Format(time.DateOnly); run[j] != next {
						t.Errorf("run from %s: %s follows %s, want %s", run[0], run[j], run[j-1], next)
					}
				}
				if run[0] < tt.start || run[len(run)-1] > tt.end {
					t.Errorf("run %s to %s leaves the range %s to %s", run[0], run[len(run)-1], tt.start, tt.end)
				}
			}
			if !slices.Equal(firsts, tt.firsts) {
				t.Errorf("runs start %v, want %v", firsts, tt.firsts)
			}
		})
	}
}
