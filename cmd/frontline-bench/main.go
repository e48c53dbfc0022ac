// Command frontline-bench measures Frontline against the speed goals of issue 5 and prints
// one table of figure, goal, measured and result. `go tool task bench` runs it and writes
// the table into docs/benchmarks.md.
//
// It runs the Go benchmarks of data, geo and web; starts the real server (`frontline serve`,
// built from this tree) on loopback; loads pages in headless Chromium for the bytes of the
// embed page, the first map drawn and the slider step; runs wrk against the state endpoint
// and against nginx serving the same bytes as a static file; and times the state endpoint
// over a million events. Databases of generated maps are imported once with
// `frontline import` and kept in the OS temporary directory, named by a hash of their
// files, so later runs start at once.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The parts, in the order they run.
var allParts = []string{"go", "embed", "draw", "firstpaint", "slider", "steptrace", "naive", "wrk", "state", "import", "export"}

// config holds the command line.
type config struct {
	parts        map[string]bool
	out          string
	loads        int
	naiveLoads   int
	steps        int
	wrkDuration  time.Duration
	wrkConns     int
	wrkThreads   int
	wrkRounds    int
	idleWait     time.Duration
	goBenchTime  string
	keep         bool
	sizes        map[int]bool // the slider's, the step trace's and the first paint's maps, by regions; empty: all
	root, tmp    string
	frontlineBin string
	naiveLayers  []string // the naive part's layers by slug; none: all
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("frontline-bench: ")
	var cfg config
	parts := flag.String("parts", strings.Join(allParts, ","), "which parts to run, comma-separated: "+strings.Join(allParts, ", "))
	flag.StringVar(&cfg.out, "out", "", "write the table into this Markdown file (between its bench markers), e.g. docs/benchmarks.md")
	flag.IntVar(&cfg.loads, "loads", 10, "cold-cache page loads for the first-draw time (after one warm-up load)")
	flag.IntVar(&cfg.naiveLoads, "naive-loads", 5, "cold loads of each real layer's embed page and of the naive page (each steps its share of the slider's days and scrubs them all)")
	flag.IntVar(&cfg.steps, "steps", 60, "slider steps timed per map and page")
	flag.DurationVar(&cfg.wrkDuration, "wrk-duration", 10*time.Second, "duration of each wrk run")
	flag.IntVar(&cfg.wrkConns, "wrk-connections", 64, "wrk connections")
	flag.IntVar(&cfg.wrkThreads, "wrk-threads", 2, "wrk threads")
	flag.IntVar(&cfg.wrkRounds, "wrk-rounds", 2, "rounds of wrk, nginx and Frontline in turn; the mean of each is reported")
	flag.DurationVar(&cfg.idleWait, "idle-wait", 3*time.Minute, "how long to wait, before each part, for other processes to leave the CPU idle")
	flag.StringVar(&cfg.goBenchTime, "benchtime", "1s", "go test -benchtime for the Go benchmarks")
	flag.BoolVar(&cfg.keep, "keep", false, "keep the temporary directory (databases, logs, nginx config)")
	bin := flag.String("frontline-bin", "", "measure this frontline binary rather than one built from the tree (a build before a change, to compare)")
	layers := flag.String("naive-layers", "", "the naive part's layers, comma-separated slugs (default all): "+realSlugs())
	sizes := flag.String("sizes", "", "the slider's, steptrace's and firstpaint's maps by their regions, comma-separated: 34, 400, 5000 (empty: all; firstpaint has 34 and 5000)")
	flag.Parse()
	if *layers != "" {
		for _, slug := range strings.Split(*layers, ",") {
			if !strings.Contains(","+realSlugs()+",", ","+slug+",") {
				log.Fatalf("unknown layer %q for -naive-layers; the layers are %s", slug, realSlugs())
			}
			cfg.naiveLayers = append(cfg.naiveLayers, slug)
		}
	}
	cfg.frontlineBin = *bin
	cfg.sizes = map[int]bool{}
	for _, f := range strings.FieldsFunc(*sizes, func(r rune) bool { return r == ',' }) {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || !slices.ContainsFunc(sliderMaps, func(sm sliderMap) bool { return sm.regions() == n }) {
			log.Fatalf("-sizes: %q is not one of the slider's maps: 34, 400, 5000", f)
		}
		cfg.sizes[n] = true
	}
	cfg.parts = map[string]bool{}
	for _, p := range strings.Split(*parts, ",") {
		p = strings.TrimSpace(p)
		if !slices.Contains(allParts, p) {
			log.Fatalf("unknown part %q; the parts are %s", p, strings.Join(allParts, ", "))
		}
		cfg.parts[p] = true
	}
	if err := run(context.Background(), &cfg); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, cfg *config) error {
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(gomod)) == "" || strings.TrimSpace(string(gomod)) == os.DevNull {
		return fmt.Errorf("run from inside the Frontline module (go env GOMOD: %v)", err)
	}
	cfg.root = filepath.Dir(strings.TrimSpace(string(gomod)))
	if cfg.tmp, err = os.MkdirTemp("", "frontline-bench-run-"); err != nil {
		return err
	}
	if cfg.keep {
		log.Printf("keeping %s", cfg.tmp)
	} else {
		defer os.RemoveAll(cfg.tmp)
	}
	report := &report{started: time.Now()}
	report.machine = describeMachine()

	if cfg.parts["go"] {
		if err := runGoBenchmarks(ctx, cfg, report); err != nil {
			return err
		}
	}
	if (cfg.parts["embed"] || cfg.parts["draw"] || cfg.parts["firstpaint"] || cfg.parts["slider"] || cfg.parts["steptrace"] || cfg.parts["naive"] || cfg.parts["wrk"] || cfg.parts["state"] || cfg.parts["import"] || cfg.parts["export"]) && cfg.frontlineBin == "" {
		cfg.frontlineBin = filepath.Join(cfg.tmp, "frontline")
	}
	if cfg.frontlineBin == filepath.Join(cfg.tmp, "frontline") {
		log.Printf("building %s", cfg.frontlineBin)
		build := exec.CommandContext(ctx, "go", "build", "-o", cfg.frontlineBin, "./cmd/frontline")
		build.Dir, build.Stdout, build.Stderr = cfg.root, os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build frontline: %w", err)
		}
	}
	if cfg.parts["embed"] || cfg.parts["draw"] || cfg.parts["slider"] || cfg.parts["naive"] {
		if err := runBrowser(ctx, cfg, report); err != nil {
			return err
		}
	}
	if cfg.parts["steptrace"] {
		if err := runStepTrace(ctx, cfg, report); err != nil {
			return err
		}
	}
	if cfg.parts["firstpaint"] {
		if err := runFirstPaint(ctx, cfg, report); err != nil {
			return err
		}
	}
	if cfg.parts["wrk"] {
		if err := runWrk(ctx, cfg, report); err != nil {
			return err
		}
	}
	if cfg.parts["state"] {
		if err := runStateLatency(ctx, cfg, report); err != nil {
			return err
		}
	}
	if cfg.parts["import"] {
		if err := runImport(ctx, cfg, report); err != nil {
			return err
		}
	}
	if cfg.parts["export"] {
		if err := runExport(ctx, cfg, report); err != nil {
			return err
		}
	}

	table := report.markdown()
	fmt.Println()
	fmt.Print(table)
	if cfg.out != "" {
		path := cfg.out
		if !filepath.IsAbs(path) {
			path = filepath.Join(cfg.root, path)
		}
		if err := writeReport(path, table); err != nil {
			return err
		}
		log.Printf("wrote the table to %s", path)
	}
	return nil
}

// waitIdle waits, up to cfg.idleWait, until the CPU is mostly idle, so that other work on
// the machine does not end up in the figures, and says how busy it was when measuring began.
func waitIdle(cfg *config, report *report, part string) {
	const busyLimit = 15 // percent of all cores
	deadline := time.Now().Add(cfg.idleWait)
	for {
		busy := cpuBusy(time.Second)
		if busy <= busyLimit {
			return
		}
		if time.Now().After(deadline) {
			log.Printf("%s: the CPU is still %.0f%% busy with other work after %s; measuring anyway", part, busy, cfg.idleWait)
			report.notes = append(report.notes, fmt.Sprintf("%s: other processes kept the CPU %.0f%% busy when it started; its figures are pessimistic.", part, busy))
			return
		}
		log.Printf("%s: waiting for other work to leave the CPU (%.0f%% busy)", part, busy)
		time.Sleep(4 * time.Second)
	}
}

// cpuBusy returns the share of CPU time, over all cores, that was not idle during d.
func cpuBusy(d time.Duration) float64 {
	read := func() (idle, total float64) {
		raw, err := os.ReadFile("/proc/stat")
		if err != nil {
			return 0, 0
		}
		line, _, _ := strings.Cut(string(raw), "\n")
		fields := strings.Fields(line)
		for i, f := range fields[1:] {
			var v float64
			fmt.Sscan(f, &v)
			total += v
			if i == 3 || i == 4 { // idle, iowait
				idle += v
			}
		}
		return idle, total
	}
	i1, t1 := read()
	time.Sleep(d)
	i2, t2 := read()
	if t2 <= t1 {
		return 0
	}
	return 100 * (1 - (i2-i1)/(t2-t1))
}

// logWriter is where child processes' output goes when it is not kept: the run's log.
func logFile(cfg *config, name string) (io.WriteCloser, error) {
	return os.Create(filepath.Join(cfg.tmp, name+".log"))
}
