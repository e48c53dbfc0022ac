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
// as a newsroom would run it, and reports its wall time and peak memory. The peak is read
// from /proc while it runs: the rusage of a child started by os/exec counts the parent's
// memory too, which the child shares until it execs.
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
	db := filepath.Join(cfg.tmp, "import.db")
	cmd := exec.CommandContext(ctx, cfg.frontlineBin, "import", "--db", db, dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var peak int64
	for waiting := true; waiting; {
		select {
		case err := <-done:
			if err != nil {
				return fmt.Errorf("frontline import %s: %w\n%s", dir, err, out.Bytes())
			}
			waiting = false
		case <-time.After(20 * time.Millisecond):
			if p, _, err := processMemory(cmd.Process.Pid); err == nil {
				peak = max(peak, p)
			}
		}
	}
	elapsed := time.Since(start)
	os.Remove(db)
	report.info(fmt.Sprintf("frontline import of a map folder of %s (%s of files), into a new database", g, fmtBytes(float64(size))),
		fmt.Sprintf("%s, peak RSS %s", elapsed.Round(100*time.Millisecond), fmtBytes(float64(peak))))
	report.detail("Import: the folder's files are written by the bench (map.json, regions.geojson, events.csv); frontline import validates and stores every line in one transaction, streaming the events. Its summary's last line: %s", strings.TrimSpace(lastLine(out.Bytes())))
	return nil
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
