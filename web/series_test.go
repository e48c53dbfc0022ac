package web

import (
	"fmt"
	"net/http"
	"testing"
	"testing/fstest"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
)

// seriesAt returns the built-in series' point on date and a faction's split there.
func seriesAt(t *testing.T, b apiSeriesBody, date, faction string) [3][2]int64 {
	t.Helper()
	f := -1
	for i, id := range b.Factions {
		if id == faction {
			f = i
		}
	}
	if f < 0 {
		t.Fatalf("no faction %q in %v", faction, b.Factions)
	}
	for _, p := range b.Points {
		if p.Date == date {
			var pop [2]int64
			if p.Population != nil {
				pop = p.Population[f]
			}
			return [3][2]int64{p.Regions[f], p.AreaKm2[f], pop}
		}
	}
	t.Fatalf("no point on %s", date)
	return [3][2]int64{}
}

// TestSeriesAPI reads the built-in map's series: on 14 August 2021 the Taliban held 21
// provinces confirmed and 2 more on claims (Faryab, Paktia); on the 15th Kabul fell.
func TestSeriesAPI(t *testing.T) {
	h := newTestServer(t).h
	rec := get(t, h, "/api/maps/afghanistan-2021/series")
	if rec.Code != http.StatusOK {
		t.Fatalf("series: %d %s", rec.Code, rec.Body)
	}
	var b apiSeriesBody
	decodeJSON(t, rec.Body, &b)
	if b.Regions != 34 {
		t.Errorf("regions = %d, want 34", b.Regions)
	}
	if b.AreaKm2 < 600_000 || b.AreaKm2 > 680_000 {
		t.Errorf("area = %d km², want Afghanistan's, about 650,000", b.AreaKm2)
	}
	if b.Points[0].Date != "2021-08-01" {
		t.Errorf("first point on %s, want the start, 2021-08-01", b.Points[0].Date)
	}
	tests := []struct {
		date, faction string
		regions       [2]int64
	}{
		{"2021-08-01", "government", [2]int64{34, 0}},
		{"2021-08-13", "taliban", [2]int64{18, 0}},
		{"2021-08-14", "taliban", [2]int64{21, 2}},
		{"2021-08-14", "government", [2]int64{11, 0}},
	}
	for _, tt := range tests {
		if got := seriesAt(t, b, tt.date, tt.faction)[0]; got != tt.regions {
			t.Errorf("%s on %s: %v regions [confirmed, claimed], want %v", tt.faction, tt.date, got, tt.regions)
		}
	}
	// Kabul changed on the 15th: the Taliban's confirmed count grows by it, and the state
	// documents of the 14th and the 15th say so.
	if d14, d15 := seriesAt(t, b, "2021-08-14", "taliban")[0], seriesAt(t, b, "2021-08-15", "taliban")[0]; d15[0] <= d14[0] {
		t.Errorf("taliban confirmed %d on the 14th, %d on the 15th: want more", d14[0], d15[0])
	}
	for date, want := range map[string]string{"2021-08-14": "government", "2021-08-15": "taliban"} {
		var st apiStateBody
		decodeJSON(t, get(t, h, "/api/maps/afghanistan-2021/state?date="+date).Body, &st)
		if st.Regions["AF-KAB"] != want {
			t.Errorf("Kabul on %s held by %q, want %q", date, st.Regions["AF-KAB"], want)
		}
	}
	// Populations: NSIA's 2021-22 estimates of the 34 provinces (cmd/afg-boundaries), and
	// the fall of Kabul adds its 5.38 million to the Taliban's on the 15th.
	if b.Population != 32_688_600 {
		t.Errorf("population = %d, want 32,688,600, the sum of the provinces' estimates", b.Population)
	}
	p14, p15 := seriesAt(t, b, "2021-08-14", "taliban")[2], seriesAt(t, b, "2021-08-15", "taliban")[2]
	if gain := p15[0] + p15[1] - p14[0] - p14[1]; gain < 5_380_000 {
		t.Errorf("taliban population %v on the 14th, %v on the 15th: a gain of %d, want Kabul's 5,380,000 at least", p14, p15, gain)
	}
	// Areas: the 14th's Taliban area is some but not all of the map.
	if a := seriesAt(t, b, "2021-08-14", "taliban")[1]; a[0] <= 0 || a[1] <= 0 || a[0]+a[1] >= b.AreaKm2 {
		t.Errorf("taliban area on the 14th %v km² of %d", a, b.AreaKm2)
	}

	if again := get(t, h, "/api/maps/afghanistan-2021/series", "If-None-Match", rec.Header().Get("ETag")); again.Code != http.StatusNotModified {
		t.Errorf("series with its ETag: %d, want 304", again.Code)
	}
	if rec := get(t, h, "/api/maps/no-such-map/series"); rec.Code != http.StatusNotFound {
		t.Errorf("series of an unknown map: %d, want 404", rec.Code)
	}
}

// populatedMap is a map folder of three regions, two with a population, and a claim.
func populatedMap() fstest.MapFS {
	feature := func(i int, id string, pop int) string {
		p := ""
		if pop > 0 {
			p = fmt.Sprintf(`,"population":%d`, pop)
		}
		return fmt.Sprintf(`{"type":"Feature","id":%q,"properties":{"name":%q%s},"geometry":{"type":"Polygon","coordinates":[[[%d,0],[%d,0],[%d,1],[%d,1],[%d,0]]]}}`,
			id, id, p, i, i+1, i+1, i, i)
	}
	return fstest.MapFS{
		"map.json": {Data: []byte(`{"slug":"pop","title":"Peopled","start":"2024-01-01","end":"2024-01-31","default_date":"2024-01-20",
			"initial":"blue","name_property":"name","factions":[{"id":"blue","name":"Blue","color":"#2f6db5"},{"id":"gold","name":"Gold","color":"#d9a441"}]}`)},
		"regions.geojson": {Data: []byte(`{"type":"FeatureCollection","features":[` + feature(0, "A", 1000) + "," + feature(1, "B", 3000) + "," + feature(2, "C", 0) + `]}`)},
		"events.csv": {Data: []byte("region,faction,date,source,note,confidence\n" +
			"A,gold,2024-01-05,https://example.org/a,,confirmed\n" +
			"B,gold,2024-01-10,https://example.org/b,,claimed\n" +
			"B,gold,2024-01-15,https://example.org/b2,,confirmed\n")},
	}
}

// TestSeriesChartWithoutJavaScript reads the chart the server draws: on the built-in map,
// whose provinces carry NSIA's 2021-22 populations, a regions, an area and a population
// picture with the cursor at the date shown (the embed's strip: the regions alone); a map
// with populations on some regions only counts those, and its series has them.
func TestSeriesChartWithoutJavaScript(t *testing.T) {
	h := newTestServer(t).h
	for page, want := range map[string][]string{
		"/maps/afghanistan-2021?date=2021-08-14": {"regions", "area", "population"},
		// The embed's strip: the regions alone.
		"/embed/afghanistan-2021?date=2021-08-14": {"regions"},
	} {
		doc := parseHTML(t, get(t, h, page))
		chart := doc.Find(`[data-testid="series-chart"]`)
		if chart.Length() != 1 {
			t.Fatalf("%s: no chart", page)
		}
		var measures []string
		chart.Find("g[data-measure]").Each(func(_ int, g *goquery.Selection) {
			id, _ := g.Attr("data-measure")
			measures = append(measures, id)
			if n := g.Find("path").Length(); n != 6 {
				t.Errorf("%s: %s has %d layers, want 6 (three factions, confirmed and claimed)", page, id, n)
			}
		})
		if diff := cmp.Diff(want, measures); diff != "" {
			t.Errorf("%s: measures (-want +got):\n%s", page, diff)
		}
		// 2021-08-14 is day 13 of 46: the middle of its column.
		if x, _ := chart.Find(`[data-testid="chart-cursor"]`).Attr("x1"); x != "293.5" {
			t.Errorf("%s: cursor at x=%s, want 293.5", page, x)
		}
		if switches := chart.Find(`[data-testid="chart-measure-population"]`).Length(); switches != 0 != (len(want) == 3) {
			t.Errorf("%s: %d population switches, want one where the population picture is drawn", page, switches)
		}
	}

	h = newTestServer(t, withMaps(populatedMap())).h
	doc := parseHTML(t, get(t, h, "/maps/pop?date=2024-01-12"))
	for _, m := range []string{"regions", "area", "population"} {
		if doc.Find(`[data-testid="chart-measure-`+m+`"]`).Length() != 1 {
			t.Errorf("no %s switch on a map with populations", m)
		}
	}
	if got := doc.Find(".chart-total-population").Text(); got != "4,000 people" {
		t.Errorf("population total %q, want 4,000 people", got)
	}
	if got := doc.Find(`[data-testid="summary"]`).Text(); got != "Gold: 1 of 3 regions confirmed, 2 with claims, on 12 January 2024. +1 since 5 January 2024." {
		t.Errorf("summary = %q", got)
	}
	var b apiSeriesBody
	decodeJSON(t, get(t, h, "/api/maps/pop/series").Body, &b)
	want := [][2]int64{{0, 0}, {1000, 0}, {1000, 3000}, {4000, 0}}
	for i, p := range b.Points {
		if i < len(want) && p.Population[1] != want[i] {
			t.Errorf("gold's population on %s = %v, want %v", p.Date, p.Population[1], want[i])
		}
	}
	if b.Population != 4000 || len(b.Points) != len(want) {
		t.Errorf("population %d over %d points, want 4000 over %d", b.Population, len(b.Points), len(want))
	}
}
