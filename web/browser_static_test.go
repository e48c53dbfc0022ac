package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

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
	for _, name := range []string{"index.html", "regions.geojson", "context.geojson", "static/favicon.svg", "static/map.js", "static/vendor/leaflet/leaflet.js", "images/2021-08-14.png", "images/2021-09-06.svg"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("export lacks %s: %v", name, err)
		}
	}
	t.Logf("exported %d files", files)
	if _, err := ExportStatic(context.Background(), store, static.FS, "afghanistan-2021", out); err == nil {
		t.Error("a second export into the same folder succeeded")
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
	screenshot(t, ctx, "static-export")
}
