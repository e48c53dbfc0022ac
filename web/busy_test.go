package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/frontline-maps/frontline/data"
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

// TestSaveDuringALargeImport: while a 400,000-event map is imported in one transaction,
// readers are served and an editor's save either waits its turn or gets the 503 asking to
// send it again: never a 500.
func TestSaveDuringALargeImport(t *testing.T) {
	lab := newTestServer(t, withEditor("alice"))
	cl := newClient(t, lab.h)
	cl.signIn()
	ctx := context.Background()

	const n = 400_000
	files := labFolder()
	files["map.json"] = strings.Replace(files["map.json"], `"bad-lab"`, `"big"`, 1)
	var events strings.Builder
	events.WriteString("region,faction,date,source,note,confidence\n")
	start := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		fmt.Fprintf(&events, "%s,%s,%s,https://example.org/e%d,,confirmed\n", []string{"A", "B"}[i%2], []string{"red", "blue"}[(i/2)%2],
			start.AddDate(0, 0, (i*364)/n).Format(data.DateLayout), i)
	}
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	fsys["events.csv"] = &fstest.MapFile{Data: []byte(events.String())}
	f, reader, err := data.OpenFolder(fsys)
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	done := make(chan error, 1)
	importStart := time.Now()
	go func() {
		_, err := lab.store.ImportFolder(ctx, f, data.ImportOptions{Author: data.ImportAuthor, Events: reader,
			Progress: func(step string, _, _ int) {
				if step == "storing" {
					select {
					case <-started:
					default:
						close(started)
					}
				}
			}})
		done <- err
	}()
	<-started

	readStart := time.Now()
	if rec := get(t, lab.h, "/api/maps/afghanistan-2021/state?date=2021-08-20"); rec.Code != http.StatusOK {
		t.Errorf("a reader during the import: %d", rec.Code)
	}
	read := time.Since(readStart)
	saveStart := time.Now()
	rec := cl.post("/maps/afghanistan-2021/events", validChange(cl.csrf()))
	saved := time.Since(saveStart)
	if rec.Code != http.StatusSeeOther && rec.Code != http.StatusServiceUnavailable {
		t.Errorf("a save during the import: status %d, want 303 or 503; body %.300s", rec.Code, rec.Body)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	t.Logf("importing %d events took %v; meanwhile a reader was answered in %v, and a save in %v with %d",
		n, time.Since(importStart).Round(100*time.Millisecond), read.Round(time.Millisecond), saved.Round(10*time.Millisecond), rec.Code)
}
