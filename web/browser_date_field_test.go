package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserTypedDateField: with a mouse and a keyboard the date field beside the slider is a
// text field for YYYY-MM-DD (static/ui/date-field.js: a date field's value costs a slider step
// far more); a typed date moves the map, a date that is not one or lies outside the map's
// range is refused in the page's language and moves nothing. On a touch screen it stays the
// server's date field, with the phone's own picker.
func TestBrowserTypedDateField(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)
	const page = "/maps/afghanistan-2021?date=2021-08-13&lang=fr"
	const live = `!!window.frontline && !!document.querySelector('#map > .map-inline.is-live')`
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+page)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the live map", live)
	field := js[[2]string](t, ctx, `(() => { const f = document.getElementById('date-input'); return [f.type, f.value]; })()`)
	if field != [2]string{"text", "2021-08-13"} {
		t.Fatalf("the date field is %q holding %q, want a text field holding 2021-08-13", field[0], field[1])
	}

	typeInto := func(id, s string) {
		t.Helper()
		if err := chromedp.Do(ctx,
			chromedp.Focus(chromedp.ID(id)),
			chromedp.Evaluate[chromedp.Void](`document.getElementById('`+id+`').select()`),
			chromedp.KeyEvent(s),
			chromedp.KeyEvent(kb.Enter),
		); err != nil {
			t.Fatal(err)
		}
	}
	typeDate := func(s string) { t.Helper(); typeInto("date-input", s) }
	typeDate("2021-08-15")
	waitFor(t, ctx, "the map at the typed date", `document.getElementById('date-slider').valueAsNumber === 14 && document.getElementById('date-label').textContent.includes('15 août 2021')`)
	if got := js[string](t, ctx, `document.querySelector('[data-testid="count-taliban"]').textContent`); got != "33" {
		t.Errorf("Taliban count on the typed 15 August = %q, want 33", got)
	}

	for _, tc := range []struct{ typed, want string }{
		{"2021-13-01", "la date 2021-13-01 n'est pas une vraie date au format YYYY-MM-DD"},
		{"2021-10-01", "la date 2021-10-01 est hors de la période de cette carte, du 2021-08-01 au 2021-09-15"},
	} {
		typeDate(tc.typed)
		if got := js[string](t, ctx, `document.getElementById('date-input').validationMessage`); got != tc.want {
			t.Errorf("typed %s: the field says %q, want %q", tc.typed, got, tc.want)
		}
		if got := js[int](t, ctx, `document.getElementById('date-slider').valueAsNumber`); got != 14 {
			t.Errorf("typed %s: the slider moved to day %d, want it left at 14", tc.typed, got)
		}
	}
	// Typing again takes the refusal back.
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Backspace)); err != nil {
		t.Fatal(err)
	}
	if got := js[string](t, ctx, `document.getElementById('date-input').validationMessage`); got != "" {
		t.Errorf("after a correction the field still says %q", got)
	}

	// "Compare with…" reads as the date field does, YYYY-MM-DD, and refuses alike.
	if got := js[string](t, ctx, `document.getElementById('compare-input').type`); got != "text" {
		t.Errorf("the compare field is %q, want a text field as the date field", got)
	}
	typeInto("compare-input", "2021-02-30")
	if got, want := js[string](t, ctx, `document.getElementById('compare-input').validationMessage`), "la date 2021-02-30 n'est pas une vraie date au format YYYY-MM-DD"; got != want {
		t.Errorf("compare field typed 2021-02-30 says %q, want %q", got, want)
	}
	if !js[bool](t, ctx, `document.getElementById('compare').hidden && !location.search.includes('compare')`) {
		t.Errorf("a refused compare date still compared")
	}
	typeInto("compare-input", "2021-08-14")
	waitFor(t, ctx, "the comparison with the typed 14 August", `!document.getElementById('compare').hidden && location.search.includes('compare=2021-08-14')`)

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulateTouch), chromedp.Navigate(srv.URL+page)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the live map on a phone", live)
	if got := js[string](t, ctx, `document.getElementById('date-input').type`); got != "date" {
		t.Errorf("on a touch screen the date field is %q, want the native date field", got)
	}
	if got := js[string](t, ctx, `document.getElementById('compare-input').type`); got != "date" {
		t.Errorf("on a touch screen the compare field is %q, want the native date field", got)
	}
	if got := js[string](t, ctx, `document.getElementById('date-input').value`); !strings.HasPrefix(got, "2021-08-13") {
		t.Errorf("on a touch screen the date field holds %q, want 2021-08-13", got)
	}
}
