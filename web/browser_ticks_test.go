package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// frameSampler records, at every animation frame until window.__stopSampling is set, what
// the page says the date is: the slider, the big label, the date field, the summary, the
// title, the address bar, the what-changed list and the table (its date, and Kabul's row).
const frameSampler = `(() => {
	window.__frames = [];
	window.__dates = [];
	window.__stopSampling = false;
	document.addEventListener('frontline:datechange', (e) => window.__dates.push(e.detail.date));
	const el = (id) => document.getElementById(id);
	const sample = () => {
		window.__frames.push({
			slider: el('date-slider').valueAsNumber,
			label: el('date-label').textContent,
			input: el('date-input').value,
			summary: el('summary').textContent,
			title: document.title,
			url: new URL(location.href).searchParams.get('date') ?? '',
			changes: el('changes')?.dataset.date ?? '',
			table: document.querySelector('.table-date')?.textContent ?? '',
			kabul: document.querySelector('#regions-table tr[data-region="AF-KAB"] .holder')?.dataset.faction ?? '',
			kabulListed: !!document.querySelector('#changes li[data-region="AF-KAB"]:not([hidden])'),
		});
		if (!window.__stopSampling) requestAnimationFrame(sample);
	};
	requestAnimationFrame(sample);
	return true;
})()`

// playedThrough holds once play has reached the built-in map's last day and stopped.
const playedThrough = `document.getElementById('date-slider').valueAsNumber === 45 && document.getElementById('play').getAttribute('aria-pressed') === 'false'`

var shift = chromedp.KeyModifiers(chromedp.ModifierShift)

func acts(a ...chromedp.Action[chromedp.Void]) []chromedp.Action[chromedp.Void] { return a }

type sampledFrame struct {
	Slider                                     int
	Label, Input, Summary, Title, URL, Changes string
	Table, Kabul                               string
	KabulListed                                bool
}

// sampledFrames stops the sampler and returns its frames.
func sampledFrames(t *testing.T, ctx context.Context) []sampledFrame {
	t.Helper()
	raw := js[string](t, ctx, `(window.__stopSampling = true, JSON.stringify(window.__frames))`)
	var frames []sampledFrame
	if err := json.Unmarshal([]byte(raw), &frames); err != nil {
		t.Fatal(err)
	}
	return frames
}

// disagreement names what, in frame f, does not show the slider's date (the built-in map
// starts on 2021-08-01), or is "".
func disagreement(f sampledFrame) string {
	iso := time.Date(2021, 8, 1+f.Slider, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
	label := dateLabel(englishDates, iso)
	var bad []string
	if f.Label != label {
		bad = append(bad, fmt.Sprintf("label %q", f.Label))
	}
	if f.Input != iso {
		bad = append(bad, fmt.Sprintf("date field %q", f.Input))
	}
	if !strings.Contains(f.Summary, " on "+label+".") { // then, maybe, the change since the change date before
		bad = append(bad, fmt.Sprintf("summary %q", f.Summary))
	}
	if !strings.Contains(f.Title, label) {
		bad = append(bad, fmt.Sprintf("title %q", f.Title))
	}
	// The table of regions is not asked to agree here: it follows once the slider rests
	// (static/ui/settle.js), which tableBehind and tableAgrees check.
	if f.KabulListed != (f.Slider == 14) {
		bad = append(bad, fmt.Sprintf("Kabul in the list: %v", f.KabulListed))
	}
	if f.Changes != iso {
		bad = append(bad, fmt.Sprintf("what-changed list of %q", f.Changes))
	}
	if bad == nil {
		return ""
	}
	return fmt.Sprintf("slider at %s, but %s", iso, strings.Join(bad, ", "))
}

// tableBehind names what, in frame f of a play forwards from the built-in map's first day,
// is wrong with the table of regions, or is "": it may lag the slider (it follows once the
// slider rests, a step of play included), but never shows a day the slider has not reached,
// and its rows agree with its own caption: Kabul's row says Taliban from 15 August on.
func tableBehind(f sampledFrame) string {
	day := -1
	for d := 0; d <= f.Slider; d++ {
		if dateLabel(englishDates, time.Date(2021, 8, 1+d, 0, 0, 0, 0, time.UTC).Format("2006-01-02")) == f.Table {
			day = d
		}
	}
	if day < 0 {
		return fmt.Sprintf("slider at day %d, but the table is of %q, no day from 1 August to then", f.Slider, f.Table)
	}
	if want := map[bool]string{true: "taliban", false: "government"}[day >= 14]; f.Kabul != want {
		return fmt.Sprintf("the table is of %q, but Kabul's row is held by %q", f.Table, f.Kabul)
	}
	return ""
}

// urlBehind names what, in frame f of a play forwards from the built-in map's first day, is
// wrong with the address bar's date, or is "": like the table it follows once the slider
// rests (a step of play included: history.replaceState costs milliseconds on a page of
// hundreds of links, static/ui/settle.js), so it may lag the slider but never shows a day the
// slider has not reached.
func urlBehind(f sampledFrame) string {
	for d := 0; d <= f.Slider; d++ {
		if time.Date(2021, 8, 1+d, 0, 0, 0, 0, time.UTC).Format("2006-01-02") == f.URL {
			return ""
		}
	}
	return fmt.Sprintf("slider at day %d, but the address bar says %q, no day from 1 August to then", f.Slider, f.URL)
}

// tableAgrees waits for the table of regions to show the slider's date, the slider at rest
// on the built-in map's day, Kabul's row included: a rested slider leaves no stale table.
func tableAgrees(t *testing.T, ctx context.Context, day int) {
	t.Helper()
	label := dateLabel(englishDates, time.Date(2021, 8, 1+day, 0, 0, 0, 0, time.UTC).Format("2006-01-02"))
	kabul := map[bool]string{true: "taliban", false: "government"}[day >= 14]
	waitFor(t, ctx, "the table at the rested slider's date", fmt.Sprintf(
		`document.querySelector('.table-date').textContent === %q && document.querySelector('#regions-table tr[data-region="AF-KAB"] .holder').dataset.faction === %q && !document.getElementById('regions-table').hasAttribute('aria-busy')`,
		label, kabul))
}

// TestBrowserPlayAgrees plays the built-in map from its first day to its last, at 1x by day,
// and on every animation frame of it checks that the big date label, the date field, the
// summary, the title and the what-changed list show the slider's date: the label used to
// run a step ahead of the rest during play. The table of regions and the address bar follow
// once the slider rests (at thousands of rows, following every step was most of a step's
// time; a history change costs milliseconds on a page of hundreds of links): during play
// they may lag but never lead (nor the table contradict its caption), and once play stops
// they agree.
func TestBrowserPlayAgrees(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/maps/afghanistan-2021?date=2021-08-01")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "provinces drawn", `document.querySelectorAll('#map path[data-region]').length === 34`)
	js[bool](t, ctx, frameSampler)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("play"))); err != nil {
		t.Fatal(err)
	}
	// 45 steps of 350 ms: longer than waitFor waits.
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](playedThrough, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("waiting for play to reach 15 September: %v", err)
	}
	frames := sampledFrames(t, ctx)
	wrong := 0
	for i, f := range frames {
		if msg := disagreement(f); msg != "" {
			if wrong++; wrong <= 5 {
				t.Errorf("frame %d: %s", i, msg)
			}
		}
	}
	if wrong > 5 {
		t.Errorf("and %d frames more disagree, of %d", wrong-5, len(frames))
	}
	for i, f := range frames {
		if msg := tableBehind(f); msg != "" {
			t.Errorf("frame %d: %s", i, msg)
			break
		}
	}
	// At 1x a step rests 350 ms, longer than the address bar waits: it follows the days (half of
	// them at least, on a machine loaded enough to delay its timer past the next step).
	urlDays := map[string]bool{}
	for i, f := range frames {
		if msg := urlBehind(f); msg != "" {
			t.Errorf("frame %d: %s", i, msg)
			break
		}
		urlDays[f.URL] = true
	}
	if len(urlDays) < 23 {
		t.Errorf("the address bar showed %d dates during a play of 46 days at 1x, want it to follow the steps once each rests", len(urlDays))
	}
	tableAgrees(t, ctx, 45)
	waitFor(t, ctx, "the address bar at the rested slider's date", `location.search === '?date=2021-09-15'`)
	if len(frames) < 45 {
		t.Errorf("%d frames sampled in a play of 45 steps", len(frames))
	}
	// Each step once, every day: a loaded machine may paint no frame of a step.
	if dates := js[[]string](t, ctx, `window.__dates`); len(dates) != 45 || dates[0] != "2021-08-02" || dates[44] != "2021-09-15" {
		t.Errorf("play showed %d dates, %v, want the 45 from 2 August to 15 September", len(dates), dates)
	}
}

// TestBrowserChangeSteps goes from change to change with the buttons and the keys, plays by
// change at 4x, and checks the ticks sit at the built-in map's change dates.
func TestBrowserChangeSteps(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/maps/afghanistan-2021?date=2021-08-01")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "provinces drawn", `document.querySelectorAll('#map path[data-region]').length === 34`)
	// The days from 1 August with events: 6 to 15 August but the 15th's eve, 17 August, 6 September.
	const changeDays = "5 6 7 8 9 10 11 12 13 14 16 36"
	if got := js[string](t, ctx, `document.getElementById('date-slider').dataset.ticks`); got != changeDays {
		t.Errorf("ticks at days %q, want %q", got, changeDays)
	}
	if got := js[int](t, ctx, `document.querySelectorAll('[data-testid="slider-ticks"] path').length`); got != 1 {
		t.Errorf("%d tick paths drawn, want 1", got)
	}
	slider := func() int { return js[int](t, ctx, `document.getElementById('date-slider').valueAsNumber`) }
	if got := js[string](t, ctx, `document.getElementById('previous-change').getAttribute('aria-disabled')`); got != "true" {
		t.Errorf("on the first day, previous change is aria-disabled=%q, want true", got)
	}
	steps := []struct {
		name   string
		action []chromedp.Action[chromedp.Void]
		want   int
	}{
		{"the next-change button", acts(chromedp.Click(chromedp.ID("next-change"))), 5},
		{"Page Down on the slider", acts(chromedp.Focus(chromedp.ID("date-slider")), chromedp.KeyEvent(kb.PageDown)), 6},
		{"Shift+Right on the slider", acts(chromedp.KeyEvent(kb.ArrowRight, shift)), 7},
		{"Shift+Left on the slider", acts(chromedp.KeyEvent(kb.ArrowLeft, shift)), 6},
		{"Page Up on the slider", acts(chromedp.KeyEvent(kb.PageUp)), 5},
		{"an arrow, still a day", acts(chromedp.KeyEvent(kb.ArrowRight)), 6},
		{"the previous-change button", acts(chromedp.Click(chromedp.ID("previous-change"))), 5},
	}
	for _, s := range steps {
		if err := chromedp.Do(ctx, s.action...); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := slider(); got != s.want {
			t.Errorf("after %s the slider is at day %d, want %d", s.name, got, s.want)
		}
	}

	// Play by change at 4x from the first day: only change days and the last day show, each
	// agreeing with the label, field, summary, title and list (the address bar may lag a
	// step at 4x: browsers allow only so many history changes a second).
	js[bool](t, ctx, `(window.frontline.setDate('2021-08-01'), document.getElementById('play-by-change').click(), true)`)
	js[bool](t, ctx, `(() => { const s = document.getElementById('play-speed'); s.value = '4'; s.dispatchEvent(new Event('change')); return true; })()`)
	js[bool](t, ctx, frameSampler)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("play"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "play to reach the last day", playedThrough)
	frames := sampledFrames(t, ctx)
	for i, f := range frames {
		if msg := disagreement(f); msg != "" {
			t.Errorf("frame %d: %s", i, msg)
			break
		}
	}
	tableAgrees(t, ctx, 45)
	// The days play showed, each step once: a loaded machine may paint no frame of a step.
	var shown []int
	for _, iso := range js[[]string](t, ctx, `window.__dates`) {
		d, err := time.Parse("2006-01-02", iso)
		if err != nil {
			t.Fatal(err)
		}
		shown = append(shown, int(d.Sub(time.Date(2021, 8, 1, 0, 0, 0, 0, time.UTC)).Hours()/24))
	}
	if want := "[5 6 7 8 9 10 11 12 13 14 16 36 45]"; fmt.Sprint(shown) != want {
		t.Errorf("play by change showed days %v, want %s", shown, want)
	}
}

// TestBrowserChangesAtTwoSizes opens the map page and the embed on a phone and on a desktop:
// the ticks and the list show, the embed's list folds away on the phone only, and the map is
// drawn in its box, not grey or off-screen.
func TestBrowserChangesAtTwoSizes(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)
	for _, size := range [][2]int64{{375, 812}, {1280, 800}} {
		for _, page := range []string{"maps", "embed"} {
			name := fmt.Sprintf("changes-%s-%d", page, size[0])
			t.Run(name, func(t *testing.T) {
				opts := []chromedp.EmulateViewportOption{}
				if size[0] < 500 {
					opts = append(opts, chromedp.EmulateMobile)
				}
				if err := chromedp.Do(ctx,
					chromedp.EmulateViewport(size[0], size[1], opts...),
					chromedp.Navigate(srv.URL+"/"+page+"/afghanistan-2021?date=2021-08-15"),
				); err != nil {
					t.Fatal(err)
				}
				waitFor(t, ctx, "34 provinces drawn", `document.querySelectorAll('#map path[data-region]').length === 34`)
				if got := js[int](t, ctx, `document.querySelectorAll('#changes .changes-list li:not([hidden])').length`); got == 0 {
					t.Error("no events listed on 15 August")
				}
				if got := js[bool](t, ctx, `(() => { const r = document.querySelector('[data-testid="slider-ticks"]').getBoundingClientRect(); return r.width > 100 && r.height > 10; })()`); !got {
					t.Error("the ticks have no room beside the slider")
				}
				inView := js[bool](t, ctx, `(() => { const r = document.getElementById('map').getBoundingClientRect(); return r.width > 300 && r.left >= 0 && r.right <= innerWidth + 1; })()`)
				if !inView {
					t.Error("the map's box is not on the screen")
				}
				wantOpen := !(page == "embed" && size[0] < 500)
				if page == "embed" {
					if open := js[bool](t, ctx, `document.getElementById('changes').open`); open != wantOpen {
						t.Errorf("the embed's list is open: %v, want %v", open, wantOpen)
					}
				}
				screenshot(t, ctx, name)
			})
		}
	}
}

// TestBrowserAddressBarAtRest steps the reader's page five times, 50 ms apart (quicker than
// it rests, as a 4x play or held arrow keys step): the title follows each step in its own
// task, the address bar none of them, and once the slider rests it is written once, at the
// last date (a history change costs milliseconds on a page of hundreds of links,
// static/ui/settle.js).
func TestBrowserAddressBarAtRest(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/maps/afghanistan-2021?date=2021-08-01")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the map to follow dates", `!!window.frontline && document.querySelectorAll('#map path[data-region]').length === 34`)
	type burst struct {
		Titles   []string
		Searches []string
		Writes   int
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[burst](`(async () => {
		await window.frontline.ready;
		window.__writes = 0;
		const replace = history.replaceState.bind(history);
		history.replaceState = (...a) => { window.__writes++; return replace(...a); };
		const titles = [], searches = [];
		for (const d of ['02', '03', '04', '05', '06']) {
			window.frontline.setDate('2021-08-' + d);
			titles.push(document.title);
			searches.push(location.search);
			await new Promise((r) => setTimeout(r, 50));
		}
		return { titles, searches, writes: window.__writes };
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	for i, title := range got.Titles {
		if label := dateLabel(englishDates, fmt.Sprintf("2021-08-%02d", i+2)); !strings.Contains(title, label) {
			t.Errorf("step %d: the title is %q, want it to say %s in the step's own task", i+1, title, label)
		}
	}
	for i, s := range got.Searches {
		if s != "?date=2021-08-01" {
			t.Errorf("step %d: the address bar says %q in the step's task, want it to wait for the slider to rest", i+1, s)
		}
	}
	if got.Writes != 0 {
		t.Errorf("%d history changes during the steps, want none until the slider rests", got.Writes)
	}
	waitFor(t, ctx, "the address bar at the rested slider's date", `location.search === '?date=2021-08-06'`)
	// The rest of 400 ms more: no other write comes.
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`new Promise((r) => setTimeout(() => r(window.__writes), 400))`, chromedp.EvalAwaitPromise)); err != nil || n != 1 {
		t.Errorf("%d history changes once the slider rested (%v), want one", n, err)
	}
	if title := js[string](t, ctx, `document.title`); !strings.Contains(title, "6 August 2021") || js[int](t, ctx, `document.querySelector('head > title').childNodes.length`) != 1 {
		t.Errorf("the title is %q in %d nodes, want 6 August 2021 in one text node", title, js[int](t, ctx, `document.querySelector('head > title').childNodes.length`))
	}
}

// TestBrowserChangeHoldsStill: a step to 15 August fills the what-changed list as the server
// renders it: Paktia's claim confirmed shows its holder once (the holder before hidden, as it
// holds still), Kabul's change both holders; and a step back to the 14th, Paktia's claim,
// shows the reused row's holder before again.
func TestBrowserChangeHoldsStill(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/embed/afghanistan-2021?date=2021-08-13")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the map to follow dates", `!!window.frontline && document.querySelectorAll('#map path[data-region]').length === 34`)
	const rows = `(async (iso) => {
		await window.frontline.ready;
		window.frontline.setDate(iso);
		await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
		return Object.fromEntries([...document.querySelectorAll('#changes .changes-list li:not([hidden])')].map((li) => [
			li.dataset.region,
			(li.querySelector('.change-was').hidden ? '' : li.querySelector('.change-from').dataset.faction + ' > ') + li.querySelector('.change-to').dataset.faction,
		]));
	})`
	for _, step := range []struct {
		date string
		want map[string]string
	}{
		{"2021-08-15", map[string]string{"AF-PIA": "taliban", "AF-KAB": "government > taliban"}},
		{"2021-08-14", map[string]string{"AF-PIA": "government > taliban"}},
	} {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](rows+"("+jsString(step.date)+")", chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		for id, want := range step.want {
			if got[id] != want {
				t.Errorf("%s: %s's row shows %q, want %q (all: %v)", step.date, id, got[id], want, got)
			}
		}
	}
}
