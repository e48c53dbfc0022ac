package web

import (
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserRTLTimeRunsOneWay: in a right-to-left page the range input runs right to left,
// and so must what is drawn along it: the slider's ticks and the chart's plot and cursor (the
// chart's axis labels already put the first day on the right). A click on the chart and its
// arrow keys read the plot the same way round. Left to right, all run left to right.
func TestBrowserRTLTimeRunsOneWay(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	for _, tc := range []struct {
		lang string
		rtl  bool
	}{{"en", false}, {"fa", true}} {
		t.Run(tc.lang, func(t *testing.T) {
			ctx := newBrowser(t)
			if err := chromedp.Do(ctx, viewportFor(1280, 800, false), chromedp.Navigate(srv.URL+"/maps/afghanistan-2021?date=2021-08-14&lang="+tc.lang)); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "the map drawn", `performance.getEntriesByName('frontline:drawn').length === 1 && !!window.frontline`)
			// Where along the slider's box (0 its left, 1 its right) the ticks' middle and the
			// chart's cursor are: 14 August is day 13 of 46, the changes mostly in August.
			along := js[[]float64](t, ctx, `(() => {
				const at = (el, box) => { const r = el.getBoundingClientRect(), b = box.getBoundingClientRect(); return (r.left + r.width / 2 - b.left) / b.width; };
				const slider = document.getElementById('date-slider');
				return [at(document.querySelector('.slider-ticks path'), slider), at(document.querySelector('.chart-cursor'), document.querySelector('.chart-svg'))];
			})()`)
			ticks, cursor := along[0], along[1]
			if early := ticks < 0.5 && cursor < 0.5; early == tc.rtl {
				t.Errorf("the ticks' middle at %.2f and the cursor at %.2f of the way from the left; want both on the %s, where the slider starts", ticks, cursor, map[bool]string{false: "left", true: "right"}[tc.rtl])
			}
			// A click 60% of the way from the left: late in the map's time left to right, early
			// right to left.
			pt := js[[]float64](t, ctx, `(() => { const r = document.querySelector('.chart-svg').getBoundingClientRect(); return [r.left + r.width * 0.6, r.top + r.height / 2]; })()`)
			if err := chromedp.Do(ctx, chromedp.MouseEvent(chromedp.MouseMoved, pt[0], pt[1]), chromedp.MouseClickXY(pt[0], pt[1])); err != nil {
				t.Fatal(err)
			}
			want := map[bool]string{false: "2021-08-28", true: "2021-08-19"}[tc.rtl]
			waitFor(t, ctx, "the map at "+want, `document.getElementById('date-input').value === '`+want+`'`)
			// The arrow pointing along the plot goes to the next change.
			key := map[bool]string{false: kb.ArrowRight, true: kb.ArrowLeft}[tc.rtl]
			if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(".chart-svg")), chromedp.KeyEvent(key)); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "a later change than "+want, `document.getElementById('date-input').value > '`+want+`'`)
		})
	}
}
