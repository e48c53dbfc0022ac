package web

import (
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/frontline-maps/frontline/data"
)

// changedIDs is what the state API says changed between compare and date: the regions'
// ids and the places', each sorted, joined by spaces.
func changedIDs(t *testing.T, ts *testServer, date, compare string) (regions, places string, deltas map[string]int) {
	t.Helper()
	var doc struct {
		Compare apiCompare `json:"compare"`
	}
	decodeJSON(t, get(t, ts.h, "/api/maps/afghanistan-2021/state?date="+date+"&compare="+compare).Body, &doc)
	ids := func(list []data.Difference) string {
		var out []string
		for _, c := range list {
			out = append(out, c.ID)
		}
		slices.Sort(out)
		return strings.Join(out, " ")
	}
	return ids(doc.Compare.Regions), ids(doc.Compare.Places), doc.Compare.Deltas
}

// TestBrowserCompare sets a comparison with the page's control: the URL and the share link
// carry it, the regions and places changed are emphasised, the legend shows the deltas and
// the list names what changed, as the state API says; they follow the slider, and Clear
// takes it all away. At 1280x800 and on a phone.
func TestBrowserCompare(t *testing.T) {
	ts := newTestServer(t)
	srv := httptest.NewServer(ts.h)
	defer srv.Close()
	ctx := newBrowser(t)
	const emphasised = `[...document.querySelectorAll('#map path.changed[data-region]')].map((p) => p.dataset.region).sort().join(' ')`
	const ringed = `[...document.querySelectorAll('#map .place-marker.changed')].map((p) => p.dataset.place).sort().join(' ')`

	for _, size := range []struct {
		name          string
		width, height int64
	}{{"1280", 1280, 800}, {"375", 375, 812}} {
		t.Run(size.name, func(t *testing.T) {
			if err := chromedp.Do(ctx,
				chromedp.EmulateViewport(size.width, size.height),
				chromedp.Navigate(srv.URL+"/maps/afghanistan-2021?date=2021-08-15"),
			); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "34 provinces drawn", `document.querySelectorAll('#map path[data-region]').length === 34`)
			if got := js[string](t, ctx, emphasised); got != "" {
				t.Fatalf("without a comparison, %q are emphasised", got)
			}
			if !js[bool](t, ctx, `document.getElementById('compare').hidden && document.getElementById('compare-clear').hidden`) {
				t.Errorf("without a comparison, its list or Clear shows")
			}

			// The reader picks 14 August in "Compare with…".
			js[bool](t, ctx, `(() => { const i = document.getElementById('compare-input'); i.value = '2021-08-14';
				i.dispatchEvent(new Event('change', { bubbles: true })); return true; })()`)
			regions, places, deltas := changedIDs(t, ts, "2021-08-15", "2021-08-14")
			if !strings.Contains(regions, "AF-KAB") || !strings.Contains(places, "kabul") {
				t.Fatalf("the API's changes from 14 to 15 August lack Kabul: %q, %q", regions, places)
			}
			waitFor(t, ctx, "the URL to carry the comparison", `location.search === '?date=2021-08-15&compare=2021-08-14'`)
			if got := js[string](t, ctx, emphasised); got != regions {
				t.Errorf("emphasised regions = %q, want the API's %q", got, regions)
			}
			if got := js[string](t, ctx, ringed); got != places {
				t.Errorf("ringed places = %q, want the API's %q", got, places)
			}
			if got := js[string](t, ctx, `document.querySelector('[data-testid="delta-taliban"]').textContent`); got != formatDelta(deltas["taliban"]) {
				t.Errorf("Taliban's delta = %q, want %q", got, formatDelta(deltas["taliban"]))
			}
			n := len(strings.Fields(regions)) + len(strings.Fields(places))
			waitFor(t, ctx, "the list of what changed", `!document.getElementById('compare').hidden &&
				document.querySelectorAll('#compare-list li').length === `+strconv.Itoa(n))
			if got := js[string](t, ctx, `document.querySelector('#compare-list li[data-region="AF-KAB"]').textContent.replace(/\s+/g, ' ').trim()`); got != "Kabul: Islamic Republic of Afghanistan → Taliban" {
				t.Errorf("Kabul's row = %q", got)
			}
			if got := js[string](t, ctx, `document.getElementById('share-link').getAttribute('href')`); got != "/maps/afghanistan-2021?date=2021-08-15&compare=2021-08-14" {
				t.Errorf("share link = %q", got)
			}
			screenshot(t, ctx, "compare-"+size.name)

			// A day back with the keyboard: before the compared date, the diff reads backwards.
			if err := chromedp.Do(ctx, chromedp.Focus(chromedp.ID("date-slider")), chromedp.KeyEvent(kb.ArrowLeft), chromedp.KeyEvent(kb.ArrowLeft)); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "the URL at 13 August", `location.search === '?date=2021-08-13&compare=2021-08-14'`)
			regions, _, deltas = changedIDs(t, ts, "2021-08-13", "2021-08-14")
			if got := js[string](t, ctx, emphasised); got != regions {
				t.Errorf("at 13 August, emphasised regions = %q, want the API's %q", got, regions)
			}
			if got := js[string](t, ctx, `document.querySelector('[data-testid="delta-taliban"]').textContent`); got != formatDelta(deltas["taliban"]) {
				t.Errorf("at 13 August, Taliban's delta = %q, want %q", got, formatDelta(deltas["taliban"]))
			}

			// Clear: nothing emphasised, no deltas, no list, and the URL without it.
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("compare-clear"))); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "the URL without the comparison", `location.search === '?date=2021-08-13'`)
			if got := js[string](t, ctx, emphasised+` + '|' + `+ringed); got != "|" {
				t.Errorf("after Clear, %q are emphasised", got)
			}
			if !js[bool](t, ctx, `document.getElementById('compare').hidden && document.querySelector('[data-testid="delta-taliban"]').hidden`) {
				t.Errorf("after Clear, the list or the deltas show")
			}
		})
	}
}
