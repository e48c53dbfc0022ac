package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserEditorRecordsChange signs in through the form, picks Maidan Wardak by clicking
// the edit map, fills the change form, saves, and sees the reader's map recoloured at that
// date, with the editor's note shown as text in the popup.
func TestBrowserEditorRecordsChange(t *testing.T) {
	h := newTestServer(t, withEditor("alice")).h
	srv := httptest.NewServer(h)
	defer srv.Close()
	ctx := newBrowser(t)

	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/maps/afghanistan-2021/edit"),
		signInForm("alice"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="event-form"]`)),
	); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the edit map", `document.querySelectorAll('#map path[data-region]').length === 34`)

	clickRegion(t, ctx, "AF-WAR")
	waitFor(t, ctx, "the region field to follow the click", `document.getElementById('field-region').value === 'AF-WAR'`)

	const note = `Maidan Shahr fell <img src=x onerror="document.body.dataset.pwned=1">`
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID("field-faction"), "taliban"),
		chromedp.SetValue(chromedp.ID("field-date"), "2021-08-14"),
		chromedp.SendKeys(chromedp.ID("field-source"), "https://example.org/maidan-shahr"),
		chromedp.SendKeys(chromedp.ID("field-note"), note),
	); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the preview", `document.getElementById('change-preview').textContent.startsWith('Maidan Wardak: Islamic Republic of Afghanistan → Taliban from 2021-08-14')`)
	screenshot(t, ctx, "edit")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="save"]`))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the map page with a notice", `(document.querySelector('[data-testid="notice"]')?.textContent || '').includes('Recorded: Maidan Wardak')`)
	waitFor(t, ctx, "Maidan Wardak recoloured", `document.querySelector('#map path[data-region="AF-WAR"]')?.dataset.faction === 'taliban'`)
	if got := js[string](t, ctx, `location.pathname + location.search`); !strings.HasPrefix(got, "/maps/afghanistan-2021?date=2021-08-14") {
		t.Errorf("after saving, the page is %q", got)
	}

	clickRegion(t, ctx, "AF-WAR")
	waitFor(t, ctx, "the popup", `(document.querySelector(`+popupContent+`)?.textContent || '').includes('Maidan Wardak')`)
	if got := js[string](t, ctx, `document.querySelector(`+popupContent+`).textContent`); !strings.Contains(got, note) {
		t.Errorf("popup text %q does not show the note as text", got)
	}
	if n := js[int](t, ctx, `document.querySelector(`+popupContent+`).querySelectorAll('img').length`); n != 0 {
		t.Errorf("the note's markup became %d element(s) in the popup", n)
	}
	if pwned := js[bool](t, ctx, `document.body.dataset.pwned === '1'`); pwned {
		t.Error("the note's script ran")
	}
}
