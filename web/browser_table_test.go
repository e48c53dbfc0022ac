package web

import (
	"net/http/httptest"
	"testing"
	"time"

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
