package web

import (
	"fmt"
	"math"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// mapBoxFit is a page expression: the map box's top, bottom and height, the viewport's
// height, and the inline map's regions' painted extent within the box, as fractions of the
// box's width and height (1 fills it).
const mapBoxFit = `(() => {
	const box = document.getElementById('map').getBoundingClientRect();
	let l = Infinity, t = Infinity, r = -Infinity, b = -Infinity;
	for (const p of document.querySelectorAll('#map .map-inline path[data-inline-region]')) {
		const q = p.getBoundingClientRect();
		l = Math.min(l, q.left); t = Math.min(t, q.top); r = Math.max(r, q.right); b = Math.max(b, q.bottom);
	}
	return [box.top, box.bottom, box.height, innerHeight, (r - l) / box.width, (b - t) / box.height];
})()`

// TestBrowserFirstScreenHoldsTheMap opens the built-in map's reader page as a reader
// would, on a phone (375x812) with and without JavaScript: the title, the controls, the chart
// and the whole map box fit the first screen, the box no taller than Afghanistan needs at
// its width (it was half the screen, with bands of empty sea, and its foot ran below the
// screen), and the provinces fill its width; the day's what-changed list is whole in the
// page's scroll. A desktop keeps its box of 60% of the window
// (fitting it to the first screen too made the provinces too small for their names).
func TestBrowserFirstScreenHoldsTheMap(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)
	for _, tt := range []struct {
		name          string
		width, height int64
		mobile, noJS  bool
		lang          string
		compare       string // a comparison's date: its field and Clear in the controls
	}{
		{"phone", 375, 812, true, false, "en", ""},
		{"phone-without-script", 375, 812, true, true, "en", ""},
		// Long dates on the chart's axis ("1 de agosto de 2021"), which wrapped to two lines.
		{"phone-es", 375, 812, true, false, "es", ""},
		{"phone-ru", 375, 812, true, false, "ru", ""},
		// Clear, a word, wrapped under the compared date's field: a line more.
		{"phone-compare", 375, 812, true, false, "en", "2021-08-06"},
		{"desktop", 1280, 800, false, false, "en", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := chromedp.Do(ctx, cdpCall(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: tt.noJS}),
				viewportFor(tt.width, tt.height, tt.mobile), chromedp.Navigate(srv.URL+"/maps/afghanistan-2021?date=2021-08-14&lang="+tt.lang+"&compare="+tt.compare)); err != nil {
				t.Fatal(err)
			}
			if !tt.noJS {
				waitFor(t, ctx, "the map live", `!!document.querySelector('#map .map-inline.is-live')`)
			}
			if tt.compare != "" {
				waitFor(t, ctx, "Clear", `!document.getElementById('compare-clear').hidden`)
				// Clear on the compared date's line, the two dates' fields level.
				if got := js[[]float64](t, ctx, `[document.getElementById('compare-clear'), document.getElementById('compare-input'), document.getElementById('date-input')].map((e) => e.getBoundingClientRect().bottom)`); math.Abs(got[0]-got[1]) > 2 || math.Abs(got[1]-got[2]) > 1 {
					t.Errorf("the feet of Clear, the compared date and the date at %v px, want them level", got)
				}
			}
			got := js[[]float64](t, ctx, mapBoxFit)
			top, bottom, height, screen, across, down := got[0], got[1], got[2], got[3], got[4], got[5]
			// A phone's box between 18rem and half the screen, its foot in the first screen;
			// a desktop's box 60% of the window.
			if tt.width >= 800 {
				if want := 0.6 * screen; math.Abs(height-want) > 1 {
					t.Errorf("desktop map box %.0f px high, want 60%% of the window's %.0f", height, screen)
				}
			} else {
				if bottom > screen {
					t.Errorf("map box from %.0f to %.0f px: its foot is below the first screen's %.0f", top, bottom, screen)
				}
				if height < 288-1 || height > 0.5*screen+1 {
					t.Errorf("map box %.0f px high, want between 18rem (288) and half the screen", height)
				}
			}
			// The provinces fitted to the box (to its width on a phone), inside it.
			if max(across, down) < 0.9 || across > 1 || down > 1 || (tt.width < 800 && across < 0.9) {
				t.Errorf("the provinces span %.2f of the box's width and %.2f of its height: want them fitted to it, inside it", across, down)
			}
			if lines := js[float64](t, ctx, `(() => { const a = document.querySelector('.chart-axis');
				return a.getBoundingClientRect().height / parseFloat(getComputedStyle(a).lineHeight) })()`); !(lines <= 1.5) {
				t.Errorf("the chart's axis takes %.1f lines, want one", lines)
			}
			// Below the map, the whole day's list in the page's own scroll: a box of its own
			// showed three of the 14th's eleven events, with nothing to say there were more.
			if tt.width < 800 {
				if got := js[[]int](t, ctx, `(() => { const l = document.querySelector('#changes .changes-list');
					return [l.querySelectorAll('li:not([hidden])').length, l.scrollHeight - l.clientHeight]; })()`); got[0] != 11 || got[1] > 1 {
					t.Errorf("the phone's list of 14 August shows %d events and hides %d px of them in its own box, want 11 and none", got[0], got[1])
				}
			}
			screenshot(t, ctx, fmt.Sprintf("first-screen-%s", tt.name))
		})
	}
}
