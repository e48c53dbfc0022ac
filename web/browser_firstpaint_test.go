package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/frontline-maps/frontline/static"
)

// firstPaintSizes are a phone and a desktop.
var firstPaintSizes = []struct {
	name          string
	width, height int64
	mobile        bool
}{{"375", 375, 812, true}, {"1280", 1280, 800, false}}

// viewportFor emulates a size, as a phone's or a desktop's.
func viewportFor(width, height int64, mobile bool) chromedp.Action[chromedp.Void] {
	if mobile {
		return chromedp.EmulateViewport(width, height, chromedp.EmulateMobile)
	}
	return chromedp.EmulateViewport(width, height)
}

// cdpCall is a protocol command as a step of chromedp.Do.
func cdpCall[P, R any](cmd cdp.Command[P, R], params P) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, cmd, params)
		return err
	})
}

// inlineCensus is what a page's inline map paints inside the map box, as the browser lays
// it out: regions with a fill and a shape inside the box, markers, and labels shown.
const inlineCensus = `(() => {
	const box = document.getElementById('map').getBoundingClientRect();
	const inside = (r) => r.width > 0 && r.height > 0 && r.left >= box.left - 2 && r.right <= box.right + 2 && r.top >= box.top - 2 && r.bottom <= box.bottom + 2;
	const regions = [...document.querySelectorAll('#map > svg.map-inline path[data-inline-region]')]
		.filter((p) => getComputedStyle(p).fill !== 'none' && inside(p.getBoundingClientRect()));
	// A marker is a line of no length with round caps: its box is its centre.
	const at = (r) => r.left >= box.left && r.left <= box.right && r.top >= box.top && r.top <= box.bottom;
	const places = new Set([...document.querySelectorAll('#map > svg.map-inline path[data-inline-place]')]
		.filter((p) => at(p.getBoundingClientRect())).map((p) => p.dataset.inlinePlace));
	const labels = [...document.querySelectorAll('#map > svg.map-inline text[data-inline-label]')]
		.filter((l) => l.getClientRects().length > 0 && getComputedStyle(l.parentNode).display !== 'none');
	const balkh = document.querySelector('#map > svg.map-inline path[data-inline-region="AF-BAL"]');
	return [regions.length, places.size, labels.length, balkh?.getAttribute('fill') ?? '', Math.round(box.width), Math.round(box.height)];
})()`

// TestBrowserMapWithoutScript loads the map page, the embed and the static export's
// index.html (whose early table and script are of no use without JavaScript) with JavaScript
// disabled, on a phone and a desktop: the server's inline map paints every one of the 34
// provinces in its holder's colour inside the map box, the 35 places' markers and some of
// their labels.
func TestBrowserMapWithoutScript(t *testing.T) {
	ts := newTestServer(t)
	srv := httptest.NewServer(ts.h)
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "site")
	if _, err := ExportStatic(context.Background(), ts.store, static.FS, "afghanistan-2021", out); err != nil {
		t.Fatal(err)
	}
	site := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer site.Close()
	// One browser for the six pages: a browser's start is the slowest part of a load.
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, cdpCall(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})); err != nil {
		t.Fatal(err)
	}
	for _, size := range firstPaintSizes {
		for _, pg := range []struct{ name, url string }{
			{"map", srv.URL + "/maps/afghanistan-2021?date=2021-08-14"},
			{"embed", srv.URL + "/embed/afghanistan-2021?date=2021-08-14"},
			{"static-export", site.URL + "/index.html"}, // at the map's default date, 14 August
		} {
			t.Run(pg.name+"-"+size.name, func(t *testing.T) {
				if err := chromedp.Do(ctx, viewportFor(size.width, size.height, size.mobile), chromedp.Navigate(pg.url)); err != nil {
					t.Fatal(err)
				}
				if js[bool](t, ctx, `!!document.querySelector('.leaflet-container, .leaflet-pane')`) {
					t.Fatal("Leaflet ran: the page's scripts were not disabled")
				}
				got := js[[]any](t, ctx, inlineCensus)
				want := fmt.Sprint([]any{34, 35})
				if fmt.Sprint(got[:2]) != want {
					t.Errorf("regions painted and markers inside the map box = %v, want %s", got[:2], want)
				}
				if labels := got[2].(float64); labels < 3 || labels >= 35 {
					t.Errorf("%v labels shown, want some (Kabul's among them) but not all 35, which would collide", labels)
				}
				if got[3] != "#d9a441" {
					t.Errorf("Balkh on 14 August is filled %v, want the Taliban's #d9a441", got[3])
				}
				if w, h := got[4].(float64), got[5].(float64); w < 200 || h < 150 {
					t.Errorf("the map box is %vx%v, want a map to look at", w, h)
				}
				if !js[bool](t, ctx, `!!document.querySelector('#map > svg.map-inline text[data-inline-label="kabul"]')`) {
					t.Error("Kabul has no label")
				}
				// The map box comes first in the document (TestMapFirstInDocument) and is shown
				// under the controls and the chart; its land around is clipped at its edges.
				placed := js[[]bool](t, ctx, `(() => {
					const map = document.getElementById('map').getBoundingClientRect();
					const above = ['date-form', 'series-chart'].every((id) => document.getElementById(id).getBoundingClientRect().bottom <= map.top + 1);
					// What is above the map box is itself where it is drawn, at its centre. The
					// inline map lets the pointer through: here it is hit, to be seen where painted.
					document.querySelector('#map > svg.map-inline').style.pointerEvents = 'auto';
					const own = (el) => {
						const r = el.getBoundingClientRect();
						const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
						return !!hit && el.contains(hit);
					};
					return [above, own(document.querySelector('#map-title, .embed-title')) && own(document.getElementById('date-form'))];
				})()`)
				if !placed[0] {
					t.Error("the map box is not under the date controls and the chart")
				}
				if !placed[1] {
					t.Error("something is painted over the title or the date controls: the inline map's land around is not clipped to the map box")
				}
				screenshot(t, ctx, "nojs-"+pg.name+"-"+size.name)
			})
		}
	}
}

// TestBrowserInlineHandover loads the map page and the embed with JavaScript: the inline map
// is there when the page is parsed and stays, the live map, with no Leaflet loaded, until the
// reader zooms; the zoom button moves the picture at once, and Leaflet's regions take its
// place at the same spot (a province's box moves by at most 3 px at twice the size, the map
// box not at all); the inline map goes only once Leaflet's 34 regions are painted.
func TestBrowserInlineHandover(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	// Recorded by the page as it is parsed, before any of its own scripts can run, and when
	// the inline map is taken out.
	const watch = `document.addEventListener('DOMContentLoaded', () => {
		const rect = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; };
		const map = document.getElementById('map');
		const kabul = map.querySelector('svg.map-inline path[data-inline-region="AF-KAB"]');
		window.__inline = { map: rect(map), kabul: kabul ? rect(kabul) : null };
		new MutationObserver((changes, obs) => {
			if (map.querySelector(':scope > svg.map-inline')) return;
			window.__removed = { leafletRegions: map.querySelectorAll('.leaflet-pane path[data-region][fill]').length };
			obs.disconnect();
		}).observe(map, { childList: true });
	});`
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, cdpCall(page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watch})); err != nil {
		t.Fatal(err)
	}
	for _, size := range firstPaintSizes {
		for _, pg := range []struct{ name, path string }{
			{"map", "/maps/afghanistan-2021?date=2021-08-14"},
			{"embed", "/embed/afghanistan-2021?date=2021-08-14"},
		} {
			t.Run(pg.name+"-"+size.name, func(t *testing.T) {
				if err := chromedp.Do(ctx, viewportFor(size.width, size.height, size.mobile), chromedp.Navigate(srv.URL+pg.path)); err != nil {
					t.Fatal(err)
				}
				waitFor(t, ctx, "the live map", `performance.getEntriesByName('frontline:drawn').length === 1`)
				if got := js[string](t, ctx, `[!!window.L, !!document.querySelector('link[href*="leaflet"]'), !!document.querySelector('#map > svg.map-inline.is-live')].join(' ')`); got != "false false true" {
					t.Fatalf("before a zoom, [Leaflet run, its style sheet linked, the inline map live] = %s, want false false true", got)
				}
				before := js[map[string][]float64](t, ctx, `window.__inline`)
				if before["kabul"] == nil {
					t.Fatal("the parsed page had no inline Kabul")
				}
				// The reader zooms in: the picture doubles around the box's centre at once.
				before["kabul"] = js[[]float64](t, ctx, `(() => {
					document.querySelector('#map .map-zoom-in').click();
					const r = document.querySelector('#map > svg.map-inline path[data-inline-region="AF-KAB"]').getBoundingClientRect();
					return [r.left, r.top, r.width, r.height];
				})()`)
				waitFor(t, ctx, "the inline map to be taken away", `!!window.__removed`)
				if got := js[float64](t, ctx, `window.__removed.leafletRegions`); got != 34 {
					t.Errorf("when the inline map went, Leaflet had painted %v regions, want 34", got)
				}
				after := js[map[string][]float64](t, ctx, `(() => {
					const rect = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; };
					return { map: rect(document.getElementById('map')), kabul: rect(document.querySelector('#map path[data-region="AF-KAB"]')) };
				})()`)
				for _, part := range []struct {
					name string
					tol  float64
				}{{"map", 0.5}, {"kabul", 3}} {
					for i, b := range before[part.name] {
						if d := math.Abs(b - after[part.name][i]); d > part.tol {
							t.Errorf("%s's box moved from %v to %v at the hand-over (by %.1f px, want at most %v)", part.name, before[part.name], after[part.name], d, part.tol)
							break
						}
					}
				}
				screenshot(t, ctx, "handover-"+pg.name+"-"+size.name)
			})
		}
	}
}

// TestBrowserInlineLabelsApart: the inline map's place names, set by the server without a
// browser's measure (geo/inline.go), are apart as the browser sets them, from each other
// and from the markers, on a phone and a desktop, on the map page and in the embed (Herat's
// and Maidan Shahr's touched at 375 pixels).
func TestBrowserInlineLabelsApart(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)
	const clashes = `(() => {
		const box = (e) => e.getBoundingClientRect();
		const shown = (e) => { const r = box(e); return r.width > 0 && r.height > 0; };
		const names = [...document.querySelectorAll('#map > svg.map-inline text[data-inline-label]')].filter(shown);
		const marks = [...document.querySelectorAll('#map > svg.map-inline path[data-inline-place]')].filter(shown);
		const apart = (a, b) => a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
		const out = [];
		names.forEach((n, i) => {
			for (const o of names.slice(i + 1)) if (!apart(box(n), box(o))) out.push(n.textContent + ' touches ' + o.textContent);
			for (const m of marks) if (!apart(box(n), box(m))) out.push(n.textContent + ' over the marker of ' + m.dataset.inlinePlace);
		});
		return [names.length, out];
	})()`
	for _, size := range firstPaintSizes {
		for _, pg := range []string{"/embed/afghanistan-2021?date=2021-08-14", "/maps/afghanistan-2021?date=2021-08-14"} {
			t.Run(size.name+pg, func(t *testing.T) {
				if err := chromedp.Do(ctx, viewportFor(size.width, size.height, size.mobile), chromedp.Navigate(srv.URL+pg)); err != nil {
					t.Fatal(err)
				}
				waitFor(t, ctx, "the inline map", `!!document.querySelector('#map > svg.map-inline text[data-inline-label]')`)
				got := js[[]any](t, ctx, clashes)
				if n, _ := got[0].(float64); n < 5 {
					t.Errorf("%v names shown, want at least 5", got[0])
				}
				if out, _ := got[1].([]any); len(out) != 0 {
					t.Errorf("names not apart: %q", out)
				}
			})
		}
	}
}
