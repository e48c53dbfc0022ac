package web

import (
	"sync"
	"time"
)

// failureLimiter counts failed sign-ins per key (an account at an address, an address) and
// refuses a key once it reaches its limit. An attempt is reserved before its password is
// checked and counted as a failure until it is known to have succeeded, so that a burst
// sent at once is checked no more times than the limit allows, however many arrive
// together. Each time a key reaches its limit again it stays refused twice as long
// (backoff), up to maxBlock; a success forgets the key.
type failureLimiter struct {
	mu     sync.Mutex
	window time.Duration
	now    func() time.Time
	counts map[string]*failures
}

// maxBlock bounds the backoff.
const maxBlock = 24 * time.Hour

type failures struct {
	n       int       // failures and attempts under way since start
	start   time.Time // when the count began
	strikes int       // how many times in a row the key reached its limit
	until   time.Time // refused until then
}

func newFailureLimiter(window time.Duration) *failureLimiter {
	return &failureLimiter{window: window, now: time.Now, counts: map[string]*failures{}}
}

// limit is a key and the failures it is allowed within the window.
type limit struct {
	key string
	max int
}

// reserve takes one attempt from every key's allowance, or none and false when any key is
// refused. The caller reports the attempt's outcome with done.
func (l *failureLimiter) reserve(limits ...limit) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.now()
	for _, lim := range limits {
		f := l.counts[lim.key]
		if f == nil {
			continue
		}
		if t.Before(f.until) {
			return false
		}
		if t.Sub(f.start) < l.window && f.n >= lim.max {
			return false
		}
	}
	for _, lim := range limits {
		f := l.counts[lim.key]
		if f == nil {
			f = &failures{start: t}
			l.counts[lim.key] = f
		} else if t.Sub(f.start) >= l.window && !t.Before(f.until) {
			f.n, f.start = 0, t
		}
		f.n++
		if f.n >= lim.max {
			// Reaching the limit starts a block, twice as long as the last one.
			f.strikes++
			block := l.window << min(f.strikes-1, 10)
			f.until = t.Add(min(block, maxBlock))
		}
	}
	l.prune(t)
	return true
}

// done reports the outcome of a reserved attempt: a failure stays counted; a success
// gives the attempt back to the keys given and forgets the key of the account signed in.
func (l *failureLimiter) done(ok bool, account string, limits ...limit) {
	if !ok {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.counts, account)
	for _, lim := range limits {
		if f := l.counts[lim.key]; f != nil && f.n > 0 {
			if f.n >= lim.max && !f.until.IsZero() {
				f.until, f.strikes = time.Time{}, max(f.strikes-1, 0)
			}
			f.n--
		}
	}
}

// prune keeps the map from growing without bound under a spray of names.
func (l *failureLimiter) prune(t time.Time) {
	if len(l.counts) <= 10000 {
		return
	}
	for k, v := range l.counts {
		if t.Sub(v.start) >= l.window && !t.Before(v.until) {
			delete(l.counts, k)
		}
	}
}
