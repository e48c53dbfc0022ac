package web

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserChangeListFollowsEveryRow: on a map whose days change more regions than the
// what-changed list's box shows, a step (static/ui/changes.js) lists the day's first rows, as
// many as may be in sight and every row in sight, in its own task, before the frame that
// shows it; the rows it leaves for later are skipped by layout (.changes-later) until then;
// and once that frame is drawn the list has every row of the day and none of the day before.
// The events API, which the list of a large map asks, says what the day's events are, in
// order.
func TestBrowserChangeListFollowsEveryRow(t *testing.T) {
	ctx := openBusyMap(t)
	const stepRows = 10 // changes.js's STEP_ROWS
	for _, date := range []string{"2024-03-02", "2024-03-03", "2024-02-10", "2024-07-01"} {
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async (iso) => {
			const events = await (await fetch('/api/maps/busy/events?date=' + iso)).json();
			const rows = () => [...document.querySelectorAll('#changes .changes-list li:not([hidden])')];
			const listed = () => rows().map((li) => li.dataset.region);
			await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
			window.frontline.setDate(iso);
			const laidOut = rows().filter((li) => !li.classList.contains('changes-later'));
			const atOnce = laidOut.map((li) => li.dataset.region);
			const inSight = rows().filter((li) => li.getBoundingClientRect().top < innerHeight).length;
			// After the step's frame, and after the task changes.js posts from it.
			await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
			await new Promise((resolve) => setTimeout(resolve, 0));
			const more = document.querySelector('#changes .changes-more');
			return JSON.stringify({
				want: events.map((e) => String(e.region)), atOnce, inSight, after: listed(),
				more: more.hidden ? 0 : Number(more.querySelector('.changes-more-count').textContent),
			});
		})`+"("+jsString(date)+")", chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Want, AtOnce, After []string
			More, InSight       int
		}
		if err := json.Unmarshal([]byte(raw), &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Want) <= stepRows {
			t.Fatalf("%s has %d events: the map is not busy enough to test the rows below the list's box", date, len(got.Want))
		}
		listed := got.Want[:min(len(got.Want), changesMax)]
		if n := len(got.AtOnce); n < min(got.InSight, stepRows) || n > stepRows || !slices.Equal(got.AtOnce, listed[:min(n, len(listed))]) {
			t.Errorf("%s: at once the list's rows laid out are %v (%d rows in sight), want the day's first, at most %d: %v", date, got.AtOnce, got.InSight, stepRows, listed[:stepRows])
		}
		if !slices.Equal(got.After, listed) || got.More != len(got.Want)-len(listed) {
			t.Errorf("%s: after the frame the list is %v and %d more, want %v and %d more", date, got.After, got.More, listed, len(got.Want)-len(listed))
		}
	}
	screenshot(t, ctx, "change-list-busy")
}

// TestBrowserEmbedMapGivesTheChartItsHeight: an embed with the chart of control keeps its
// legend and credit line in the frame, the map giving up the chart's height (map.css, a
// sibling selector since a step's restyling was traced to body:has()), at phone and desktop
// sizes; the map box stays on screen.
func TestBrowserEmbedMapGivesTheChartItsHeight(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t).h)
	defer srv.Close()
	ctx := newBrowser(t)
	for _, size := range [][2]int64{{375, 812}, {1280, 800}} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(size[0], size[1]),
			chromedp.Navigate(srv.URL+"/embed/afghanistan-2021?date=2021-08-14")); err != nil {
			t.Fatal(err)
		}
		waitFor(t, ctx, "provinces drawn", `document.querySelectorAll('#map path[data-region]').length === 34`)
		js[bool](t, ctx, `(window.frontline.setDate('2021-08-15'), true)`)
		got := js[[]float64](t, ctx, `(() => {
			const map = document.getElementById('map').getBoundingClientRect();
			const max = parseFloat(getComputedStyle(document.getElementById('map')).maxHeight);
			const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
			return [max, Math.max(12 * rem, innerHeight - 18.5 * rem), map.top, map.height, map.left, map.right, innerWidth];
		})()`)
		if got[0] != got[1] {
			t.Errorf("%dx%d: the embed's map is at most %v px high, want max(12rem, 100vh - 18.5rem) = %v px", size[0], size[1], got[0], got[1])
		}
		if got[2] < 0 || got[3] < 100 || got[2]+got[3] > float64(size[1]) || got[4] < 0 || got[5] > got[6] {
			t.Errorf("%dx%d: the map's box (top %v, height %v, left %v, right %v) is not on screen", size[0], size[1], got[2], got[3], got[4], got[5])
		}
		screenshot(t, ctx, fmt.Sprintf("embed-chart-%dx%d", size[0], size[1]))
	}
}

// TestBrowserChangeListLaysOutRowsInSight: with the what-changed list's box partly below
// the fold (an embed 800 px high), a step fills and lays out the rows that may be in sight
// and skips the others (static/ui/changes.js: .changes-later, content-visibility: hidden),
// which it fills once its frame is drawn; no row in sight is ever skipped at a frame; once the
// slider rests every row is laid out again, and with the whole box in sight none is skipped.
func TestBrowserChangeListLaysOutRowsInSight(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t, withMaps(gridFolder("busy", 60, 9000))).h)
	defer srv.Close()
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+"/embed/busy?date=2024-03-01")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the map following dates", `!!window.frontline && document.querySelectorAll('#map path[data-region]').length === 60`)
	// Steps a day a frame from startDate; per step, in the frame that shows it: the rows shown,
	// those skipped, and those skipped though their top is above the viewport's foot.
	// dy: the page scrolls down by as many pixels before each step, as a reader who scrolls
	// while the slider plays: in a task after the frame before (its observer's report in), so
	// that the rows are looked at in the frame that shows the scroll, before the observer
	// sees it.
	const scrub = `(async (start, n, dy = 0) => {
		const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
		await frame(); await frame(); await frame(); // the list's observer has seen the box
		const day0 = Date.parse(start);
		const steps = [];
		for (let i = 0; i < n; i++) {
			const iso = new Date(day0 + i * 864e5).toISOString().slice(0, 10);
			if (dy) {
				await new Promise((resolve) => setTimeout(resolve, 0));
				window.scrollBy(0, dy);
			}
			window.frontline.setDate(iso);
			await frame();
			const rows = [...document.querySelectorAll('#changes .changes-list li:not([hidden])')];
			const skipped = rows.filter((li) => li.classList.contains('changes-later'));
			steps.push({
				date: document.getElementById('changes').dataset.date === iso,
				laidOut: rows.length - skipped.length,
				skippedFirst: rows.slice(0, 10).filter((li) => li.classList.contains('changes-later')).length, // STEP_ROWS
				inSight: skipped.filter((li) => li.getBoundingClientRect().top < innerHeight).length,
			});
		}
		return JSON.stringify(steps);
	})`
	type step struct {
		Date             bool
		LaidOut, InSight int
		SkippedFirst     int
	}
	run := func(start string, n, dy int) []step {
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](scrub+"("+jsString(start)+", "+fmt.Sprint(n)+", "+fmt.Sprint(dy)+")", chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		var steps []step
		if err := json.Unmarshal([]byte(raw), &steps); err != nil {
			t.Fatal(err)
		}
		return steps
	}
	box := js[[]float64](t, ctx, `(() => { const r = document.querySelector('#changes .changes-list').getBoundingClientRect(); return [r.top, r.bottom, innerHeight]; })()`)
	if !(box[0] < box[2] && box[1] > box[2]) {
		t.Fatalf("the list's box runs from %v to %v px, want it across the viewport's foot at %v px", box[0], box[1], box[2])
	}
	fewer := false
	for i, s := range run("2024-03-02", 12, 0) {
		if !s.Date || s.LaidOut == 0 {
			t.Errorf("step %d: the list shows its date: %v, %d rows laid out, want the day's rows in sight", i, s.Date, s.LaidOut)
		}
		if s.InSight > 0 {
			t.Errorf("step %d: %d rows in sight skipped by layout", i, s.InSight)
		}
		fewer = fewer || s.LaidOut < stepRowsShown
	}
	if !fewer {
		t.Errorf("every step of a scrub laid out %d rows or more, want only those that may be in sight above the fold", stepRowsShown)
	}
	waitFor(t, ctx, "every row laid out once the slider rests", `document.querySelectorAll('#changes .changes-list li.changes-later').length === 0`)

	// The page scrolled between two steps, by more than the margin the list keeps below the
	// fold: the rows the scroll brings into sight are laid out at the frame that shows them
	// (the scroll's event comes before it), before the observer reports the box anew.
	for i, s := range run("2024-03-20", 6, 70) {
		if s.InSight > 0 || !s.Date || s.LaidOut == 0 {
			t.Errorf("page scrolled, step %d: %d rows in sight skipped by layout, %d laid out (list at its date: %v)", i, s.InSight, s.LaidOut, s.Date)
		}
	}
	js[bool](t, ctx, `(window.scrollTo(0, 0), true)`)
	waitFor(t, ctx, "every row laid out once the slider rests", `document.querySelectorAll('#changes .changes-list li.changes-later').length === 0`)

	// Scrolled into sight, the box's rows are laid out at every step (those a step fills at
	// once: the others are below the box's foot): a box in sight may grow into any of them
	// before the observer reports again.
	js[bool](t, ctx, `(document.querySelector('#changes .changes-list').scrollIntoView({ block: 'end' }), true)`)
	for i, s := range run("2024-04-02", 6, 0) {
		if s.SkippedFirst > 0 || s.InSight > 0 || !s.Date {
			t.Errorf("list in sight, step %d: %d of the first rows skipped by layout, %d rows in sight (list at its date: %v)", i, s.SkippedFirst, s.InSight, s.Date)
		}
	}
	screenshot(t, ctx, "change-list-in-sight")
}

// stepRowsShown is the fewest rows the busy grid's days list: more than a step fills at once.
const stepRowsShown = 10

// TestBrowserDragDefersTheChangeList: while a reader drags the slider, the map, the date
// label and the legend follow every step, and the what-changed list keeps the day it shows,
// heading and rows, until the drag rests (static/ui/settle.js, with the summary); then it
// lists the day the slider rests on. A step on its own (a key) lists its day at once.
func TestBrowserDragDefersTheChangeList(t *testing.T) {
	ctx := openBusyMap(t)
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
		const slider = document.getElementById('date-slider');
		const first = Number(slider.value);
		const seen = () => ({
			label: document.getElementById('date-label').textContent.trim(),
			list: document.getElementById('changes').dataset.date,
			heading: document.querySelector('#changes .changes-date').textContent.trim(),
			rows: [...document.querySelectorAll('#changes .changes-list li:not([hidden])')].map((li) => li.dataset.region).join(' '),
		});
		const before = seen();
		slider.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, isPrimary: true }));
		for (let i = 1; i <= 4; i++) {
			slider.value = String(first + i);
			slider.dispatchEvent(new Event('input', { bubbles: true }));
			await frame();
		}
		const dragging = seen();
		dragging.shown = window.frontline.state().regions;
		slider.dispatchEvent(new PointerEvent('pointerup', { bubbles: true, isPrimary: true }));
		await new Promise((resolve) => setTimeout(resolve, 400));
		const rested = seen();
		const events = await (await fetch('/api/maps/busy/events?date=2024-03-05')).json();
		rested.want = events.slice(0, 40).map((e) => String(e.region)).join(' ');
		slider.focus();
		return JSON.stringify({ before, dragging, rested, want: window.frontline.state('2024-03-05').regions });
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	type view struct {
		Label, List, Heading, Rows, Want string
		Shown                            map[string]string
	}
	var got struct {
		Before, Dragging, Rested, Key view
		Want                          map[string]string
	}
	if err := json.Unmarshal([]byte(raw), &got); err != nil {
		t.Fatal(err)
	}
	// A key's step, the browser's own (the focused slider moves and says so with an input
	// event, no pointer down), read before the next frame.
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowRight)); err != nil {
		t.Fatal(err)
	}
	key, err := chromedp.Run(ctx, chromedp.Evaluate[[3]string](`[document.getElementById('changes').dataset.date, document.querySelector('#changes .changes-date').textContent.trim(), document.getElementById('date-label').textContent.trim()]`))
	if err != nil {
		t.Fatal(err)
	}
	got.Key = view{List: key[0], Heading: key[1], Label: key[2]}
	if got.Before.List != "2024-03-01" {
		t.Fatalf("the list starts at %q, want the page's date 2024-03-01", got.Before.List)
	}
	if d := got.Dragging; d.Label == got.Before.Label || !maps.Equal(d.Shown, got.Want) {
		t.Errorf("during the drag the label says %q (before: %q) and the map shows 5 March's holders: %v; want the label and the map to follow", d.Label, got.Before.Label, maps.Equal(d.Shown, got.Want))
	}
	if d := got.Dragging; d.List != got.Before.List || d.Heading != got.Before.Heading || d.Rows != got.Before.Rows {
		t.Errorf("during the drag the list shows %s (%q, rows %q), want 1 March's as before the drag (%q, rows %q)", d.List, d.Heading, d.Rows, got.Before.Heading, got.Before.Rows)
	}
	if r := got.Rested; r.List != "2024-03-05" || r.Heading != got.Dragging.Label || r.Rows != r.Want {
		t.Errorf("once the drag rests the list shows %s (%q, rows %q), want 2024-03-05 (%q, rows %q)", r.List, r.Heading, r.Rows, got.Dragging.Label, r.Want)
	}
	if k := got.Key; k.List != "2024-03-06" || k.Heading != k.Label {
		t.Errorf("after an arrow key's step the list shows %s (%q), want 2024-03-06 at once (%q)", k.List, k.Heading, k.Label)
	}
}

// openBusyMap opens the reader's page of a 60-region map whose days change more regions than
// the what-changed list's box shows, at 1 March 2024, once the map follows dates.
func openBusyMap(t *testing.T) context.Context {
	t.Helper()
	srv := httptest.NewServer(newTestServer(t, withMaps(gridFolder("busy", 60, 9000))).h)
	t.Cleanup(srv.Close)
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/maps/busy?date=2024-03-01")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the map following dates", `!!window.frontline && document.querySelectorAll('#map path[data-region]').length === 60`)
	return ctx
}
