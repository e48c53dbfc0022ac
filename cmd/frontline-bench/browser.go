package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// Goals of the browser figures.
const (
	embedBytesGoal = 100_000 // bytes, 100 kB
	firstDrawGoal  = 150.0   // ms
)

// sliderMaps are the maps whose slider step is timed, with the goal at each size. The
// largest is the "5,000-region layer with 1M events": its page fetches the compact
// timeline and draws on a canvas, and must scrub at 60 frames a second.
var sliderMaps = []sliderMap{
	{gridMap{}, 1, false},
	{gridMap{400, 10_000}, 4, false},
	{millionEvents, 16, true},
}

type sliderMap struct {
	grid gridMap // zero: the built-in map
	goal float64 // ms
	fps  bool    // whether the frame rate is a goal too
}

// regions is how many regions the map has (the built-in map's 34 for the zero grid).
func (sm sliderMap) regions() int {
	if sm.grid.regions == 0 {
		return 34
	}
	return sm.grid.regions
}

// chosen reports whether -sizes asks for sm (an empty -sizes asks for all).
func (sm sliderMap) chosen(cfg *config) bool {
	return len(cfg.sizes) == 0 || cfg.sizes[sm.regions()]
}

// fpsGoal is "scrubs at 60 fps": headless Chromium's frames come at 60 a second, so the
// goal allows for the timer's jitter over the run, not for dropped frames.
const fpsGoal = 58.0

// drawnPredicate holds once static/map.js has drawn the map.
const drawnPredicate = `performance.getEntriesByName('frontline:drawn').length > 0`

func runBrowser(ctx context.Context, cfg *config, report *report) error {
	browser, cancel, err := newBrowser(ctx, cfg)
	if err != nil {
		return err
	}
	defer cancel()

	if cfg.parts["embed"] || cfg.parts["draw"] {
		srv, err := startServer(ctx, cfg, filepath.Join(cfg.tmp, "builtin.db"), "serve-builtin")
		if err != nil {
			return err
		}
		defer srv.stop()
		embed := srv.url + "/embed/afghanistan-2021"
		if cfg.parts["embed"] {
			waitIdle(cfg, report, "embed bytes")
			if err := measureEmbedBytes(browser, report, embed); err != nil {
				return fmt.Errorf("embed bytes: %w", err)
			}
		}
		if cfg.parts["draw"] {
			waitIdle(cfg, report, "first draw")
			for _, page := range []struct{ name, url string }{
				{"embed page", embed},
				{"reader's map page", srv.url + "/maps/afghanistan-2021"},
			} {
				if err := measureFirstDraw(browser, cfg, report, page.name, page.url); err != nil {
					return fmt.Errorf("first draw: %w", err)
				}
			}
		}
		srv.stop()
	}
	if cfg.parts["slider"] {
		for _, sm := range sliderMaps {
			if !sm.chosen(cfg) {
				continue
			}
			if err := measureSlider(ctx, browser, cfg, report, sm.grid, sm.goal, sm.fps); err != nil {
				return fmt.Errorf("slider: %w", err)
			}
		}
	}
	if cfg.parts["naive"] {
		if err := runNaive(ctx, browser, cfg, report); err != nil {
			return err
		}
	}
	return nil
}

// newBrowser starts headless Debian chromium, as the browser tests do.
func newBrowser(ctx context.Context, cfg *config) (context.Context, context.CancelFunc, error) {
	path, err := exec.LookPath("chromium")
	if err != nil {
		if path, err = exec.LookPath("chromium-browser"); err != nil {
			return nil, nil, fmt.Errorf("no chromium on PATH: `go tool task bench` installs Debian's chromium")
		}
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(filepath.Join(cfg.tmp, "chromium")),
		chromedp.WindowSize(1280, 900),
	)
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	cancel := func() { cancelBrowser(); cancelAlloc() }
	if err := chromedp.Do(browser); err != nil { // starts the browser
		cancel()
		return nil, nil, fmt.Errorf("start chromium: %w", err)
	}
	return browser, cancel, nil
}

// openCold opens url in a tab of a new browser context, whose cache is empty, as a first-time
// reader's is, and waits until the map is drawn; before are run in the tab before it
// navigates. The tab closes with cancel.
func openCold(browser context.Context, url string, timeout time.Duration, before ...chromedp.Action[chromedp.Void]) (context.Context, context.CancelFunc, error) {
	return openColdUntil(browser, url, timeout, drawnPredicate, before...)
}

// openColdUntil is openCold waiting for ready (a script's truth) rather than the drawn map.
func openColdUntil(browser context.Context, url string, timeout time.Duration, ready string, before ...chromedp.Action[chromedp.Void]) (context.Context, context.CancelFunc, error) {
	tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(tab); err != nil { // opens the tab, which lives as long as tab
		cancel()
		return nil, nil, err
	}
	ctx, cancelTimeout := context.WithTimeout(tab, timeout)
	defer cancelTimeout()
	if err := chromedp.Do(ctx, append(before, chromedp.Navigate(url))...); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("load %s: %w", url, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](ready, chromedp.WithPollingTimeout(timeout))); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("%s: the map was not drawn within %s (waiting for %s): %w", url, timeout, ready, err)
	}
	return tab, cancel, nil
}

// measureEmbedBytes loads the embed page with an empty cache and adds up what came over the
// wire: the document and every resource (scripts, styles, the series), headers included,
// compressed as served (Resource Timing's transferSize). Then the reader zooms in (the map's
// button): the second figure is the same sum once Leaflet has taken over from the live
// inline map (static/map/live.js) and drawn the land around, Leaflet's script and style
// sheet, regions.geojson and context.geojson included.
func measureEmbedBytes(browser context.Context, report *report, url string) error {
	tab, cancel, err := openCold(browser, url, 30*time.Second)
	if err != nil {
		return err
	}
	defer cancel()
	// The page's own loads done: the series for the chart comes after the first paint.
	if _, err := chromedp.Run(tab, chromedp.Poll[chromedp.Void](`document.readyState === 'complete' && window.frontline !== undefined`)); err != nil {
		return err
	}
	if err := sumEmbedBytes(tab, report, url, "Embed page of the 34-province map, all bytes on the wire (cold cache)", "Embed page bytes"); err != nil {
		return err
	}
	ctx, cancelZoom := context.WithTimeout(tab, 30*time.Second)
	defer cancelZoom()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#map .map-zoom-in, #map .leaflet-control-zoom-in').click()`)); err != nil {
		return fmt.Errorf("zoom the embed: %w", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`!document.querySelector('#map > svg.map-inline') && !!document.querySelector('#map .leaflet-pane .context-land')`)); err != nil {
		return fmt.Errorf("%s: Leaflet did not take over after a zoom: %w", url, err)
	}
	return sumEmbedBytes(tab, report, url, "Embed page of the 34-province map after a zoom (Leaflet's path), all bytes on the wire", "Embed page bytes after a zoom")
}

// sumEmbedBytes adds up what tab has loaded so far and reports it as figure (against the
// 100 kB goal when it is the first figure, for information after a zoom), with the detail.
func sumEmbedBytes(tab context.Context, report *report, url, figure, detail string) error {
	type entry struct {
		Name         string  `json:"name"`
		TransferSize float64 `json:"transferSize"`
		EncodedSize  float64 `json:"encodedBodySize"`
		DecodedSize  float64 `json:"decodedBodySize"`
	}
	entries, err := chromedp.Run(tab, chromedp.Evaluate[[]entry](`[...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
		.map(e => ({name: e.name, transferSize: e.transferSize, encodedBodySize: e.encodedBodySize, decodedBodySize: e.decodedBodySize}))`))
	if err != nil {
		return err
	}
	var total, body, decoded float64
	var parts []string
	for _, e := range entries {
		if e.TransferSize == 0 {
			return fmt.Errorf("%s reports no transfer size (served from a cache?)", e.Name)
		}
		total += e.TransferSize
		body += e.EncodedSize
		decoded += e.DecodedSize
		name := strings.TrimPrefix(e.Name, url[:strings.Index(url, "/embed/")])
		name, _, _ = strings.Cut(name, "?")
		parts = append(parts, fmt.Sprintf("%s %s", name, fmtBytes(e.TransferSize)))
	}
	measured := fmt.Sprintf("%s in %d responses", fmtBytes(total), len(entries))
	if strings.Contains(figure, "after a zoom") {
		report.info(figure, measured)
	} else {
		report.add(figure, "≤ 100 kB", measured, total <= embedBytesGoal)
	}
	report.detail("%s: %s on the wire = %s of bodies as sent (%s uncompressed) + %s of response headers; %s.",
		detail, fmtBytes(total), fmtBytes(body), fmtBytes(decoded), fmtBytes(total-body), strings.Join(parts, ", "))
	return nil
}

// measureFirstDraw loads a page cfg.loads times, each in a new browser context (empty
// cache), after one warm-up load that is not counted, and reports the median time from
// navigation start to the interactive map drawn (static/map.js's mark "frontline:drawn").
// The server's inline map shows before it; the firstpaint part times that.
func measureFirstDraw(browser context.Context, cfg *config, report *report, name, url string) error {
	var times []float64
	for i := range cfg.loads + 1 {
		tab, cancel, err := openCold(browser, url, 30*time.Second)
		if err != nil {
			return err
		}
		drawn, err := chromedp.Run(tab, chromedp.Evaluate[float64](`performance.getEntriesByName('frontline:drawn')[0]?.startTime ?? -1`))
		cancel()
		if err != nil {
			return err
		}
		if drawn < 0 {
			return fmt.Errorf("%s: no frontline:drawn mark", url)
		}
		if i > 0 {
			times = append(times, drawn)
		}
	}
	median := percentile(times, 50)
	report.add(fmt.Sprintf("Interactive map drawn in headless Chromium, %s of the 34-province map (median of %d cold loads; the server's inline map shows before it)", name, len(times)),
		"≤ 150 ms", fmtMillis(median), median <= firstDrawGoal)
	report.detail("Interactive map drawn, %s: %s (ms from navigation start to static/map.js's frontline:drawn, sorted).",
		name, fmtSeries(times))
	return nil
}

// sliderScript steps the map through consecutive days with window.frontline.setDate and
// returns, per step, [the call and the style and layout it forces, in milliseconds; the
// main thread's work on the next frame]. Their sum is the figure: what a step costs until
// the browser has drawn it (the SVG renderer restyles paths inside the call; the canvas
// draws in the next animation frame, which the second number covers). The second is
// bracketed by a frame callback registered before the step and a task posted from
// it, which runs once the frame's style, layout and paint are done, so the idle wait for the
// frame is not counted. The first number includes the microtasks the step queued (before
// 2026-11-29's session 6 it did not: the table's rows, written in a promise callback of its
// lazily loaded module, were charged to no one but the frame's layout). Before each step the page settles: the table of regions and the
// other secondary text follow the date 150 ms after the slider rests (see static/ui/settle.js), so
// a step is charged for what it changes, not for the table left by the one before.
const sliderScript = `(async (dates) => {
	const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
	const settle = async () => { await new Promise((resolve) => setTimeout(resolve, 200)); await frame(); await frame(); };
	window.frontline.setDate(dates[0]);
	const times = [];
	for (const date of dates.slice(1)) {
		await settle();
		let frameStart = 0;
		const rendered = new Promise((resolve) => requestAnimationFrame(() => {
			frameStart = performance.now();
			const ch = new MessageChannel();
			ch.port1.onmessage = () => resolve(performance.now());
			ch.port2.postMessage(0);
		}));
		const t0 = performance.now();
		window.frontline.setDate(date);
		await null; // the step's promise callbacks (a lazily loaded module's part) run first
		document.body.offsetHeight; // forces style and layout
		const t1 = performance.now();
		const frameEnd = await rendered;
		times.push([t1 - t0, frameEnd - frameStart]);
	}
	return times;
})`

// frameRateScript steps the map a day per animation frame, as a drag or a fast play would,
// and returns the frames per second the browser kept up, rasterising included.
const frameRateScript = `(async (dates) => {
	const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
	window.frontline.setDate(dates[0]);
	await frame();
	const t0 = await frame();
	for (const date of dates.slice(1)) {
		window.frontline.setDate(date);
		await frame();
	}
	return (dates.length - 1) / ((performance.now() - t0) / 1000);
})`

// chartGoal is the "the chart drawn in ≤ 50 ms".
const chartGoal = 50.0 // ms

// chartScript times the chart of control (web/chart.go draws it, static/ui/chart.js makes it
// follow): a tooltip shown for each of 40 days hovered, then the server's SVG put into the
// page again, styled, laid out and painted (to the end of the next frame, so up to a frame
// of waiting is included). Returns [median tooltip ms, drawing ms], or -1s with no chart.
const chartScript = `(async () => {
	const svg = document.querySelector('.chart-svg');
	if (!svg) return [-1, -1];
	const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)));
	await frame();
	const box = svg.getBoundingClientRect();
	const tips = [];
	for (let i = 0; i < 40; i++) {
		const t0 = performance.now();
		svg.dispatchEvent(new PointerEvent('pointermove', { clientX: box.left + box.width * (i + 0.5) / 40, clientY: box.top + 5, bubbles: true }));
		document.getElementById('chart-tip').offsetHeight;
		tips.push(performance.now() - t0);
	}
	tips.sort((a, b) => a - b);
	const copy = svg.cloneNode(true);
	await frame();
	const t0 = performance.now();
	svg.replaceWith(copy);
	copy.getBoundingClientRect();
	const drawn = await frame();
	copy.replaceWith(svg);
	return [tips[20], drawn - t0];
})()`

// benchMap is a map the browser parts load: its database, slug, label and date range.
type benchMap struct{ db, slug, label, start, end string }

// benchMapOf is the built-in map (labelled builtin) for the zero gridMap, else g's generated
// map, its database made on first use.
func benchMapOf(ctx context.Context, cfg *config, g gridMap, builtin string) (benchMap, error) {
	if g.regions == 0 {
		return benchMap{filepath.Join(cfg.tmp, "builtin.db"), "afghanistan-2021", builtin, "2021-08-01", "2021-09-15"}, nil
	}
	db, err := g.database(ctx, cfg)
	if err != nil {
		return benchMap{}, err
	}
	return benchMap{db, g.slug(), g.String(), "2024-01-01", "2024-12-31"}, nil
}

// measureSlider loads the map page of a map and times cfg.steps slider steps between
// consecutive days, back and forth across the map's range.
func measureSlider(ctx context.Context, browser context.Context, cfg *config, report *report, g gridMap, goal float64, fpsIsGoal bool) error {
	bm, err := benchMapOf(ctx, cfg, g, "34 regions / 35 events (built-in)")
	if err != nil {
		return err
	}
	slug, label, start, end := bm.slug, bm.label, bm.start, bm.end
	srv, err := startServer(ctx, cfg, bm.db, "serve-"+slug)
	if err != nil {
		return err
	}
	defer srv.stop()
	waitIdle(cfg, report, "slider "+slug)

	dates := sliderDates(start, end, cfg.steps+1)
	arg, _ := json.Marshal(dates)
	stick, err := yardstickStep(browser, cfg, srv.url+"/embed/"+slug+"?date="+dates[0], string(arg))
	if err != nil {
		return fmt.Errorf("%s: %w", slug, err)
	}
	for _, page := range []struct{ name, path string }{
		{"embed page", "/embed/" + slug},
		{"reader's map page", "/maps/" + slug},
	} {
		loadStart := time.Now()
		tab, cancel, err := openCold(browser, srv.url+page.path+"?date="+dates[0], 2*time.Minute)
		if err != nil {
			return err
		}
		loaded := time.Since(loadStart)
		transfer, _ := chromedp.Run(tab, chromedp.Evaluate[float64](`performance.getEntriesByType('resource').filter((e) => e.name.includes('/timeline?')).reduce((n, e) => n + e.transferSize, 0)`))
		stepCtx, cancelSteps := context.WithTimeout(tab, 5*time.Minute)
		pairs, err := chromedp.Run(stepCtx, chromedp.Evaluate[[][2]float64](sliderScript+"("+string(arg)+")", chromedp.EvalAwaitPromise))
		var fps float64
		if err == nil {
			fps, err = chromedp.Run(stepCtx, chromedp.Evaluate[float64](frameRateScript+"("+string(arg)+")", chromedp.EvalAwaitPromise))
		}
		renderer, _ := chromedp.Run(stepCtx, chromedp.Evaluate[string](`document.querySelector('#map canvas') ? 'canvas' : 'SVG'`))
		var chart []float64
		if err == nil {
			chart, err = chromedp.Run(stepCtx, chromedp.Evaluate[[]float64](chartScript, chromedp.EvalAwaitPromise))
		}
		cancelSteps()
		cancel()
		if err != nil {
			return fmt.Errorf("%s %s: %w", slug, page.name, err)
		}
		var steps, times, frames []float64
		for _, p := range pairs {
			steps, times, frames = append(steps, p[0]+p[1]), append(times, p[0]), append(frames, p[1])
		}
		median := percentile(steps, 50)
		report.add(fmt.Sprintf("Slider step to restyled map, %s, %s (median of %d steps, %s renderer)", label, page.name, len(steps), renderer),
			fmt.Sprintf("≤ %g ms", goal), fmtMillis(median), median <= goal)
		if stick > 0 {
			report.info(fmt.Sprintf("Slider step, %s, %s, against the yardstick's (the same inline map alone in a static page from nginx, a bare slider recolouring every region; median of %d steps each, timed alike)", label, page.name, len(steps)),
				fmt.Sprintf("%s vs %s: %.2f×", fmtMillis(median), fmtMillis(stick), median/stick))
		}
		if fpsIsGoal {
			report.add(fmt.Sprintf("Scrubbing, a day per frame, %s, %s (%d frames, rasterising in software included)", label, page.name, len(dates)-1),
				"60 fps", fmt.Sprintf("%.1f fps", fps), fps >= fpsGoal)
		}
		if len(chart) == 2 && chart[1] >= 0 {
			report.add(fmt.Sprintf("Chart of control over time drawn (the server's SVG styled, laid out and painted, to the next frame's end), %s, %s", label, page.name),
				fmt.Sprintf("≤ %g ms", chartGoal), fmtMillis(chart[1]), chart[1] <= chartGoal)
			report.detail("Chart of control, %s, %s: a tooltip shown on hovering a day in %s (median of 40 days).", label, page.name, fmtMillis(chart[0]))
		}
		report.detail("Slider step, %s, %s: median %s, 90th percentile %s, worst %s; of which setDate and the style and layout it forces: median %s, the next frame's main-thread work (style, layout, paint; the canvas's drawing): median %s; stepping a day per frame, the browser kept %.1f frames per second, rasterising (in software: headless, no GPU) included. The page was drawn %s after navigation began%s.",
			label, page.name, fmtMillis(median), fmtMillis(percentile(steps, 90)), fmtMillis(percentile(steps, 100)),
			fmtMillis(percentile(times, 50)), fmtMillis(percentile(frames, 50)), fps, loaded.Round(time.Millisecond), timelineNote(transfer))
	}
	return nil
}

// yardstickStepShim lets sliderScript step the yardstick page (firstpaint.go's yardstickPage):
// each setDate moves its bare slider a notch and dispatches the input that recolours every
// region, which is more than a step of the map's own page repaints (the regions whose holder
// changed).
const yardstickStepShim = `<script>(() => {
	const slider = document.getElementById('date-slider');
	window.frontline = { setDate() { slider.value = (slider.valueAsNumber + 1) % (+slider.max + 1); slider.dispatchEvent(new Event('input')); } };
})();</script></body>`

// yardstickStep times sliderScript's steps (dates, a JSON array: only their number counts) on
// the yardstick of the page at embedURL: the least a slider step of that inline map can cost
// in this browser on this machine, measured in the same run as the map's own pages. It is 0,
// with no error, for a map whose inline picture has no region of its own to recolour (a
// large map's coarse picture).
func yardstickStep(browser context.Context, cfg *config, embedURL, dates string) (float64, error) {
	html, err := fetch(embedURL, "")
	if err != nil {
		return 0, err
	}
	svg, err := inlineSVG(html)
	if err != nil || !strings.Contains(svg, "data-inline-region") {
		return 0, nil
	}
	page := strings.Replace(fmt.Sprintf(yardstickPage, svg), "</body>", yardstickStepShim, 1)
	port, stop, err := startNginx(cfg, filepath.Join(cfg.tmp, "nginx-yardstick-step"), "nginx-yardstick-step", map[string][]byte{"index.html": []byte(page)})
	if err != nil {
		return 0, err
	}
	defer stop()
	url := fmt.Sprintf("http://127.0.0.1:%d/index.html", port)
	if err := waitFor(url); err != nil {
		return 0, fmt.Errorf("nginx: %w", err)
	}
	tab, cancel, err := openColdUntil(browser, url, time.Minute, `!!window.frontline`)
	if err != nil {
		return 0, err
	}
	defer cancel()
	ctx, cancelSteps := context.WithTimeout(tab, 5*time.Minute)
	defer cancelSteps()
	pairs, err := chromedp.Run(ctx, chromedp.Evaluate[[][2]float64](sliderScript+"("+dates+")", chromedp.EvalAwaitPromise))
	if err != nil {
		return 0, fmt.Errorf("the yardstick's steps: %w", err)
	}
	steps := make([]float64, len(pairs))
	for i, p := range pairs {
		steps[i] = p[0] + p[1]
	}
	return percentile(steps, 50), nil
}

// sliderDates returns n dates stepping a day at a time from start, turning back at either
// end of the range, so that any number of steps stays within it.
func sliderDates(start, end string, n int) []string {
	s, _ := time.Parse("2006-01-02", start)
	e, _ := time.Parse("2006-01-02", end)
	days := int(e.Sub(s).Hours() / 24)
	// Start inside the range, where a year of generated events is dense.
	day, step := min(days/3, days), 1
	dates := make([]string, 0, n)
	for range n {
		dates = append(dates, s.AddDate(0, 0, day).Format("2006-01-02"))
		if day+step < 0 || day+step > days {
			step = -step
		}
		day += step
	}
	return dates
}

// fmtSeries writes numbers (milliseconds) sorted, for the details.
func fmtSeries(xs []float64) string {
	s := slices.Clone(xs)
	slices.Sort(s)
	parts := make([]string, len(s))
	for i, x := range s {
		parts[i] = fmt.Sprintf("%.0f", x)
	}
	return strings.Join(parts, ", ")
}

// timelineNote tells how many bytes of compact timeline the page fetched, if any.
func timelineNote(transfer float64) string {
	if transfer == 0 {
		return ", with every event inline"
	}
	return ", having fetched " + fmtBytes(transfer) + " of compact timeline"
}
