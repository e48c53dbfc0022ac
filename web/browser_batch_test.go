package web

import (
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chromedp/chromedp"
)

// before15August is the built-in map with only the events dated before 15 August 2021, so
// that the ten provinces that fell that day are the editor's to record.
func before15August(t *testing.T) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, name := range []string{"map.json", "regions.geojson", "places.geojson", "events.csv"} {
		b, err := os.ReadFile("../data/maps/afghanistan-2021/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if name == "events.csv" {
			var kept []string
			for i, line := range strings.Split(string(b), "\n") {
				if i == 0 || (line != "" && strings.Split(line, ",")[2] < "2021-08-15") {
					kept = append(kept, line)
				}
			}
			b = []byte(strings.Join(kept, "\n") + "\n")
		}
		fsys[name] = &fstest.MapFile{Data: b}
	}
	return fsys
}

// TestBrowserEditorRecordsTenProvinces records the ten provinces that fell on 15 August
// 2021, Kabul among them, with one source in one save, as an editor would on that day: a
// click on each province, the date, the faction, the source, Save. It counts the clicks and
// field edits (14; 60 before, one form per province), and checks the preview, the chips,
// the notice and the map.
func TestBrowserEditorRecordsTenProvinces(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t, withEditor("alice"), withMaps(before15August(t))).h)
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

	actions := 0
	// The date first, so the map shows who held what that day.
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("field-date"), "2021-08-15")); err != nil {
		t.Fatal(err)
	}
	js[bool](t, ctx, `document.getElementById('field-date').dispatchEvent(new Event('change', {bubbles: true}))`)
	actions++
	ten := []string{"AF-NAN", "AF-KAB", "AF-DAY", "AF-WAR", "AF-BAM", "AF-KAP", "AF-LAG", "AF-KHO", "AF-PAR", "AF-NUR"}
	for _, id := range ten {
		clickRegion(t, ctx, id)
		actions++
	}
	waitFor(t, ctx, "ten chips", `document.querySelectorAll('#region-chips .chip').length === 10`)
	if got := js[int](t, ctx, `document.querySelectorAll('#field-region option:checked').length`); got != 10 {
		t.Errorf("%d regions selected in the list, want 10", got)
	}

	// A second click leaves a province out, a third puts it back; its chip's button removes it.
	clickRegion(t, ctx, "AF-KAB")
	waitFor(t, ctx, "Kabul left out", `!document.querySelector('#region-chips .chip[data-region="AF-KAB"]') && !document.querySelector('#field-region option[value="AF-KAB"]').selected`)
	clickRegion(t, ctx, "AF-KAB")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#region-chips .chip[data-region="AF-NUR"] button`))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "Nuristan removed by its chip", `document.querySelectorAll('#region-chips .chip').length === 9`)
	clickRegion(t, ctx, "AF-NUR")
	waitFor(t, ctx, "ten chips again", `document.querySelectorAll('#region-chips .chip').length === 10`)

	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID("field-faction"), "taliban"),
		chromedp.SendKeys(chromedp.ID("field-source"), "https://en.wikipedia.org/wiki/Fall_of_Kabul_(2021)"),
	); err != nil {
		t.Fatal(err)
	}
	actions += 2
	waitFor(t, ctx, "the preview of ten", `document.querySelector('#change-preview .preview-summary')?.textContent === '10 regions change hands.' && document.querySelectorAll('#change-preview li').length === 10`)
	if got := js[string](t, ctx, `[...document.querySelectorAll('#change-preview li')].find((li) => li.textContent.startsWith('Kabul'))?.textContent`); got != "Kabul: Islamic Republic of Afghanistan → Taliban from 2021-08-15 (was Islamic Republic of Afghanistan since 2021-08-01)." {
		t.Errorf("Kabul's preview %q", got)
	}
	for _, size := range [][2]int64{{375, 812}, {1280, 800}} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(size[0], size[1])); err != nil {
			t.Fatal(err)
		}
		js[bool](t, ctx, `(document.getElementById('region-chips').scrollIntoView(), true)`)
		screenshot(t, ctx, "edit-ten-"+strconv.FormatInt(size[0], 10)+"x"+strconv.FormatInt(size[1], 10))
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="save"]`))); err != nil {
		t.Fatal(err)
	}
	actions++
	t.Logf("ten provinces recorded in %d clicks and field edits, one page load after the form", actions)
	if actions >= 15 {
		t.Errorf("%d clicks and field edits for ten provinces, want under 15", actions)
	}
	waitFor(t, ctx, "the map page with a notice", `(document.querySelector('[data-testid="notice"]')?.textContent || '').startsWith('Recorded 10 changes: ')`)
	screenshot(t, ctx, "map-after-ten")
	// The header's sign-out form works on reader pages too, where a browser sends no CSRF
	// cookie (its Sec-Fetch-Site header stands for one).
	if n := js[int](t, ctx, `document.querySelectorAll('header form[action="/logout"] button').length`); n != 1 {
		t.Errorf("the map page's header has %d sign-out buttons", n)
	}
	for _, id := range ten {
		waitFor(t, ctx, id+" recoloured", `document.querySelector('#map path[data-region="`+id+`"]')?.dataset.faction === 'taliban'`)
	}
}

// TestBrowserImportPreview pastes spreadsheet rows, one of them bad, into the import form:
// the preview shows the good rows and the bad one's line and hint, and the text stays to fix.
func TestBrowserImportPreview(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t, withEditor("alice")).h)
	defer srv.Close()
	ctx := newBrowser(t)
	rows := "region\tfaction\tdate\tsource\tnote\nKunduz\tresistance\t2021-09-01\thttps://example.org/a\t\nTakhar\tTaleban\t2021-09-01\thttps://example.org/b\t\nBalkh\tresistance\t2021-09-02\thttps://example.org/c\tretaken\n"
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/maps/afghanistan-2021/events/import"),
		signInForm("alice"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="import-form"]`)),
		chromedp.SetValue(chromedp.ID("field-csv"), rows),
		chromedp.Click(chromedp.CSS(`[data-testid="import-preview"]`)),
	); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the preview", `document.querySelectorAll('[data-testid="import-row"]').length === 2`)
	if got := js[string](t, ctx, `document.querySelector('[data-testid="problem"]').textContent`); !strings.HasPrefix(got, "line 3: faction") {
		t.Errorf("problem %q", got)
	}
	js[bool](t, ctx, `(scrollTo(0, document.querySelector('[data-testid="import-rows"]').offsetTop - 200), true)`)
	if got := js[string](t, ctx, `document.getElementById('field-csv').value`); got != rows {
		t.Errorf("the form lost the rows: %q", got)
	}
	for _, size := range [][2]int64{{375, 812}, {1280, 800}} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(size[0], size[1])); err != nil {
			t.Fatal(err)
		}
		screenshot(t, ctx, "import-"+strconv.FormatInt(size[0], 10)+"x"+strconv.FormatInt(size[1], 10))
	}
}
