package web

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserContext loads the built-in map and its embed on a desktop and a phone: the
// neighbouring countries are drawn under the regions, quiet (lighter than any faction) and
// deaf to clicks, around the whole box the map is fitted to; the scale bar, in kilometres and
// miles, sits inside the map box clear of the zoom buttons, the credits and the legend.
func TestBrowserContext(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	for _, size := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{{"1280", 1280, 800, false}, {"375", 375, 812, true}} {
		for _, page := range []struct{ name, path string }{{"map", "/maps/afghanistan-2021?date=2021-08-14"}, {"embed", "/embed/afghanistan-2021?date=2021-08-14"}} {
			t.Run(page.name+"-"+size.name, func(t *testing.T) {
				ctx := newBrowser(t)
				viewport := chromedp.EmulateViewport(size.width, size.height)
				if size.mobile {
					viewport = chromedp.EmulateViewport(size.width, size.height, chromedp.EmulateMobile)
				}
				if err := chromedp.Do(ctx, viewport, chromedp.Navigate(srv.URL+page.path)); err != nil {
					t.Fatal(err)
				}
				waitFor(t, ctx, "the regions", `document.querySelectorAll('#map path[data-region]').length === 34`)
				// Leaflet's context and scale bar: they come when the reader moves the live map.
				dragMapAndBack(t, ctx)
				waitFor(t, ctx, "the context", `document.querySelectorAll('#map .leaflet-pane .context-land').length > 0 && document.querySelectorAll('#map .leaflet-pane .context-lines').length > 0`)

				// Under the regions: its pane is below the overlay pane, and a point in Pakistan
				// (Peshawar) hits the map, not the context.
				if got := js[string](t, ctx, `(() => {
					const pane = document.querySelector('#map .leaflet-pane .context-land').closest('.leaflet-pane');
					const over = document.querySelector('#map .leaflet-overlay-pane');
					return [getComputedStyle(pane).zIndex < getComputedStyle(over).zIndex, getComputedStyle(pane).pointerEvents].join(' ');
				})()`); got != "true none" {
					t.Errorf("context pane below the regions' and taking no pointer: %q, want \"true none\"", got)
				}
				if got := js[string](t, ctx, `getComputedStyle(document.querySelector('#map .leaflet-pane .context-land')).fill`); got != "rgb(247, 247, 244)" {
					t.Errorf("context land is filled %q, want the quiet rgb(247, 247, 244)", got)
				}
				// Land all around: the map box's four corners are over context land or sea the
				// context outlines, never past its clipped edge. The corners' map coordinates
				// lie within the clipped area (46-89°E, 15-53°N).
				if got := js[bool](t, ctx, `(() => {
					const el = document.getElementById('map');
					const land = [...el.querySelectorAll('.leaflet-pane .context-land')];
					const b = land.map((p) => p.getBoundingClientRect()).reduce((a, r) => ({
						left: Math.min(a.left, r.left), top: Math.min(a.top, r.top), right: Math.max(a.right, r.right), bottom: Math.max(a.bottom, r.bottom),
					}), { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity });
					const box = el.getBoundingClientRect();
					return b.left <= box.left && b.top <= box.top && b.right >= box.right && b.bottom >= box.bottom;
				})()`); !got {
					t.Error("the context does not cover the map box: its clipped edge shows")
				}

				// The scale bar: metric and imperial, inside the map box, clear of the other
				// controls and of the legend.
				scale := js[[]string](t, ctx, `[...document.querySelectorAll('#map .leaflet-control-scale-line')].map((l) => l.textContent)`)
				if len(scale) != 2 || !endsWith(scale[0], " km", " m") || !endsWith(scale[1], " mi", " ft") {
					t.Errorf("scale bar reads %q, want kilometres (or metres) and miles (or feet)", scale)
				}
				if got := js[string](t, ctx, `(() => {
					const r = (el) => el?.getBoundingClientRect();
					const overlap = (a, b) => !!a && !!b && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
					const scale = r(document.querySelector('#map .leaflet-control-scale'));
					const box = r(document.getElementById('map'));
					const inside = scale.left >= box.left && scale.right <= box.right && scale.top >= box.top && scale.bottom <= box.bottom;
					const others = ['.leaflet-control-zoom', '.leaflet-control-attribution', '#legend'];
					const hit = others.filter((s) => overlap(scale, r(document.querySelector(s))));
					return inside ? hit.join(',') : 'outside the map box';
				})()`); got != "" {
					t.Errorf("the scale bar overlaps %s", got)
				}
				screenshot(t, ctx, "context-"+page.name+"-"+size.name)
			})
		}
	}
}

// endsWith tells whether s ends with one of the suffixes.
func endsWith(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if len(s) >= len(x) && s[len(s)-len(x):] == x {
			return true
		}
	}
	return false
}

// TestBrowserRegionLabels: region names show by size, larger regions first, never over each
// other nor over the places' markers and names; on a phone the provinces are too small for
// their names until the reader zooms in.
func TestBrowserRegionLabels(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	const shownLabels = `[...document.querySelectorAll('#map .region-label')].filter((l) => !l.hidden)`
	// The map's controls over it, which a name must not lie under either.
	const mapControls = `#map .leaflet-control-zoom, #map .leaflet-control-scale, #map .leaflet-control-attribution`
	const noOverlap = `(() => {
		const boxes = [...document.querySelectorAll('#map .region-label, #map .place-label, #map .place-marker, ` + mapControls + `')]
			.filter((l) => !l.hidden).map((l) => [l.classList.contains('region-label'), l.getBoundingClientRect()]);
		const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
		return boxes.filter(([region, a], i) => region && boxes.some(([, b], j) => i !== j && overlap(a, b))).length;
	})()`
	const overlapping = `(() => {
		const els = [...document.querySelectorAll('#map .region-label, #map .place-label, #map .place-marker, ` + mapControls + `')].filter((l) => !l.hidden);
		const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
		const name = (e) => e.className.baseVal === undefined && e.classList.contains('leaflet-control') ? e.className : e.textContent || e.dataset.place || e.getAttribute('data-place');
		return els.filter((e) => e.classList.contains('region-label')).flatMap((e) => els.filter((o) => o !== e && overlap(e.getBoundingClientRect(), o.getBoundingClientRect())).map((o) => name(e) + ' over ' + name(o) + JSON.stringify([e.getBoundingClientRect(), o.getBoundingClientRect()])));
	})()`
	for _, size := range []struct {
		name          string
		width, height int64
		mobile        bool
		zoomIns       int
	}{{"1280", 1280, 800, false, 0}, {"375", 375, 812, true, 2}} {
		t.Run(size.name, func(t *testing.T) {
			ctx := newBrowser(t)
			viewport := chromedp.EmulateViewport(size.width, size.height)
			if size.mobile {
				viewport = chromedp.EmulateViewport(size.width, size.height, chromedp.EmulateMobile)
			}
			if err := chromedp.Do(ctx, viewport, chromedp.Navigate(srv.URL+"/maps/afghanistan-2021?date=2021-08-14")); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "the place markers", `document.querySelectorAll('#map path[data-place]').length === 35`)
			// Leaflet's labels, which follow its zoom: they come when the reader moves the live map.
			dragMapAndBack(t, ctx)
			waitFor(t, ctx, "Leaflet's place markers", `document.querySelectorAll('#map path[data-place]').length === 35`)
			if size.zoomIns > 0 {
				if n := js[int](t, ctx, shownLabels+`.length`); n != 0 {
					t.Errorf("%d region names on a phone's whole-country view, want none: the provinces are too small", n)
				}
				// Each click waits for the zoom before it to end (Kabul drawn twice as wide, no
				// animation running): a click during the animation would be lost.
				const kabulWidth = `document.querySelector('#map .leaflet-pane path[data-region="AF-KAB"]').getBoundingClientRect().width`
				// The map in the middle of the screen first, as a reader would scroll it: the
				// click's own scrolling leaves the button at the window's top edge.
				js[bool](t, ctx, `(document.querySelector('#map').scrollIntoView({ block: 'center' }), true)`)
				for i := 0; i < size.zoomIns; i++ {
					// Leaflet's view settled, after the hand-over or the zoom before (Kabul as wide
					// at two polls running).
					waitFor(t, ctx, "Leaflet's view to settle", `(() => { const w = `+kabulWidth+`; const same = window.kabulWidth === w; window.kabulWidth = w; return same; })()`)
					width := js[float64](t, ctx, kabulWidth)
					b := js[[]float64](t, ctx, `(() => { const r = document.querySelector('.leaflet-control-zoom-in').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`)
					if err := chromedp.Do(ctx, chromedp.MouseClickXY(b[0], b[1])); err != nil {
						t.Fatal(err)
					}
					// Leaflet 1.9 marks its zoom's animation on the map pane (not the box) and
					// places the names again as it ends: read them before, and they are where
					// the animation's scaling has taken them, some beyond the box.
					waitFor(t, ctx, "the zoom to end", fmt.Sprintf(`%s > 1.5 * %v && !document.querySelector('#map .leaflet-map-pane').classList.contains('leaflet-zoom-anim')`, kabulWidth, width))
				}
			}
			waitFor(t, ctx, "region names", shownLabels+`.length >= 3`)
			if n := js[int](t, ctx, noOverlap); n != 0 {
				t.Errorf("%d region names overlap another name, a marker or a control: %q", n, js[[]string](t, ctx, overlapping))
			}
			// Each name a reader sees sits on its region: the region under the name's middle is
			// its own. A name whose middle the map box clips (or the window leaves out) is not
			// seen, and the browser cannot say what lies under it.
			const seenLabels = shownLabels + `.filter((l) => {
				const r = l.getBoundingClientRect();
				const m = document.getElementById('map').getBoundingClientRect();
				const [x, y] = [r.x + r.width / 2, r.y + r.height / 2];
				return x > m.left && x < m.right && y > m.top && y < m.bottom && x < innerWidth && y > 0 && y < innerHeight;
			})`
			// Every name shown lies inside the map box, which would clip it: after the live map
			// has handed over to Leaflet and two zooms on a phone too (the names outside the
			// box once seen there, Kandahar, Ghor and Faryab, were read during the last zoom's
			// animation).
			if out := js[[]string](t, ctx, shownLabels+`.filter((l) => {
				const r = l.getBoundingClientRect();
				const m = document.getElementById('map').getBoundingClientRect();
				return r.left < m.left || r.right > m.right || r.top < m.top || r.bottom > m.bottom;
			}).map((l) => l.textContent + ' ' + JSON.stringify(l.getBoundingClientRect()) + ' box ' + JSON.stringify(document.getElementById('map').getBoundingClientRect()))`); len(out) != 0 {
				t.Errorf("names placed outside the map box: %q", out)
			}
			if n := js[int](t, ctx, seenLabels+`.length`); n < 1 {
				t.Errorf("%d region names in sight, want at least one", n)
			}
			if got := js[[]string](t, ctx, seenLabels+`.filter((l) => {
				const r = l.getBoundingClientRect();
				const under = document.elementsFromPoint(r.x + r.width / 2, r.y + r.height / 2).find((e) => e.dataset?.region && e.tagName === 'path');
				return under?.dataset.region !== l.dataset.region;
			}).map((l) => l.textContent)`); len(got) != 0 {
				t.Errorf("names off their region: %q", got)
			}
			if halo := js[string](t, ctx, `getComputedStyle(`+shownLabels+`[0]).textShadow`); halo == "none" || halo == "" {
				t.Error("region names have no halo")
			}
			screenshot(t, ctx, "region-labels-"+size.name)
		})
	}
}

// TestBrowserLabelsClearOfControls: on a phone, the inline map's place names lie under
// neither the live map's zoom buttons (Sheberghan's first letter did, at the left edge) nor
// its scale bar, which is there before Leaflet, inside the box, in kilometres over miles;
// after the live map's zoom button has handed over to Leaflet, no region or place name lies
// under Leaflet's controls (Faryab's lay under the zoom buttons at the embed's left edge,
// only "ryab" showing) nor outside the box.
func TestBrowserLabelsClearOfControls(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)
	const kabulWidth = `document.querySelector('#map .leaflet-pane path[data-region="AF-KAB"]').getBoundingClientRect().width`
	// misplaced lists the shown names (labels) that lie under one of controls or outside
	// the map box.
	misplaced := func(labels, controls string) string {
		return `(() => {
			const m = document.getElementById('map').getBoundingClientRect();
			const controls = [...document.querySelectorAll('` + controls + `')].map((c) => c.getBoundingClientRect());
			const over = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
			const shown = [...document.querySelectorAll('` + labels + `')].filter((l) => !l.hidden && l.getClientRects().length > 0 && getComputedStyle(l.parentNode).display !== 'none');
			if (shown.length < 2) return ['only ' + shown.length + ' names shown'];
			return shown.flatMap((l) => {
				const r = l.getBoundingClientRect();
				const out = [];
				if (r.left < m.left || r.right > m.right || r.top < m.top || r.bottom > m.bottom) out.push(l.textContent + ' outside the box');
				if (controls.some((c) => over(r, c))) out.push(l.textContent + ' under a control');
				return out;
			});
		})()`
	}
	for _, page := range []string{"/embed/afghanistan-2021?date=2021-08-14", "/maps/afghanistan-2021?date=2021-08-14"} {
		t.Run(page, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile), chromedp.Navigate(srv.URL+page)); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "the live map", `!!document.querySelector('#map > svg.map-inline.is-live')`)
			if got := js[[]string](t, ctx, misplaced(`#map > svg.map-inline text[data-inline-label]`, `#map .map-zoom, #map .map-inline-scale-narrow rect`)); len(got) != 0 {
				t.Errorf("the inline map's names misplaced: %q", got)
			}
			scale := js[[]string](t, ctx, `(() => {
				const m = document.getElementById('map').getBoundingClientRect();
				const bar = document.querySelector('#map .map-inline-scale-narrow');
				const r = bar?.getBoundingClientRect();
				if (!r || r.width === 0 || r.left < m.left || r.right > m.right || r.bottom > m.bottom || r.top < m.top + m.height / 2) return ['no scale bar at the bottom left of the box'];
				return [...bar.querySelectorAll('text')].map((t) => t.textContent);
			})()`)
			if len(scale) != 2 || !strings.HasSuffix(scale[0], " km") || !strings.HasSuffix(scale[1], " mi") {
				t.Errorf("the inline scale bar says %q, want kilometres over miles", scale)
			}
			js[bool](t, ctx, `(document.querySelector('#map').scrollIntoView({ block: 'center' }), document.querySelector('#map .map-zoom-in').click(), true)`)
			waitFor(t, ctx, "Leaflet's map to take over", `!document.querySelector('#map > svg.map-inline') && !!document.querySelector('#map .leaflet-pane path[data-region]')`)
			waitFor(t, ctx, "Leaflet's view to settle", `(() => { const w = `+kabulWidth+`; const same = window.kabulWidth === w && !document.querySelector('#map .leaflet-map-pane').classList.contains('leaflet-zoom-anim'); window.kabulWidth = w; return same; })()`)
			waitFor(t, ctx, "region names", `document.querySelectorAll('#map .region-label:not([hidden])').length >= 2`)
			const leafletControls = `#map .leaflet-control-zoom, #map .leaflet-control-scale, #map .leaflet-control-attribution`
			if got := js[[]string](t, ctx, misplaced(`#map .region-label`, leafletControls)); len(got) != 0 {
				t.Errorf("region names misplaced: %q", got)
			}
			if got := js[[]string](t, ctx, misplaced(`#map .leaflet-tooltip.place-label`, leafletControls)); len(got) != 0 {
				t.Errorf("place names misplaced: %q", got)
			}
		})
	}
}
