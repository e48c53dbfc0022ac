package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Goals of the state endpoint over a million events.
const (
	stateLatencyGoal = 2.0       // ms, median
	stateRSSGoal     = 200 << 20 // bytes
)

// millionEvents is the map of the part: a world of first-level regions with a million events.
var millionEvents = gridMap{5000, 1_000_000}

// runStateLatency serves the million-event map and asks for the state at every date of its
// year, each date once, so that no answer comes from the server's cache of state documents:
// each is computed from the timeline in memory, encoded and gzipped. Then it asks for every
// date again (the cached case) and reads the server's memory.
func runStateLatency(ctx context.Context, cfg *config, report *report) error {
	db, err := millionEvents.database(ctx, cfg)
	if err != nil {
		return err
	}
	srv, err := startServer(ctx, cfg, db, "serve-"+millionEvents.slug())
	if err != nil {
		return err
	}
	defer srv.stop()
	waitIdle(cfg, report, "state over a million events")

	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: time.Minute}
	get := func(date string) (time.Duration, int, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.url+"/api/maps/"+millionEvents.slug()+"/state?date="+date, nil)
		if err != nil {
			return 0, 0, err
		}
		// As a browser asks; the body is read whole, as sent.
		req.Header.Set("Accept-Encoding", "gzip")
		start := time.Now()
		res, err := client.Do(req)
		if err != nil {
			return 0, 0, err
		}
		n, err := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		took := time.Since(start)
		if err == nil && res.StatusCode != http.StatusOK {
			err = fmt.Errorf("GET state at %s: %s", date, res.Status)
		}
		return took, int(n), err
	}

	// The first request loads the map's timeline: a million events read from SQLite.
	first, _, err := get("2024-06-30")
	if err != nil {
		return err
	}
	var dates []string
	for d := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == 2024; d = d.AddDate(0, 0, 1) {
		if s := d.Format("2006-01-02"); s != "2024-06-30" {
			dates = append(dates, s)
		}
	}
	var uncached, cached []float64
	size := 0
	for _, pass := range []*[]float64{&uncached, &cached} {
		for _, date := range dates {
			took, n, err := get(date)
			if err != nil {
				return err
			}
			*pass = append(*pass, float64(took)/float64(time.Millisecond))
			size = n
		}
	}
	peak, now, err := srv.memory()
	if err != nil {
		return err
	}
	p50 := percentile(uncached, 50)
	report.add(fmt.Sprintf("State at a date over %s, over HTTP on loopback, each date asked once (p50 of %d dates)", millionEvents, len(uncached)),
		"p50 ≤ 2 ms", fmt.Sprintf("%s (p90 %s, p99 %s)", fmtMillis(p50), fmtMillis(percentile(uncached, 90)), fmtMillis(percentile(uncached, 99))),
		p50 <= stateLatencyGoal)
	report.add(fmt.Sprintf("Server memory after loading %s and answering every date twice (VmHWM, peak RSS)", millionEvents),
		"≤ 200 MB", fmt.Sprintf("peak %s, now %s", fmtBytes(float64(peak)), fmtBytes(float64(now))), peak <= stateRSSGoal)
	report.info("State at a date over "+millionEvents.String()+", asked again (the server's cached document)",
		fmt.Sprintf("p50 %s, p99 %s", fmtMillis(percentile(cached, 50)), fmtMillis(percentile(cached, 99))))
	report.info("First state request after start, loading the timeline of "+millionEvents.String(), fmtDuration(first))
	report.detail("State over a million events: each document is %s gzipped; the client sends Accept-Encoding: gzip and reads the body whole, one request at a time over one keep-alive connection.", fmtBytes(float64(size)))
	return nil
}
