package web

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// leafletMapHook, run before a page's scripts, keeps Leaflet's map as window.__leafletMap
// once it is made, so that a test can find where a place is on screen.
const leafletMapHook = `{ let l; Object.defineProperty(window, 'L', { configurable: true, get: () => l,
	set: (v) => { l = v; v.Map.addInitHook(function () { window.__leafletMap = this; }); } }); }`

// holdersScript defines window.checkHolders(iso): every region whose label point (the
// server's point inside it) shows on the map, read off the canvas map's fills canvas at that
// point, against the region's holder on iso: the holder's colour, or for a claim its hatch
// (the holder's colour and the hatch's ground both within a few pixels). It returns
// {checked, claimed, wrong: the first few regions that are not as they should, nwrong}.
const holdersScript = `(() => {
	const rgb = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
	const data = JSON.parse(document.getElementById('map-data').textContent);
	const colors = Object.fromEntries(data.factions.map((f) => [f.id, rgb(f.color)]));
	const ground = rgb(data.hatch.ground);
	window.checkHolders = async (iso) => {
		for (let i = 0; i < 3; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
		const map = window.__leafletMap;
		window.__shapes ??= await (await fetch('/api/maps/grid/regions.geojson')).json();
		const fills = document.querySelector('#map .map-canvas-stack > canvas[data-layer="fills"]');
		const box = fills.getBoundingClientRect();
		const img = fills.getContext('2d').getImageData(0, 0, fills.width, fills.height).data;
		const view = map.getContainer().getBoundingClientRect();
		const near = (px, py, c) => {
			const i = 4 * (py * fills.width + px);
			return Math.abs(img[i] - c[0]) + Math.abs(img[i + 1] - c[1]) + Math.abs(img[i + 2] - c[2]) < 16;
		};
		const around = (px, py, c) => {
			for (let dy = -4; dy <= 4; dy++) for (let dx = -4; dx <= 4; dx++) if (near(px + dx, py + dy, c)) return true;
			return false;
		};
		let [checked, claimed] = [0, 0];
		const wrong = [];
		for (const f of window.__shapes.features) {
			const [lng, lat] = f.properties.label;
			const p = map.latLngToContainerPoint([lat, lng]);
			if (p.x < 30 || p.y < 30 || p.x > view.width - 30 || p.y > view.height - 30) continue;
			const px = Math.round((view.left + p.x - box.left) * fills.width / box.width);
			const py = Math.round((view.top + p.y - box.top) * fills.height / box.height);
			const h = window.frontline.holder(f.id, iso);
			const color = colors[h.faction];
			if (h.claimed) {
				claimed++;
				if (!around(px, py, color) || !around(px, py, ground)) wrong.push(f.id + ' (claimed by ' + h.faction + ')');
			} else {
				checked++;
				if (!near(px, py, color)) wrong.push(f.id + ' (' + h.faction + ')');
			}
		}
		return { checked, claimed, wrong: wrong.slice(0, 5), nwrong: wrong.length };
	};
	return true;
})()`

// holdersCheck is what window.checkHolders returns.
type holdersCheck struct {
	Checked int      `json:"checked"`
	Claimed int      `json:"claimed"`
	Wrong   []string `json:"wrong"`
	NWrong  int      `json:"nwrong"`
}

// TestBrowserCanvasStepPaintsHolders: on a canvas map, the first draw and each step of the slider (a day on,
// back, a jump of months) leaves every region on screen in its holder's colour, a claim
// hatched, also after a zoom in; the selected region's outline stays over the steps and
// goes when the selection does (static/map/canvas-layer.js repaints only what a step changed).
func TestBrowserCanvasStepPaintsHolders(t *testing.T) {
	srv, slug := largeMapServer(t)
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, cdpCall(page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: leafletMapHook}),
		chromedp.Navigate(srv.URL+"/maps/"+slug+"?date=2024-03-01")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the map drawn", `performance.getEntriesByName('frontline:drawn').length > 0 && !!window.__leafletMap`)
	js[bool](t, ctx, holdersScript)
	check := func(when, date string) {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Evaluate[holdersCheck](`(window.frontline.setDate('`+date+`'), window.checkHolders('`+date+`'))`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if got.Checked < 100 || got.Claimed < 5 {
			t.Errorf("%s, %s: %d regions and %d claims on screen checked: want most of the map's 1,200", when, date, got.Checked, got.Claimed)
		}
		if got.NWrong > 0 {
			t.Errorf("%s, %s: %d regions not in their holder's fill, among them %s", when, date, got.NWrong, strings.Join(got.Wrong, ", "))
		}
	}
	// As drawn, before any step: every region in its holder's fill from the first draw.
	check("drawn", "2024-03-01")
	for _, date := range []string{"2024-03-02", "2024-03-03", "2024-03-04", "2024-03-02", "2024-07-15", "2024-07-16"} {
		check("step", date)
	}
	// Zoomed in, the regions' paths are remade at the new level and the view drawn whole.
	js[bool](t, ctx, `(document.querySelector('.leaflet-control-zoom-in').click(), true)`)
	waitFor(t, ctx, "the zoom done", `!document.querySelector('#map .leaflet-zoom-anim')`)
	if err := chromedp.Do(ctx, chromedp.Sleep(500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	for _, date := range []string{"2024-07-17", "2024-07-18", "2024-02-01"} {
		check("zoomed in", date)
	}

	// The selection's outline: on the marks canvas, only around the region, kept by steps.
	marks := `(async (id) => {
		for (let i = 0; i < 3; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
		const canvas = document.querySelector('#map .map-canvas-stack > canvas[data-layer="marks"]');
		const img = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
		const box = canvas.getBoundingClientRect();
		const map = window.__leafletMap;
		const f = window.__shapes.features.find((f) => f.id === id);
		const b = L.geoJSON(f).getBounds();
		const nw = map.latLngToContainerPoint(b.getNorthWest()), se = map.latLngToContainerPoint(b.getSouthEast());
		const view = map.getContainer().getBoundingClientRect();
		const [sx, sy] = [canvas.width / box.width, canvas.height / box.height];
		const [x0, y0, x1, y1] = [(view.left + nw.x - box.left) * sx - 6, (view.top + nw.y - box.top) * sy - 6, (view.left + se.x - box.left) * sx + 6, (view.top + se.y - box.top) * sy + 6];
		let [inside, outside] = [0, 0];
		for (let y = 0; y < canvas.height; y++) for (let x = 0; x < canvas.width; x++) {
			if (img[4 * (y * canvas.width + x) + 3] < 128) continue;
			if (x >= x0 && x <= x1 && y >= y0 && y <= y1) inside++;
			else outside++;
		}
		return [inside, outside];
	})`
	// A region in the middle of the view, whose label showed.
	id := js[string](t, ctx, `(() => {
		const map = window.__leafletMap, size = map.getSize();
		let best = null, bestD = Infinity;
		for (const f of window.__shapes.features) {
			const p = map.latLngToContainerPoint([f.properties.label[1], f.properties.label[0]]);
			const d = Math.hypot(p.x - size.x / 2, p.y - size.y / 2);
			if (d < bestD) [best, bestD] = [f.id, d];
		}
		return best;
	})()`)
	for _, step := range []struct{ date, pick string }{{"2024-02-02", id}, {"2024-02-10", ""}, {"2024-02-11", "null"}} {
		if step.pick != "" {
			arg := "null"
			if step.pick != "null" {
				arg = "'" + step.pick + "'"
			}
			js[bool](t, ctx, `(window.frontline.select(`+arg+`), true)`)
		}
		js[string](t, ctx, `window.frontline.setDate('`+step.date+`')`)
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](marks+`('`+id+`')`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if step.pick == "null" {
			if got[0]+got[1] != 0 {
				t.Errorf("%s, no selection: %d pixels marked, want none", step.date, got[0]+got[1])
			}
			continue
		}
		if got[0] < 20 || got[1] != 0 {
			t.Errorf("%s, %s selected: %d pixels marked around it and %d elsewhere; want its outline alone", step.date, id, got[0], got[1])
		}
	}
	screenshot(t, ctx, "canvas-steps")
}

// withoutProjectedShapes, run before a page's scripts, takes the projected shapes' URL out
// of the page data once the document is parsed, before the modules read it: the page then
// draws its canvas from regions.geojson, as a static export does.
const withoutProjectedShapes = `document.addEventListener('readystatechange', () => {
	if (document.readyState !== 'interactive') return;
	const node = document.getElementById('map-data');
	const data = JSON.parse(node.textContent);
	delete data.shapes;
	node.textContent = JSON.stringify(data);
});`

// TestBrowserCanvasProjectedShapesDrawAsGeoJSON: a canvas map across the antimeridian drawn
// from the server's projected shapes (GET /api/maps/{slug}/shapes, static/map/shapes.js)
// asks for them and not for regions.geojson, and looks as the same map drawn from the
// GeoJSON: its fills canvas the same pixels, give or take a few on the regions' edges.
func TestBrowserCanvasProjectedShapesDrawAsGeoJSON(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t, withMaps(crossingFolder("across", 26, 40))).h)
	defer srv.Close()
	const fills = `(() => {
		const c = document.querySelector('#map .map-canvas-stack > canvas[data-layer="fills"]');
		return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data);
	})()`
	const asked = `performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.startsWith('/api/maps/across/') && !p.endsWith('/timeline') && !p.endsWith('/context.geojson'))`
	drawn := func(hooks ...string) ([]int, []string) {
		ctx := newBrowser(t)
		for _, h := range hooks {
			if err := chromedp.Do(ctx, cdpCall(page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: h})); err != nil {
				t.Fatal(err)
			}
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/embed/across?date=2024-05-01")); err != nil {
			t.Fatal(err)
		}
		waitFor(t, ctx, "the canvas map drawn", `performance.getEntriesByName('frontline:drawn').length > 0`)
		waitFor(t, ctx, "two frames after", `new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))`)
		return js[[]int](t, ctx, fills), js[[]string](t, ctx, asked)
	}
	projected, projectedAsked := drawn()
	if want := []string{"/api/maps/across/shapes"}; !slices.Equal(projectedAsked, want) {
		t.Errorf("the page asked for %v, want %v", projectedAsked, want)
	}
	// The head's preload of the projected shapes is there all the same.
	geojson, geojsonAsked := drawn(withoutProjectedShapes)
	if !slices.Contains(geojsonAsked, "/api/maps/across/regions.geojson") {
		t.Fatalf("without the projected shapes the page asked for %v, want regions.geojson among them", geojsonAsked)
	}
	if len(projected) != len(geojson) || len(projected) == 0 {
		t.Fatalf("fills canvases of %d and %d bytes", len(projected), len(geojson))
	}
	differ, painted := 0, 0
	for i := 0; i < len(projected); i += 4 {
		if projected[i+3] > 0 {
			painted++
		}
		for k := range 4 {
			if d := projected[i+k] - geojson[i+k]; d > 8 || d < -8 {
				differ++
				break
			}
		}
	}
	t.Logf("%d of %d pixels differ, %d painted", differ, len(projected)/4, painted)
	if painted < len(projected)/4/10 || differ > painted/1000 {
		t.Errorf("%d of the %d painted pixels differ between the map drawn from projected shapes and from GeoJSON", differ, painted)
	}
}
