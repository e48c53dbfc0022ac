package web

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

// tableAgainstMap lists the rows of the regions table that disagree with the map at the
// date shown (window.frontline.holder: the state the map is painted from, and the inline
// map's path where a step painted it): holder, claim mark and since. [] when all agree.
const tableAgainstMap = `(() => {
	const iso = document.getElementById('date-input').value;
	const bad = [];
	for (const tr of document.querySelectorAll('#regions-table tbody tr[data-region]')) {
		const id = tr.dataset.region;
		const h = window.frontline.holder(id, iso);
		const holder = tr.querySelector('.holder');
		const mark = holder.querySelector('.claim-mark');
		const path = document.querySelector('#map path[data-region="' + CSS.escape(id) + '"]');
		const painted = path?.dataset.faction;
		const claimed = !!mark && !mark.hidden;
		const since = tr.querySelector('.since').textContent.trim();
		if (holder.dataset.faction !== h.faction || claimed !== h.claimed || since !== h.since || (painted && painted !== h.faction)) {
			bad.push(id + ': row ' + holder.dataset.faction + (claimed ? ' (claimed)' : '') + ' since ' + since +
				', map ' + h.faction + (h.claimed ? ' (claimed)' : '') + ' since ' + h.since + (painted ? ', path ' + painted : ''));
		}
	}
	return bad.slice(0, 5).concat(bad.length > 5 ? ['and ' + (bad.length - 5) + ' more'] : []);
})()`

// TestBrowserPlayEndsWithTableAgreeing plays a map of 400 regions (10,000 events, dozens of
// changes a day) through its last month at 4x, a step every 87 ms, faster than the table of
// regions follows (static/ui/settle.js: once the slider rests): once play stops, every row
// says what the map shows, the caption says the date, and the table is no longer busy.
func TestBrowserPlayEndsWithTableAgreeing(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t, withMaps(gridFolder("grid400", 400, 10_000))).h)
	defer srv.Close()
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/maps/grid400?date=2024-12-01")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the map following dates", `window.frontline && document.querySelectorAll('#map path[data-region]').length === 400`)
	js[bool](t, ctx, `(() => { const s = document.getElementById('play-speed'); s.value = '4'; s.dispatchEvent(new Event('change')); return true; })()`)
	if bad := js[[]string](t, ctx, tableAgainstMap); len(bad) != 0 {
		t.Fatalf("before play, the server's table disagrees with the map: %v", bad)
	}
	js[bool](t, ctx, `(window.__busySeen = false, new MutationObserver(() => { if (document.getElementById('regions-table').hasAttribute('aria-busy')) window.__busySeen = true; }).observe(document.getElementById('regions-table'), { attributes: true }), true)`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("play"))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](
		`document.getElementById('date-input').value === '2024-12-31' && document.getElementById('play').getAttribute('aria-pressed') === 'false'`,
		chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("waiting for play to reach 31 December: %v", err)
	}
	waitFor(t, ctx, "the table at the last date", `document.querySelector('.table-date').textContent === document.getElementById('date-label').textContent && !document.getElementById('regions-table').hasAttribute('aria-busy')`)
	if bad := js[[]string](t, ctx, tableAgainstMap); len(bad) != 0 {
		t.Errorf("once play stopped, the table disagrees with the map: %v", bad)
	}
	if !js[bool](t, ctx, `window.__busySeen`) {
		t.Error("the table never said aria-busy while its rows were behind the date shown")
	}
}

// TestBrowserRegionsTableGroups checks a large map's regions' table in groups of
// tableRowsPerGroup rows (a <tbody> each, reader.css: .grouped, content-visibility: auto): a
// group far below the viewport is not rendered, a group scrolled to is, its columns in line
// with the first group's (the rows are grids of the same columns, not one table's layout),
// and what is rendered is still a table to a screen reader: rows with their row header and
// cells under the four column headers. (Chromium leaves rows it skips out of the
// accessibility tree until they come near the viewport, as it did main's table, one box
// skipped whole, below a phone's fold.) A table of one group is a plain table.
func TestBrowserRegionsTableGroups(t *testing.T) {
	const regions = 350
	srv := httptest.NewServer(newTestServer(t, withMaps(gridFolder("grid350", regions, 2000))).h)
	defer srv.Close()
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/maps/grid350?date=2024-06-30")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the map following dates", `window.frontline !== undefined`)
	if got, want := js[[]int](t, ctx, `[...document.querySelectorAll('.grouped #regions-table tbody')].map((b) => b.rows.length)`), []int{100, 100, 100, 50}; !slices.Equal(got, want) {
		t.Fatalf("rows a group: %v, want %v", got, want)
	}
	const last = `document.querySelector('#regions-table tbody:last-of-type tr:last-child')`
	if js[bool](t, ctx, last+`.checkVisibility({ contentVisibilityAuto: true })`) {
		t.Error("the last group, far below the viewport, is rendered")
	}
	js[bool](t, ctx, `(`+last+`.scrollIntoView(), true)`)
	waitFor(t, ctx, "the last group rendered once scrolled to", last+`.checkVisibility({ contentVisibilityAuto: true })`)
	columns := `(tr) => [...tr.cells].map((c) => { const r = c.getBoundingClientRect(); return Math.round(r.left) + '+' + Math.round(r.width); }).join(' ')`
	first, lastRow := js[string](t, ctx, `(`+columns+`)(document.querySelector('#regions-table tbody tr'))`), js[string](t, ctx, `(`+columns+`)(`+last+`)`)
	if first != lastRow || strings.Count(first, "+") != 4 {
		t.Errorf("columns of the first row %q, of the last %q: want the same four", first, lastRow)
	}

	rendered := js[int](t, ctx, `[...document.querySelectorAll('#regions-table tbody tr')].filter((tr) => tr.checkVisibility({ contentVisibilityAuto: true })).length`)
	tree, err := chromedp.Run(ctx, chromedp.Action[accessibility.GetFullAXTreeResult](func(ctx context.Context, tg *chromedp.Target) (accessibility.GetFullAXTreeResult, error) {
		return cdp.Call(ctx, tg, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
	}))
	if err != nil {
		t.Fatal(err)
	}
	roles := map[string]int{}
	for _, n := range tree.Nodes {
		if !n.Ignored && n.Role != nil {
			roles[strings.Trim(string(n.Role.Value), `"`)]++
		}
	}
	if rendered < 50 || roles["table"] != 1 || roles["columnheader"] != 4 || roles["rowheader"] != rendered || roles["row"] != rendered+1 || roles["cell"] != 3*rendered {
		t.Errorf("with %d rows rendered, the accessibility tree has %d tables, %d column headers, %d rows, %d row headers and %d cells",
			rendered, roles["table"], roles["columnheader"], roles["row"], roles["rowheader"], roles["cell"])
	}

	doc := parseHTML(t, get(t, newTestServer(t).h, "/maps/afghanistan-2021"))
	if doc.Find(".regions-table-wrap.grouped").Length() != 0 || doc.Find("#regions-table tbody:not(.place-rows)").Length() != 1 {
		t.Error("the built-in map's table of 34 rows is grouped")
	}
}
