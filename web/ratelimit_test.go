package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/static"
)

// countingSessions counts the password checks that reach the store.
type countingSessions struct {
	sessionStore
	checks atomic.Int64
}

func (c *countingSessions) Authenticate(ctx context.Context, name, password string) (data.User, error) {
	c.checks.Add(1)
	return c.sessionStore.Authenticate(ctx, name, password)
}

// loginRequest is a sign-in form from remote, with X-Forwarded-For set when forwarded.
func loginRequest(csrf, user, password, remote, forwarded string) *http.Request {
	form := url.Values{"_csrf": {csrf}, "username": {user}, "password": {password}}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "frontline_csrf", Value: csrf})
	req.RemoteAddr = remote
	if forwarded != "" {
		req.Header.Set("X-Forwarded-For", forwarded)
	}
	return req
}

// TestSignInBurst: 30 wrong passwords sent at once from one address for one account check
// at most the allowed number of passwords; the rest are refused with 429 unchecked.
func TestSignInBurst(t *testing.T) {
	lab := newTestServer(t, withEditor("alice"))
	srv := newServer(lab.store, slog.New(slog.DiscardHandler), static.FS)
	counted := &countingSessions{sessionStore: srv.sessions}
	srv.sessions = counted
	h := srv.handler()
	const burst = 30
	codes := make([]int, burst)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range burst {
		wg.Go(func() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, loginRequest("tok", "alice", fmt.Sprintf("wrong guess %d", i), "203.0.113.7:1234", ""))
			codes[i] = rec.Code
		})
	}
	wg.Wait()
	took := time.Since(start)
	var refused, wrong int
	for _, c := range codes {
		switch c {
		case http.StatusTooManyRequests:
			refused++
		case http.StatusUnauthorized:
			wrong++
		default:
			t.Errorf("status %d", c)
		}
	}
	if n := counted.checks.Load(); n > loginFailuresPerAccount || int(n) != wrong {
		t.Errorf("%d passwords checked (%d answered 401), want at most %d", n, wrong, loginFailuresPerAccount)
	}
	t.Logf("a burst of %d wrong passwords: %d checked, %d refused unchecked, in %v", burst, counted.checks.Load(), refused, took.Round(time.Millisecond))
}

// TestForgedAddressesCannotLockOutAnEditor: a stranger who fails in alice's name, from
// many addresses of their own or forging X-Forwarded-For, and in every spelling of her
// name, does not stop alice signing in from hers.
func TestForgedAddressesCannotLockOutAnEditor(t *testing.T) {
	lab := newTestServer(t, withEditor("alice"))
	for i := range 5 * loginFailuresPerAccount {
		spelling := []string{"alice", "ALICE", "alice ", " Alice"}[i%4]
		rec := httptest.NewRecorder()
		lab.h.ServeHTTP(rec, loginRequest("tok", spelling, "wrong guess", fmt.Sprintf("198.51.100.%d:999", i%5), fmt.Sprintf("192.0.2.%d", i)))
		if rec.Code != http.StatusUnauthorized && rec.Code != http.StatusTooManyRequests {
			t.Fatalf("guess %d: status %d", i, rec.Code)
		}
	}
	rec := httptest.NewRecorder()
	lab.h.ServeHTTP(rec, loginRequest("tok", "alice", editorPassword, "203.0.113.50:1", ""))
	if rec.Code != http.StatusSeeOther {
		t.Errorf("alice from her own address after the stranger's guesses: status %d, want 303", rec.Code)
	}
	// The stranger's own address, though, is refused, in any spelling of the name.
	rec = httptest.NewRecorder()
	lab.h.ServeHTTP(rec, loginRequest("tok", "ALICE ", editorPassword, "198.51.100.0:999", ""))
	if rec.Code != http.StatusTooManyRequests {
		t.Errorf("the stranger's address: status %d, want 429", rec.Code)
	}
}

// TestLimiterBackoff: a key refused again after its block stays refused twice as long;
// a success forgets it.
func TestLimiterBackoff(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newFailureLimiter(15 * time.Minute)
	l.now = func() time.Time { return now }
	lim := limit{"account:alice@203.0.113.7", 3}
	fail := func(n int) {
		for range n {
			if !l.reserve(lim) {
				t.Fatalf("refused at %v", now)
			}
			l.done(false, lim.key, lim)
		}
	}
	fail(3)
	for _, tc := range []struct {
		after time.Duration
		want  bool
	}{{14 * time.Minute, false}, {time.Minute, true}} {
		now = now.Add(tc.after)
		if got := l.reserve(lim); got != tc.want {
			t.Fatalf("reserve after %v = %v, want %v", tc.after, got, tc.want)
		}
		if tc.want {
			l.done(false, lim.key, lim)
		}
	}
	fail(2) // the limit reached a second time: 30 minutes
	now = now.Add(29 * time.Minute)
	if l.reserve(lim) {
		t.Fatal("allowed 29 minutes into a 30-minute block")
	}
	now = now.Add(time.Minute)
	if !l.reserve(lim) {
		t.Fatal("refused after the 30-minute block")
	}
	l.done(true, lim.key, lim)
	if f := l.counts[lim.key]; f != nil {
		t.Errorf("a success left the key counted: %+v", f)
	}
}

// TestSignInBurstLeavesReadersServed: 24 sign-ins at once from one address, each for
// another account, check at most the address's allowance of passwords, one core's worth
// at a time, while readers' requests keep being answered.
func TestSignInBurstLeavesReadersServed(t *testing.T) {
	lab := newTestServer(t, withEditor("alice"))
	srv := newServer(lab.store, slog.New(slog.DiscardHandler), static.FS)
	counted := &countingSessions{sessionStore: srv.sessions}
	srv.sessions = counted
	h := srv.handler()
	get(t, h, "/api/maps/afghanistan-2021/state?date=2021-08-20") // warm the state cache, as a live server has
	const burst = 24
	var wg sync.WaitGroup
	for i := range burst {
		wg.Go(func() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, loginRequest("tok", fmt.Sprintf("user%02d", i), "wrong guess", "203.0.113.8:1234", ""))
		})
	}
	var slowest, total time.Duration
	const reads = 20
	for i := range reads {
		start := time.Now()
		rec := get(t, h, fmt.Sprintf("/api/maps/afghanistan-2021/state?date=2021-08-%02d", 10+i))
		took := time.Since(start)
		if rec.Code != http.StatusOK {
			t.Errorf("reader: %d", rec.Code)
		}
		slowest, total = max(slowest, took), total+took
		time.Sleep(20 * time.Millisecond)
	}
	wg.Wait()
	if n := counted.checks.Load(); n > loginFailuresPerAddress {
		t.Errorf("%d passwords checked, want at most %d", n, loginFailuresPerAddress)
	}
	t.Logf("%d sign-ins at once: %d passwords checked, at most %d at a time; %d reader requests meanwhile: mean %v, slowest %v",
		burst, counted.checks.Load(), cap(srv.checking), reads, (total / reads).Round(time.Microsecond), slowest.Round(time.Microsecond))
}
