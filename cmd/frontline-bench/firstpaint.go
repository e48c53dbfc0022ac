package main

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"
)

// Goals of the first paint (issue 11), as multiples of the yardstick's time to a visible map.
const (
	visibleGoal     = 1.1
	interactiveGoal = 1.5
)

// firstPaintMaps are the maps of the part: the built-in 34 provinces and the generated
// 5,000 regions with a million events (its page fetches the compact timeline).
var firstPaintMaps = []gridMap{{}, millionEvents}

// yardstickPage is a static HTML page holding nothing but the embed's inline map, sized as
// the embed's map box is (static/embed.css, static/map.css): what a map drawn by the server
// costs at best, served by nginx. Under it, the least a slider can be: a range input and an
// inline script that, on input, recolours every region (the fills cycle through the map's
// own), and says from the start that the map takes input (the mark frontline:input). Its
// interactive time, measured as the embed's, is the yardstick of the embed's: a first
// input's frame can be painted only once the first frame has been rastered (Chromium begins
// no main frame while the previous one waits to be drawn), which even this page needs two
// to three times its visible time for, so the embed's interactive is set against this
// page's interactive, not its visible.
const yardstickPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Yardstick: the inline map alone</title>
<style>
body { margin: 0; padding: 0.5rem; font-family: system-ui, sans-serif; }
#map { position: relative; width: 100%%; aspect-ratio: 4 / 3; max-height: 520px; background: #e9edf0; border: 1px solid #d9dde1; border-radius: 4px; }
#map > .map-inline { position: absolute; inset: 12px; width: calc(100%% - 24px); height: calc(100%% - 24px); overflow: visible; }
.map-inline-labels-wide { display: none; }
@media (min-width: 700px) { .map-inline-labels-narrow { display: none; } .map-inline-labels-wide { display: inline; } }
#date-slider { width: 100%%; }
</style></head>
<body><div id="map">%s</div>
<input type="range" id="date-slider" min="0" max="45" value="13" aria-label="Date">
<script>
(() => {
	// A light map's regions, or a large map's picture: a path a fill.
	let paths = [...document.querySelectorAll('#map svg.map-inline path[data-inline-region]')];
	if (paths.length === 0) paths = [...document.querySelectorAll('#map svg.map-inline path[fill]:not([fill="none"])')];
	const fills = [...new Set(paths.map((p) => p.getAttribute('fill'))), '#000000'];
	document.getElementById('date-slider').addEventListener('input', () => {
		for (const p of paths) p.setAttribute('fill', fills[(fills.indexOf(p.getAttribute('fill')) + 1) %% fills.length]);
	});
	performance.mark('frontline:input');
})();
</script></body></html>
`

// firstPaintWatch runs in each page before its own scripts, from the start of the document.
// Every animation frame it checks whether the whole map is visible: each of the map's %[1]d
// regions has a path in the map box with a fill and a box of its own (laid out), as the
// server's inline map or Leaflet's SVG draws it (a large map's inline picture draws a path a
// fill, each ring of its regions a subpath, without ids: its rings are counted), or, for a map
// Leaflet draws on a canvas,
// the canvas drawn (static/map.js's mark "frontline:drawn"). The frame's time (the
// requestAnimationFrame timestamp: the frame about to be painted with it) is the figure.
// Then, on a page with a slider (%[2]t), as soon as the page says the map takes input (the
// mark "frontline:input", set by whichever script listens first: below 1,000 regions the
// early script inline beside the map, static/map/early.js, from the first frame; without
// it static/map.js once its map is drawn), it moves the slider a day, from a task, as a
// reader's first input would, and records when the frame with the map recoloured has been
// painted (a task posted from the next frame's callback, which runs after that frame's
// paint). It checks that the input did recolour the map in that frame: a region's fill
// changed (an SVG map) or, on a canvas, the holders the page reports; else __unchanged says
// so and the bench fails.
const firstPaintWatch = `(() => {
	const regions = %[1]d;
	const visible = () => {
		const map = document.getElementById('map');
		if (!map) return false;
		const paths = map.querySelectorAll('svg.map-inline path[fill], .leaflet-pane path[data-region]');
		let painted = 0;
		for (const p of paths) {
			const fill = p.getAttribute('fill');
			if (!fill || fill === 'none') continue;
			const r = p.getBoundingClientRect();
			if (r.width > 0 && r.height > 0) painted += p.matches('svg.map-inline path:not([data-inline-region])') ? (p.getAttribute('d') ?? '').split('M').length - 1 : 1;
		}
		return painted >= regions || (!!map.querySelector('canvas') && performance.getEntriesByName('frontline:drawn').length > 0);
	};
	const slider = %[2]t;
	let stepped = false;
	const frame = (t) => {
		if (window.__visible === undefined && visible()) window.__visible = t;
		// A build from before the mark (-frontline-bin) says only frontline:drawn.
		const takes = performance.getEntriesByName('frontline:input').length > 0 || performance.getEntriesByName('frontline:drawn').length > 0;
		if (slider && !stepped && window.__visible !== undefined && takes) {
			stepped = true;
			setTimeout(step, 0);
		}
		if (window.__visible === undefined || (slider && !stepped)) requestAnimationFrame(frame);
	};
	requestAnimationFrame(frame);
	// What the map shows: its regions' fills (the inline map's or Leaflet's SVG), on a
	// canvas the holders the page reports, or the fills of the yardstick's large picture.
	const shown = () => {
		const fills = [...document.querySelectorAll('#map svg.map-inline path[data-inline-region], #map .leaflet-pane path[data-region]')].map((p) => p.getAttribute('fill'));
		if (fills.length > 0) return fills.join(' ');
		if (window.frontline) return JSON.stringify(window.frontline.state().regions);
		// The yardstick's large picture: a path a fill.
		return [...document.querySelectorAll('#map svg.map-inline path[fill]')].map((p) => p.getAttribute('fill')).join(' ');
	};
	const step = () => {
		const input = document.getElementById('date-slider');
		const before = shown();
		const at = Number(input.value);
		input.value = String(at < Number(input.max) ? at + 1 : at - 1);
		input.dispatchEvent(new Event('input', { bubbles: true }));
		requestAnimationFrame(() => {
			// The frame about to be painted: the map must show the new date in it.
			if (shown() === before) window.__unchanged = input.value;
			const ch = new MessageChannel();
			ch.port1.onmessage = () => { window.__interactive = performance.now(); };
			ch.port2.postMessage(0);
		});
	};
})()`

func runFirstPaint(ctx context.Context, cfg *config, report *report) error {
	if _, err := exec.LookPath("nginx"); err != nil {
		return fmt.Errorf("no nginx on PATH: `go tool task bench` installs Debian's nginx")
	}
	browser, cancel, err := newBrowser(ctx, cfg)
	if err != nil {
		return err
	}
	defer cancel()
	for _, g := range firstPaintMaps {
		if n := cmp.Or(g.regions, 34); len(cfg.sizes) > 0 && !cfg.sizes[n] {
			continue // -sizes leaves it out
		}
		if err := measureFirstPaint(ctx, browser, cfg, report, g); err != nil {
			return fmt.Errorf("first paint: %w", err)
		}
	}
	return nil
}

// measureFirstPaint times the embed of a map and its yardstick, loaded in turn, each load in
// a new browser context (empty cache), after one warm-up load of each that is not counted.
func measureFirstPaint(ctx context.Context, browser context.Context, cfg *config, report *report, g gridMap) error {
	db := filepath.Join(cfg.tmp, "builtin.db")
	slug, label, date, regions := "afghanistan-2021", "34-province map", "2021-08-14", 34
	if g.regions > 0 {
		var err error
		if db, err = g.database(ctx, cfg); err != nil {
			return err
		}
		slug, label, date, regions = g.slug(), g.String(), "2024-06-01", g.regions
	}
	srv, err := startServer(ctx, cfg, db, "serve-firstpaint-"+slug)
	if err != nil {
		return err
	}
	defer srv.stop()
	embed := srv.url + "/embed/" + slug + "?date=" + date
	html, err := fetch(embed, "")
	if err != nil {
		return err
	}
	svg, err := inlineSVG(html)
	if err != nil {
		return fmt.Errorf("%s: %w", embed, err)
	}
	yardstick := []byte(fmt.Sprintf(yardstickPage, svg))
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(yardstick)
	zw.Close()
	port, stopNginx, err := startNginx(cfg, filepath.Join(cfg.tmp, "nginx-firstpaint-"+slug), "nginx-firstpaint-"+slug,
		map[string][]byte{"index.html": yardstick, "index.html.gz": gz.Bytes()})
	if err != nil {
		return err
	}
	defer stopNginx()
	yardstickURL := fmt.Sprintf("http://127.0.0.1:%d/index.html", port)
	if err := waitFor(yardstickURL); err != nil {
		return fmt.Errorf("nginx: %w", err)
	}
	waitIdle(cfg, report, "first paint "+slug)

	// A load of each in turn, so that both meet the same moments of a busy machine; the
	// first of each warms up and is not counted.
	// The built-in map's reader page too (its inline map is the embed's, in a larger page).
	mapPage := ""
	if g.regions == 0 {
		mapPage = srv.url + "/maps/" + slug + "?date=" + date
	}
	var ours, theirs, pages []load
	for i := range cfg.loads + 1 {
		// The main thread's time is read once the module has drawn the map: a light map's
		// modules load after its first frame, and may not have run when it takes input.
		o, err := loadOnce(browser, embed, regions, true, drawnPredicate)
		if err != nil {
			return err
		}
		y, err := loadOnce(browser, yardstickURL, regions, true)
		if err != nil {
			return err
		}
		var m load
		if mapPage != "" {
			if m, err = loadOnce(browser, mapPage, regions, true, drawnPredicate); err != nil {
				return err
			}
		}
		if i > 0 {
			ours, theirs = append(ours, o), append(theirs, y)
			if mapPage != "" {
				pages = append(pages, m)
			}
		}
	}
	pick := func(ls []load, f func(load) float64) []float64 {
		var xs []float64
		for _, l := range ls {
			xs = append(xs, f(l))
		}
		return xs
	}
	visible := percentile(pick(ours, func(l load) float64 { return l.visible }), 50)
	interactive := percentile(pick(ours, func(l load) float64 { return l.interactive }), 50)
	stick := percentile(pick(theirs, func(l load) float64 { return l.visible }), 50)
	stickInteractive := percentile(pick(theirs, func(l load) float64 { return l.interactive }), 50)
	visibleFigure := fmt.Sprintf("Whole map visible, embed of the %s vs the yardstick (its inline SVG alone in a static page from nginx; median of %d cold loads each)", label, len(ours))
	interactiveFigure := fmt.Sprintf("Interactive (a first slider input has recoloured the map), embed of the %s, vs the yardstick's (the same page with a bare slider, measured alike; median of %d cold loads each)", label, len(ours))
	interactiveResult := fmt.Sprintf("%s vs %s: %.2f× (%.2f× the yardstick's visible map; the yardstick's own: %.2f×)",
		fmtMillis(interactive), fmtMillis(stickInteractive), interactive/stickInteractive, interactive/stick, stickInteractive/stick)
	if g.regions > 0 {
		// Issue 11 sets its goals for the built-in map and asks for the same figures of the
		// 5,000-region map, reported beside them with no goal of their own.
		report.info(visibleFigure, fmt.Sprintf("%s vs %s: %.2f×", fmtMillis(visible), fmtMillis(stick), visible/stick))
		report.info(interactiveFigure, interactiveResult)
	} else {
		report.add(visibleFigure, fmt.Sprintf("≤ %.1f× the yardstick", visibleGoal), fmt.Sprintf("%s vs %s: %.2f×", fmtMillis(visible), fmtMillis(stick), visible/stick), visible <= visibleGoal*stick)
		report.add(interactiveFigure, fmt.Sprintf("≤ %.1f× the yardstick", interactiveGoal), interactiveResult, interactive <= interactiveGoal*stickInteractive)
	}
	report.detail("First paint, %s: the embed's whole map visible at %s ms (sorted), interactive at %s ms; the yardstick's visible at %s ms, interactive at %s ms. Bytes on the wire (cold): embed %s, yardstick %s; the inline SVG is %s of HTML. Method: a script added to each page before its own (DevTools' addScriptToEvaluateOnNewDocument) checks every animation frame from the document's start whether each of the %d regions has a filled, laid-out path in the map box (or, for a canvas, the canvas drawn) and keeps the first such frame's timestamp; interactive is when, the page having said that the map takes input (the mark frontline:input: below 1,000 regions the early script inline beside the map, static/map/early.js, from the first frame; without it static/map.js once its map is drawn, Leaflet's canvas from 1,000 regions), one slider step's input event, dispatched from a task after the first visible frame, has been handled and its frame painted (a task posted from the next frame's callback), the map checked to show the new date in that frame (a region's fill changed, or on a canvas the page's holders; the bench fails otherwise). The yardstick carries a bare slider (a range input and an inline script that recolours every region) and its interactive time is measured alike: the embed's interactive goal is set against it, because a first input's frame is painted only after the first frame has been rastered, which takes the yardstick too two to three times its visible time.",
		label, fmtSeries(pick(ours, func(l load) float64 { return l.visible })), fmtSeries(pick(ours, func(l load) float64 { return l.interactive })),
		fmtSeries(pick(theirs, func(l load) float64 { return l.visible })), fmtSeries(pick(theirs, func(l load) float64 { return l.interactive })),
		fmtBytes(percentile(pick(ours, func(l load) float64 { return l.bytes }), 50)), fmtBytes(percentile(pick(theirs, func(l load) float64 { return l.bytes }), 50)),
		fmtBytes(float64(len(svg))), regions)
	report.detail("Main thread, %s (CDP Performance.getMetrics once each load's figures are in; median of %d): the embed's tasks %s, of which script %s; the yardstick's tasks %s. The first paint's watch runs in every page and is counted in both.",
		label, len(ours), fmtMillis(percentile(pick(ours, func(l load) float64 { return l.task }), 50)),
		fmtMillis(percentile(pick(ours, func(l load) float64 { return l.script }), 50)),
		fmtMillis(percentile(pick(theirs, func(l load) float64 { return l.task }), 50)))
	if len(pages) > 0 {
		pv := percentile(pick(pages, func(l load) float64 { return l.visible }), 50)
		pi := percentile(pick(pages, func(l load) float64 { return l.interactive }), 50)
		report.info(fmt.Sprintf("Reader's map page of the %s: whole map visible and interactive vs the yardstick's (median of %d cold loads)", label, len(pages)),
			fmt.Sprintf("visible %s: %.2f×; interactive %s: %.2f×", fmtMillis(pv), pv/stick, fmtMillis(pi), pi/stickInteractive))
		report.detail("First paint, reader's map page of the %s: visible at %s ms (sorted), interactive at %s ms; bytes on the wire (cold) %s; measured as the embed's, in the same rounds.",
			label, fmtSeries(pick(pages, func(l load) float64 { return l.visible })), fmtSeries(pick(pages, func(l load) float64 { return l.interactive })),
			fmtBytes(percentile(pick(pages, func(l load) float64 { return l.bytes }), 50)))
	}
	return nil
}

// inlineSVG is the server's inline map in an embed page.
func inlineSVG(html []byte) (string, error) {
	s := string(html)
	i := strings.Index(s, `<svg xmlns="http://www.w3.org/2000/svg" class="map-inline"`)
	if i < 0 {
		return "", fmt.Errorf("no inline map in the page")
	}
	j := strings.Index(s[i:], "</svg>")
	if j < 0 {
		return "", fmt.Errorf("the inline map does not end")
	}
	return s[i : i+j+len("</svg>")], nil
}

// load is one page load's figures: milliseconds from navigation start, bytes on the wire,
// and the main thread's busy milliseconds (tasks, of which script) until the figures were
// read, which a busy machine inflates less than it delays the page.
type load struct{ visible, interactive, bytes, task, script float64 }

// loadOnce loads url in a new browser context with firstPaintWatch and returns when the map
// was visible and, with slider, when the first slider input had recoloured it, in
// milliseconds from navigation start, and the bytes on the wire. until, when given, is a
// further condition (JavaScript) to wait for before the bytes and the main thread's time are
// read: a page whose modules load after its first frame may be interactive before they ran.
func loadOnce(browser context.Context, url string, regions int, slider bool, until ...string) (l load, err error) {
	tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(tab, 2*time.Minute)
	defer cancelTimeout()
	watch := fmt.Sprintf(firstPaintWatch, regions, slider)
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, performance.Enable, performance.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watch})
		return err
	}), chromedp.Navigate(url)); err != nil {
		return l, fmt.Errorf("load %s: %w", url, err)
	}
	done := `window.__visible !== undefined`
	if slider {
		done += ` && window.__interactive !== undefined`
	}
	for _, u := range until {
		done += ` && (` + u + `)`
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](done+` && document.readyState === 'complete'`, chromedp.WithPollingTimeout(2*time.Minute))); err != nil {
		return l, fmt.Errorf("%s: the map was not visible (and interactive) within 2 minutes: %w", url, err)
	}
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`[window.__visible, window.__interactive ?? -1,
		[...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].reduce((n, e) => n + e.transferSize, 0),
		window.__unchanged === undefined ? -1 : Number(window.__unchanged)]`))
	if err != nil {
		return l, err
	}
	if v[3] >= 0 {
		return l, fmt.Errorf("%s: the first slider input (to position %v) did not recolour the map in the frame after it: the interactive figure would time nothing", url, v[3])
	}
	l.visible, l.interactive, l.bytes = v[0], v[1], v[2]
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		r, err := cdp.Call(ctx, t, performance.GetMetrics, cdp.Empty{})
		if err != nil {
			return err
		}
		for _, m := range r.Metrics {
			switch m.Name {
			case "TaskDuration":
				l.task = m.Value * 1000
			case "ScriptDuration":
				l.script = m.Value * 1000
			}
		}
		return nil
	})); err != nil {
		return l, fmt.Errorf("%s: main thread's metrics: %w", url, err)
	}
	return l, nil
}
