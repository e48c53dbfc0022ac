package web

import (
	"sync"
	"time"
)

// failureLimiter counts failed sign-ins per key (an account, an address) in a fixed window
// and refuses a key once it reaches its limit, until the window ends.
type failureLimiter struct {
	mu     sync.Mutex
	window time.Duration
	now    func() time.Time
	counts map[string]*failures
}

type failures struct {
	n     int
	start time.Time
}

func newFailureLimiter(window time.Duration) *failureLimiter {
	return &failureLimiter{window: window, now: time.Now, counts: map[string]*failures{}}
}

// blocked reports whether key has failed limit times in the current window.
func (l *failureLimiter) blocked(key string, limit int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.counts[key]
	return f != nil && l.now().Sub(f.start) < l.window && f.n >= limit
}

// fail counts one failure for key.
func (l *failureLimiter) fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.now()
	f := l.counts[key]
	if f == nil || t.Sub(f.start) >= l.window {
		f = &failures{start: t}
		l.counts[key] = f
	}
	f.n++
	// Keep the map from growing without bound under a spray of names.
	if len(l.counts) > 10000 {
		for k, v := range l.counts {
			if t.Sub(v.start) >= l.window {
				delete(l.counts, k)
			}
		}
	}
}

// reset forgets key's failures, after a successful sign-in.
func (l *failureLimiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.counts, key)
}
