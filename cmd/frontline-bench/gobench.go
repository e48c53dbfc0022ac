package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// goPackages are the packages whose benchmarks the table reports.
var goPackages = []string{"./data/", "./geo/", "./web/"}

// runGoBenchmarks runs `go test -bench` on the packages, one package at a time so that two
// benchmarks never share the CPU, echoing its output, and adds a row per benchmark.
func runGoBenchmarks(ctx context.Context, cfg *config, report *report) error {
	waitIdle(cfg, report, "Go benchmarks")
	args := append([]string{"test", "-run", "^$", "-bench", ".", "-benchmem", "-benchtime", cfg.goBenchTime,
		"-p", "1", "-timeout", "30m"}, goPackages...)
	log.Printf("go %s", strings.Join(args, " "))
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = cfg.root
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	rows := parseGoBench(io.TeeReader(out, os.Stderr))
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("go test -bench: %w", err)
	}
	report.goBench = append(report.goBench, rows...)
	return nil
}

// parseGoBench reads `go test -bench -benchmem` output and returns a row per result line:
// "pkg: Name" with time, memory and allocations per operation, and any custom metrics.
func parseGoBench(r io.Reader) []row {
	var rows []row
	pkg := ""
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = p[strings.LastIndex(p, "/")+1:]
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		name := strings.TrimPrefix(fields[0], "Benchmark")
		if i := strings.LastIndex(name, "-"); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i] // the GOMAXPROCS suffix
			}
		}
		var measured []string
		var extra []string
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			switch unit := fields[i+1]; unit {
			case "ns/op":
				measured = append(measured, fmtDuration(time.Duration(v))+"/op")
			case "B/op":
				measured = append(measured, fmtBytes(v)+"/op")
			case "allocs/op":
				measured = append(measured, fmtCount(v)+" allocs/op")
			case "MB/s":
				extra = append(extra, fmt.Sprintf("%.1f MB/s", v))
			default:
				extra = append(extra, fmtCount(v)+" "+unit)
			}
		}
		rows = append(rows, row{figure: "Go benchmark " + pkg + ": " + strings.ReplaceAll(name, "_", " "),
			goal: "—", measured: strings.Join(append(measured, extra...), " · ")})
	}
	return rows
}
