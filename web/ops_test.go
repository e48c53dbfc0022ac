package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/frontline-maps/frontline/static"
)

func TestReadyz(t *testing.T) {
	store := newTestServer(t).store
	log := slog.New(slog.DiscardHandler)
	tests := []struct {
		name       string
		opts       []Option
		wantStatus int
		wantBody   []string
	}{
		{"database_writable", []Option{WithReadyCheck("database", store.CheckWritable)}, http.StatusOK, []string{"ready"}},
		{"replica_behind", []Option{
			WithReadyCheck("database", store.CheckWritable),
			WithReadyCheck("replica", func(context.Context) error { return errors.New("12s behind") }),
		}, http.StatusServiceUnavailable, []string{"not ready", "replica: 12s behind"}},
		{"database_gone", []Option{WithReadyCheck("database", func(ctx context.Context) error {
			return errors.New("database not writable: disk full")
		})}, http.StatusServiceUnavailable, []string{"database: database not writable: disk full"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := New(store, log, static.FS, tt.opts...)
			rec := get(t, h, "/readyz")
			if rec.Code != tt.wantStatus {
				t.Errorf("GET /readyz: %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body)
			}
			for _, w := range tt.wantBody {
				if !strings.Contains(rec.Body.String(), w) {
					t.Errorf("GET /readyz says %q, want it to say %q", rec.Body, w)
				}
			}
			if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q: a cache must not keep a readiness answer", cc)
			}
			// Liveness does not depend on readiness.
			if rec := get(t, h, "/healthz"); rec.Code != http.StatusOK {
				t.Errorf("GET /healthz: %d, want 200", rec.Code)
			}
		})
	}
}

func TestCheckWritableFailsWhileAnotherWriterHoldsTheLock(t *testing.T) {
	lab := newTestServer(t)
	// A second connection takes the write lock and keeps it.
	tx, err := lab.file.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`CREATE TABLE lock_holder (x)`); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout/4)
	defer cancel()
	if err := lab.store.CheckWritable(ctx); err == nil {
		t.Error("CheckWritable passed while another connection held the write lock")
	}
	tx.Rollback()
	if err := lab.store.CheckWritable(context.Background()); err != nil {
		t.Errorf("CheckWritable once the lock is free: %v", err)
	}
}

// TestMetricsMoveWithTraffic scrapes the registry the server registered with, as
// Prometheus would on --metrics-addr, before and after traffic.
func TestMetricsMoveWithTraffic(t *testing.T) {
	store := newTestServer(t).store
	reg := prometheus.NewRegistry()
	h := New(store, slog.New(slog.DiscardHandler), static.FS, WithMetrics(reg))
	requests := func(route, status string) float64 {
		t.Helper()
		return counterValue(t, reg, "frontline_http_requests_total", map[string]string{"route": route, "method": "GET", "status": status})
	}
	const state = "/api/maps/:slug/state"
	if n := requests(state, "200"); n != 0 {
		t.Fatalf("state requests before any: %v", n)
	}
	for range 3 {
		if rec := get(t, h, "/api/maps/afghanistan-2021/state?date=2021-08-14"); rec.Code != 200 {
			t.Fatalf("state: %d", rec.Code)
		}
	}
	get(t, h, "/api/maps/afghanistan-2021/state?date=1999-01-01")
	get(t, h, "/maps/no-such-map")

	tests := []struct {
		name   string
		metric string
		labels map[string]string
		want   float64
	}{
		{"state_answers", "frontline_http_requests_total", map[string]string{"route": state, "method": "GET", "status": "200"}, 3},
		{"state_refusals", "frontline_http_requests_total", map[string]string{"route": state, "method": "GET", "status": "400"}, 1},
		{"unknown_map", "frontline_http_requests_total", map[string]string{"route": "/maps/:slug", "method": "GET", "status": "404"}, 1},
		{"state_latency_observed", "frontline_http_request_duration_seconds", map[string]string{"route": state}, 4},
		// The first request computes the document; the two after it are answered from memory.
		{"state_cache_misses", "frontline_state_cache_misses_total", nil, 1},
		{"state_cache_hits", "frontline_state_cache_hits_total", nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := counterValue(t, reg, tt.metric, tt.labels); got != tt.want {
				t.Errorf("%s%v = %v, want %v", tt.metric, tt.labels, got, tt.want)
			}
		})
	}

	// The metrics are not served on the public handler.
	if rec := get(t, h, "/metrics"); rec.Code != http.StatusNotFound {
		t.Errorf("GET /metrics on the public handler: %d, want 404", rec.Code)
	}
}

// counterValue reads a counter's value, or a histogram's count of observations, from reg.
func counterValue(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	metrics:
		for _, m := range f.GetMetric() {
			have := map[string]string{}
			for _, lp := range m.GetLabel() {
				have[lp.GetName()] = lp.GetValue()
			}
			for k, v := range labels {
				if have[k] != v {
					continue metrics
				}
			}
			if h := m.GetHistogram(); h != nil {
				return float64(h.GetSampleCount())
			}
			return m.GetCounter().GetValue()
		}
	}
	return 0
}

// TestMetricsScrapeFormat checks the exposition a scrape gets: the names and help lines.
func TestMetricsScrapeFormat(t *testing.T) {
	store := newTestServer(t).store
	reg := prometheus.NewRegistry()
	h := New(store, slog.New(slog.DiscardHandler), static.FS, WithMetrics(reg))
	get(t, h, "/")
	n, err := testutil.GatherAndCount(reg, "frontline_http_requests_total", "frontline_state_cache_hits_total", "frontline_pictures_drawn_total")
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("gathered %d series of the three metrics, want 3", n)
	}
}

// TestPictureDrawnOnce: twelve readers asking at once for a picture nobody asked for yet
// (the first shares of a link) have it drawn once.
func TestPictureDrawnOnce(t *testing.T) {
	store := newTestServer(t).store
	s := &Server{}
	h := New(store, slog.New(slog.DiscardHandler), static.FS, func(srv *Server) { s = srv })
	const readers = 12
	var start, done sync.WaitGroup
	start.Add(1)
	bodies := make([][]byte, readers)
	for i := range readers {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			req := httptest.NewRequest(http.MethodGet, "/maps/afghanistan-2021/2021-08-12.png", nil)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Errorf("reader %d: %d", i, rec.Code)
			}
			bodies[i] = rec.Body.Bytes()
		}()
	}
	start.Done()
	done.Wait()
	if n := s.images.drawn.Load(); n != 1 {
		t.Errorf("%d concurrent requests for one new PNG drew it %d times, want 1", readers, n)
	}
	for i, b := range bodies {
		if len(b) == 0 || string(b) != string(bodies[0]) {
			t.Errorf("reader %d got other bytes (%d) than reader 0 (%d)", i, len(b), len(bodies[0]))
		}
	}
	// Another date is another picture.
	get(t, h, "/maps/afghanistan-2021/2021-08-13.png")
	if n := s.images.drawn.Load(); n != 2 {
		t.Errorf("after a second date: %d drawings, want 2", n)
	}
}

// TestAbsoluteURLsIgnoreForgedHeaders: the links in the Atom feed and oEmbed come from
// --base-url when it is set, and otherwise believe X-Forwarded-Proto only from a trusted
// proxy and only when it says http or https.
func TestAbsoluteURLsIgnoreForgedHeaders(t *testing.T) {
	store := newTestServer(t).store
	log := slog.New(slog.DiscardHandler)
	base, err := ParseBaseURL("https://maps.example.org")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		opts   []Option
		remote string
		host   string
		proto  string
		want   string
	}{
		{"base_url_beats_headers", []Option{WithBaseURL(base)}, "127.0.0.1:5000", "internal:8080", "ws", "https://maps.example.org/"},
		{"base_url_beats_a_stranger", []Option{WithBaseURL(base)}, "203.0.113.9:5000", "evil.example", "http", "https://maps.example.org/"},
		{"trusted_proxy_https", nil, "127.0.0.1:5000", "maps.example.net", "https", "https://maps.example.net/"},
		{"trusted_proxy_ws_ignored", nil, "127.0.0.1:5000", "maps.example.net", "ws", "http://maps.example.net/"},
		{"stranger_proto_ignored", nil, "203.0.113.9:5000", "maps.example.net", "https", "http://maps.example.net/"},
		{"private_net_not_trusted_by_default", nil, "10.1.2.3:5000", "maps.example.net", "https", "http://maps.example.net/"},
		{"configured_proxy_trusted", []Option{WithTrustedProxies([]netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")})},
			"10.1.2.3:5000", "maps.example.net", "https", "https://maps.example.net/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := New(store, log, static.FS, tt.opts...)
			send := func(target string) *httptest.ResponseRecorder {
				req := httptest.NewRequest(http.MethodGet, target, nil)
				req.RemoteAddr, req.Host = tt.remote, tt.host
				req.Header.Set("X-Forwarded-Proto", tt.proto)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				return rec
			}
			feed := send("/maps/afghanistan-2021/changes.atom")
			if want := `href="` + tt.want + `maps/afghanistan-2021/changes.atom"`; !strings.Contains(feed.Body.String(), want) {
				t.Errorf("the feed's self link is not %s:\n%.600s", want, feed.Body)
			}
			if strings.Contains(feed.Body.String(), "ws://") || strings.Contains(feed.Body.String(), "internal:8080") {
				t.Errorf("the feed repeats a forged header:\n%.600s", feed.Body)
			}
			page := tt.want + "maps/afghanistan-2021"
			oe := send("/oembed?url=" + url.QueryEscape(page))
			if oe.Code != http.StatusOK || !strings.Contains(oe.Body.String(), `"provider_url":"`+tt.want+`"`) {
				t.Errorf("oEmbed for %s: %d %.300s", page, oe.Code, oe.Body)
			}
		})
	}
}

func TestParseOperatorSettings(t *testing.T) {
	tests := []struct {
		name, value string
		parse       func(string) error
		wantErr     string
	}{
		{"proxy_cidr", "10.0.0.0/8", parseProxy, ""},
		{"proxy_address", "192.0.2.7", parseProxy, ""},
		{"proxy_ipv6", "::1", parseProxy, ""},
		{"proxy_name", "nginx.internal", parseProxy, "want an address or CIDR prefix"},
		{"base_https", "https://maps.example.org", parseBase, ""},
		{"base_port", "http://localhost:8080/", parseBase, ""},
		{"base_no_scheme", "maps.example.org", parseBase, "such as https://maps.example.org"},
		{"base_ws", "ws://maps.example.org", parseBase, "such as https://maps.example.org"},
		{"base_path", "https://example.org/maps", parseBase, "nothing after it"},
		{"base_query", "https://example.org/?a=b", parseBase, "nothing after it"},
		{"tiles_template", "https://tile.example.org/{z}/{x}/{y}.png", parseTiles, ""},
		{"tiles_subdomains", "https://{s}.tile.example.org/{z}/{x}/{y}{r}.png", parseTiles, ""},
		{"tiles_no_y", "https://tile.example.org/{z}/{x}.png", parseTiles, "lacks {y}: want a template with {z}, {x} and {y}"},
		{"tiles_no_scheme", "tile.example.org/{z}/{x}/{y}.png", parseTiles, "want an http or https URL template"},
		{"tiles_javascript", "javascript:alert(1)//{z}{x}{y}", parseTiles, "want an http or https URL template"},
		{"tiles_quote", "https://tile.example.org/{z}/{x}/{y}.png'", parseTiles, "quote"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.parse(tt.value)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("%q: %v", tt.value, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("%q: error %v, want one saying %q", tt.value, err, tt.wantErr)
			}
		})
	}
}

func parseProxy(v string) error { _, err := ParseTrustedProxy(v); return err }
func parseBase(v string) error  { _, err := ParseBaseURL(v); return err }
func parseTiles(v string) error { _, err := ParseTileURL(v); return err }

// BenchmarkAPIStateWithMetrics is BenchmarkAPIState's cached built-in map with and without
// the metrics middleware, to show what counting each request costs the hottest endpoint.
func BenchmarkAPIStateWithMetrics(b *testing.B) {
	for _, withMetrics := range []bool{false, true} {
		name := "without"
		if withMetrics {
			name = "with"
		}
		b.Run(name, func(b *testing.B) {
			var opts []Option
			if withMetrics {
				opts = append(opts, WithMetrics(prometheus.NewRegistry()))
			}
			s, slug := benchStore(b, 0, 0)
			h := New(s, slog.New(slog.DiscardHandler), static.FS, opts...)
			target := "/api/maps/" + slug + "/state?date=2021-08-14"
			if rec := serve(h, target); rec.Code != http.StatusOK {
				b.Fatalf("GET %s: %d", target, rec.Code)
			}
			for b.Loop() {
				if rec := serve(h, target); rec.Code != http.StatusOK {
					b.Fatalf("%d", rec.Code)
				}
			}
		})
	}
}
