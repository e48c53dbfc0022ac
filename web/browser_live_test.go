package web

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserLiveMap: below 1,000 regions the server's inline map is the live map
// (static/map/live.js). On a phone and a desktop, on the map page and in the embed, with
// nothing of Leaflet's loaded: a step of the slider recolours provinces and places' markers
// (a claim as a ring around the hatch's ground), the wheel zooms the picture around the
// pointer at once, and Leaflet then takes over at that view, Kabul's box where the picture
// had it (within 3 px at twice the size).
func TestBrowserLiveMap(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)
	const leafletLoaded = `!!window.L || performance.getEntriesByType('resource').some((e) => /leaflet|regions\.geojson|context\.geojson/.test(e.name))`
	// A marker is two round dots: the outer one (data-place) its edge, the inner its fill.
	const marker = `((id) => { const o = document.querySelector('#map > svg.map-inline path[data-place="' + id + '"]'); const i = o.nextElementSibling;
		return [o.getAttribute('stroke'), i.getAttribute('stroke'), o.classList.contains('claimed')].join(' '); })`
	const kabul = `(() => { const r = document.querySelector('#map path[data-region="AF-KAB"]').getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`
	for _, size := range firstPaintSizes {
		for _, pg := range []struct{ name, path string }{
			{"map", "/maps/afghanistan-2021?date=2021-08-14"},
			{"embed", "/embed/afghanistan-2021?date=2021-08-14"},
		} {
			t.Run(pg.name+"-"+size.name, func(t *testing.T) {
				if err := chromedp.Do(ctx, viewportFor(size.width, size.height, size.mobile), chromedp.Navigate(srv.URL+pg.path)); err != nil {
					t.Fatal(err)
				}
				waitFor(t, ctx, "the live map", `performance.getEntriesByName('frontline:drawn').length === 1 && !!document.querySelector('#map > svg.map-inline.is-live')`)
				if got := js[string](t, ctx, marker+`('kabul') + ' | ' + `+marker+`('char-asyab')`); got != "#ffffff #2f6db5 false | #d9a441 #f6f5f1 true" {
					t.Errorf("on 14 August Kabul's and Char Asyab's markers are drawn %q, want the government's disc and the Taliban's claimed ring", got)
				}
				screenshot(t, ctx, "live-"+pg.name+"-"+size.name)

				// One day on: Kabul's marker and province change in the same frame.
				if err := chromedp.Do(ctx, chromedp.Focus(chromedp.ID("date-slider")), chromedp.KeyEvent(kb.ArrowRight)); err != nil {
					t.Fatal(err)
				}
				if got := js[string](t, ctx, marker+`('kabul') + ' ' + document.querySelector('#map path[data-region="AF-KAB"]').getAttribute('fill')`); got != "#ffffff #d9a441 false #d9a441" {
					t.Errorf("on 15 August Kabul's marker and province are drawn %q, want the Taliban's", got)
				}
				if js[bool](t, ctx, leafletLoaded) {
					t.Fatal("Leaflet, its style sheet or the shapes loaded before the reader zoomed")
				}

				// The wheel over Kabul: the picture zooms around the pointer at once, then
				// Leaflet takes over at the same view.
				k := js[[]float64](t, ctx, kabul)
				x, y := k[0]+k[2]/2, k[1]+k[3]/2
				// The protocol's wheel event wants a deltaX, which it drops when 0: the page's own.
				zoomed := js[[]float64](t, ctx, `(() => {
					document.querySelector('#map > svg.map-inline').dispatchEvent(new WheelEvent('wheel', { deltaY: -120, clientX: `+fmt.Sprint(x)+`, clientY: `+fmt.Sprint(y)+`, bubbles: true, cancelable: true }));
					return `+kabul+`;
				})()`)
				if !js[bool](t, ctx, `!!document.querySelector('#map > svg.map-inline')`) || zoomed[2] < 1.5*k[2] {
					t.Fatalf("after a wheel step Kabul measures %v, from %v: want the picture twice the size before Leaflet came", zoomed, k)
				}
				waitFor(t, ctx, "Leaflet's map to take over", `!document.querySelector('#map > svg.map-inline') && !!document.querySelector('#map .leaflet-pane path[data-region="AF-KAB"]')`)
				after := js[[]float64](t, ctx, kabul)
				for i := range after {
					if d := math.Abs(after[i] - zoomed[i]); d > 3 {
						t.Errorf("Kabul's box moved from %v to %v at the hand-over (by %.1f px, want at most 3)", zoomed, after, d)
						break
					}
				}
				if got := js[string](t, ctx, `document.querySelector('#map .leaflet-pane path[data-region="AF-KAB"]').getAttribute('fill')`); got != "#d9a441" {
					t.Errorf("Leaflet's Kabul on 15 August is filled %q, want the Taliban's", got)
				}
				screenshot(t, ctx, "live-zoomed-"+pg.name+"-"+size.name)
			})
		}
	}
}

// TestBrowserLiveMapKeys: the live map's box takes Leaflet's zoom keys ("=" and "+" in, "-"
// out), and the focus the reader had on it survives the hand-over to Leaflet, moved to
// Leaflet's element like it: the box stays focused and Leaflet then hears its keys, a zoom
// button's focus goes to Leaflet's zoom button, a key of the keyboard's list to Leaflet's key
// for the same region. Without this the hand-over dropped the focus to the page's top.
func TestBrowserLiveMapKeys(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)
	const kabulWidth = `document.querySelector('#map path[data-region="AF-KAB"]').getBoundingClientRect().width`
	const handedOver = `!document.querySelector('#map > svg.map-inline') && !!document.querySelector('#map .leaflet-pane path[data-region="AF-KAB"]')`
	// A wheel step over the map: the hand-over without moving the focus.
	const wheel = `(() => { const r = document.querySelector('#map > svg.map-inline').getBoundingClientRect();
		document.querySelector('#map > svg.map-inline').dispatchEvent(new WheelEvent('wheel', { deltaY: -120, clientX: r.x + r.width / 2, clientY: r.y + r.height / 2, bubbles: true, cancelable: true })); return true; })()`
	tests := []struct {
		name string
		// focus is the live map's element to focus; then the reader types keys, or script
		// stands for what they do.
		focus, keys, script string
		// wantZoom is the picture's growth the act makes before Leaflet comes (0: none asked).
		wantZoom float64
		// wantFocus is a selector for Leaflet's element that has the focus after.
		wantFocus string
		// then is a key pressed on Leaflet's map after, which zooms it by thenZoom.
		then     string
		thenZoom float64
	}{
		{"box =", "#map", "=", "", 2, "#map", "-", 0.5},
		{"box -", "#map", "-", "", 0.5, "#map", "=", 2},
		{"zoom button", "#map .map-zoom-in", kb.Enter, "", 2, "#map .leaflet-control-zoom-in", "", 0},
		{"key of the list", `#map .map-live-keys .map-key[data-id="AF-HER"]`, "", wheel, 2, `#map .leaflet-control .map-key[data-id="AF-HER"]`, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+"/embed/afghanistan-2021?date=2021-08-14")); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "the live map", `performance.getEntriesByName('frontline:drawn').length === 1 && !!document.querySelector('#map > svg.map-inline.is-live')`)
			before := js[float64](t, ctx, kabulWidth)
			// The keyboard's list comes once the browser is idle (map/live.js).
			waitFor(t, ctx, "the element to focus", `!!document.querySelector(`+quoteJS(tt.focus)+`)`)
			js[bool](t, ctx, `(document.querySelector(`+quoteJS(tt.focus)+`).focus(), true)`)
			if tt.script != "" {
				js[bool](t, ctx, tt.script)
			} else if err := chromedp.Do(ctx, chromedp.KeyEvent(tt.keys)); err != nil {
				t.Fatal(err)
			}
			if got := js[float64](t, ctx, kabulWidth) / before; math.Abs(got-tt.wantZoom) > 0.05 {
				t.Errorf("Kabul grew %.2f times at once, want %.2f", got, tt.wantZoom)
			}
			waitFor(t, ctx, "Leaflet's map to take over", handedOver)
			if !js[bool](t, ctx, `document.activeElement === document.querySelector(`+quoteJS(tt.wantFocus)+`)`) {
				t.Errorf("after the hand-over the focus is on %q, want %s", js[string](t, ctx, `document.activeElement.outerHTML.slice(0, 120)`), tt.wantFocus)
			}
			if tt.then == "" {
				return
			}
			// Leaflet's keyboard handler hears the box's keys: about a level in or out (Leaflet
			// snaps the fit's zoom plus one to its quarters).
			waitFor(t, ctx, "Leaflet's view to settle", `(() => { const w = `+kabulWidth+`; const same = window.kabulWidth === w; window.kabulWidth = w; return same; })()`)
			w := js[float64](t, ctx, kabulWidth)
			if err := chromedp.Do(ctx, chromedp.KeyEvent(tt.then)); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "Leaflet's zoom", fmt.Sprintf(`Math.abs(Math.log2(%s / %v) - Math.log2(%v)) <= 0.25 && !document.querySelector('#map .leaflet-map-pane').classList.contains('leaflet-zoom-anim')`, kabulWidth, w, tt.thenZoom))
		})
	}
}

// quoteJS is s as a JavaScript string literal.
func quoteJS(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestBrowserLiveStepChangesFills: a step of the slider on the live inline map changes the
// regions' fills and nothing else of the regions' picture: no element is added or removed, no
// attribute but a fill (and the script's own data-) is set on a region, and the outline's and
// the borders' elements, one each, drawn over every region, are not touched, so a step
// rasterises fills alone (geo/inline.go's inlineRegions; the fills and the borders are layers of
// their own). Ten steps forward and back over the days on which most changed, in the embed.
func TestBrowserLiveStepChangesFills(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, viewportFor(1280, 800, false), chromedp.Navigate(srv.URL+"/embed/afghanistan-2021?date=2021-08-05")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the live map", `performance.getEntriesByName('frontline:drawn').length === 1 && !!document.querySelector('#map > svg.map-inline.is-live')`)
	if got := js[string](t, ctx, `(() => {
		const svg = document.querySelector('#map > svg.map-inline');
		const n = (sel) => svg.querySelectorAll(sel).length;
		return [n('.map-inline-outline > use'), n('.map-inline-borders > path'), n('.map-inline-fills > path[data-inline-region]'),
			n('.map-inline-fills > path[stroke]'), getComputedStyle(svg.querySelector('path[data-inline-region]')).stroke].join(' ');
	})()`); got != "1 1 34 0 none" {
		t.Fatalf("outline's <use>s, borders' paths, fills, fills with a stroke attribute, a fill's stroke: %q, want %q", got, "1 1 34 0 none")
	}
	js[bool](t, ctx, `(() => {
		window.touched = [];
		const describe = (n) => n.closest('.map-inline-fills') ? 'fill' : n.closest('.map-inline-borders') ? 'border'
			: n.closest('.map-inline-outline') ? 'outline' : n.closest('.map-inline-places') ? 'place' : n.nodeName;
		new MutationObserver((records) => {
			for (const r of records) window.touched.push(describe(r.target) + ' ' + r.type + ' ' + (r.attributeName ?? ''));
		}).observe(document.querySelector('#map > svg.map-inline'), { subtree: true, attributes: true, childList: true });
		return true;
	})()`)
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.ID("date-slider"))); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{kb.ArrowRight, kb.ArrowRight, kb.ArrowRight, kb.ArrowRight, kb.ArrowRight, kb.ArrowRight, kb.ArrowRight, kb.ArrowRight, kb.ArrowLeft, kb.ArrowLeft} {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(key)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, ctx, "the slider at 11 August", `document.getElementById('date-slider').getAttribute('aria-valuetext')?.includes('11 August')`)
	kinds := js[map[string]int](t, ctx, `(() => { const k = {}; for (const t of window.touched) k[t] = (k[t] ?? 0) + 1; return k; })()`)
	if kinds["fill attributes fill"] == 0 {
		t.Errorf("ten steps set no region's fill (%v): want the provinces recoloured", kinds)
	}
	for kind, n := range kinds {
		switch kind {
		case "fill attributes fill", "fill attributes data-faction", "fill attributes data-claimed",
			// The places' markers are recoloured by their strokes: discs, not borders.
			"place attributes stroke", "place attributes stroke-width", "place attributes class":
		default:
			t.Errorf("a step touched %q %d times: want a region's fill alone changed (and places' markers)", kind, n)
		}
	}
}

// TestBrowserLiveHoverOverBorders: the pointer's region on the live map is outlined over the
// borders (in the marks group after them), not by a stroke on its fill, which the
// neighbours' borders drawn over the fills would cover; leaving it removes the line.
func TestBrowserLiveHoverOverBorders(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, viewportFor(1280, 800, false), chromedp.Navigate(srv.URL+"/embed/afghanistan-2021")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the live map", `performance.getEntriesByName('frontline:drawn').length === 1 && !!document.querySelector('#map > svg.map-inline.is-live')`)
	// A point of Ghor's, found as the browser hit-tests it.
	pt := js[[]float64](t, ctx, `(() => {
		const path = document.querySelector('path[data-inline-region="AF-GHO"]');
		const r = path.getBoundingClientRect();
		for (let i = 1; i < 10; i++) for (let j = 1; j < 10; j++) {
			const x = r.x + r.width * i / 10, y = r.y + r.height * j / 10;
			if (document.elementFromPoint(x, y) === path) return [x, y];
		}
		return [];
	})()`)
	if len(pt) != 2 {
		t.Fatal("no point of Ghor's fill is under the pointer's reach")
	}
	if err := chromedp.Do(ctx, chromedp.MouseEvent(chromedp.MouseMoved, pt[0], pt[1])); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "Ghor outlined", `!!document.querySelector('.map-inline-marks path.hover')`)
	if got := js[string](t, ctx, `(() => {
		const line = document.querySelector('.map-inline-marks path.hover');
		const borders = document.querySelector('.map-inline-borders');
		const after = !!(borders.compareDocumentPosition(line) & Node.DOCUMENT_POSITION_FOLLOWING);
		return [after, getComputedStyle(line).stroke, line.getAttribute('fill'), document.querySelectorAll('.map-inline-marks path.hover').length].join(' ');
	})()`); got != "true rgb(21, 25, 29) none 1" {
		t.Errorf("the hover line (after the borders, its stroke, its fill, how many): %q, want %q", got, "true rgb(21, 25, 29) none 1")
	}
	if err := chromedp.Do(ctx, chromedp.MouseEvent(chromedp.MouseMoved, 2, 2)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the line gone once the pointer left", `!document.querySelector('.map-inline-marks path.hover')`)
}

// TestBrowserLiveHitRegionsOnlyWhenNeeded: the live map asks the compositor to wait for the
// page (a wheel listener that may cancel the scroll; touch-action: none) only where and while
// it must, since Chromium records each path's region for either and redoes them at every
// frame of a scrub. With a mouse, the wheel over the map zooms and cancels the page's scroll
// once the pointer is over it, and the picture has no touch-action; a wheel that comes before
// the pointer (a page loaded under it) still zooms. On a touch screen the picture is
// touch-action: none, so that a drag or a pinch moves the map rather than the page.
func TestBrowserLiveHitRegionsOnlyWhenNeeded(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)
	const page = "/embed/afghanistan-2021?date=2021-08-14"
	const live = `performance.getEntriesByName('frontline:drawn').length === 1 && !!document.querySelector('#map > svg.map-inline.is-live')`
	const touchAction = `getComputedStyle(document.querySelector('#map > svg.map-inline')).touchAction`
	// A wheel step over the map's centre: whether the page's scroll was cancelled, and
	// whether the picture zoomed at once.
	const wheel = `(() => { const svg = document.querySelector('#map > svg.map-inline'); const r = svg.getBoundingClientRect();
		const e = new WheelEvent('wheel', { deltaY: -120, clientX: r.x + r.width / 2, clientY: r.y + r.height / 2, bubbles: true, cancelable: true });
		svg.dispatchEvent(e); return [e.defaultPrevented, svg.style.transform.includes('scale(2)')]; })()`
	const centre = `(() => { const r = document.querySelector('#map > svg.map-inline').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`

	if err := chromedp.Do(ctx, viewportFor(1280, 800, false), chromedp.Navigate(srv.URL+page)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the live map", live)
	if err := chromedp.Do(ctx, chromedp.MouseEvent(chromedp.MouseMoved, 2, 2)); err != nil {
		t.Fatal(err)
	}
	if got := js[string](t, ctx, touchAction); got != "auto" {
		t.Errorf("with a mouse the live map's touch-action is %q, want auto", got)
	}
	if got := js[[]bool](t, ctx, wheel); got[0] || !got[1] {
		t.Errorf("a wheel before the pointer came over the map: scroll cancelled %v, zoomed %v; want false, true", got[0], got[1])
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+page)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the live map", live)
	pt := js[[]float64](t, ctx, centre)
	if err := chromedp.Do(ctx, chromedp.MouseEvent(chromedp.MouseMoved, pt[0], pt[1])); err != nil {
		t.Fatal(err)
	}
	if got := js[[]bool](t, ctx, wheel); !got[0] || !got[1] {
		t.Errorf("a wheel with the pointer over the map: scroll cancelled %v, zoomed %v; want true, true", got[0], got[1])
	}

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulateTouch), chromedp.Navigate(srv.URL+page)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the live map", live)
	if got := js[string](t, ctx, touchAction); got != "none" {
		t.Errorf("on a touch screen the live map's touch-action is %q, want none", got)
	}
}
