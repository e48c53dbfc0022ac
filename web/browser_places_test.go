package web

import (
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserPlaces loads the built-in map on 14 August 2021 on a desktop and a phone: the
// places are markers in their holder's colour (Mazar-i-Sharif and Pul-e-Alam Taliban, Kabul
// the government's, Char Asyab's claim a ring), labelled where the labels fit; a step of the
// slider recolours Kabul in the frame that recolours its province; a click on a marker opens
// its popup with the place's history.
func TestBrowserPlaces(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	for _, size := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{{"1280", 1280, 800, false}, {"375", 375, 812, true}} {
		t.Run(size.name, func(t *testing.T) {
			ctx := newBrowser(t)
			viewport := chromedp.EmulateViewport(size.width, size.height)
			if size.mobile {
				viewport = chromedp.EmulateViewport(size.width, size.height, chromedp.EmulateMobile)
			}
			if err := chromedp.Do(ctx, viewport, chromedp.Navigate(srv.URL+"/maps/afghanistan-2021?date=2021-08-14")); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "35 place markers", `document.querySelectorAll('#map path[data-place]').length === 35`)
			// Leaflet's markers and labels (the live inline map's are TestBrowserLiveMap's): the
			// reader drags the map, and Leaflet takes over at the same view.
			dragMapAndBack(t, ctx)
			waitFor(t, ctx, "Leaflet's 35 place markers", `document.querySelectorAll('#map path[data-place]').length === 35`)
			marker := func(id string) string { return `document.querySelector('#map path[data-place="` + id + `"]')` }
			for id, want := range map[string]string{"mazar-i-sharif": "#d9a441", "pul-e-alam": "#d9a441", "kabul": "#2f6db5"} {
				if got := js[string](t, ctx, marker(id)+`.getAttribute('fill')`); got != want {
					t.Errorf("%s on 14 August is filled %q, want %s", id, got, want)
				}
			}
			// A claim: the holder's colour as a ring around the hatch's ground.
			if got := js[string](t, ctx, marker("char-asyab")+`.getAttribute('stroke') + ' ' + `+marker("char-asyab")+`.classList.contains('claimed')`); got != "#d9a441 true" {
				t.Errorf("Char Asyab's claim is drawn %q, want a ring of the Taliban's #d9a441, marked claimed", got)
			}
			// Markers are above the regions.
			if got := js[bool](t, ctx, `(() => { const r = `+marker("kabul")+`.getBoundingClientRect();
				return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === `+marker("kabul")+`; })()`); !got {
				t.Error("Kabul's marker is covered at its centre")
			}
			// The largest cities come first in places.geojson, and are labelled first.
			for _, id := range []string{"kabul", "kandahar", "herat"} {
				if hidden := js[bool](t, ctx, marker(id)+` && [...document.querySelectorAll('.place-label')].find((l) => l.textContent === `+"`"+`${{kabul: 'Kabul', kandahar: 'Kandahar', herat: 'Herat'}['`+id+`']}`+"`"+`)?.hidden !== false`); hidden {
					t.Errorf("%s has no label", id)
				}
			}
			labels := js[int](t, ctx, `[...document.querySelectorAll('.place-label')].filter((l) => !l.hidden).length`)
			if labels < 5 || labels >= 35 {
				t.Errorf("%d labels shown, want some but not all 35 (they would collide)", labels)
			}
			if got := js[bool](t, ctx, `(() => {
				const boxes = [...document.querySelectorAll('.place-label')].filter((l) => !l.hidden).map((l) => l.getBoundingClientRect());
				return boxes.some((a, i) => boxes.some((b, j) => i < j && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom));
			})()`); got {
				t.Error("two labels shown overlap")
			}
			screenshot(t, ctx, "places-"+size.name)

			// One day on: Kabul's marker and province change in the same frame.
			if err := chromedp.Do(ctx, chromedp.Focus(chromedp.ID("date-slider")), chromedp.KeyEvent(kb.ArrowRight)); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "the date label to read 15 August", `document.getElementById('date-label').textContent.includes('15 August 2021')`)
			if got := js[string](t, ctx, marker("kabul")+`.getAttribute('fill') + ' ' + document.querySelector('#map path[data-region="AF-KAB"]').getAttribute('fill')`); got != "#d9a441 #d9a441" {
				t.Errorf("Kabul's marker and province on 15 August are filled %q, want the Taliban's", got)
			}
			// The table's place rows follow once the slider rests, as the regions' do.
			waitFor(t, ctx, "Kabul's row to say Taliban", `document.querySelector('#regions-table tr[data-region="kabul"] .holder').dataset.faction === 'taliban'`)

			// A reader clicks Kabul's marker: its popup, with the place's history.
			pt := js[[]float64](t, ctx, `(() => { const r = `+marker("kabul")+`.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`)
			if err := chromedp.Do(ctx, chromedp.MouseClickXY(pt[0], pt[1])); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "Kabul's popup", `(document.querySelector('.leaflet-popup-content')?.textContent || '').includes('Kabul')`)
			if got := js[string](t, ctx, `document.querySelector('.leaflet-popup-content a[href*="/places/"]')?.getAttribute('href') ?? ''`); got != "/maps/afghanistan-2021/places/kabul?date=2021-08-15" {
				t.Errorf("popup history link = %q, want Kabul's history at the date shown", got)
			}
			screenshot(t, ctx, "places-popup-"+size.name)
		})
	}
}
