package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSaveWhileTheDatabaseIsBusy: an editor's save while another process holds the write
// lock (a large import) waits its bounded turn, then gets 503 saying to try again and
// saves nothing; never a 500. Once the lock is free, the same save succeeds.
func TestSaveWhileTheDatabaseIsBusy(t *testing.T) {
	lab := newTestServer(t, withEditor("alice"))
	cl := newClient(t, lab.h)
	cl.signIn()
	ctx := context.Background()
	before := eventCount(t, lab.store)
	conn, err := lab.file.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rec := cl.post("/maps/afghanistan-2021/events", validChange(cl.csrf()))
	waited := time.Since(start)
	conn.ExecContext(ctx, `ROLLBACK`)
	conn.Close()
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" ||
		!strings.Contains(rec.Body.String(), "Nothing was saved: go back and send it again in a moment") {
		t.Errorf("save while busy: status %d, Retry-After %q; body %.400s", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
	}
	if n := eventCount(t, lab.store); n != before {
		t.Errorf("events %d after the busy save, were %d", n, before)
	}
	t.Logf("a save behind a held write lock waited %v, then 503", waited.Round(10*time.Millisecond))
	if rec := cl.post("/maps/afghanistan-2021/events", validChange(cl.csrf())); rec.Code != http.StatusSeeOther {
		t.Errorf("the same save once the lock is free: status %d", rec.Code)
	}
}
