package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chartCursorAgrees is a page expression: whether the chart's cursor stands at the middle of
// the slider's day, as static/ui/chart.js places it (the SVG is 1000 units across).
const chartCursorAgrees = `(() => {
	const s = document.getElementById('date-slider');
	const want = String(Math.round(((s.valueAsNumber + 0.5) * 1000 / (Number(s.max) + 1)) * 10) / 10);
	const c = document.querySelector('[data-testid="chart-cursor"]');
	return c.getAttribute('x1') === want && c.getAttribute('x2') === want;
})()`

// TestBrowserChart plays the built-in map through in Chromium with the chart of control
// under the slider: its cursor agrees with the slider on every step; clicking a day moves
// the map there and the summary tells its claims; hovering shows the day's numbers; the
// arrow keys go from change to change; the switch shows the area, then the population.
func TestBrowserChart(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/maps/afghanistan-2021?date=2021-08-09")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "provinces drawn", `document.querySelectorAll('#map path[data-region]').length === 34`)
	if !js[bool](t, ctx, chartCursorAgrees) {
		t.Error("the chart's cursor is not at the page's date")
	}

	// Every step of a play-through: the cursor, checked as each step's datechange is sent.
	js[bool](t, ctx, `(() => {
		window.chartSteps = [];
		document.addEventListener('frontline:datechange', (e) => window.chartSteps.push([e.detail.date, `+chartCursorAgrees+`,
			document.getElementById('date-label').textContent === e.detail.label]));
		return true;
	})()`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("play"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "play to reach 16 August", `document.getElementById('date-slider').valueAsNumber >= 15`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("play"))); err != nil {
		t.Fatal(err)
	}
	steps := js[[][]any](t, ctx, `window.chartSteps`)
	if len(steps) < 6 {
		t.Fatalf("%d steps played, want at least 6", len(steps))
	}
	for _, s := range steps {
		if s[1] != true || s[2] != true {
			t.Errorf("on %v the cursor agrees %v, the date label %v", s[0], s[1], s[2])
		}
	}

	// A click on 14 August (day 13 of 46).
	pt := js[[]float64](t, ctx, `(() => { const r = document.querySelector('.chart-svg').getBoundingClientRect();
		return [r.left + r.width * 13.5 / 46, r.top + r.height / 2]; })()`)
	if err := chromedp.Do(ctx, chromedp.MouseEvent(chromedp.MouseMoved, pt[0], pt[1]), chromedp.MouseClickXY(pt[0], pt[1])); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the map at 14 August", `document.getElementById('date-label').textContent === '14 August 2021'`)
	if !js[bool](t, ctx, chartCursorAgrees) {
		t.Error("after the click the cursor is not at the slider's day")
	}
	if got := js[string](t, ctx, `document.querySelector('#map path[data-region="AF-BAL"]').dataset.faction`); got != "taliban" {
		t.Errorf("Balkh on 14 August is %q's, want taliban's", got)
	}
	waitFor(t, ctx, "the summary of 14 August", `document.getElementById('summary').textContent ===
		'Taliban: 21 of 34 regions confirmed, 23 with claims, on 14 August 2021. +5 since 13 August 2021.'`)
	// The mouse rests on the 14th: the tooltip has its numbers, once its module, which the
	// first pointer over the chart asks for (ui/chart.js), has come.
	waitFor(t, ctx, "the tooltip of 14 August", `!document.getElementById('chart-tip').hidden && document.getElementById('chart-tip').textContent.includes('14 August 2021')`)
	tip := js[string](t, ctx, `document.getElementById('chart-tip').hidden ? '' : document.getElementById('chart-tip').textContent`)
	for _, want := range []string{"14 August 2021", "Taliban: 21 regions confirmed, 2 claimed", "Islamic Republic of Afghanistan: 11 regions confirmed"} {
		if !strings.Contains(tip, want) {
			t.Errorf("tooltip %q lacks %q", tip, want)
		}
	}

	// From the keyboard: the chart takes focus and goes to the next change, Kabul's fall.
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(".chart-svg")), chromedp.KeyEvent(kb.ArrowRight)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the map at 15 August", `document.getElementById('date-label').textContent === '15 August 2021'`)
	if got := js[string](t, ctx, `document.querySelector('#map path[data-region="AF-KAB"]').dataset.faction`); got != "taliban" {
		t.Errorf("Kabul on 15 August is %q's, want taliban's", got)
	}
	waitFor(t, ctx, "the focused chart's tooltip on 15 August", `(document.getElementById('chart-tip').textContent || '').includes('Taliban: 25 regions confirmed, 8 claimed')`)

	// The switch to area shows the area's picture and total.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="chart-measure-area"]`))); err != nil {
		t.Fatal(err)
	}
	if got := js[string](t, ctx, `['regions', 'area'].map((m) => getComputedStyle(document.querySelector('.chart-measure-' + m)).display).join()`); got != "none,inline" {
		t.Errorf("regions, area pictures displayed %q after choosing area, want none,inline", got)
	}
	// The built-in provinces carry NSIA's populations: the switch to population shows them,
	// and the focused chart's tooltip gives the 15th's, Kabul's millions with the Taliban.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="chart-measure-population"]`)), chromedp.Focus(chromedp.CSS(".chart-svg"))); err != nil {
		t.Fatal(err)
	}
	if got := js[string](t, ctx, `['area', 'population'].map((m) => getComputedStyle(document.querySelector('.chart-measure-' + m)).display).join()`); got != "none,inline" {
		t.Errorf("area, population pictures displayed %q after choosing population, want none,inline", got)
	}
	waitFor(t, ctx, "the tooltip in people on 15 August", `(document.getElementById('chart-tip').textContent || '').includes('Taliban: 27,649,760 people confirmed, 4,866,840 claimed')`)
	screenshot(t, ctx, "chart-1280x800")

	// A phone: the chart fits the width, under the slider.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 812)); err != nil {
		t.Fatal(err)
	}
	if got := js[string](t, ctx, `(() => { const r = document.querySelector('.chart-svg').getBoundingClientRect();
		const s = document.getElementById('date-slider').getBoundingClientRect();
		return [r.left >= 0, r.right <= 375, r.height > 40, r.top > s.bottom].join(); })()`); got != "true,true,true,true" {
		t.Errorf("on a phone the chart is inside the width, tall enough, below the slider: %s", got)
	}
	screenshot(t, ctx, "chart-375x812")
}
