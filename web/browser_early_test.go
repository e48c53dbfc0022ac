package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// panelsOf is what a document shows beside the map, to compare a page with the server's
// page at the same date: the date label, the summary, the legend's counts, what changed that
// day and the chart's cursor. A JavaScript function of the document, for a page to call on
// itself (panelsAgree) and on the server's page, parsed.
const panelsOf = `((doc) => JSON.stringify([
	doc.getElementById('date-label')?.textContent.trim(),
	doc.getElementById('summary')?.textContent.trim(),
	[...doc.querySelectorAll('[data-testid^="count-"]')].map((c) => c.dataset.testid + '=' + c.textContent.trim()),
	doc.querySelector('#changes .changes-date')?.textContent.trim(),
	[...doc.querySelectorAll('#changes [data-testid="changes-list"] > li:not([hidden])')].length,
	doc.querySelector('[data-testid="chart-cursor"]')?.getAttribute('x1'),
]))`

// panelsAgree is panelsOf the page itself.
const panelsAgree = panelsOf + `(document)`

// modulesBeforeFirstFrame lists the page's modules (its scripts and chunks) that were asked
// for before its first frame was out (the early script's mark frontline:early-painted): none
// on a page whose modules load later (moduleScripts' later). It says so when the mark or the
// request for static/map.js is missing.
const modulesBeforeFirstFrame = `(() => {
	const painted = performance.getEntriesByName('frontline:early-painted')[0]?.startTime;
	const modules = performance.getEntriesByType('resource').filter((e) => /\/static\/(map|embed|share)\.js$|\/static\/chunks\//.test(e.name));
	if (painted === undefined) return 'no early-painted mark';
	if (!modules.some((e) => e.name.endsWith('/static/map.js'))) return 'static/map.js never asked for';
	return modules.filter((e) => e.startTime < painted).map((e) => e.name).join(' ');
})()`

// earlyAgainstModule steps the module through every position of the slider and lists where
// its map differs from what the early table (#map-early) draws there: a region's holder's
// colour, or a claim drawn as none or the other way; a place's marker's strokes.
const earlyAgainstModule = `(() => {
	const table = JSON.parse(document.getElementById('map-early').textContent);
	const data = JSON.parse(document.getElementById('map-data').textContent);
	const color = new Map(data.factions.map((f) => [f.id, f.color]));
	const bad = [];
	const last = Number(document.getElementById('date-slider').max);
	for (let pos = 0; pos <= last; pos++) {
		const d = new Date(Date.parse(table.start + 'T00:00:00Z') + pos * 864e5).toISOString().slice(0, 10);
		window.frontline.setDate(d);
		const want = new Map();
		const wantMarkers = new Map();
		const n = table.regions.length;
		for (const step of table.steps) {
			if (step[0] > pos) break;
			for (let k = 1; k < step.length; k += 2) {
				if (step[k] < n) want.set(table.regions[step[k]], table.fills[step[k + 1]]);
				else wantMarkers.set(table.places[step[k] - n], table.markers[step[k + 1]]);
			}
		}
		for (const [k, m] of wantMarkers) {
			const [outer, inner] = document.querySelectorAll('#map path[data-inline-place="' + k + '"]');
			const got = [outer?.getAttribute('stroke'), Number(outer?.getAttribute('stroke-width')), inner?.getAttribute('stroke'), Number(inner?.getAttribute('stroke-width'))];
			const early = [m.outer, m.outerWidth, m.inner, m.innerWidth];
			if (got.join() !== early.join()) bad.push(d + ' ' + k + ': module ' + got + ', early ' + early);
		}
		for (const [id, [fill, factionColor]] of want) {
			const p = document.querySelector('#map path[data-region="' + id + '"]');
			const got = [color.get(p?.dataset.faction), p?.dataset.claimed === 'true'];
			const early = [factionColor || fill, factionColor !== ''];
			if (got[0] !== early[0] || got[1] !== early[1]) bad.push(d + ' ' + id + ': module ' + got + ', early ' + early);
		}
	}
	return bad;
})()`

// TestBrowserEarlySlider holds static/map.js back (the server answers it only when the test
// says) and moves the slider of the embed and of the map page while the early script alone
// has it: the map and the date label follow at once, the panels it leaves say aria-busy; once
// the module has started, every panel agrees with the server's own page at the slider's
// date, and the module's map at every position is the early table's. The modules were asked
// for only after the first frame.
func TestBrowserEarlySlider(t *testing.T) {
	ts := newTestServer(t)
	for _, pg := range []struct{ name, path, later string }{
		{"embed", "/embed/afghanistan-2021?date=2021-08-13", "/embed/afghanistan-2021?date=2021-08-15"},
		{"map", "/maps/afghanistan-2021?date=2021-08-13", "/maps/afghanistan-2021?date=2021-08-15"},
	} {
		t.Run(pg.name, func(t *testing.T) {
			gate := make(chan struct{})
			var once sync.Once
			release := func() { once.Do(func() { close(gate) }) }
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/static/map.js" {
					select {
					case <-gate:
					case <-r.Context().Done():
						return
					}
				}
				ts.h.ServeHTTP(w, r)
			}))
			defer srv.Close()
			defer release() // before Close, which waits for the held request
			ctx := newBrowser(t)
			// Navigate without waiting for the load, which the held module holds back.
			if err := chromedp.Do(ctx, cdpCall(page.Navigate, page.NavigateParams{URL: srv.URL + pg.path})); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "the early script to take input", `performance.getEntriesByName('frontline:input').length === 1`)
			// The page may be loaded (its modules come after the first frame, and the load
			// event need not wait for them); the module must not have run.
			if js[bool](t, ctx, `!!window.frontline`) {
				t.Fatal("the module ran while the test held it back")
			}
			if js[bool](t, ctx, `document.getElementById('date-slider').hidden || !document.getElementById('date-submit').hidden`) {
				t.Error("the early script did not show the slider in the date form's place")
			}
			// The date field as the module makes it where no pointer is coarse (ui/date-field.js),
			// already: its look does not change at the hand-over.
			if got := js[string](t, ctx, `document.getElementById('date-input').type`); got != "text" {
				t.Errorf("the date field before the module: type %q, want text (typed by the early script)", got)
			}
			// Two days on with the keyboard, as a reader would.
			if err := chromedp.Do(ctx, chromedp.Focus(chromedp.ID("date-slider")), chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight)); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "the early label at 15 August", `document.getElementById('date-label').textContent.includes('15 August 2021')`)
			const region = `document.querySelector('#map > svg.map-inline path[data-inline-region="%s"]')`
			if got := js[string](t, ctx, fmt.Sprintf(region, "AF-BAL")+`.getAttribute('fill')`); got != "#d9a441" {
				t.Errorf("Balkh on 15 August, early: filled %q, want the Taliban's #d9a441", got)
			}
			// Mazar-i-Sharif, taken on 14 August, in the same frame as Balkh around it.
			if got := js[string](t, ctx, `document.querySelectorAll('#map > svg.map-inline path[data-inline-place="mazar-i-sharif"]')[1].getAttribute('stroke')`); got != "#d9a441" {
				t.Errorf("Mazar-i-Sharif's marker on 15 August, early: %q, want the Taliban's #d9a441", got)
			}
			kapisa := js[string](t, ctx, fmt.Sprintf(region, "AF-KAP")+`.getAttribute('fill')`)
			if !strings.HasPrefix(kapisa, "url(#fp-hatch-") || !js[bool](t, ctx, fmt.Sprintf(`!!document.getElementById(%q)`, strings.TrimSuffix(strings.TrimPrefix(kapisa, "url(#"), ")"))) {
				t.Errorf("Kapisa, claimed on 15 August, early: filled %q, want a hatch the picture defines", kapisa)
			}
			if got := js[string](t, ctx, `document.getElementById('summary').getAttribute('aria-busy') ?? ''`); got != "true" {
				t.Errorf("the summary's aria-busy = %q while the module is held, want true", got)
			}
			if js[bool](t, ctx, `!!window.frontline`) {
				t.Fatal("the module ran while the test held it back")
			}

			release()
			waitFor(t, ctx, "the module to start", `!!window.frontline && performance.getEntriesByName('frontline:drawn').length === 1`)
			// The modules were asked for only once the first frame was out (moduleScripts' later).
			if got := js[string](t, ctx, modulesBeforeFirstFrame); got != "" {
				t.Errorf("modules asked for before the first frame was out: %s", got)
			}
			if got := js[string](t, ctx, `document.getElementById('date-slider').value`); got != "14" {
				t.Errorf("the slider at %q after the module started, want 14 (15 August, where the reader left it)", got)
			}
			// The server's page at that date says what every panel should show.
			want, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
				const doc = new DOMParser().parseFromString(await (await fetch(`+"`"+pg.later+"`"+`)).text(), 'text/html');
				return `+panelsOf+`(doc);
			})()`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "every panel to agree with the server's page at 15 August: "+want, panelsAgree+` === `+fmt.Sprintf("%q", want))
			if got := js[string](t, ctx, `[...document.querySelectorAll('[aria-busy="true"]')].map((e) => e.id).join(' ')`); got != "" && got != "regions-table" {
				t.Errorf("still busy after the module took over: %s", got)
			}
			if got := js[string](t, ctx, fmt.Sprintf(region, "AF-BAL")+`.dataset.faction`); got != "taliban" {
				t.Errorf("Balkh's data-faction %q after the module took over, want taliban", got)
			}
			if pg.name == "map" {
				waitFor(t, ctx, "the table and the URL to follow once the slider rests",
					`location.search === '?date=2021-08-15' && !document.getElementById('regions-table').hasAttribute('aria-busy')`)
			}
			if bad := js[[]any](t, ctx, earlyAgainstModule); len(bad) > 0 {
				t.Errorf("the module's map and the early table differ at %d places: %v", len(bad), bad[:min(len(bad), 5)])
			}
		})
	}
}

// TestBrowserFirstFrameShowsControlsAsTheyStay: a light map's first frame may come as soon as
// the map is parsed, before its early map script runs (#map-parsed precedes it, so that the
// frame waits for nothing after the map). The controls are shown as they stay by the script
// right after the date form, so that frame already has them so: the slider and Play shown,
// Show hidden, the date field typed, the map and the form in the boxes they keep once the
// module has taken over.
func TestBrowserFirstFrameShowsControlsAsTheyStay(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	// Run before the page's own scripts: the state in the first frame's callbacks, which
	// run before that frame is painted.
	const watch = `(() => {
		const state = () => {
			const rect = (el) => { if (!el) return null; const r = el.getBoundingClientRect(); return [r.left, r.top, r.width, r.height].map(Math.round); };
			const byId = (id) => document.getElementById(id);
			return {
				shown: ['date-slider', 'play', 'next-change'].map((id) => byId(id) && !byId(id).hidden && getComputedStyle(byId(id)).visibility === 'visible'),
				submitHidden: !!byId('date-submit')?.hidden,
				dateType: byId('date-input')?.type ?? '',
				form: rect(byId('date-form')),
				map: rect(byId('map')),
			};
		};
		window.__state = state;
		requestAnimationFrame(() => { window.__firstFrame = state(); });
	})();`
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, cdpCall(page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watch})); err != nil {
		t.Fatal(err)
	}
	for _, pg := range []struct{ name, path string }{
		{"embed", "/embed/afghanistan-2021?date=2021-08-14"},
		{"map", "/maps/afghanistan-2021?date=2021-08-14"},
	} {
		t.Run(pg.name, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+pg.path)); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "the module to take over", `performance.getEntriesByName('frontline:drawn').length === 1 && !!window.__firstFrame`)
			first := js[string](t, ctx, `JSON.stringify(window.__firstFrame)`)
			now := js[string](t, ctx, `JSON.stringify(window.__state())`)
			if first != now {
				t.Errorf("the first frame's controls and boxes differ from the module's:\n first %s\n later %s", first, now)
			}
			if !strings.Contains(first, `"shown":[true,true,true],"submitHidden":true,"dateType":"text"`) {
				t.Errorf("the first frame: %s; want the slider, Play and the steps shown, Show hidden, the date field typed", first)
			}
		})
	}
}
