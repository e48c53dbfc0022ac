package web

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// newBrowser starts a headless Debian chromium for one test. `go tool task test` installs it;
// a missing browser fails the test rather than skipping it, so CI never passes untested.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return newBrowserFor(t, 2*time.Minute)
}

// newBrowserFor is newBrowser for a test that runs longer than most, such as axe's matrix
// of pages, languages and themes: the whole browser lives at most d.
func newBrowserFor(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if path, err = exec.LookPath("chromium-browser"); err != nil {
			t.Fatal("no chromium on PATH: run the tests with `go tool task test`, which installs Debian's chromium")
		}
	}
	// The whole browser lives as long as this context: it bounds a hung test.
	parent, cancelParent := context.WithTimeout(context.Background(), d)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent,
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc(); cancelParent() })
	return ctx
}

// js evaluates a JavaScript expression in the page and returns its value.
func js[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor polls a JavaScript predicate until it holds, failing the test with what after
// waitForLimit. A poll cut short by a page load (after a form post) starts again on the new
// page.
func waitFor(t *testing.T, ctx context.Context, what, predicate string) {
	t.Helper()
	deadline := time.Now().Add(waitForLimit)
	for {
		_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](predicate, chromedp.WithPollingTimeout(time.Until(deadline))))
		if err == nil {
			return
		}
		if !pageLoadCutShort(err) || time.Now().After(deadline) {
			t.Fatalf("waiting for %s (%s): %v", what, predicate, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitForLimit is how long waitFor waits. A page holds in well under a second here; the CI
// machine is shared with other sessions' builds and Chromium runs (load average up to 20 on
// 2 cores), under which a cold map page once took more than 10 s (TestBrowserLiveMap). A
// condition that never holds still fails, 20 s later.
const waitForLimit = 20 * time.Second

// pageLoadCutShort tells whether an evaluation failed because the page it ran in went
// away: Chromium says so in three ways, depending on when in the load the poll was.
func pageLoadCutShort(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "navigated") || strings.Contains(msg, "context was destroyed") ||
		strings.Contains(msg, "Cannot find context with specified id")
}

// TestBrowserSliderRecolours loads the reader map in real Chromium, checks the 34 provinces
// are drawn, steps the slider from 13 to 15 August with the keyboard and checks that Balkh
// changes colour, the legend counts and the URL follow, and that clicking opens a popup: all
// on the server's inline map, the live map of a map this size, with no Leaflet loaded.
func TestBrowserSliderRecolours(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/maps/afghanistan-2021?date=2021-08-13")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "34 provinces drawn", `document.querySelectorAll('#map path[data-region]').length === 34`)
	// The server's inline map came first and is the live map (TestBrowserInlineHandover):
	// Leaflet comes only with a zoom.
	waitFor(t, ctx, "the inline map live", `performance.getEntriesByName('frontline:drawn').length === 1 && !!document.querySelector('#map > .map-inline.is-live')`)

	const balkh = `document.querySelector('#map path[data-region="AF-BAL"]')`
	if got := js[string](t, ctx, balkh+`.getAttribute('fill')`); got != "#2f6db5" {
		t.Errorf("Balkh on 13 August is filled %q, want the government's #2f6db5", got)
	}
	if got := js[string](t, ctx, `document.querySelector('[data-testid="count-taliban"]').textContent`); got != "18" {
		t.Errorf("Taliban count on 13 August = %q, want 18", got)
	}
	if hidden := js[bool](t, ctx, `document.getElementById('date-slider').hidden`); hidden {
		t.Fatal("the slider is still hidden with JavaScript on")
	}

	// Two days on with the keyboard, as a reader would.
	if err := chromedp.Do(ctx,
		chromedp.Focus(chromedp.ID("date-slider")),
		chromedp.KeyEvent(kb.ArrowRight),
		chromedp.KeyEvent(kb.ArrowRight),
	); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the date label to read 15 August", `document.getElementById('date-label').textContent.includes('15 August 2021')`)
	if got := js[string](t, ctx, balkh+`.getAttribute('fill')`); got != "#d9a441" {
		t.Errorf("Balkh on 15 August is filled %q, want the Taliban's #d9a441", got)
	}
	if got := js[string](t, ctx, balkh+`.dataset.faction`); got != "taliban" {
		t.Errorf("Balkh on 15 August has data-faction %q, want taliban", got)
	}
	if got := js[string](t, ctx, `document.querySelector('[data-testid="count-taliban"]').textContent`); got != "33" {
		t.Errorf("Taliban count on 15 August = %q, want 33", got)
	}
	// The script writes the URL once the slider settles, so a drag does not flood history.
	waitFor(t, ctx, "the URL to carry the date", `location.search === '?date=2021-08-15'`)
	// Claimed holdings are drawn differently from confirmed ones (hatched).
	if got := js[string](t, ctx, `document.querySelector('#map path[data-region="AF-KAP"]').getAttribute('fill')`); !strings.HasPrefix(got, "url(") {
		t.Errorf("Kapisa, held on a claim on 15 August, is filled %q, want a hatch pattern", got)
	}

	screenshot(t, ctx, "map")

	// A reader moves the mouse onto Balkh and clicks: its popup links to its history.
	clickRegion(t, ctx, "AF-BAL")
	waitFor(t, ctx, "Balkh's popup", `(document.querySelector(`+popupContent+`)?.textContent || '').includes('Balkh')`)
	if got := js[string](t, ctx, `document.querySelector(`+popupContent+`).querySelector('a[href*="/regions/"]').getAttribute('href')`); got != "/maps/afghanistan-2021/regions/AF-BAL?date=2021-08-15" {
		t.Errorf("popup history link = %q, want Balkh's history at the date shown", got)
	}
	if js[bool](t, ctx, `!!window.L || performance.getEntriesByType('resource').some((r) => /leaflet|regions\.geojson|context\.geojson/.test(r.name))`) {
		t.Error("Leaflet, its style sheet or the shapes were loaded without a zoom")
	}

}

// TestBrowserPlay presses Play and sees the date advance on its own, then pauses.
func TestBrowserPlay(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/maps/afghanistan-2021?date=2021-08-05")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "provinces drawn", `document.querySelectorAll('#map path[data-region]').length === 34`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("play"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "play to pass 7 August", `document.getElementById('date-slider').valueAsNumber >= 7`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("play"))); err != nil {
		t.Fatal(err)
	}
	if got := js[string](t, ctx, `document.getElementById('play').getAttribute('aria-pressed')`); got != "false" {
		t.Errorf("after pausing, aria-pressed = %q, want false", got)
	}
	paused := js[int](t, ctx, `document.getElementById('date-slider').valueAsNumber`)
	if _, err := chromedp.Run(ctx, chromedp.Sleep(time.Second)); err != nil {
		t.Fatal(err)
	}
	if now := js[int](t, ctx, `document.getElementById('date-slider').valueAsNumber`); now != paused {
		t.Errorf("the slider moved from day %d to %d while paused", paused, now)
	}
}

// signInForm fills the sign-in form the browser shows with name and editorPassword and
// sends it; what follows (the page it leads to) is the caller's to wait for.
func signInForm(name string) chromedp.Action[chromedp.Void] {
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="login-form"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), name),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), editorPassword),
		chromedp.Click(chromedp.CSS(`[data-testid="login-form"] button[type="submit"]`)),
	}
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		for _, step := range steps {
			if _, err := step(ctx, tg); err != nil {
				return chromedp.Void{}, err
			}
		}
		return chromedp.Void{}, nil
	}
}

// popupContent is the JavaScript selector of the open popup's content: the live inline map's
// (static/map/live-popup.js) or, once Leaflet has taken over, Leaflet's.
const popupContent = `'#map .map-popup:not([hidden]) .map-popup-content, #map .leaflet-popup-content'`

// markerColour is a JavaScript function of a place's id giving its marker's colour, the
// holder's: on Leaflet's map a disc's fill (a claim's ring stroke), on the live inline map
// the inner dot's stroke (a claim's outer ring), geo/inline.go drawing a marker as two dots.
const markerColour = `((id) => {
	const m = document.querySelector('#map path[data-place="' + id + '"]');
	if (!m) return '';
	if (m.classList.contains('claimed')) return m.getAttribute('stroke');
	return m.closest('svg.map-inline') ? m.nextElementSibling.getAttribute('stroke') : m.getAttribute('fill');
})`

// zoomIn presses the map's zoom button, as a reader asking for more than the picture gives,
// and waits for Leaflet to have taken over from the live inline map (static/map/live.js).
func zoomIn(t *testing.T, ctx context.Context) {
	t.Helper()
	waitFor(t, ctx, "the map's zoom button", `!!document.querySelector('#map .map-zoom-in')`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#map .map-zoom-in`))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "Leaflet's map to take over", `!document.querySelector('#map > svg.map-inline') && !!document.querySelector('#map .leaflet-pane path[data-region]')`)
}

// dragMapAndBack drags the live inline map 40 px and back, as a reader looking around: Leaflet
// takes over (static/map/live.js) at the view the reader left, the fitted one. For tests of
// what only Leaflet's map has (its labels, the land around, the scale bar).
func dragMapAndBack(t *testing.T, ctx context.Context) {
	t.Helper()
	waitFor(t, ctx, "the live map", `!!document.querySelector('#map > svg.map-inline.is-live')`)
	c := js[[]float64](t, ctx, `(() => { const r = document.querySelector('#map > svg.map-inline').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`)
	if err := chromedp.Do(ctx,
		chromedp.MouseEvent(chromedp.MousePressed, c[0], c[1], chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseMoved, c[0]+20, c[1]+10, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseMoved, c[0]+40, c[1]+20, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseMoved, c[0], c[1], chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseReleased, c[0], c[1], chromedp.ButtonLeft),
	); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "Leaflet's map to take over", `!document.querySelector('#map > svg.map-inline') && !!document.querySelector('#map .leaflet-pane path[data-region]')`)
}

// clickRegion moves the mouse onto a visible point of a region's shape and clicks, as a
// reader would; the centre of a shape's box can lie in a neighbour.
func clickRegion(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	// The live map's shape (the inline map's, or Leaflet's once it took over), on screen,
	// where a reader would click it (the chart above the map may push its south below a
	// laptop's fold).
	waitFor(t, ctx, "the region on the map", `!!document.querySelector('#map path[data-region="`+id+`"]')`)
	pt := js[[]float64](t, ctx, `(() => {
		const path = document.querySelector('#map path[data-region="`+id+`"]');
		path.scrollIntoView({ block: 'nearest', inline: 'nearest' });
		const r = path.getBoundingClientRect();
		for (let fy = 0.5; fy < 1; fy += 0.05) for (const sy of [1, -1]) for (let fx = 0.5; fx < 1; fx += 0.05) for (const sx of [1, -1]) {
			const x = r.x + r.width * (0.5 + sx * (fx - 0.5)), y = r.y + r.height * (0.5 + sy * (fy - 0.5));
			if (document.elementFromPoint(x, y) === path) return [x, y];
		}
		return null;
	})()`)
	if len(pt) != 2 {
		t.Fatalf("no visible point of region %s to click", id)
	}
	if err := chromedp.Do(ctx,
		chromedp.MouseEvent(chromedp.MouseMoved, pt[0], pt[1]),
		chromedp.MouseClickXY(pt[0], pt[1]),
	); err != nil {
		t.Fatal(err)
	}
}

// screenshot saves the page as NAME.png in $FRONTLINE_SCREENSHOTS, when that is set, for a
// person to look at.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("FRONTLINE_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
