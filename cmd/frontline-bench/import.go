package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// runImport times `frontline import` of the million-event map folder into a new database,
// as a newsroom would run it, and of issue 14's world admin-1 layer with 200,000 events
// (goal: 30 s and 500 MB), and reports their wall time and peak memory.
func runImport(ctx context.Context, cfg *config, report *report) error {
	g := millionEvents
	dir := filepath.Join(cfg.tmp, "import-"+g.slug())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var size int
	for name, body := range g.files() {
		size += len(body)
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
			return err
		}
	}
	waitIdle(cfg, report, "import")
	elapsed, peak, out, err := timeImport(ctx, cfg, dir)
	if err != nil {
		return err
	}
	report.info(fmt.Sprintf("frontline import of a map folder of %s (%s of files), into a new database", g, fmtBytes(float64(size))),
		fmt.Sprintf("%s, peak RSS %s", elapsed.Round(100*time.Millisecond), fmtBytes(float64(peak))))
	report.detail("Import: the folder's files are written by the bench (map.json, regions.geojson, events.csv); frontline import validates and stores every line in one transaction, streaming the events. Its summary's last line: %s", strings.TrimSpace(lastLine(out)))

	// Issue 14: "World admin-1 (35 MB GeoJSON, 4,596 regions) with 200,000 events imports in
	// <= 30 s and <= 500 MB peak memory on this 2-core machine".
	m := realMaps[0]
	raw, err := os.ReadFile(filepath.Join(cfg.root, ".cache", m.layer))
	if err != nil {
		return fmt.Errorf("%w: fetch the real layers with `go tool task test-layers`", err)
	}
	dir, regions, err := m.writeFolder(cfg, raw)
	if err != nil {
		return err
	}
	waitIdle(cfg, report, "import "+m.slug)
	elapsed, peak, out, err = timeImport(ctx, cfg, dir, m.args...)
	if err != nil {
		return err
	}
	report.add(fmt.Sprintf("frontline import of %s, %s regions (%s of GeoJSON) with %s events, into a new database", m.name, fmtCount(float64(regions)), fmtBytes(float64(len(raw))), fmtCount(float64(m.events))),
		fmt.Sprintf("≤ %.0f s, ≤ %.0f MB", importGoalTime.Seconds(), importGoalPeak/1e6),
		fmt.Sprintf("%s, peak RSS %s", elapsed.Round(100*time.Millisecond), fmtBytes(float64(peak))),
		elapsed <= importGoalTime && float64(peak) <= importGoalPeak)
	report.detail("Import of %s: its summary's last line: %s", m.slug, strings.TrimSpace(lastLine(out)))
	return nil
}

// Issue 14's goal for importing the world admin-1 layer with 200,000 events.
const (
	importGoalTime = 30 * time.Second
	importGoalPeak = 500e6 // bytes
)

// timeImport runs `frontline import` of dir into a new database under cfg.tmp, removed
// afterwards, and returns its wall time, its peak memory and its output. The peak is read
// from /proc while it runs: the rusage of a child started by os/exec counts the parent's
// memory too, which the child shares until it execs.
func timeImport(ctx context.Context, cfg *config, dir string, args ...string) (time.Duration, int64, []byte, error) {
	db := filepath.Join(cfg.tmp, "import.db")
	defer func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(db + suffix)
		}
	}()
	cmd := exec.CommandContext(ctx, cfg.frontlineBin, append(append([]string{"import", "--db", db}, args...), dir)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, nil, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var peak int64
	for {
		select {
		case err := <-done:
			if err != nil {
				return 0, 0, nil, fmt.Errorf("frontline import %s: %w\n%s", dir, err, out.Bytes())
			}
			return time.Since(start), peak, out.Bytes(), nil
		case <-time.After(20 * time.Millisecond):
			if p, _, err := processMemory(cmd.Process.Pid); err == nil {
				peak = max(peak, p)
			}
		}
	}
}

// lastLine returns the last non-empty line of a command's output.
func lastLine(out []byte) string {
	end := len(out)
	for end > 0 && (out[end-1] == '\n' || out[end-1] == '\r') {
		end--
	}
	start := end
	for start > 0 && out[start-1] != '\n' && out[start-1] != '\r' {
		start--
	}
	return string(out[start:end])
}
