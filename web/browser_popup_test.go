package web

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserPopupFitsTheMap opens provinces' popups on a phone and on a desktop, on the map
// page and in the embed: each popup must lie inside the map's box (it once opened with its
// top half cut off above a phone's map), and in the embed the History link must open a new
// tab (in the iframe it would navigate the article's map to a page that refuses framing).
// The popups are the live inline map's (static/map/live-popup.js), which docks inside the
// box; a zoom carries the open popup over to Leaflet's map, which pans it inside.
func TestBrowserPopupFitsTheMap(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)
	for _, size := range []struct{ w, h int64 }{{375, 812}, {1280, 800}} {
		for _, page := range []struct{ path, historyTarget string }{
			{"/maps/afghanistan-2021?date=2021-08-14", ""},
			{"/embed/afghanistan-2021?date=2021-08-14", "_blank"},
		} {
			// Balkh in the north and Kandahar in the south, each on a fresh page.
			for _, id := range []string{"AF-BAL", "AF-KAN"} {
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(size.w, size.h), chromedp.Navigate(srv.URL+page.path)); err != nil {
					t.Fatal(err)
				}
				waitFor(t, ctx, "34 provinces drawn", `document.querySelectorAll('#map path[data-region]').length === 34`)
				clickRegion(t, ctx, id)
				waitFor(t, ctx, fmt.Sprintf("the popup of %s at %dx%d on %s", id, size.w, size.h, page.path), `(document.querySelector(`+popupContent+`)?.textContent || '').length > 0`)
				// The popup must rest inside the map's box (Leaflet's pans there in an animation).
				inside := `(() => {
					const m = document.getElementById('map').getBoundingClientRect();
					const p = document.querySelector(` + popupContent + `).closest('.map-popup, .leaflet-popup').getBoundingClientRect();
					return p.top >= m.top - 1 && p.bottom <= m.bottom + 1 && p.left >= m.left - 1 && p.right <= m.right + 1;
				})()`
				waitFor(t, ctx, fmt.Sprintf("the popup of %s at %dx%d on %s inside the map", id, size.w, size.h, page.path), inside)
				if got := js[string](t, ctx, `[...document.querySelector(`+popupContent+`).querySelectorAll('a')].find((a) => a.textContent === 'History')?.target ?? 'none'`); got != page.historyTarget {
					t.Errorf("%s: the History link's target is %q, want %q", page.path, got, page.historyTarget)
				}
				if size.w == 375 && id == "AF-KAN" {
					screenshot(t, ctx, "popup-live-"+strings.Trim(page.path[:6], "/")+"-375")
					// A zoom hands over to Leaflet with the popup open, inside the map still.
					name := js[string](t, ctx, `document.querySelector(`+popupContent+`).querySelector('h2').textContent`)
					zoomIn(t, ctx)
					waitFor(t, ctx, "Leaflet's popup of "+name, `(document.querySelector('#map .leaflet-popup-content h2')?.textContent || '') === '`+name+`'`)
					waitFor(t, ctx, "Leaflet's popup inside the map", inside)
				}
			}
		}
	}
}
