package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontline-maps/frontline/data"
)

// The kill-and-restore run: how long editors save changes before the kill, how many, and
// the sync interval the server is given (the default).
const (
	replicaEditing   = 6 * time.Second
	replicaEditors   = 2
	replicaPassword  = "correct horse battery"
	replicaSync      = time.Second
	replicaSyncSlack = 500 * time.Millisecond // a sync's own time to copy and be scheduled
)

// TestKillAndRestoreFromReplica is the lost disk: the real binary serves with a directory
// replica while editors save changes, is killed with SIGKILL, and its database (with its
// WAL and Litestream's own files) is deleted. `frontline restore` rebuilds it from the
// replica; every acknowledged edit older than the sync interval must be in it. A second
// restore at a chosen time holds what was acknowledged before it and nothing after.
func TestKillAndRestoreFromReplica(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "frontline")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	db, replica := filepath.Join(dir, "frontline.db"), filepath.Join(dir, "replica")
	seedDBAt(t, db) // user add acts on an existing database, and grants an existing map
	names := make([]string, replicaEditors)
	for i := range names {
		names[i] = fmt.Sprintf("editor%d", i+1)
		cmd := exec.Command(bin, "user", "add", names[i], "--map", "afghanistan-2021", "--db", db)
		cmd.Stdin = strings.NewReader(replicaPassword + "\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("user add: %v\n%s", err, out)
		}
	}
	addr := freeAddr(t)
	base := "http://" + addr
	var log bytes.Buffer
	srv := exec.Command(bin, "serve", "--addr", addr, "--db", db, "--replica", "file://"+replica, "--sync-interval", replicaSync.String())
	srv.Stdout, srv.Stderr = &log, &log
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	defer func() {
		if !killed {
			srv.Process.Kill()
			srv.Wait()
		}
	}()
	if err := waitHealthy(base, 30*time.Second); err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	if err := waitReady(base, 30*time.Second); err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}

	// Editors save changes as fast as the server answers; each acknowledgement's time is kept.
	ctx, stop := context.WithCancel(context.Background())
	var killing atomic.Bool // from then on, a failed save is the kill's doing
	var mu sync.Mutex
	acked := map[string]time.Time{}
	var wg sync.WaitGroup
	for e := range replicaEditors {
		wg.Go(func() {
			jar, _ := cookiejar.New(nil)
			client := &http.Client{Jar: jar, Timeout: 10 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			for i := 0; ctx.Err() == nil; i++ {
				source := fmt.Sprintf("https://replica.example/%s/%d", names[e], i)
				ok, err := saveChange(ctx, client, base, names[e], replicaPassword, source, i)
				if ok {
					mu.Lock()
					acked[source] = time.Now()
					mu.Unlock()
				}
				if err != nil {
					if !killing.Load() {
						t.Errorf("%s: %v", names[e], err)
					}
					return
				}
			}
		})
	}
	editStart := time.Now()
	time.Sleep(replicaEditing / 2)
	pointInTime := time.Now()
	time.Sleep(replicaEditing / 2)

	// The disk is lost: the process dies without a word and its files go.
	killing.Store(true)
	if err := srv.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	killedAt := time.Now()
	srv.Wait()
	killed = true
	stop()
	wg.Wait()
	for _, p := range []string{db, db + "-wal", db + "-shm", filepath.Join(dir, ".frontline.db-litestream")} {
		if err := os.RemoveAll(p); err != nil {
			t.Fatal(err)
		}
	}

	// Started again on the empty disk, serve refuses to ship a new database over the replica.
	out, err := exec.Command(bin, "serve", "--addr", freeAddr(t), "--db", db, "--replica", "file://"+replica).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "frontline restore --replica") {
		t.Errorf("serve on the lost disk: %v, want a refusal that says to restore first:\n%s", err, out)
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("the refused serve created %s", db)
	}

	restored := filepath.Join(dir, "restored.db")
	restoreStart := time.Now()
	if out, err := exec.Command(bin, "restore", "--replica", "file://"+replica, restored).CombinedOutput(); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	restoreTook := time.Since(restoreStart)
	stored := storedSources(t, restored)

	// Lost: acknowledged but not restored. The loss window is how long before the kill the
	// oldest of them was acknowledged.
	var lost int
	var window time.Duration
	for src, at := range acked {
		if !stored[src] {
			lost++
			window = max(window, killedAt.Sub(at))
		}
	}
	t.Logf("kill and restore: %d edits acknowledged in %s by %d editors, %d restored, %d lost; "+
		"the oldest lost edit was acknowledged %s before the kill (sync interval %s); restore took %s",
		len(acked), killedAt.Sub(editStart).Round(time.Millisecond), replicaEditors, len(acked)-lost, lost,
		window.Round(time.Millisecond), replicaSync, restoreTook.Round(time.Millisecond))
	if len(acked) < 20 {
		t.Fatalf("only %d edits acknowledged: the test measured nothing\n%s", len(acked), log.String())
	}
	// An edit waits for the next sync, at most an interval, and then for that sync's own
	// copy to the replica, which on a loaded 2-core machine waits for a core too: an edit
	// acknowledged 1.22 s before the kill was lost at load 8-12 (session 13), none beyond.
	if limit := replicaSync + replicaSyncSlack; window > limit {
		t.Errorf("an edit acknowledged %s before the kill was lost: more than the sync interval %s and the sync's own %s", window.Round(time.Millisecond), replicaSync, replicaSyncSlack)
	}

	// Back to a chosen time: what was acknowledged a sync interval before it is there, and
	// nothing acknowledged after it.
	earlier := filepath.Join(dir, "earlier.db")
	at := pointInTime.UTC().Format(time.RFC3339Nano)
	if out, err := exec.Command(bin, "restore", "--replica", replica, "--at", at, earlier).CombinedOutput(); err != nil {
		t.Fatalf("restore --at %s: %v\n%s", at, err, out)
	}
	then := storedSources(t, earlier)
	var before, missingBefore, after, presentAfter int
	for src, ackAt := range acked {
		switch {
		case ackAt.Before(pointInTime.Add(-replicaSync)):
			before++
			if !then[src] {
				missingBefore++
			}
		case ackAt.After(pointInTime):
			after++
			if then[src] {
				presentAfter++
			}
		}
	}
	t.Logf("restore --at %s: %d of %d edits acknowledged a sync interval before it present, %d of %d acknowledged after it present",
		at, before-missingBefore, before, presentAfter, after)
	if missingBefore > 0 || presentAfter > 0 {
		t.Errorf("restore --at %s: %d edits acknowledged before it missing, %d acknowledged after it present", at, missingBefore, presentAfter)
	}
}

// storedSources opens a restored database as serve would, checks it, and returns the
// sources of its live events.
func storedSources(t *testing.T, path string) map[string]bool {
	t.Helper()
	store, err := data.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer store.Close()
	if verdict, err := store.IntegrityCheck(context.Background()); err != nil || verdict != "ok" {
		t.Fatalf("%s: integrity check %q, %v", path, verdict, err)
	}
	events, err := store.Events(context.Background(), "afghanistan-2021")
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for _, ev := range events {
		stored[ev.Source] = true
	}
	return stored
}

// waitReady polls /readyz until it answers 200 (the replica has caught up) or time is up.
func waitReady(base string, limit time.Duration) error {
	client := &http.Client{Timeout: 3 * time.Second}
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if resp, err := client.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s/readyz did not answer 200 within %s", base, limit)
}

func TestRestoreRejectsBadCommandLines(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "there.db")
	if err := os.WriteFile(existing, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty-replica")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.db")
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no_replica", []string{"restore", out}, "--replica is required"},
		{"no_out", []string{"restore", "--replica", empty}, "usage: frontline restore"},
		{"two_outs", []string{"restore", "--replica", empty, out, "other.db"}, "one OUT.db"},
		{"bad_time", []string{"restore", "--replica", empty, "--at", "yesterday", out}, "RFC 3339"},
		{"unknown_scheme", []string{"restore", "--replica", "ftp://host/dir", out}, `scheme "ftp"`},
		{"remote_file_url", []string{"restore", "--replica", "file://otherhost/dir", out}, "on this machine"},
		{"out_exists", []string{"restore", "--replica", empty, existing}, "exists: restore writes a new database"},
		{"empty_replica", []string{"restore", "--replica", empty, out}, "holds no database"},
		{"serve_bad_replica", []string{"serve", "--db", filepath.Join(dir, "s.db"), "--replica", "ftp://x/y"}, `scheme "ftp"`},
		{"serve_bad_interval", []string{"serve", "--db", filepath.Join(dir, "s.db"), "--sync-interval", "0s"}, "positive duration"},
		{"serve_bad_base_url", []string{"serve", "--base-url", "maps.example.org"}, "see 'frontline --help'"},
		{"serve_bad_proxy", []string{"serve", "--trusted-proxy", "proxy.local"}, "see 'frontline --help'"},
		{"serve_bad_tiles", []string{"serve", "--tiles", "https://tile.example.org/{z}/{x}.png"}, "see 'frontline --help'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), tt.args, strings.NewReader(""), &bytes.Buffer{}, slog.New(slog.DiscardHandler))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("frontline %s: error %v, want one saying %q", strings.Join(tt.args, " "), err, tt.wantErr)
			}
			for _, p := range []string{out, filepath.Join(dir, "s.db")} {
				if _, err := os.Stat(p); err == nil {
					t.Errorf("frontline %s left %s behind", strings.Join(tt.args, " "), p)
				}
			}
		})
	}
}
