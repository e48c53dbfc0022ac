package web

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/geo"
	"github.com/frontline-maps/frontline/web/i18n"
)

// earlyRules is testdata/rules/early.json: the built-in map's early table as the server
// writes it, and the fills at some slider positions, which static/test/early.test.js reads
// with static/map/early.js's fillsAt too.
type earlyRules struct {
	Table earlyTable `json:"table"`
	Cases []struct {
		Name     string                      `json:"name"`
		Position int                         `json:"position"`
		Fills    map[string][2]string        `json:"fills"`
		Markers  map[string]geo.InlineMarker `json:"markers"`
	} `json:"cases"`
}

// earlyFillsAt is static/map/early.js's fillsAt, by region id: what the early script draws
// at slider position pos.
func earlyFillsAt(tb earlyTable, pos int) map[string][2]string {
	fills, _ := earlyAt(tb, pos)
	return fills
}

// earlyAt is static/map/early.js's fillsAt, by region and place id: the regions' fills and
// the places' markers at slider position pos.
func earlyAt(tb earlyTable, pos int) (map[string][2]string, map[string]geo.InlineMarker) {
	fills, markers := map[string][2]string{}, map[string]geo.InlineMarker{}
	for _, step := range tb.Steps {
		if step[0] > pos {
			break
		}
		for k := 1; k+1 < len(step); k += 2 {
			if i := step[k]; i < len(tb.Regions) {
				fills[tb.Regions[i]] = tb.Fills[step[k+1]]
			} else {
				markers[tb.Places[i-len(tb.Regions)]] = tb.Markers[step[k+1]]
			}
		}
	}
	return fills, markers
}

// inlineMarkers reads a page's inline map: place id -> its two discs' strokes and widths.
func inlineMarkers(t *testing.T, page string) map[string]geo.InlineMarker {
	t.Helper()
	out := map[string]geo.InlineMarker{}
	re := regexp.MustCompile(`<path data-inline-place="([^"]+)" stroke="([^"]+)" stroke-width="([^"]+)" d="[^"]*"/>\s*<path data-inline-place="([^"]+)" stroke="([^"]+)" stroke-width="([^"]+)"`)
	for _, m := range re.FindAllStringSubmatch(page, -1) {
		if m[1] != m[4] {
			t.Fatalf("place %s's outer disc is followed by %s's", m[1], m[4])
		}
		ow, _ := strconv.ParseFloat(m[3], 64)
		iw, _ := strconv.ParseFloat(m[6], 64)
		out[m[1]] = geo.InlineMarker{Outer: m[2], OuterWidth: ow, Inner: m[5], InnerWidth: iw}
	}
	return out
}

// inlineFills reads a page's inline map: region id -> [fill, data-faction-color].
func inlineFills(t *testing.T, page string) map[string][2]string {
	t.Helper()
	out := map[string][2]string{}
	re := regexp.MustCompile(`<path id="fp-r\d+" data-inline-region="([^"]+)" fill="([^"]+)"(?: data-faction-color="([^"]+)")?`)
	for _, m := range re.FindAllStringSubmatch(page, -1) {
		out[m[1]] = [2]string{m[2], m[3]}
	}
	if len(out) == 0 {
		t.Fatal("no region in the page's inline map")
	}
	return out
}

// earlyTableOf is the #map-early table of a page, failing the test without one.
func earlyTableOf(t *testing.T, page string) earlyTable {
	t.Helper()
	m := regexp.MustCompile(`(?s)<script id="map-early" type="application/json">(.*?)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no #map-early table in the page")
	}
	var tb earlyTable
	if err := json.Unmarshal([]byte(m[1]), &tb); err != nil {
		t.Fatalf("#map-early: %v", err)
	}
	return tb
}

// TestEarlyTableRules: the embed and the map page of the built-in map carry the early table
// of testdata/rules/early.json, its fills at the golden positions are the golden ones, and at
// the page's own date they are what the server's inline map draws (one rule for both).
func TestEarlyTableRules(t *testing.T) {
	var rules earlyRules
	readRules(t, "early", &rules)
	ts := newTestServer(t)
	for _, path := range []string{
		"/embed/afghanistan-2021?date=2021-08-13", "/embed/afghanistan-2021?date=2021-08-15",
		"/maps/afghanistan-2021?date=2021-08-14", "/maps/afghanistan-2021?date=2021-08-01",
	} {
		t.Run(path, func(t *testing.T) {
			rec := get(t, ts.h, path)
			if rec.Code != 200 {
				t.Fatalf("GET %s: %d", path, rec.Code)
			}
			page := rec.Body.String()
			tb := earlyTableOf(t, page)
			if diff := cmp.Diff(rules.Table, tb); diff != "" {
				if os.Getenv("UPDATE_RULES") != "" {
					b, _ := json.MarshalIndent(tb, "", " ")
					_ = os.WriteFile(filepath.Join(t.TempDir(), "early-table.json"), b, 0o644)
					t.Logf("table:\n%s", b)
				}
				t.Errorf("the page's early table differs from early.json's (-want +got):\n%s", diff)
			}
			date := path[strings.Index(path, "date=")+5:]
			pos := daysBetween(tb.Start, date)
			fills, markers := earlyAt(tb, pos)
			if diff := cmp.Diff(inlineFills(t, page), fills); diff != "" {
				t.Errorf("at %s (position %d) the early table and the inline map differ (-inline +early):\n%s", date, pos, diff)
			}
			if len(markers) != 35 {
				t.Errorf("the early table has %d places' markers, want the built-in map's 35", len(markers))
			}
			if diff := cmp.Diff(inlineMarkers(t, page), markers); diff != "" {
				t.Errorf("at %s (position %d) the early table's markers and the inline map's differ (-inline +early):\n%s", date, pos, diff)
			}
			// The scripts that read it and show the controls are allowed by their hashes, and
			// the policy allows no other.
			inline := regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindAllStringSubmatch(page, -1)
			if len(inline) != 2 {
				t.Fatalf("%d inline classic scripts in the page, want the early controls' and the early map's", len(inline))
			}
			csp := rec.Header().Get("Content-Security-Policy")
			if want := "script-src 'self' " + scriptHash(inline[0][1]) + " " + scriptHash(inline[1][1]) + ";"; !strings.Contains(csp, want) {
				t.Errorf("policy %q: want %q", csp, want)
			}
		})
	}
	for _, c := range rules.Cases {
		t.Run(c.Name, func(t *testing.T) {
			fills, markers := earlyAt(rules.Table, c.Position)
			if diff := cmp.Diff(c.Fills, fills); diff != "" {
				t.Errorf("fills at position %d (-want +got):\n%s", c.Position, diff)
			}
			if diff := cmp.Diff(c.Markers, markers); diff != "" {
				t.Errorf("markers at position %d (-want +got):\n%s", c.Position, diff)
			}
		})
	}
}

// TestEarlyTableBound: a light map with up to earlyMaxShifts shifts carries the early table
// (a map of 400 districts and 3,000 events, issue 14's, must move its slider at the first
// frame), one with more starts with its module alone.
func TestEarlyTableBound(t *testing.T) {
	m := &data.Map{Slug: "bound", Start: "2024-01-01", End: "2024-12-31", Initial: "blue",
		Factions: []data.Faction{{ID: "blue", Color: "#1f77b4"}, {ID: "gold", Color: "#d4a017"}}}
	// shifts returns n shifts over 400 regions: each region's start, then changes of hands
	// a day apart, round the regions.
	shifts := func(n int) []data.RegionShifts {
		out := make([]data.RegionShifts, 400)
		for i := range out {
			out[i] = data.RegionShifts{ID: "r" + strconv.Itoa(i), Shifts: []data.Shift{{Date: m.Start, Faction: "blue"}}}
		}
		for k := len(out); k < n; k++ {
			r := &out[k%len(out)]
			faction := []string{"gold", "blue"}[(len(r.Shifts)+1)%2]
			r.Shifts = append(r.Shifts, data.Shift{Date: time.Date(2024, 1, 1+len(r.Shifts), 0, 0, 0, 0, time.UTC).Format(data.DateLayout), Faction: faction})
		}
		return out
	}
	for _, c := range []struct {
		name   string
		shifts int
		want   bool
	}{
		{"districts and 3,000 events", 3400, true},
		{"at the bound", earlyMaxShifts, true},
		{"one over", earlyMaxShifts + 1, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			tb, ok := newEarlyTable(m, i18n.DateFormat{}, shifts(c.shifts), nil)
			if ok != c.want {
				t.Fatalf("%d shifts: early table %v, want %v", c.shifts, ok, c.want)
			}
			if !ok {
				return
			}
			got := 0
			for _, step := range tb.Steps {
				got += (len(step) - 1) / 2
			}
			if got != c.shifts || len(tb.Regions) != 400 {
				t.Errorf("the table holds %d shifts of %d regions, want %d of 400", got, len(tb.Regions), c.shifts)
			}
		})
	}
}
