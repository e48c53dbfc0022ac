package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
)

// runExport times the built-in map's static export (frontline export-static, by the binary
// measured: -frontline-bin for an earlier build) as a static host serves it, from a plain Go
// file server (no gzip, no server of ours): its index.html, cold, measured as the first
// paint's embed is (loadOnce: the whole map visible, then a first slider input's frame
// painted), and the main thread's busy time once the module has drawn the map.
func runExport(ctx context.Context, cfg *config, report *report) error {
	db := filepath.Join(cfg.tmp, "builtin.db")
	srv, err := startServer(ctx, cfg, db, "serve-export") // creates the built-in map's database
	if err != nil {
		return err
	}
	srv.stop()
	site := filepath.Join(cfg.tmp, "export-site")
	if err := os.RemoveAll(site); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, cfg.frontlineBin, "export-static", "--db", db, "--map", "afghanistan-2021", "--out", site)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("export-static: %w: %s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	files := &http.Server{Handler: http.FileServer(http.Dir(site))}
	go files.Serve(ln)
	defer files.Close()
	url := "http://" + ln.Addr().String() + "/index.html"

	browser, cancel, err := newBrowser(ctx, cfg)
	if err != nil {
		return err
	}
	defer cancel()
	waitIdle(cfg, report, "static export")
	var loads []load
	for i := range cfg.loads + 1 {
		// Until the module has drawn: the export with the early script loads it after
		// the first frame, and may take its first input before it.
		l, err := loadOnce(browser, url, 34, true, `!!window.frontline && performance.getEntriesByName('frontline:drawn').length > 0`)
		if err != nil {
			return fmt.Errorf("static export: %w", err)
		}
		if i > 0 { // the first warms up
			loads = append(loads, l)
		}
	}
	pick := func(f func(load) float64) []float64 {
		var xs []float64
		for _, l := range loads {
			xs = append(xs, f(l))
		}
		return xs
	}
	visible, interactive := pick(func(l load) float64 { return l.visible }), pick(func(l load) float64 { return l.interactive })
	report.info(fmt.Sprintf("Static export of the 34-province map, index.html from a file server: whole map visible, interactive (median of %d cold loads)", len(loads)),
		fmt.Sprintf("visible %s, interactive %s", fmtMillis(percentile(visible, 50)), fmtMillis(percentile(interactive, 50))))
	report.detail("Static export, 34-province map: visible at %s ms (sorted), interactive at %s ms; the main thread's tasks %s, of which script %s (median); bytes on the wire (cold) %s. Measured as the first paint's embed (loadOnce), the site written by %s.",
		fmtSeries(visible), fmtSeries(interactive),
		fmtMillis(percentile(pick(func(l load) float64 { return l.task }), 50)), fmtMillis(percentile(pick(func(l load) float64 { return l.script }), 50)),
		fmtBytes(percentile(pick(func(l load) float64 { return l.bytes }), 50)), cfg.frontlineBin)
	return nil
}
