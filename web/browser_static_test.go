package web

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

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
