//go:build soak

package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/frontline-maps/frontline/data"
)

// Load of the soak: readers and editors at once, for soakDuration (SOAK_DURATION overrides).
const (
	soakReaders = 200
	soakEditors = 20
)

// TestSoak runs a server on loopback, on a real database file with the timeouts of
// `frontline serve`, and holds it under 200 readers and 20 editors for a minute: no server
// fault, every acknowledged edit stored, and the read latency reported.
func TestSoak(t *testing.T) {
	duration := time.Minute
	if d, err := time.ParseDuration(os.Getenv("SOAK_DURATION")); err == nil {
		duration = d
	}
	ctx := context.Background()
	// The server logs every request as `frontline serve` does, to a sink.
	server := newTestServer(t, withLog(slog.New(slog.NewTextHandler(io.Discard, nil))))
	store := server.store
	names := make([]string, soakEditors)
	var wg sync.WaitGroup
	for i := range names {
		names[i] = fmt.Sprintf("editor%02d", i+1)
		wg.Go(func() {
			if _, err := store.AddUser(ctx, data.NewUser{Name: names[i], Password: editorPassword, Maps: []string{"afghanistan-2021"}}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	m, err := store.Map(ctx, "afghanistan-2021")
	if err != nil {
		t.Fatal(err)
	}
	regions, err := store.Regions(ctx, m.Slug)
	if err != nil {
		t.Fatal(err)
	}

	srv := httptest.NewUnstartedServer(server.h)
	srv.Config.ReadHeaderTimeout, srv.Config.ReadTimeout = 10*time.Second, 30*time.Second
	srv.Config.WriteTimeout, srv.Config.IdleTimeout = 60*time.Second, 120*time.Second
	srv.Start()
	defer srv.Close()
	transport := &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512, IdleConnTimeout: time.Minute}
	defer transport.CloseIdleConnections()

	dates := []string{}
	for d, _ := time.Parse(data.DateLayout, m.Start); d.Format(data.DateLayout) <= m.End; d = d.AddDate(0, 0, 1) {
		dates = append(dates, d.Format(data.DateLayout))
	}
	reads := []struct {
		name   string
		weight int
		target func(date string) string
	}{
		{"map page", 30, func(d string) string { return "/maps/afghanistan-2021?date=" + d }},
		{"state API", 30, func(d string) string { return "/api/maps/afghanistan-2021/state?date=" + d }},
		{"regions.geojson", 15, func(string) string { return "/api/maps/afghanistan-2021/regions.geojson" }},
		{"PNG", 10, func(d string) string { return "/maps/afghanistan-2021/" + d + ".png" }},
		{"SVG", 5, func(d string) string { return "/maps/afghanistan-2021/" + d + ".svg" }},
		{"embed page", 5, func(d string) string { return "/embed/afghanistan-2021?date=" + d }},
		{"events API", 5, func(string) string { return "/api/maps/afghanistan-2021/events" }},
	}
	var pick []int
	for i, r := range reads {
		for range r.weight {
			pick = append(pick, i)
		}
	}

	type sample struct {
		kind    int
		latency time.Duration
	}
	var (
		mu         sync.Mutex
		samples    []sample
		writeTimes []time.Duration
		acked      []string
		faults     []string // 5xx, transport errors, unexpected statuses
		refused    atomic.Int64
	)
	fault := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(faults) < 1000 {
			faults = append(faults, fmt.Sprintf(format, args...))
		}
	}
	start := time.Now()
	deadline := start.Add(duration)

	for r := range soakReaders {
		wg.Go(func() {
			client := &http.Client{Transport: transport, Timeout: 30 * time.Second}
			rng := rand.New(rand.NewPCG(uint64(r), 1))
			var mine []sample
			for i := 0; i < 10_000_000 && time.Now().Before(deadline); i++ {
				kind := pick[rng.IntN(len(pick))]
				target := srv.URL + reads[kind].target(dates[rng.IntN(len(dates))])
				t0 := time.Now()
				resp, err := client.Get(target)
				if err != nil {
					fault("read %s: %v", target, err)
					continue
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mine = append(mine, sample{kind, time.Since(t0)})
				if err != nil || resp.StatusCode != http.StatusOK {
					fault("read %s: status %d, %v", target, resp.StatusCode, err)
				}
			}
			mu.Lock()
			samples = append(samples, mine...)
			mu.Unlock()
		})
	}

	for e := range soakEditors {
		wg.Go(func() {
			jar, _ := cookiejar.New(nil)
			client := &http.Client{Transport: transport, Jar: jar, Timeout: 30 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			rng := rand.New(rand.NewPCG(uint64(e), 2))
			// Sign in and open the change form, as a browser does, for the form's token.
			token := formToken(t, client, srv.URL+"/login")
			resp, err := client.PostForm(srv.URL+"/login", url.Values{"_csrf": {token}, "username": {names[e]}, "password": {editorPassword}})
			if err != nil || resp.StatusCode != http.StatusSeeOther {
				fault("editor %d sign-in: %v %v", e, err, resp)
				return
			}
			resp.Body.Close()
			token = formToken(t, client, srv.URL+"/maps/afghanistan-2021/edit")
			var mine []string
			var times []time.Duration
			for i := 0; i < 100_000 && time.Now().Before(deadline); i++ {
				time.Sleep(time.Duration(500+rng.IntN(1000)) * time.Millisecond)
				source := fmt.Sprintf("https://soak.example/%s/%d", names[e], i)
				form := url.Values{"_csrf": {token}, "region": {regions[rng.IntN(len(regions))].ID},
					"faction": {m.Factions[rng.IntN(len(m.Factions))].ID}, "date": {dates[rng.IntN(len(dates))]},
					"source": {source}, "note": {"Soak test change " + source}, "confidence": {[]string{"confirmed", "claimed"}[rng.IntN(2)]},
					"intent": {"save"}}
				t0 := time.Now()
				resp, err := client.PostForm(srv.URL+"/maps/afghanistan-2021/events", form)
				if err != nil {
					fault("edit %s: %v", source, err)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				times = append(times, time.Since(t0))
				switch {
				case resp.StatusCode == http.StatusSeeOther:
					mine = append(mine, source)
				case resp.StatusCode >= 500:
					fault("edit %s: status %d", source, resp.StatusCode)
				default:
					refused.Add(1)
					fault("edit %s: refused with %d", source, resp.StatusCode)
				}
			}
			mu.Lock()
			acked = append(acked, mine...)
			writeTimes = append(writeTimes, times...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	// Every acknowledged edit is stored and live; the database is sound.
	events, err := store.Events(ctx, m.Slug)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for _, ev := range events {
		stored[ev.Source] = true
	}
	missing := 0
	for _, src := range acked {
		if !stored[src] {
			missing++
			if missing <= 10 {
				t.Errorf("acknowledged edit %s is missing", src)
			}
		}
	}
	if verdict, err := store.IntegrityCheck(ctx); err != nil || verdict != "ok" {
		t.Errorf("integrity check: %q %v", verdict, err)
	}
	for i, f := range faults {
		if i == 20 {
			t.Errorf("... and %d more", len(faults)-20)
			break
		}
		t.Error(f)
	}

	all := make([]time.Duration, len(samples))
	perKind := make([][]time.Duration, len(reads))
	for i, s := range samples {
		all[i] = s.latency
		perKind[s.kind] = append(perKind[s.kind], s.latency)
	}
	t.Logf("%d readers and %d editors for %s on %s", soakReaders, soakEditors, elapsed.Round(time.Second), srv.URL)
	t.Logf("reads: %d (%.0f/s), latency p50 %s, p90 %s, p99 %s, max %s", len(all), float64(len(all))/elapsed.Seconds(),
		pct(all, 50), pct(all, 90), pct(all, 99), pct(all, 100))
	for k, r := range reads {
		t.Logf("  %-16s %6d reads, p50 %s, p99 %s", r.name, len(perKind[k]), pct(perKind[k], 50), pct(perKind[k], 99))
	}
	t.Logf("edits: %d acknowledged (%.1f/s), %d refused, %d missing afterwards; save latency p50 %s, p99 %s",
		len(acked), float64(len(acked))/elapsed.Seconds(), refused.Load(), missing, pct(writeTimes, 50), pct(writeTimes, 99))
	t.Logf("faults (5xx, errors, unexpected statuses): %d; live events now %d", len(faults), len(events))
}

// formToken loads a page with a form and returns the CSRF token in it, as a browser submits.
func formToken(t *testing.T, client *http.Client, target string) string {
	resp, err := client.Get(target)
	if err != nil {
		t.Errorf("GET %s: %v", target, err)
		return ""
	}
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Errorf("GET %s: %v", target, err)
		return ""
	}
	token, _ := doc.Find(`form input[name="_csrf"]`).Last().Attr("value")
	if resp.StatusCode != http.StatusOK || token == "" {
		t.Errorf("GET %s: status %d, token %q", target, resp.StatusCode, token)
	}
	return token
}

// pct returns the p-th percentile of ds (p=100: the maximum).
func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := min(len(s)-1, (len(s)*p)/100)
	return s[i].Round(100 * time.Microsecond)
}
