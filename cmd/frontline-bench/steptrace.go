package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// The steptrace part records a Chromium trace (the devtools.timeline categories the
// Performance panel records) of slider steps on the pages the slider part times, and tells
// where a step's time goes: script, style recalculation (and how many elements), layout (how
// many objects, from which roots), pre-paint and paint, and the style and layout the page's
// scripts force before the frame, and what the other processes' threads spent in the step's
// time (the browser's, the GPU process's, the renderer's compositor and raster threads),
// which a 2-core machine's renderer waits for: a title change costs the browser's own
// window a layout, a raster and a draw at every step (docs/benchmarks.md, session 12). The
// slider part gives the figure; this gives the why.

// traceCategories are the Performance panel's, without screenshots and the JS sampler.
var traceCategories = []string{
	"devtools.timeline", "disabled-by-default-devtools.timeline", "blink.user_timing", "toplevel",
	// What makes the browser restyle and lay out what: which nodes, for which reasons. It
	// slows each invalidation a little, so the times are a little above the slider part's.
	"disabled-by-default-devtools.timeline.invalidationTracking",
}

// traceStepScript steps as sliderScript does, marking each step's start and the end of
// its frame in the trace.
const traceStepScript = `(async (dates) => {
	const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
	const settle = async () => { await new Promise((resolve) => setTimeout(resolve, 200)); await frame(); await frame(); };
	window.frontline.setDate(dates[0]);
	for (const date of dates.slice(1)) {
		await settle();
		const rendered = new Promise((resolve) => requestAnimationFrame(() => {
			const ch = new MessageChannel();
			ch.port1.onmessage = () => resolve();
			ch.port2.postMessage(0);
		}));
		performance.mark('step-start');
		window.frontline.setDate(date);
		await rendered;
		performance.mark('step-end');
	}
	return dates.length - 1;
})`

// traceEvent is the part of a Chrome trace event read here.
type traceEvent struct {
	Name string  `json:"name"`
	Ph   string  `json:"ph"`
	Ts   float64 `json:"ts"`   // µs
	Dur  float64 `json:"dur"`  // µs
	Tdur float64 `json:"tdur"` // µs of the thread's CPU
	Pid  int     `json:"pid"`
	Tid  int     `json:"tid"`
	Args struct {
		Name         string `json:"name"` // a thread_name metadata event's
		ElementCount int    `json:"elementCount"`
		BeginData    struct {
			DirtyObjects int          `json:"dirtyObjects"`
			TotalObjects int          `json:"totalObjects"`
			StackTrace   []stackFrame `json:"stackTrace"`
		} `json:"beginData"`
		EndData struct {
			LayoutRoots []struct {
				NodeID int64 `json:"nodeId"`
			} `json:"layoutRoots"`
		} `json:"endData"`
		Data struct {
			NodeID   int64  `json:"nodeId"`
			NodeName string `json:"nodeName"`
			Reason   string `json:"reason"`
			// A scheduled invalidation's cause (ScheduleStyleInvalidationTracking).
			ChangedClass     string       `json:"changedClass"`
			ChangedAttribute string       `json:"changedAttribute"`
			ChangedPseudo    string       `json:"changedPseudo"`
			StackTrace       []stackFrame `json:"stackTrace"`
		} `json:"data"`
	} `json:"args"`
}

type stackFrame struct {
	FunctionName string `json:"functionName"`
	URL          string `json:"url"`
}

// stepFigures are the measures of one step, by name, in the order reported.
var stepFigures = []string{
	"sum ms", "script ms", "style ms", "style recalcs", "elements restyled", "layout ms", "layouts",
	"objects laid out", "of objects", "pre-paint ms", "paint ms", "paints", "layerize ms", "commit ms",
	"forced style+layout by page scripts", "forced ms",
	"main thread CPU ms", "browser process CPU ms", "GPU process CPU ms", "renderer's other threads CPU ms",
}

func runStepTrace(ctx context.Context, cfg *config, report *report) error {
	browser, cancel, err := newBrowser(ctx, cfg)
	if err != nil {
		return err
	}
	defer cancel()
	// Every size the slider part times: 34 and 400 regions (the inline map's SVG) and 5,000
	// (Leaflet's canvas), whose reader's page scrubbed at a tenth of its embed's frame rate.
	for _, sm := range sliderMaps {
		if !sm.chosen(cfg) {
			continue
		}
		if err := traceSlider(ctx, browser, cfg, report, sm.grid); err != nil {
			return fmt.Errorf("steptrace: %w", err)
		}
	}
	return nil
}

func traceSlider(ctx context.Context, browser context.Context, cfg *config, report *report, g gridMap) error {
	bm, err := benchMapOf(ctx, cfg, g, "34 regions (built-in)")
	if err != nil {
		return err
	}
	slug, label, start, end := bm.slug, bm.label, bm.start, bm.end
	srv, err := startServer(ctx, cfg, bm.db, "trace-"+slug)
	if err != nil {
		return err
	}
	defer srv.stop()
	dates := sliderDates(start, end, min(cfg.steps, 30)+1)
	arg, _ := json.Marshal(dates)
	for _, page := range []struct{ name, path string }{
		{"embed page", "/embed/" + slug},
		{"reader's map page", "/maps/" + slug},
	} {
		tab, cancelTab, err := openCold(browser, srv.url+page.path+"?date="+dates[0], 2*time.Minute)
		if err != nil {
			return err
		}
		steps, roots, err := traceSteps(tab, string(arg))
		cancelTab()
		if err != nil {
			return fmt.Errorf("%s %s: %w", slug, page.name, err)
		}
		var parts []string
		for _, name := range stepFigures {
			xs := make([]float64, len(steps))
			for i, s := range steps {
				xs[i] = s[name]
			}
			v := percentile(xs, 50)
			if strings.HasSuffix(name, " ms") {
				parts = append(parts, fmt.Sprintf("%s %.2f", name, v))
			} else {
				parts = append(parts, fmt.Sprintf("%s %.0f", name, v))
			}
		}
		report.detail("Trace of %d slider steps, %s, %s (medians per step, the page's main thread from setDate to its frame drawn): %s; layout roots: %s.",
			len(steps), label, page.name, strings.Join(parts, ", "), roots)
	}
	return nil
}

// traceSteps steps the page in tab through dates (a JSON array) under tracing and returns
// each step's figures and the layout roots of all steps, named.
func traceSteps(tab context.Context, dates string) ([]map[string]float64, string, error) {
	ctx, cancel := context.WithTimeout(tab, 5*time.Minute)
	defer cancel()
	collected := chromedp.Events(ctx, tracing.DataCollected)
	complete := chromedp.Events(ctx, tracing.TracingComplete)
	if _, err := chromedp.Call(ctx, tracing.Start, tracing.StartParams{
		TransferMode: tracing.StartTransferModeReportEvents,
		TraceConfig:  &tracing.TraceConfig{IncludedCategories: traceCategories},
	}); err != nil {
		return nil, "", fmt.Errorf("start tracing: %w", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](traceStepScript+"("+dates+")", chromedp.EvalAwaitPromise)); err != nil {
		return nil, "", fmt.Errorf("step: %w", err)
	}
	var events []traceEvent
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev, err := range collected {
			if err != nil {
				return
			}
			for _, v := range ev.Value {
				var e traceEvent
				if json.Unmarshal(v, &e) == nil {
					events = append(events, e)
				}
			}
		}
	}()
	if _, err := chromedp.Call(ctx, tracing.End, cdp.Empty{}); err != nil {
		return nil, "", fmt.Errorf("end tracing: %w", err)
	}
	for _, err := range complete {
		if err != nil {
			return nil, "", err
		}
		break
	}
	// The last dataCollected comes before tracingComplete; let the reader drain it.
	time.Sleep(500 * time.Millisecond)
	cancel()
	<-done
	steps, rootIDs, invalidations := stepCosts(events)
	if len(steps) == 0 {
		return nil, "", fmt.Errorf("the trace has no marked steps (%d events)", len(events))
	}
	return steps, nameNodes(tab, rootIDs) + "; invalidated per step: " + topInvalidations(invalidations, len(steps)), nil
}

// stepCosts sums, for each step between its marks, the main thread's work by kind.
func stepCosts(events []traceEvent) ([]map[string]float64, map[int64]int, map[string]int) {
	invalidations := map[string]int{}
	// The renderer's main thread is the one the marks are on.
	var starts, ends []float64
	pid, tid := 0, 0
	for _, e := range events {
		switch e.Name {
		case "step-start":
			starts, pid, tid = append(starts, e.Ts), e.Pid, e.Tid
		case "step-end":
			ends = append(ends, e.Ts)
		}
	}
	slices.Sort(starts)
	slices.Sort(ends)
	n := min(len(starts), len(ends))
	steps := make([]map[string]float64, n)
	for i := range steps {
		steps[i] = map[string]float64{}
	}
	stepOf := func(ts float64) int {
		i, _ := slices.BinarySearch(starts[:n], ts)
		i-- // the last start at or before ts
		if i < 0 || ts > ends[i] {
			return -1
		}
		return i
	}
	roots := map[int64]int{}
	// script events, to tell forced style and layout (inside one) from the frame's
	var scripts [][2]float64
	for _, e := range events {
		if e.Pid == pid && e.Tid == tid && e.Ph == "X" && isScript(e.Name) {
			scripts = append(scripts, [2]float64{e.Ts, e.Ts + e.Dur})
		}
	}
	inScript := func(e traceEvent) bool {
		for _, s := range scripts {
			if e.Ts >= s[0] && e.Ts+e.Dur <= s[1] {
				return true
			}
		}
		return false
	}
	for _, e := range events {
		if e.Pid == pid && (e.Name == "LayoutInvalidationTracking" || e.Name == "StyleRecalcInvalidationTracking") {
			if stepOf(e.Ts) >= 0 {
				kind := strings.TrimSuffix(e.Name, "InvalidationTracking")
				node, _, _ := strings.Cut(e.Args.Data.NodeName, " ")
				node = strings.ToLower(node)
				if name := e.Args.Data.NodeName; strings.Contains(name, "id='") || strings.Contains(name, "class='") {
					node = strings.ToLower(e.Args.Data.NodeName)
				}
				invalidations[kind+" "+node+" ("+e.Args.Data.Reason+")"]++
			}
			continue
		}
		if e.Pid == pid && e.Name == "ScheduleStyleInvalidationTracking" && stepOf(e.Ts) >= 0 {
			d := e.Args.Data
			node, _, _ := strings.Cut(d.NodeName, " ")
			invalidations["Schedule "+strings.ToLower(node)+" (changed "+d.ChangedClass+d.ChangedAttribute+d.ChangedPseudo+")"]++
			continue
		}
		if e.Pid != pid || e.Tid != tid || e.Ph != "X" {
			continue
		}
		// The part of it within a step: the harness's task that calls setDate began before
		// the step's mark.
		i := stepOf(e.Ts)
		if i < 0 {
			i = stepOf(e.Ts + e.Dur)
		}
		if i < 0 {
			continue
		}
		s := steps[i]
		ms := (min(e.Ts+e.Dur, ends[i]) - max(e.Ts, starts[i])) / 1000
		forced := func() {
			// The harness's own evaluation has no URL; the page's scripts come from /static/.
			stack := append(e.Args.BeginData.StackTrace, e.Args.Data.StackTrace...)
			if inScript(e) && len(stack) > 0 && strings.Contains(stack[0].URL, "/static/") {
				s["forced style+layout by page scripts"]++
				s["forced ms"] += ms
			}
		}
		switch e.Name {
		case "FunctionCall", "EvaluateScript", "TimerFire", "FireAnimationFrame", "RunMicrotasks", "EventDispatch":
			if !nestedScript(e, scripts) {
				s["script ms"] += ms
			}
		case "UpdateLayoutTree":
			s["style ms"] += ms
			s["style recalcs"]++
			s["elements restyled"] += float64(e.Args.ElementCount)
			forced()
		case "Layout":
			s["layout ms"] += ms
			s["layouts"]++
			s["objects laid out"] += float64(e.Args.BeginData.DirtyObjects)
			s["of objects"] = max(s["of objects"], float64(e.Args.BeginData.TotalObjects))
			for _, r := range e.Args.EndData.LayoutRoots {
				roots[r.NodeID]++
			}
			forced()
		case "PrePaint":
			s["pre-paint ms"] += ms
		case "Paint":
			s["paint ms"] += ms
			s["paints"]++
		// Not in the sum, which stays the measure earlier runs published: the paint's
		// layers made anew for the compositor (every path's hit-test regions with them, which
		// were most of the 395-county map's frame) and the main thread's wait for the commit.
		case "Layerize":
			s["layerize ms"] += ms
		case "Commit":
			s["commit ms"] += ms
		}
	}
	otherThreads(events, pid, tid, starts[:n], ends[:n], steps)
	// The parts' sum: a task's own time (its RunTask) starts before the step's mark.
	for _, s := range steps {
		s["sum ms"] = s["script ms"] + s["style ms"] + s["layout ms"] + s["pre-paint ms"] + s["paint ms"]
	}
	return steps, roots, invalidations
}

// otherThreads adds to each step the CPU that threads other than the page's main thread
// (pid, tid) spent within it, by process: the thread's outermost events' CPU time (tdur),
// prorated when an event straddles the step's marks. It adds the main thread's own CPU time
// alike ("main thread CPU ms"): unlike the sum of its parts' wall times, the CPU time does
// not grow when other processes take the core, so it compares builds on a loaded machine.
func otherThreads(events []traceEvent, pid, tid int, starts, ends []float64, steps []map[string]float64) {
	processes := map[int]string{}
	byThread := map[[2]int][]traceEvent{}
	for _, e := range events {
		switch {
		case e.Ph == "M" && e.Name == "process_name":
			processes[e.Pid] = e.Args.Name
		case e.Ph == "X" && e.Tdur > 0:
			byThread[[2]int{e.Pid, e.Tid}] = append(byThread[[2]int{e.Pid, e.Tid}], e)
		}
	}
	for thread, es := range byThread {
		figure := ""
		switch {
		case thread == [2]int{pid, tid}:
			figure = "main thread CPU ms"
		case thread[0] == pid:
			figure = "renderer's other threads CPU ms"
		case processes[thread[0]] == "Browser":
			figure = "browser process CPU ms"
		case processes[thread[0]] == "GPU Process":
			figure = "GPU process CPU ms"
		default:
			continue // another page's renderer, a utility process
		}
		slices.SortFunc(es, func(a, b traceEvent) int {
			if a.Ts != b.Ts {
				return cmp.Compare(a.Ts, b.Ts)
			}
			return cmp.Compare(b.Dur, a.Dur)
		})
		end := math.Inf(-1) // of the outermost event so far: those inside it are counted in it
		for _, e := range es {
			if e.Ts < end {
				continue
			}
			end = e.Ts + e.Dur
			i, _ := slices.BinarySearch(starts, end)
			i-- // the last step that starts before the event ends
			if i < 0 || e.Ts > ends[i] {
				continue
			}
			within := min(end, ends[i]) - max(e.Ts, starts[i])
			share := 1.0
			if e.Dur > 0 {
				share = within / e.Dur
			}
			steps[i][figure] += e.Tdur * share / 1000
		}
	}
}

func isScript(name string) bool {
	switch name {
	case "FunctionCall", "EvaluateScript", "TimerFire", "FireAnimationFrame", "RunMicrotasks", "EventDispatch", "v8.callFunction":
		return true
	}
	return false
}

// nestedScript reports whether e runs inside another script event (counted there).
func nestedScript(e traceEvent, scripts [][2]float64) bool {
	for _, s := range scripts {
		if (s[0] < e.Ts && e.Ts+e.Dur <= s[1]) || (s[0] <= e.Ts && e.Ts+e.Dur < s[1]) {
			return true
		}
	}
	return false
}

// nameNodes names the layout roots ("div#map ×30") by their backend node ids.
func nameNodes(tab context.Context, ids map[int64]int) string {
	var parts []string
	for id, count := range ids {
		name := fmt.Sprintf("node %d", id)
		if node, err := chromedp.Call(tab, dom.DescribeNode, dom.DescribeNodeParams{BackendNodeID: cdp.BackendNodeID(id)}); err == nil && node.Node != nil {
			name = strings.ToLower(node.Node.NodeName)
			for i := 0; i+1 < len(node.Node.Attributes); i += 2 {
				switch node.Node.Attributes[i] {
				case "id":
					name += "#" + node.Node.Attributes[i+1]
				case "class":
					name += "." + strings.ReplaceAll(strings.TrimSpace(node.Node.Attributes[i+1]), " ", ".")
				}
			}
		}
		parts = append(parts, fmt.Sprintf("%s ×%d", name, count))
	}
	slices.Sort(parts)
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// topInvalidations lists the commonest invalidations, per step, the most first.
func topInvalidations(counts map[string]int, steps int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return counts[b] - counts[a] })
	var parts []string
	for _, k := range keys[:min(len(keys), 16)] {
		parts = append(parts, fmt.Sprintf("%s ×%.1f", k, float64(counts[k])/float64(steps)))
	}
	return strings.Join(parts, ", ")
}
