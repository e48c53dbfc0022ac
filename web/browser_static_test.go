package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/go-cmp/cmp"

	"github.com/frontline-maps/frontline/static"
)

// TestBrowserStaticExport exports the built-in map as a static site, serves the folder with
// a plain file server (no server of ours runs), and scrubs the slider in Chromium.
func TestBrowserStaticExport(t *testing.T) {
	store := newTestServer(t, withEditor("alice")).store
	out := filepath.Join(t.TempDir(), "site")
	files, err := ExportStatic(context.Background(), store, static.FS, "afghanistan-2021", out)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"index.html", "regions.geojson", "context.geojson", "static/favicon.svg", "static/map.js", "static/vendor/leaflet/leaflet.js", "images/2021-08-14.png", "images/2021-09-06.svg", "series.json"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("export lacks %s: %v", name, err)
		}
	}
	t.Logf("exported %d files", files)
	if _, err := ExportStatic(context.Background(), store, static.FS, "afghanistan-2021", out); err == nil {
		t.Error("a second export into the same folder succeeded")
	}

	// What changed on the default date, for readers without JavaScript, naming no history
	// page the site does not have.
	index, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(index))
	if err != nil {
		t.Fatal(err)
	}
	list := doc.Find(`[data-testid="changes"]`)
	if list.AttrOr("data-date", "") != "2021-08-14" || list.Find(".changes-list li").Length() == 0 || list.Find("a.change-name[href]").Length() != 0 {
		t.Errorf("index.html's list: of %q, %d rows, %d linked to history pages; want 14 August's rows, unlinked",
			list.AttrOr("data-date", ""), list.Find(".changes-list li").Length(), list.Find("a.change-name[href]").Length())
	}

	site := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer site.Close()
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/index.html")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "34 provinces from the static files", `document.querySelectorAll('#map path[data-region]').length === 34`)
	waitFor(t, ctx, "the land around the map from the static files", `document.querySelectorAll('#map .context-land').length > 0`)
	if got := js[string](t, ctx, `document.querySelector('[data-testid="count-taliban"]').textContent`); got != "23" {
		t.Errorf("Taliban count at the default date = %q, want 23", got)
	}
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.ID("date-slider")), chromedp.KeyEvent(kb.ArrowRight)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the slider to reach 15 August", `document.querySelector('[data-testid="count-taliban"]').textContent === '33'`)
	waitFor(t, ctx, "the list to follow to 15 August", `document.getElementById('changes').dataset.date === '2021-08-15' && !!document.querySelector('#changes li[data-region="AF-KAB"]')`)
	// The chart of control is in the export too, following the slider, and the summary
	// tells claims from the series the page carries.
	if !js[bool](t, ctx, chartCursorAgrees) {
		t.Error("the exported chart's cursor is not at the slider's day")
	}
	waitFor(t, ctx, "the summary of 15 August", `document.getElementById('summary').textContent ===
		'Taliban: 25 of 34 regions confirmed, 33 with claims, on 15 August 2021. +10 since 14 August 2021.'`)
	screenshot(t, ctx, "static-export")
}

// TestBrowserStaticExportEarlySlider serves the exported built-in map from a plain file
// server (a static host) that holds static/map.js back until the test says, and moves the
// slider with the keyboard while the early script alone has it: the inline map recolours to
// what the server draws at the new date, Kabul with it, and the date label follows. Once the
// module is let through, it takes over where the reader left the slider, and every panel
// agrees with the server's embed at that date. The modules were asked for only after the
// first frame, from the site's relative paths.
func TestBrowserStaticExportEarlySlider(t *testing.T) {
	ts := newTestServer(t)
	out := filepath.Join(t.TempDir(), "site")
	if _, err := ExportStatic(context.Background(), ts.store, static.FS, "afghanistan-2021", out); err != nil {
		t.Fatal(err)
	}
	// The export is at the map's default date, 14 August; a step on, the server's embed says
	// what the page should show.
	rec := get(t, ts.h, "/embed/afghanistan-2021?date=2021-08-15")
	if rec.Code != http.StatusOK {
		t.Fatalf("the served embed of 15 August: %d", rec.Code)
	}
	served := rec.Body.String()
	wantFills := inlineFills(t, served)

	gate := make(chan struct{})
	var once sync.Once
	release := func() { once.Do(func() { close(gate) }) }
	files := http.FileServer(http.Dir(out))
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/static/map.js" {
			select {
			case <-gate:
			case <-r.Context().Done():
				return
			}
		}
		files.ServeHTTP(w, r)
	}))
	defer site.Close()
	defer release() // before Close, which waits for the held request
	ctx := newBrowser(t)
	// Navigate without waiting for the load, which the held module may hold back.
	if err := chromedp.Do(ctx, cdpCall(page.Navigate, page.NavigateParams{URL: site.URL + "/index.html"})); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the early script to take input", `performance.getEntriesByName('frontline:input').length === 1`)
	if js[bool](t, ctx, `!!window.frontline`) {
		t.Fatal("the module ran while the test held it back")
	}
	if js[bool](t, ctx, `document.getElementById('date-slider').hidden`) {
		t.Fatal("the early script did not show the slider")
	}
	const kabul = `document.querySelector('#map > svg.map-inline path[data-inline-region="AF-KAB"]').getAttribute('fill')`
	start := js[string](t, ctx, `document.getElementById('date-slider').value`)
	if got := js[string](t, ctx, kabul); got == wantFills["AF-KAB"][0] {
		t.Fatalf("Kabul is filled %q on 14 August already, as on 15 August: the step would show nothing", got)
	}
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.ID("date-slider")), chromedp.KeyEvent(kb.ArrowRight)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the early label at 15 August", `document.getElementById('date-label').textContent.trim() === '15 August 2021'`)
	got := js[map[string][]string](t, ctx, `Object.fromEntries([...document.querySelectorAll('#map > svg.map-inline path[data-inline-region]')]
		.map((p) => [p.dataset.inlineRegion, [p.getAttribute('fill'), p.getAttribute('data-faction-color') ?? '']]))`)
	gotFills := map[string][2]string{}
	for id, f := range got {
		gotFills[id] = [2]string{f[0], f[1]}
	}
	if diff := cmp.Diff(wantFills, gotFills); diff != "" {
		t.Errorf("the exported map on 15 August, early, differs from the server's (-server +early):\n%s", diff)
	}
	screenshot(t, ctx, "static-export-early")
	if js[bool](t, ctx, `!!window.frontline`) {
		t.Fatal("the module ran while the test held it back")
	}

	release()
	waitFor(t, ctx, "the module to start", `!!window.frontline && performance.getEntriesByName('frontline:drawn').length === 1`)
	if got := js[string](t, ctx, modulesBeforeFirstFrame); got != "" {
		t.Errorf("the modules before the first frame was out: %s", got)
	}
	if got := js[string](t, ctx, `String(Number(document.getElementById('date-slider').value) - 1)`); got != start {
		t.Errorf("the slider at %s + 1 after the module started, want %s + 1 (15 August, where the reader left it)", got, start)
	}
	want := js[string](t, ctx, panelsOf+`(new DOMParser().parseFromString(`+string(mustJSON(t, served))+`, 'text/html'))`)
	waitFor(t, ctx, "every panel to agree with the server's embed at 15 August: "+want, panelsAgree+` === `+string(mustJSON(t, want)))
	if got := js[string](t, ctx, `[...document.querySelectorAll('[aria-busy="true"]')].map((e) => e.id).join(' ')`); got != "" {
		t.Errorf("still busy after the module took over: %s", got)
	}
	if got := js[string](t, ctx, `document.querySelector('#map path[data-region="AF-KAB"]')?.dataset.faction ?? ''`); got != "taliban" {
		t.Errorf("Kabul's data-faction %q after the module took over, want taliban", got)
	}
}

// mustJSON is v as JSON, which is also a JavaScript literal.
func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
