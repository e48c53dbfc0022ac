package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserEmbedInArticle pastes the Embed dialog's responsive code into an article
// served from another origin, as a newsroom would, and checks that the iframe loads the map
// and is resized by Pym.js to fit it.
func TestBrowserEmbedInArticle(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)

	// The code a newsroom copies, taken from the map page's Embed dialog.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/maps/afghanistan-2021?date=2021-08-13")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the map", `document.querySelectorAll('#map path[data-region]').length === 34`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("embed-button"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the embed dialog", `document.getElementById('embed-dialog').open`)
	code := js[string](t, ctx, `document.getElementById('embed-code').value`)
	if !strings.Contains(code, "pym.Parent(") || !strings.Contains(code, "date=2021-08-13") {
		t.Fatalf("embed code = %s", code)
	}
	screenshot(t, ctx, "embed-dialog")

	article := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!DOCTYPE html><html><body style="width:700px"><h1>Our story</h1><p>Text before.</p>` + code + `<p>Text after.</p></body></html>`))
	}))
	defer article.Close()
	if err := chromedp.Do(ctx, chromedp.Navigate(article.URL)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "Pym.js to size the iframe to the map", `(() => { const f = document.querySelector('iframe'); return f && f.offsetHeight > 400; })()`)
	src := js[string](t, ctx, `document.querySelector('iframe').src`)
	if !strings.HasPrefix(src, srv.URL+"/embed/afghanistan-2021?date=2021-08-13") {
		t.Errorf("iframe src = %s", src)
	}
	screenshot(t, ctx, "embed-article")
}
