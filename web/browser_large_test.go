package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/geo/geotest"
	"github.com/frontline-maps/frontline/static"
)

// largeMapServer serves a generated map large enough for both of the page's large-map
// paths: more regions than canvasMinRegions (web/map_show.go), so it is drawn on a canvas,
// and more events than inlineEventsMax, so the page fetches the compact timeline.
func largeMapServer(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	srv := httptest.NewServer(newLargeMapServer(t).h)
	t.Cleanup(srv.Close)
	return srv, "grid"
}

// newLargeMapServer is the server of largeMapServer, serving the map "grid" only.
func newLargeMapServer(t *testing.T) *testServer {
	t.Helper()
	return newTestServer(t, withMaps(gridFolder("grid", 1200, inlineEventsMax+5000)))
}

// gridFolder is a map folder of a generated grid of regions with events over 2024, in
// three factions.
func gridFolder(slug string, regions, events int) fstest.MapFS {
	return fstest.MapFS{
		"map.json": {Data: []byte(`{"slug": "` + slug + `", "title": "Grid ` + slug + `", "description": "", "attribution": "generated",
  "start": "2024-01-01", "end": "2024-12-31", "default_date": "2024-06-30",
  "initial": "blue", "id_property": "", "name_property": "name",
  "factions": [{"id": "blue", "name": "Blue", "color": "#2f6db5"},
               {"id": "gold", "name": "Gold", "color": "#d9a441"},
               {"id": "green", "name": "Green", "color": "#3f9b58"}]}`)},
		"regions.geojson": {Data: geotest.GridLayer(regions)},
		"events.csv": {Data: geotest.GridEvents(regions, events, []string{"gold", "green", "blue"},
			time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC))},
	}
}

// TestLargeMapPageFetchesTheTimeline checks the page of a map with many events: no events
// inline, the compact timeline's URL instead, served immutable under it.
func TestLargeMapPageFetchesTheTimeline(t *testing.T) {
	srv, slug := largeMapServer(t)
	h := srv.Config.Handler
	doc := parseHTML(t, get(t, h, "/maps/"+slug))
	var script mapScript
	if err := json.Unmarshal([]byte(doc.Find("#map-data").Text()), &script); err != nil {
		t.Fatal(err)
	}
	if len(script.Events) != 0 || !strings.HasPrefix(script.Timeline, "/api/maps/grid/timeline?v=") {
		t.Fatalf("page data has %d events inline and timeline %q", len(script.Events), script.Timeline)
	}
	if doc.Find(`link[rel="preload"][href="`+script.Timeline+`"]`).Length() != 1 {
		t.Error("the page does not preload its timeline")
	}
	rec := get(t, h, script.Timeline, "Accept-Encoding", "gzip")
	if rec.Code != 200 || rec.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
		t.Fatalf("timeline: %d, encoding %q, cache %q", rec.Code, rec.Header().Get("Content-Encoding"), rec.Header().Get("Cache-Control"))
	}
	if rec := get(t, h, "/api/maps/grid/timeline?v=stale"); !strings.Contains(rec.Header().Get("Cache-Control"), "max-age=30") {
		t.Errorf("a timeline asked for under another version is cached %q", rec.Header().Get("Cache-Control"))
	}
	if rec := get(t, h, "/api/maps/grid/timeline", "If-None-Match", rec.Header().Get("ETag")); rec.Code != 304 {
		t.Errorf("timeline with its ETag: %d, want 304", rec.Code)
	}
	// The region's events, which a reader's popup asks for.
	var events []data.Event
	rec = get(t, h, "/api/maps/grid/events?region="+geotest.GridID(7))
	decodeJSON(t, rec.Body, &events)
	if len(events) == 0 {
		t.Fatal("no events for region 8")
	}
	for _, e := range events {
		if e.Region != geotest.GridID(7) {
			t.Fatalf("events?region=%s lists an event of %s", geotest.GridID(7), e.Region)
		}
	}
	if rec := get(t, h, "/api/maps/grid/events?region=nowhere"); rec.Code != 404 {
		t.Errorf("events of an unknown region: %d, want 404", rec.Code)
	}
}

// TestLargeMapPagesPreloadTheCanvasModule checks the heads of a large map's pages: the
// canvas layer's module (static/map/canvas-layer.js, which static/map/start.js imports at
// once on such a page) is preloaded with the shapes, the timeline and Leaflet, in the first
// round of requests; a light map's pages, which draw no canvas, name no such module.
func TestLargeMapPagesPreloadTheCanvasModule(t *testing.T) {
	large := newLargeMapServer(t)
	light := newTestServer(t)
	for _, tc := range []struct {
		name string
		h    http.Handler
		path string
		want int
	}{
		{"large map's page", large.h, "/maps/grid", 1},
		{"large map's embed", large.h, "/embed/grid", 1},
		{"light map's page", light.h, "/maps/afghanistan-2021", 0},
		{"light map's embed", light.h, "/embed/afghanistan-2021", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := parseHTML(t, get(t, tc.h, tc.path))
			if got := doc.Find(`head link[rel="modulepreload"][href="/static/map/canvas-layer.js"]`).Length(); got != tc.want {
				t.Errorf("%d modulepreload links of the canvas layer's module, want %d", got, tc.want)
			}
		})
	}
}

// TestBrowserLargeMapStartsModulesEarly checks a large map's start (static/map/start.js):
// the canvas layer's module is asked for once, when the page starts, before Leaflet's script
// has run, rather than one hop after it (map/layer.js imports it once Leaflet is there).
func TestBrowserLargeMapStartsModulesEarly(t *testing.T) {
	srv, slug := largeMapServer(t)
	for name, path := range map[string]string{"page": "/maps/" + slug, "embed": "/embed/" + slug} {
		t.Run(name, func(t *testing.T) {
			ctx := newBrowser(t)
			// When Leaflet's script has run: it sets window.L.
			watch := `{ let l; Object.defineProperty(window, 'L', { configurable: true, get: () => l,
				set: (v) => { l = v; window.__leafletRan ??= performance.now(); } }); }`
			if err := chromedp.Do(ctx, cdpCall(page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watch}),
				chromedp.Navigate(srv.URL+path+"?date=2024-03-01")); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "the map drawn", `performance.getEntriesByName('frontline:drawn').length > 0`)
			got := js[[]float64](t, ctx, `[...performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname.endsWith('/map/canvas-layer.js')).map((e) => e.startTime), window.__leafletRan ?? -1,
				performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname === '/static/map.js')?.responseEnd ?? -1]`)
			if len(got) != 3 {
				t.Fatalf("canvas-layer.js asked for %d times (then the time Leaflet ran, map.js arrived): %v; want once", len(got)-2, got)
			}
			if got[1] < 0 || got[0] >= got[1] {
				t.Errorf("canvas-layer.js asked for at %.0f ms, Leaflet's script ran at %.0f ms: want the module asked for first", got[0], got[1])
			}
			// In the first round, from the page's head: before map.js, which would import it, is in.
			if got[2] < 0 || got[0] >= got[2] {
				t.Errorf("canvas-layer.js asked for at %.0f ms, map.js in at %.0f ms: want the module asked for with the page's first requests", got[0], got[2])
			}
		})
	}
}

// TestBrowserLargeMapTakesInputWhenDrawn checks that a large map follows the slider as soon
// as it says it is drawn (frontline:drawn): a date set then shows the server's state, before
// the regions' names and the keyboard's list (static/map/labels.js, keys.js), which follow in
// a task of their own (static/map.js), and those come all the same.
func TestBrowserLargeMapTakesInputWhenDrawn(t *testing.T) {
	srv, slug := largeMapServer(t)
	ctx := newBrowser(t)
	// Listens from the document's start: at the mark, the keys made so far and a date set.
	watch := `document.addEventListener('frontline:drawn', () => {
		window.__atDrawn = { keys: document.querySelectorAll('#map .map-key').length, date: window.frontline.setDate('2024-11-20'),
			regions: window.frontline.state().regions };
	}, { once: true });`
	if err := chromedp.Do(ctx, cdpCall(page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watch}),
		chromedp.Navigate(srv.URL+"/embed/"+slug+"?date=2024-03-01")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the map drawn", `window.__atDrawn !== undefined`)
	diff, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const at = window.__atDrawn;
		if (at.date !== '2024-11-20') return 'setDate at the mark showed ' + at.date;
		if (at.keys !== 0) return at.keys + ' keys made before the mark: want them after it';
		const server = await (await fetch('/api/maps/grid/state?date=2024-11-20')).json();
		for (const [id, f] of Object.entries(server.regions)) if (at.regions[id] !== f) return id + ': page ' + at.regions[id] + ', server ' + f;
		if (document.getElementById('date-slider').value !== String(324)) return 'slider at ' + document.getElementById('date-slider').value;
		return '';
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if diff != "" {
		t.Error(diff)
	}
	waitFor(t, ctx, "a key per region", `document.querySelectorAll('#map .map-key').length === 1200`)
	waitFor(t, ctx, "the regions' names", `document.querySelector('#map .leaflet-region-labels-pane') !== null`)
}

// mapCanvas is a canvas map as a reader sees it: the stack of canvases in Leaflet's place
// (fills, borders, marks; static/map/canvas-renderer.js) drawn into one, of their size.
const mapCanvas = `(() => {
	const stack = [...document.querySelectorAll('#map .map-canvas-stack > canvas')];
	const out = document.createElement('canvas');
	[out.width, out.height] = [stack[0].width, stack[0].height];
	const ctx = out.getContext('2d');
	for (const c of stack) ctx.drawImage(c, 0, 0);
	return out;
})()`

// TestBrowserLargeMap drives the large map in Chromium: it is drawn on a canvas in the
// factions' colours, the state the page computes from the compact timeline is the
// server's at every date tried, the legend follows the slider, and a click on a region
// opens its popup with the source of the event in force, fetched for it.
func TestBrowserLargeMap(t *testing.T) {
	srv, slug := largeMapServer(t)
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/maps/"+slug+"?date=2024-03-01")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the map drawn", `performance.getEntriesByName('frontline:drawn').length > 0`)
	// The server's inline map, coarser for a map this large, is gone once the canvas is drawn.
	waitFor(t, ctx, "the inline map taken away", `!document.querySelector('#map > .map-inline')`)
	if got := js[int](t, ctx, `document.querySelectorAll('#map path[data-region]').length`); got != 0 {
		t.Errorf("%d SVG regions on a map of 1,200: want a canvas", got)
	}
	// Most of the map's box is painted in the factions' colours, not left grey or blank.
	share := js[float64](t, ctx, `(() => {
		const canvas = `+mapCanvas+`;
		const box = document.getElementById('map').getBoundingClientRect();
		const c = document.querySelector('#map .map-canvas-stack').getBoundingClientRect();
		const img = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
		const colors = ['#2f6db5', '#d9a441', '#3f9b58', '#f6f5f1'].map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
		let hits = 0, n = 0;
		for (let y = box.top + 40; y < box.bottom - 40; y += 17) for (let x = box.left + 40; x < box.right - 40; x += 17) {
			const px = Math.round((x - c.left) * canvas.width / c.width), py = Math.round((y - c.top) * canvas.height / c.height);
			const i = 4 * (py * canvas.width + px);
			n++;
			if (colors.some(([r, g, b]) => Math.abs(img[i] - r) + Math.abs(img[i + 1] - g) + Math.abs(img[i + 2] - b) < 12)) hits++;
		}
		return hits / n;
	})()`)
	if share < 0.5 {
		t.Errorf("only %.0f%% of the map's box shows a faction's colour", 100*share)
	}

	for _, date := range []string{"2024-01-01", "2024-03-01", "2024-07-15", "2024-12-31"} {
		diff, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(async () => {
			window.frontline.setDate(%[1]q);
			const page = window.frontline.state();
			const server = await (await fetch('/api/maps/grid/state?date=%[1]s')).json();
			const ids = Object.keys(server.regions);
			if (ids.length !== Object.keys(page.regions).length) return 'region counts differ';
			for (const id of ids) if (page.regions[id] !== server.regions[id]) return id + ': page ' + page.regions[id] + ', server ' + server.regions[id];
			for (const [f, n] of Object.entries(server.counts)) {
				const shown = document.querySelector('[data-testid="count-' + f + '"]').textContent;
				if (shown !== String(n)) return 'legend ' + f + ' ' + shown + ', server ' + n;
			}
			return '';
		})()`, date), chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if diff != "" {
			t.Errorf("%s: %s", date, diff)
		}
	}
	screenshot(t, ctx, "large-map")

	// Ticks from the compact timeline, and what changed on a day, asked of the events API:
	// the first changesMax events listed, the rest counted.
	if got := js[int](t, ctx, `document.getElementById('date-slider').dataset.ticks.split(' ').length`); got < 300 {
		t.Errorf("%d ticks on a map with events on most days of 2024", got)
	}
	js[bool](t, ctx, `(window.frontline.setDate('2024-07-15'), true)`)
	waitFor(t, ctx, "what changed on 15 July", `document.getElementById('changes').dataset.date === '2024-07-15' && !document.getElementById('changes').hasAttribute('aria-busy') && document.querySelectorAll('#changes .changes-list li:not([hidden])').length > 0`)
	listed, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const events = await (await fetch('/api/maps/grid/events?date=2024-07-15')).json();
		const rows = document.querySelectorAll('#changes .changes-list li:not([hidden])');
		const more = document.querySelector('#changes .changes-more');
		return [events.length, rows.length, more.hidden ? 0 : Number(more.querySelector('.changes-more-count').textContent), rows[0].dataset.region === events[0].region].join(' ');
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	var n, rows, more int
	var first bool
	if _, err := fmt.Sscan(listed, &n, &rows, &more, &first); err != nil {
		t.Fatalf("list %q: %v", listed, err)
	}
	if rows != min(n, changesMax) || more != n-rows || !first {
		t.Errorf("15 July's %d events listed as %d rows and %d more (first row the first event: %v), want %d and %d", n, rows, more, first, min(n, changesMax), n-min(n, changesMax))
	}

	// A click in the middle of the map opens the popup of the region there, and tells the
	// page (the change form listens) which region it was.
	js[bool](t, ctx, `(window.clicked = null, document.addEventListener('frontline:regionclick', (e) => (window.clicked = e.detail.region)), true)`)
	pt := js[[]float64](t, ctx, `(() => { const r = document.getElementById('map').getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()`)
	if err := chromedp.Do(ctx, chromedp.MouseEvent(chromedp.MouseMoved, pt[0], pt[1]), chromedp.MouseClickXY(pt[0], pt[1])); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "a region's popup with its source", `!!document.querySelector('.leaflet-popup-content a[href^="https://example.org/events/"]')`)
	name := js[string](t, ctx, `document.querySelector('.region-popup-name').textContent`)
	clicked := js[string](t, ctx, `window.clicked`)
	if want := "Region " + strings.TrimLeft(strings.TrimPrefix(clicked, "R"), "0"); name != want {
		t.Errorf("popup names %q, the click event region %q", name, clicked)
	}
	holder := js[string](t, ctx, `window.frontline.holder(window.clicked, '2024-12-31').faction`)
	if want := js[string](t, ctx, `window.frontline.state('2024-12-31').regions[window.clicked]`); holder != want {
		t.Errorf("holder() says %q, state() %q", holder, want)
	}

	// The keyboard reaches the regions of a canvas, which has no element per region, through
	// the map's list (static/map/keys.js): a key per region, named for its holder, Enter
	// opening the region's popup.
	if got := js[int](t, ctx, `document.querySelectorAll('#map .map-key').length`); got != 1200 {
		t.Errorf("%d keys for the 1,200 regions of a canvas map", got)
	}
	// Only the list's Tab stop is laid out (map.css), before and after the arrows move it.
	const laidOut = `[...document.querySelectorAll('#map .map-key')].filter((b) => b.checkVisibility()).map((b) => b.dataset.id)`
	if got, want := js[[]string](t, ctx, laidOut), js[string](t, ctx, `document.querySelector('#map .map-key[tabindex="0"]').dataset.id`); len(got) != 1 || got[0] != want {
		t.Errorf("%d keys laid out (%v…), want the Tab stop's %q alone", len(got), got[:min(3, len(got))], want)
	}
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(`#map .map-key[tabindex="0"]`)), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown)); err != nil {
		t.Fatal(err)
	}
	if got, want := js[[]string](t, ctx, laidOut), js[string](t, ctx, `document.activeElement.dataset.id ?? ''`); len(got) != 1 || got[0] != want {
		t.Errorf("after two arrows, %d keys laid out (%v…), want the focused %q alone", len(got), got[:min(3, len(got))], want)
	}
	key := js[string](t, ctx, `document.activeElement.textContent`)
	if !regexp.MustCompile(`^Region \d+: (Blue|Gold|Green), (confirmed|claimed) since \d{1,2} [A-Z][a-z]+ 2024$`).MatchString(key) {
		t.Fatalf("the third key reads %q, want a region and its holder", key)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	region, _, _ := strings.Cut(key, ":")
	waitFor(t, ctx, region+"'s popup from the keyboard", `(document.querySelector('.region-popup-name')?.textContent || '') === '`+region+`'`)
}

// TestBrowserLargeStaticExport exports the large map as a static site: the events travel
// in timeline.bin rather than in the page, and the map scrubs from it with no server.
func TestBrowserLargeStaticExport(t *testing.T) {
	store := newLargeMapServer(t).store
	out := filepath.Join(t.TempDir(), "site")
	if _, err := ExportStatic(context.Background(), store, static.FS, "grid", out); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `"timeline":"timeline.bin"`) || strings.Contains(string(page), `"events":`) {
		t.Fatalf("index.html (%d bytes) should name timeline.bin and carry no events", len(page))
	}
	// A map drawn on a canvas starts with its module, as served: no early table, its modules
	// in the head.
	if strings.Contains(string(page), `id="map-early"`) || strings.Contains(string(page), `id="modules-later"`) {
		t.Error("the large map's index.html carries the early table or holds its modules for later")
	}
	site := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer site.Close()
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/index.html")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the map drawn from the static files", `performance.getEntriesByName('frontline:drawn').length > 0`)
	want, err := store.State(context.Background(), &data.Map{Slug: "grid", Start: "2024-01-01", End: "2024-12-31", Initial: "blue"}, "2024-09-01")
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, h := range want.Holdings {
		counts[h.Faction]++
	}
	got := js[map[string]int](t, ctx, `(window.frontline.setDate('2024-09-01'), window.frontline.state().counts)`)
	for _, f := range []string{"blue", "gold", "green"} {
		if got[f] != counts[f] {
			t.Errorf("on 1 September the page counts %d %s regions, the store %d", got[f], f, counts[f])
		}
	}
}

// TestBrowserCanvasRepaintsOnlyChanges: the canvas layer fills again only the regions a
// step changed, over their old fills (static/map/canvas-layer.js). After steps across the
// year, what it shows is what drawing every region anew shows (a zoom in and back out
// with the zoom buttons redraws the whole view), but for antialiased edges under the borders.
func TestBrowserCanvasRepaintsOnlyChanges(t *testing.T) {
	srv, slug := largeMapServer(t)
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/maps/"+slug+"?date=2024-03-01")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the map drawn", `performance.getEntriesByName('frontline:drawn').length > 0`)
	js[bool](t, ctx, `(window.pixels = async () => {
		for (let i = 0; i < 3; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
		const canvas = `+mapCanvas+`;
		return canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
	}, window.differ = (a, b) => {
		let n = 0;
		for (let i = 0; i < a.length; i += 4) if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > 24) n++;
		return n / (a.length / 4);
	}, true)`)
	// The map opens at the zoom that fits it exactly (static/map/view.js), which the zoom
	// buttons snap away from: one zoom in and out first puts it where a second returns.
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(async () => {
		const settled = () => new Promise((resolve) => setTimeout(resolve, 800));
		const zoomInOut = async () => {
			document.querySelector('.leaflet-control-zoom-in').click();
			await settled();
			document.querySelector('.leaflet-control-zoom-out').click();
			await settled();
		};
		await zoomInOut();
		const before = await window.pixels();
		for (const date of ['2024-03-02', '2024-03-03', '2024-03-04', '2024-03-05', '2024-03-06', '2024-03-05']) {
			window.frontline.setDate(date);
			await new Promise((resolve) => requestAnimationFrame(resolve));
		}
		const stepped = await window.pixels();
		await zoomInOut();
		const redrawn = await window.pixels();
		return [window.differ(before, stepped), window.differ(stepped, redrawn)];
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %v", got)
	}
	if got[0] < 0.01 {
		t.Errorf("the steps changed %.2f%% of the canvas: want the regions they changed repainted", 100*got[0])
	}
	if got[1] > 0.005 {
		t.Errorf("%.2f%% of the canvas differs between the steps' repaints and a whole redraw: want the same map", 100*got[1])
	}
}
