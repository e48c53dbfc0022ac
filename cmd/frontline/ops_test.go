package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/superfly/ltx"
)

// TestServeMetricsOnTheirOwnAddress runs `frontline serve --replica DIR --metrics-addr A`
// and scrapes A as Prometheus would: the figures move with the traffic on the public
// address, which does not serve them itself.
func TestServeMetricsOnTheirOwnAddress(t *testing.T) {
	dir := t.TempDir()
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr, "--db", filepath.Join(dir, "frontline.db"),
			"--replica", filepath.Join(dir, "replica"), "--metrics-addr", metricsAddr}, nil, io.Discard, slog.New(slog.DiscardHandler))
	}()
	defer func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v after shutdown", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
	}()
	base := "http://" + addr
	if err := waitHealthy(base, 15*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := waitReady(base, 15*time.Second); err != nil {
		t.Fatal(err)
	}

	const stateSeries = `frontline_http_requests_total{method="GET",route="/api/maps/:slug/state",status="200"}`
	before := scrape(t, "http://"+metricsAddr+"/metrics")
	for range 3 {
		if err := crashGet(context.Background(), http.DefaultClient, base+"/api/maps/afghanistan-2021/state?date=2021-08-14"); err != nil {
			t.Fatal(err)
		}
	}
	after := scrape(t, "http://"+metricsAddr+"/metrics")

	tests := []struct {
		name, series string
		check        func(before, after float64, ok bool) bool
		want         string
	}{
		{"state_requests_counted", stateSeries, func(b, a float64, ok bool) bool { return ok && a-b == 3 }, "3 more"},
		{"state_cache_hits_counted", "frontline_state_cache_hits_total", func(b, a float64, ok bool) bool { return ok && a-b == 2 }, "2 more"},
		{"replica_lag_reported", "frontline_replica_lag_seconds", func(_, a float64, ok bool) bool { return ok && a < 10 }, "present, under 10 s"},
		{"go_runtime_reported", "go_goroutines", func(_, a float64, ok bool) bool { return ok && a > 0 }, "present"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := before[tt.series]
			a, ok := after[tt.series]
			if !tt.check(b, a, ok) {
				t.Errorf("%s: %v before, %v after (present %t), want %s", tt.series, b, a, ok, tt.want)
			}
		})
	}
	var litestream bool
	for name := range after {
		litestream = litestream || strings.HasPrefix(name, "litestream_")
	}
	if !litestream {
		t.Error("no litestream_ series in the scrape: replication is not observable")
	}

	// The public listener serves no metrics.
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /metrics on the public address: %d, want 404", res.StatusCode)
	}
}

// scrape reads a Prometheus text exposition into series (name and labels, as written) and
// values.
func scrape(t *testing.T, target string) map[string]float64 {
	t.Helper()
	res, err := http.Get(target)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", target, res.StatusCode)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("scrape line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReplicaLag follows the replication lag through a sequence of observations, one per
// check: local and replica positions, and the lag expected then.
func TestReplicaLag(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 18, 0, 0, 0, time.UTC)
	type step struct {
		at            time.Duration // after t0
		local, remote ltx.TXID
		want          time.Duration
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"idle", []step{{0, 5, 5, 0}, {time.Second, 5, 5, 0}}},
		{"one_change_shipped", []step{{0, 5, 5, 0}, {100 * time.Millisecond, 6, 5, 0}, {400 * time.Millisecond, 6, 5, 300 * time.Millisecond}, {500 * time.Millisecond, 6, 6, 0}}},
		// Under steady edits the replica never catches up with the newest change, but the
		// lag is the wait of the oldest one it does not have, not the time since it was level.
		{"steady_edits", []step{
			{0, 2, 1, 0}, {100 * time.Millisecond, 3, 1, 100 * time.Millisecond},
			{200 * time.Millisecond, 4, 2, 100 * time.Millisecond}, {300 * time.Millisecond, 5, 3, 100 * time.Millisecond},
			{400 * time.Millisecond, 6, 3, 200 * time.Millisecond}}},
		{"replica_stuck", []step{{0, 2, 1, 0}, {5 * time.Second, 9, 1, 5 * time.Second}, {12 * time.Second, 20, 1, 12 * time.Second}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var pending []pendingTX
			var lag time.Duration
			for i, s := range tt.steps {
				pending, lag = advance(pending, s.local, s.remote, t0.Add(s.at))
				if lag != s.want {
					t.Errorf("step %d (local %d, replica %d at %s): lag %s, want %s", i, s.local, s.remote, s.at, lag, s.want)
				}
			}
		})
	}
}
