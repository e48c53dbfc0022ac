package web

import (
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserEditorRecordsAPlace: on the change form an editor clicks Kabul's marker as a
// region is clicked; the city becomes a chip and is chosen in the list, the preview names
// it, and saving records its event, which recolours its marker on the map.
func TestBrowserEditorRecordsAPlace(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t, withEditor("alice")).h)
	defer srv.Close()
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/maps/afghanistan-2021/edit"),
		signInForm("alice"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="event-form"]`)),
	); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the edit map's markers", `document.querySelectorAll('#map path[data-place]').length === 35`)
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("field-date"), "2021-08-10")); err != nil {
		t.Fatal(err)
	}
	js[bool](t, ctx, `document.getElementById('field-date').dispatchEvent(new Event('change', {bubbles: true}))`)
	pt := js[[]float64](t, ctx, `(() => { const r = document.querySelector('#map path[data-place="kabul"]').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(pt[0], pt[1])); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "Kabul's chip", `document.querySelector('#region-chips .chip[data-region="kabul"]') !== null && document.querySelector('#field-region option[value="kabul"]').selected`)
	if n := js[int](t, ctx, `document.querySelectorAll('#field-region option:checked').length`); n != 1 {
		t.Errorf("%d chosen in the list, want Kabul alone (its province was not clicked)", n)
	}
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID("field-faction"), "taliban"),
		chromedp.SendKeys(chromedp.ID("field-source"), "https://example.org/kabul"),
	); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "Kabul's preview", `[...document.querySelectorAll('#change-preview li')].some((li) => li.textContent.startsWith('Kabul: Islamic Republic of Afghanistan → Taliban from 2021-08-10'))`)
	screenshot(t, ctx, "edit-place")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="save"]`))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the map page with a notice", `(document.querySelector('[data-testid="notice"]')?.textContent || '').startsWith('Recorded')`)
	waitFor(t, ctx, "Kabul's marker in the Taliban's colour", markerColour+`('kabul') === '#d9a441'`)
	if got := js[string](t, ctx, `document.querySelector('#map path[data-region="AF-KAB"]').getAttribute('fill')`); got != "#2f6db5" {
		t.Errorf("Kabul province on 2021-08-10 is filled %q, want the government's: only the city changed", got)
	}
}
