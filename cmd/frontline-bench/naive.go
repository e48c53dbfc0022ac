package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"
)

// naivePage is the yardstick: what a developer would write with Leaflet alone. It fetches
// the map's regions.geojson and its events (GET /api/maps/{slug}/events, saved whole),
// draws the regions with L.geoJSON (Leaflet's default SVG renderer) and on every step finds
// each region's holder by reading the sorted events up to the date and restyles every
// region with setStyle. It offers the bench's hooks as Frontline's pages do: the mark
// "frontline:drawn" once the slider responds, and window.frontline.setDate, which moves the
// slider to the date as Frontline's does (a reader's drag moves the thumb on either page; the
// hook left it where it was until session 14, and the thumb's move is about half a
// millisecond of a step on the 395 counties' page: docs/benchmarks.md).
var naivePage = template.Must(template.New("naive").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Naive Leaflet page</title>
<link rel="stylesheet" href="leaflet.css">
<style>html, body { height: 100%; margin: 0; } #map { height: calc(100% - 3rem); } input { width: 100%; }</style>
</head><body><div id="map"></div><input id="slider" type="range" min="0" max="{{.Days}}" value="{{.Initial}}">
<script src="leaflet.js"></script>
<script>
const colors = {{.Colors}};
const initial = {{.InitialFaction}};
const start = Date.parse({{.Start}});
const iso = (i) => new Date(start + i * 86400000).toISOString().slice(0, 10);
Promise.all([fetch('regions.geojson').then((r) => r.json()), fetch('events.json').then((r) => r.json())]).then(([regions, events]) => {
  const map = L.map('map');
  const layer = L.geoJSON(regions, { style: { color: '#fff', weight: 1, fillColor: colors[initial], fillOpacity: 1 } }).addTo(map);
  map.fitBounds(layer.getBounds());
  const slider = document.getElementById('slider');
  function setDate(date) {
    const holder = new Map();
    for (const e of events) {
      if (e.date > date) break;
      holder.set(e.region, e);
    }
    layer.eachLayer((l) => {
      const e = holder.get(String(l.feature.id));
      l.setStyle({ fillColor: colors[e ? e.faction : initial], fillOpacity: e && e.confidence === 'claimed' ? 0.5 : 1 });
    });
    return date;
  }
  slider.addEventListener('input', () => setDate(iso(Number(slider.value))));
  setDate(iso(Number(slider.value)));
  window.frontline = {
    setDate(date) {
      slider.value = String(Math.round((Date.parse(date) - start) / 86400000));
      return setDate(date);
    },
  };
  requestAnimationFrame(() => performance.mark('frontline:drawn'));
});
</script></body></html>
`))

// naiveHTML is the naive page for the real layers' events (realFactions, over 2024), its
// slider's days counted from realStart, at first (YYYY-MM-DD).
func naiveHTML(first string) []byte {
	colors := map[string]string{}
	for _, f := range realFactions {
		colors[f[0]] = f[2]
	}
	colorsJSON, _ := json.Marshal(colors)
	initialJSON, _ := json.Marshal(realFactions[0][0])
	startJSON, _ := json.Marshal(realStart)
	start, _ := time.Parse("2006-01-02", realStart)
	day, _ := time.Parse("2006-01-02", first)
	var page bytes.Buffer
	naivePage.Execute(&page, map[string]any{
		"Days": 365, "Initial": int(day.Sub(start).Hours() / 24), "Colors": string(colorsJSON), "InitialFaction": string(initialJSON),
		"Start": string(startJSON),
	})
	return page.Bytes()
}

// dragScript drags the page's slider (its range input) a day per animation frame, as a
// reader scrubbing does: a pointer down on it, then at each frame its value moved to the
// next of dates (days from the real layers' first, realStart) and an input event, as the
// browser gives a drag; then the pointer up. Each page follows its slider's input events as
// it follows a reader's (Frontline's keeps what follows a drag's rest until the drag rests:
// static/ui/settle.js). It returns the time between frames (requestAnimationFrame's
// timestamps, milliseconds): what a reader sees while scrubbing; 16.7 is every frame drawn
// at 60 a second. Until session 14 the scrub called window.frontline.setDate, which on
// Frontline's pages is a step on its own (a play's, a key's), not a drag's.
const dragScript = `(async (dates) => {
	const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
	const slider = document.querySelector('input[type=range]');
	if (!slider) throw new Error('no slider (input type=range) to drag');
	const indexOf = (date) => String(Math.round((Date.parse(date) - Date.parse('` + realStart + `')) / 86400000));
	window.frontline.setDate(dates[0]);
	await frame();
	slider.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, isPrimary: true }));
	let last = await frame();
	const deltas = [];
	for (const date of dates.slice(1)) {
		slider.value = indexOf(date);
		if (slider.value !== indexOf(date)) throw new Error('the slider refused day ' + indexOf(date) + ' (' + date + ')');
		slider.dispatchEvent(new Event('input', { bubbles: true }));
		const t = await frame();
		deltas.push(t - last);
		last = t;
	}
	slider.dispatchEvent(new PointerEvent('pointerup', { bubbles: true, isPrimary: true }));
	return deltas;
})`

// interactiveMark is the first of the marks that say a page's slider responds: the light
// map's early script's first frame out (frontline:early-painted; its slider recolours the
// inline map from that frame, before the modules are in: web/early_map.go,
// TestBrowserEarlySlider), else the map drawn by static/map.js, or by the naive page once its
// slider is wired (frontline:drawn). The early mark comes after its frame's paint, the naive
// page's before: if anything, the comparison favours the naive page.
const interactiveMark = `(performance.getEntriesByName('frontline:early-painted')[0] ?? performance.getEntriesByName('frontline:drawn')[0])`

// interactivePredicate holds once interactiveMark is set.
const interactivePredicate = `!!` + interactiveMark

// frameGoal is every frame at 60 a second: requestAnimationFrame's timestamps come a
// vsync apart, 16.7 ms, when no frame is dropped; 17 allows for their jitter.
const frameGoal = 17.0

// pageFigures are one page's figures over its cold loads.
type pageFigures struct {
	interactive, bytes []float64   // per load: ms to the slider responding, bytes on the wire
	cpu                []float64   // per load: ms of the main thread's CPU to the slider responding
	frames             []float64   // of every load: ms between frames of its scrub
	frameCPU           []float64   // per load: ms of the main thread's CPU a frame of its scrub
	runSteps           [][]float64 // per load: ms its steps cost
	slowFrames         []int       // per load: its scrub's frames over frameGoal
}

// steps are the ms every load's steps cost.
func (f pageFigures) steps() []float64 { return slices.Concat(f.runSteps...) }

// measurePageLoad loads url cold and adds its figures to fig: the time to interactiveMark,
// the main thread's CPU by then (CDP Performance.getMetrics' ThreadTime,
// read as soon as the mark is seen, so a frame or so late; the other engineers' load inflates
// it far less than wall time), the bytes on the wire, and when slider is set the steps and the
// steps over run and the frames of a scrub over dates (JSON arrays of dates) with the main
// thread's CPU a frame.
func measurePageLoad(browser context.Context, url string, run, dates []byte, slider bool, fig *pageFigures) error {
	// Enabled before the page loads: the metrics count from then.
	enable := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, performance.Enable, performance.EnableParams{})
		return err
	})
	tab, cancel, err := openColdUntil(browser, url, 3*time.Minute, interactivePredicate, enable)
	if err != nil {
		return err
	}
	defer cancel()
	cpu, err := threadTime(tab)
	if err != nil {
		return err
	}
	// The steps and the bytes want the whole page: the module in and the map drawn.
	if _, err := chromedp.Run(tab, chromedp.Poll[chromedp.Void](drawnPredicate, chromedp.WithPollingTimeout(3*time.Minute))); err != nil {
		return fmt.Errorf("%s: the map was not drawn: %w", url, err)
	}
	drawn, err := chromedp.Run(tab, chromedp.Evaluate[[2]float64](`[`+interactiveMark+`.startTime,
		[...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].reduce((n, e) => n + e.transferSize, 0)]`))
	if err != nil {
		return err
	}
	fig.interactive = append(fig.interactive, drawn[0])
	fig.bytes = append(fig.bytes, drawn[1])
	fig.cpu = append(fig.cpu, cpu)
	if !slider {
		return nil
	}
	ctx, cancelSteps := context.WithTimeout(tab, 10*time.Minute)
	defer cancelSteps()
	pairs, err := chromedp.Run(ctx, chromedp.Evaluate[[][2]float64](sliderScript+"("+string(run)+")", chromedp.EvalAwaitPromise))
	if err != nil {
		return err
	}
	var steps []float64
	for _, pr := range pairs {
		steps = append(steps, pr[0]+pr[1])
	}
	fig.runSteps = append(fig.runSteps, steps)
	before, err := threadTime(ctx)
	if err != nil {
		return err
	}
	frames, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](dragScript+"("+string(dates)+")", chromedp.EvalAwaitPromise))
	if err != nil {
		return err
	}
	after, err := threadTime(ctx)
	if err != nil {
		return err
	}
	fig.frames = append(fig.frames, frames...)
	fig.slowFrames = append(fig.slowFrames, countOver(frames, frameGoal))
	fig.frameCPU = append(fig.frameCPU, (after-before)/float64(max(1, len(frames))))
	return nil
}

// stepRuns gives n runs of consecutive days between start and end, one for each timed load,
// together steps steps (a run's last day is its last step's), each run centred on its nth of
// the range: the loads, which alternate between the pages, step the same days on both, from
// every part of the map's range (the naive page's step reads every event from the first, see
// naiveHTML; the report's details give each run's median). Until session 15 the last load
// stepped the 60 days from the first third of the range on, which put the two pages' steps
// in two different minutes of a shared machine and left out the year's second half.
func stepRuns(start, end string, n, steps int) [][]string {
	s, err1 := time.Parse(time.DateOnly, start)
	e, err2 := time.Parse(time.DateOnly, end)
	days := int(e.Sub(s).Hours() / 24)
	if err1 != nil || err2 != nil || n < 1 || steps < 1 || days < 1 {
		return nil
	}
	size := min((steps+n-1)/n, days)
	var runs [][]string
	for k := range n {
		first := (2*k+1)*days/(2*n) - size/2
		first = max(0, min(first, days-size))
		run := make([]string, 0, size+1)
		for d := first; d <= first+size; d++ {
			run = append(run, s.AddDate(0, 0, d).Format(time.DateOnly))
		}
		runs = append(runs, run)
	}
	return runs
}

// threadTime is the page's main thread's CPU time so far, in milliseconds.
func threadTime(ctx context.Context) (float64, error) {
	metrics, err := chromedp.Run(ctx, chromedp.Action[performance.GetMetricsResult](func(ctx context.Context, t *chromedp.Target) (performance.GetMetricsResult, error) {
		return cdp.Call(ctx, t, performance.GetMetrics, cdp.Empty{})
	}))
	if err != nil {
		return 0, fmt.Errorf("performance metrics: %w", err)
	}
	for _, m := range metrics.Metrics {
		if m.Name == "ThreadTime" {
			return m.Value * 1000, nil
		}
	}
	return 0, fmt.Errorf("performance metrics: no ThreadTime among %d", len(metrics.Metrics))
}

// runNaive measures each real map's embed page against the naive page on the same
// regions and events, same browser, one after the other.
func runNaive(ctx context.Context, browser context.Context, cfg *config, report *report) error {
	leaflet := filepath.Join(cfg.root, "node_modules", "leaflet", "dist")
	if _, err := os.Stat(filepath.Join(leaflet, "leaflet.js")); err != nil {
		return fmt.Errorf("%w: run `go tool task assets` (npm ci)", err)
	}
	for _, m := range realMaps {
		if len(cfg.naiveLayers) > 0 && !slices.Contains(cfg.naiveLayers, m.slug) {
			continue
		}
		if err := measureNaive(ctx, browser, cfg, report, m, leaflet); err != nil {
			return fmt.Errorf("naive %s: %w", m.slug, err)
		}
	}
	report.notes = append(report.notes, fmt.Sprintf("naive: run with -idle-wait %s while other work shared the two cores; the pages were measured one after the other in the same run, so the ratios hold better than the absolute times.", cfg.idleWait))
	return nil
}

func measureNaive(ctx context.Context, browser context.Context, cfg *config, report *report, m realMap, leaflet string) error {
	db, err := m.database(ctx, cfg)
	if err != nil {
		return err
	}
	srv, err := startServer(ctx, cfg, db, "serve-"+m.slug)
	if err != nil {
		return err
	}
	defer srv.stop()

	dir := filepath.Join(cfg.tmp, "naive-"+m.slug)
	www := filepath.Join(dir, "www")
	if err := os.MkdirAll(www, 0o755); err != nil {
		return err
	}
	files := map[string]string{"regions.geojson": "/api/maps/" + m.slug + "/regions.geojson", "events.json": "/api/maps/" + m.slug + "/events"}
	for name, path := range files {
		body, err := fetch(srv.url+path, "")
		if err != nil {
			return err
		}
		if err := writeWithTwin(filepath.Join(www, name), body); err != nil {
			return err
		}
	}
	for _, name := range []string{"leaflet.js", "leaflet.css"} {
		body, err := os.ReadFile(filepath.Join(leaflet, name))
		if err != nil {
			return err
		}
		if err := writeWithTwin(filepath.Join(www, name), body); err != nil {
			return err
		}
	}
	dates := sliderDates(realStart, realEnd, cfg.steps+1)
	if err := writeWithTwin(filepath.Join(www, "index.html"), naiveHTML(dates[0])); err != nil {
		return err
	}
	port, stopNginx, err := startNginx(cfg, dir, "nginx-"+m.slug, nil)
	if err != nil {
		return err
	}
	defer stopNginx()
	naiveURL := fmt.Sprintf("http://127.0.0.1:%d/index.html", port)
	if err := waitFor(naiveURL); err != nil {
		return fmt.Errorf("nginx: %w", err)
	}

	waitIdle(cfg, report, "naive "+m.slug)
	arg, _ := json.Marshal(dates)
	pages := []struct {
		name, url string
		fig       pageFigures
	}{
		{name: "Frontline embed", url: srv.url + "/embed/" + m.slug + "?date=" + dates[0]},
		{name: "naive Leaflet page", url: naiveURL},
	}
	// One load of each first, not counted, as the first paint's part does: Frontline's server
	// reads a map's timeline and gzips its shapes at the first request for them (once per
	// server), which a reader meets only on a fresh server, and nginx's first load warms its
	// file cache.
	for k := range pages {
		if err := measurePageLoad(browser, pages[k].url, nil, nil, false, &pageFigures{}); err != nil {
			return fmt.Errorf("%s, warm-up: %w", pages[k].name, err)
		}
	}
	// Loads alternate between the pages (the naive page first every other round), so that
	// a change in the machine's load falls on both alike; each load steps its run of days
	// (stepRuns) and scrubs dates once.
	runs := stepRuns(realStart, realEnd, cfg.naiveLoads, cfg.steps)
	for load := range cfg.naiveLoads {
		run := dates[:1]
		if load < len(runs) {
			run = runs[load]
		}
		runArg, _ := json.Marshal(run)
		for k := range pages {
			p := &pages[(k+load)%len(pages)]
			if err := measurePageLoad(browser, p.url, runArg, arg, true, &p.fig); err != nil {
				return fmt.Errorf("%s: %w", p.name, err)
			}
		}
	}
	ours, theirs := pages[0].fig, pages[1].fig
	label := fmt.Sprintf("%s, %s events", m.name, fmtCount(float64(m.events)))
	for _, x := range []struct {
		figure string
		ours   float64
		theirs float64
		format func(float64) string
		goal   float64 // 0: at or ahead of the naive page is the goal
		// inFrames compares the two pages' frame times in display frames (vsyncs): an
		// animation frame's time is a whole number of them give or take the clock's jitter,
		// so 16.80 against 16.79 ms is one frame against one, a tie, not a loss.
		inFrames bool
	}{
		{fmt.Sprintf("Time to interactive (slider responds), median of %d cold loads", cfg.naiveLoads), percentile(ours.interactive, 50), percentile(theirs.interactive, 50), fmtMillis, 0, false},
		{fmt.Sprintf("Slider step to restyled map, median of %d steps over %d loads", len(ours.steps()), cfg.naiveLoads), percentile(ours.steps(), 50), percentile(theirs.steps(), 50), fmtMillis, m.stepGoal, false},
		{fmt.Sprintf("Frame time scrubbing a day per frame, median of %d frames", len(ours.frames)), percentile(ours.frames, 50), percentile(theirs.frames, 50), fmtMillis, frameGoal, true},
		{"Frame time scrubbing, worst frame", percentile(ours.frames, 100), percentile(theirs.frames, 100), fmtMillis, frameGoal, true},
		{fmt.Sprintf("Main thread's CPU to interactive, median of %d cold loads", cfg.naiveLoads), percentile(ours.cpu, 50), percentile(theirs.cpu, 50), fmtMillis, 0, false},
		{fmt.Sprintf("Main thread's CPU a frame, scrubbing a day per frame, median of %d scrubs", len(ours.frameCPU)), percentile(ours.frameCPU, 50), percentile(theirs.frameCPU, 50), fmtMillis, frameGoal, false},
		{"Bytes on the wire, cold load", percentile(ours.bytes, 50), percentile(theirs.bytes, 50), fmtBytes, 0, false},
	} {
		goal, pass := "≤ naive", x.ours <= x.theirs
		if x.inFrames {
			pass = displayFrames(x.ours) <= displayFrames(x.theirs)
		}
		if x.goal > 0 {
			goal, pass = fmt.Sprintf("≤ naive, ≤ %g ms", x.goal), pass && x.ours <= x.goal
		}
		report.add(fmt.Sprintf("%s: %s", label, x.figure), goal,
			fmt.Sprintf("%s vs naive %s: %.2f×", x.format(x.ours), x.format(x.theirs), x.ours/x.theirs), pass)
	}
	report.detail("%s (after one warm-up load of each, not counted): Frontline embed interactive %s ms, naive %s ms (sorted); main thread's CPU to then %s ms vs %s ms; steps p90 %s vs %s; frames p90 %s vs %s, over 17 ms: %d of %d vs %d of %d.",
		label, fmtSeries(ours.interactive), fmtSeries(theirs.interactive), fmtSeries(ours.cpu), fmtSeries(theirs.cpu),
		fmtMillis(percentile(ours.steps(), 90)), fmtMillis(percentile(theirs.steps(), 90)),
		fmtMillis(percentile(ours.frames, 90)), fmtMillis(percentile(theirs.frames, 90)),
		countOver(ours.frames, 17), len(ours.frames), countOver(theirs.frames, 17), len(theirs.frames))
	var byRun []string
	for k, run := range runs {
		if k < len(ours.runSteps) && k < len(theirs.runSteps) {
			byRun = append(byRun, fmt.Sprintf("from %s %s vs %s", run[0], fmtMillis(percentile(ours.runSteps[k], 50)), fmtMillis(percentile(theirs.runSteps[k], 50))))
		}
	}
	report.detail("%s: median step of each load's run of days, Frontline vs naive: %s. Frames over %g ms in each load's scrub: %v vs %v.", label, strings.Join(byRun, "; "), frameGoal, ours.slowFrames, theirs.slowFrames)
	return nil
}

// displayFrames is how many display frames (at 60 Hz, headless Chromium's begin-frame
// clock) an animation frame's time of ms spans.
func displayFrames(ms float64) float64 { return math.Round(ms / (1000.0 / 60)) }

func countOver(xs []float64, limit float64) int {
	n := 0
	for _, x := range xs {
		if x > limit {
			n++
		}
	}
	return n
}

// writeWithTwin writes body to path and its gzipped twin to path.gz, which nginx's
// gzip_static sends to a browser, as Frontline sends its files gzipped.
func writeWithTwin(path string, body []byte) error {
	if err := os.WriteFile(path, body, 0o644); err != nil {
		return err
	}
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	w.Write(body)
	w.Close()
	return os.WriteFile(path+".gz", gz.Bytes(), 0o644)
}
