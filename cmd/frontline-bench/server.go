package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/frontline-maps/frontline/geo/geotest"
)

// gridMap is a generated map: a geotest.GridLayer of regions and geotest.GridEvents over 2024.
type gridMap struct {
	regions, events int
}

func (g gridMap) slug() string { return fmt.Sprintf("grid-%d", g.regions) }

func (g gridMap) String() string {
	return fmt.Sprintf("%s regions / %s events", fmtCount(float64(g.regions)), fmtCount(float64(g.events)))
}

// files returns the map folder: map.json as the Go benchmarks write it, the layer and the
// events.
func (g gridMap) files() map[string][]byte {
	slug := g.slug()
	return map[string][]byte{
		"map.json": []byte(`{"slug": "` + slug + `", "title": "Grid ` + slug + `", "description": "", "attribution": "generated",
  "start": "2024-01-01", "end": "2024-12-31", "default_date": "2024-06-30",
  "initial": "blue", "id_property": "", "name_property": "name",
  "factions": [{"id": "blue", "name": "Blue", "color": "#2f6db5"},
               {"id": "gold", "name": "Gold", "color": "#d9a441"},
               {"id": "green", "name": "Green", "color": "#3f9b58"}]}`),
		"regions.geojson": geotest.GridLayer(g.regions),
		"events.csv": geotest.GridEvents(g.regions, g.events, []string{"gold", "green", "blue"},
			time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)),
	}
}

// database returns a fresh copy, in the run's directory, of a database holding the map,
// imported with `frontline import` from its folder. The imported database is kept in the OS
// temporary directory under a hash of the folder (the name the Go benchmarks give the same
// map), so only the first run pays for the import.
func (g gridMap) database(ctx context.Context, cfg *config) (string, error) {
	files := g.files()
	h := sha256.New()
	for _, name := range []string{"map.json", "regions.geojson", "events.csv"} {
		fmt.Fprintf(h, "%s %d\n", name, len(files[name]))
		h.Write(files[name])
	}
	cached := filepath.Join(os.TempDir(), "frontline-bench-"+hex.EncodeToString(h.Sum(nil))[:16]+".db")
	if _, err := os.Stat(cached); err != nil {
		dir := filepath.Join(cfg.tmp, g.slug())
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", err
		}
		for name, body := range files {
			if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
				return "", err
			}
		}
		tmp := fmt.Sprintf("%s.%d.tmp", cached, os.Getpid())
		log.Printf("importing %s (%s) with frontline import; later runs reuse %s", g.slug(), g, cached)
		start := time.Now()
		cmd := exec.CommandContext(ctx, cfg.frontlineBin, "import", "--db", tmp, dir)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("import %s: %w", g.slug(), err)
		}
		log.Printf("imported in %s", time.Since(start).Round(time.Second))
		// The import closed the database, which folds its WAL into the file.
		if err := os.Rename(tmp, cached); err != nil {
			return "", err
		}
		os.Remove(tmp + "-wal")
		os.Remove(tmp + "-shm")
	}
	// Serve a copy: the cached file stays as imported whatever the server does.
	db := filepath.Join(cfg.tmp, g.slug()+".db")
	if err := copyFile(cached, db); err != nil {
		return "", err
	}
	return db, nil
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// server is a running `frontline serve`.
type server struct {
	cmd     *exec.Cmd
	url     string
	done    chan error
	log     io.Closer
	stopped sync.Once
}

// startServer serves db (created with the built-in map when it does not exist) on a free
// loopback port, its log in the run's directory, and waits until it answers.
func startServer(ctx context.Context, cfg *config, db, name string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	logf, err := logFile(cfg, name)
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(cfg.frontlineBin, "serve", "--addr", addr, "--db", db)
	// Its one log line per request goes to a file, as a service's log would.
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start frontline serve: %w", err)
	}
	s := &server{cmd: cmd, url: "http://" + addr, done: make(chan error, 1), log: logf}
	go func() { s.done <- cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(s.url + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		select {
		case err := <-s.done:
			logf.Close()
			return nil, fmt.Errorf("frontline serve exited: %v (log: %s)", err, filepath.Join(cfg.tmp, name+".log"))
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, errors.New("frontline serve did not answer within a minute")
		}
	}
}

// stop asks the server to shut down and waits for it; later calls do nothing.
func (s *server) stop() {
	s.stopped.Do(func() {
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(20 * time.Second):
			s.cmd.Process.Kill()
			<-s.done
		}
		s.log.Close()
	})
}

// memory returns the server's peak and current resident set size, in bytes.
func (s *server) memory() (peak, now int64, err error) { return processMemory(s.cmd.Process.Pid) }

// processMemory returns a process's peak and current resident set size, in bytes, from
// /proc/PID/status (VmHWM and VmRSS).
func processMemory(pid int) (peak, now int64, err error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for line := range strings.Lines(string(raw)) {
		k, v, _ := strings.Cut(line, ":")
		var kb int64
		fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(v), " kB"), &kb)
		switch k {
		case "VmHWM":
			peak = kb << 10
		case "VmRSS":
			now = kb << 10
		}
	}
	return peak, now, nil
}

// freePort returns a loopback TCP port nothing listens on now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
