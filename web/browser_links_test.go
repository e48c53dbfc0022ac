package web

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/frontline-maps/frontline/data"
)

// TestBrowserLinksFollowTheSlider moves the slider on a map whose slug holds a date, one of
// the dates on its slider too: the share link, the downloads, the editor's link to the
// change form, the embed codes and the embed preview must carry the new date and the slug
// intact. They once had the first
// YYYY-MM-DD of each URL rewritten, which was the slug's.
func TestBrowserLinksFollowTheSlider(t *testing.T) {
	const slug = "kabul-2021-08-15"
	ts := newTestServer(t, withEditor("alice"))
	f, err := data.Builtin("afghanistan-2021")
	if err != nil {
		t.Fatal(err)
	}
	f.Map.Slug = slug
	if err := ts.store.Import(context.Background(), f, "test", false); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ts.h)
	defer srv.Close()
	ctx := newBrowser(t)

	// Signed in as an editor, whose page also links to the change form at the date shown; the
	// sign-in leads to the map.
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(srv.URL+"/login?next="+url.QueryEscape("/maps/"+slug+"?date=2021-08-13")),
		signInForm("alice"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="edit-link"]`)),
	); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "34 provinces drawn", `document.querySelectorAll('#map path[data-region]').length === 34`)
	if got := js[string](t, ctx, `document.getElementById('share-link').getAttribute('href')`); got != "/maps/"+slug+"?date=2021-08-13" {
		t.Fatalf("share link before the slider moved = %q", got)
	}

	// Three days on with the keyboard, across the slug's own date.
	if err := chromedp.Do(ctx,
		chromedp.Focus(chromedp.ID("date-slider")),
		chromedp.KeyEvent(kb.ArrowRight),
		chromedp.KeyEvent(kb.ArrowRight),
		chromedp.KeyEvent(kb.ArrowRight),
	); err != nil {
		t.Fatal(err)
	}
	const date = "2021-08-16"
	waitFor(t, ctx, "the share link to follow the slider", `document.getElementById('share-link').getAttribute('href').endsWith('?date=`+date+`')`)

	links := map[string]string{
		"#share-link":               "/maps/" + slug + "?date=" + date,
		"#download-geojson":         "/api/maps/" + slug + "/state.geojson?date=" + date,
		"#download-csv":             "/api/maps/" + slug + "/state.csv?date=" + date,
		"#download-png":             "/maps/" + slug + "/" + date + ".png",
		"#download-svg":             "/maps/" + slug + "/" + date + ".svg",
		`[data-testid="edit-link"]`: "/maps/" + slug + "/edit?date=" + date,
	}
	waitFor(t, ctx, "the downloads to follow the slider", `document.getElementById('download-svg').getAttribute('href').includes('`+date+`')`)
	for sel, want := range links {
		if got := js[string](t, ctx, `document.querySelector('`+sel+`').getAttribute('href')`); got != want {
			t.Errorf("%s href = %q, want %q", sel, got, want)
		}
	}
	// The summary is filled from the server's wording, with the counts the legend shows
	// (25 of the Taliban's 33 confirmed, and 10 more than on the change date before).
	taliban := js[string](t, ctx, `document.querySelector('[data-testid="count-taliban"]').textContent`)
	want := "Taliban: 25 of 34 regions confirmed, " + taliban + " with claims, on 16 August 2021. +10 since 14 August 2021."
	waitFor(t, ctx, "the summary of 16 August", `document.getElementById('summary').textContent === `+strconv.Quote(want))
	if got := js[string](t, ctx, `document.getElementById('summary').textContent`); got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	screenshot(t, ctx, "links-1280")

	// The embed codes, pinned to the date shown, of either kind, and the dialog's preview.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("embed-button"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the embed dialog", `document.getElementById('embed-dialog').open`)
	embed := srv.URL + "/embed/" + slug + "?date=" + date
	pym := js[string](t, ctx, `document.getElementById('embed-code').value`)
	if !strings.Contains(pym, `pym.Parent("frontline-`+slug+`", "`+embed+`"`) {
		t.Errorf("pinned Pym.js code = %s, want it to show %s", pym, embed)
	}
	if got := js[string](t, ctx, `document.getElementById('embed-preview').getAttribute('src')`); got != "/embed/"+slug+"?date="+date {
		t.Errorf("embed preview src = %q", got)
	}
	screenshot(t, ctx, "links-embed-1280")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name="embed-kind"][value="iframe"]`))); err != nil {
		t.Fatal(err)
	}
	iframe := js[string](t, ctx, `document.getElementById('embed-code').value`)
	if !strings.Contains(iframe, `<iframe src="`+embed+`"`) {
		t.Errorf("pinned iframe code = %s, want it to show %s", iframe, embed)
	}
	// Unpinned, the code follows the map's default date: no date at all.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("embed-pin"))); err != nil {
		t.Fatal(err)
	}
	live := js[string](t, ctx, `document.getElementById('embed-code').value`)
	if !strings.Contains(live, `<iframe src="`+srv.URL+"/embed/"+slug+`"`) {
		t.Errorf("live iframe code = %s, want the embed page with no date", live)
	}

	// On a phone the links follow as well.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/maps/"+slug+"?date=2021-08-15"),
		chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile),
	); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "34 provinces drawn", `document.querySelectorAll('#map path[data-region]').length === 34`)
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.ID("date-slider")), chromedp.KeyEvent(kb.ArrowLeft)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the links to follow the slider on a phone", `document.getElementById('download-csv').getAttribute('href') === '/api/maps/`+slug+`/state.csv?date=2021-08-14' &&
		document.getElementById('share-link').getAttribute('href') === '/maps/`+slug+`?date=2021-08-14'`)
	screenshot(t, ctx, "links-375")
}
