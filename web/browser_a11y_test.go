package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserKeyboardRegions: a reader without a mouse tabs from the zoom buttons into the
// map's list of regions and places, moves with the arrow keys to Kabul, hears its holder,
// opens its popup with Enter, and finds the place of the same name at the list's end; the
// map box is described by the summary of the date shown, a polite live region.
func TestBrowserKeyboardRegions(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/maps/afghanistan-2021?date=2021-08-15")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "34 provinces drawn", `document.querySelectorAll('#map path[data-region]').length === 34 && document.querySelectorAll('#map .map-key').length > 34`)

	if got := js[string](t, ctx, `(() => {
		const m = document.getElementById('map'), s = document.getElementById(m.getAttribute('aria-describedby'));
		return s.getAttribute('aria-live') + ' | ' + s.textContent.trim();
	})()`); got != "polite | Taliban: 25 of 34 regions confirmed, 33 with claims, on 15 August 2021. +10 since 14 August 2021." {
		t.Errorf("the map's description = %q, want the summary of 15 August, polite", got)
	}
	if got := js[string](t, ctx, `document.querySelector('#map [role="toolbar"]').getAttribute('aria-label')`); got == "" {
		t.Error("the list of regions has no name")
	}
	if got := js[int](t, ctx, `document.querySelectorAll('#map .map-key[tabindex="0"]').length`); got != 1 {
		t.Errorf("%d keys are Tab stops, want 1 (a roving tabindex)", got)
	}

	// Tab from the zoom-out button reaches the list's first region; thirteen steps down is
	// Kabul. The live inline map's button (static/map/live-view.js), where Leaflet's would be.
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(`#map .map-zoom-out`)), chromedp.KeyEvent(kb.Tab)); err != nil {
		t.Fatal(err)
	}
	const active = `document.activeElement.textContent`
	if got := js[string](t, ctx, active); got != "Badakhshan: Taliban, confirmed since 11 August 2021" {
		t.Errorf("after Tab the focus is on %q, want Badakhshan's key", got)
	}
	for range 13 {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowDown)); err != nil {
			t.Fatal(err)
		}
	}
	if got := js[string](t, ctx, active); got != "Kabul: Taliban, confirmed since 15 August 2021" {
		t.Errorf("13 steps down the focus is on %q, want Kabul's key", got)
	}
	// The focused key is visible (a label at the map's corner), the others are not.
	if got := js[string](t, ctx, `(() => { const r = document.activeElement.getBoundingClientRect(); return r.width > 50 && r.height > 10 ? 'shown' : r.width + 'x' + r.height; })()`); got != "shown" {
		t.Errorf("the focused key measures %s, want it shown", got)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "Kabul's popup", `(document.querySelector(`+popupContent+`)?.querySelector('h2')?.textContent || '') === 'Kabul'`)
	screenshot(t, ctx, "keyboard-kabul")

	// The date moves (the slider says which, to a screen reader too) and the focused key's
	// name follows it; End reaches the last place.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.frontline.setDate('2021-08-10')`)); err != nil {
		t.Fatal(err)
	}
	if got := js[string](t, ctx, `document.getElementById('date-slider').getAttribute('aria-valuetext')`); got != "10 August 2021" {
		t.Errorf("the slider's aria-valuetext = %q, want 10 August 2021", got)
	}
	if got := js[string](t, ctx, `document.querySelector('#map .map-key[tabindex="0"]').textContent`); got != "Kabul: Islamic Republic of Afghanistan, confirmed since 1 August 2021" {
		t.Errorf("on 10 August Kabul's key reads %q", got)
	}
	waitFor(t, ctx, "the summary of 10 August", `document.getElementById('summary').textContent.includes('10 August 2021')`)
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(`#map .map-key[tabindex="0"]`)), chromedp.KeyEvent(kb.End)); err != nil {
		t.Fatal(err)
	}
	if last := js[string](t, ctx, active); !strings.HasPrefix(last, "Zaranj (capital): ") {
		t.Errorf("End reaches %q, want the last place by name, Zaranj, its kind in brackets", last)
	}
}

// TestBrowserThemeFollowsPreference: without ?theme= the page follows the reader's
// prefers-color-scheme, and a pinned theme wins over it; the embed's iframe follows too.
func TestBrowserThemeFollowsPreference(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)
	const paper = `getComputedStyle(document.body).backgroundColor`
	for _, tt := range []struct{ prefers, path, want string }{
		{"dark", "/maps/afghanistan-2021", "rgb(20, 24, 28)"},
		{"light", "/maps/afghanistan-2021", "rgb(255, 255, 255)"},
		{"dark", "/maps/afghanistan-2021?theme=light", "rgb(255, 255, 255)"},
		{"light", "/maps/afghanistan-2021?theme=dark", "rgb(20, 24, 28)"},
		{"dark", "/embed/afghanistan-2021", "rgb(20, 24, 28)"},
		{"light", "/embed/afghanistan-2021?theme=dark", "rgb(20, 24, 28)"},
	} {
		media := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: tt.prefers}},
			})
			return err
		})
		if err := chromedp.Do(ctx, media, chromedp.Navigate(srv.URL+tt.path)); err != nil {
			t.Fatal(err)
		}
		if got := js[string](t, ctx, paper); got != tt.want {
			t.Errorf("%s preferred, %s: the page's background is %s, want %s", tt.prefers, tt.path, got, tt.want)
		}
	}
}
