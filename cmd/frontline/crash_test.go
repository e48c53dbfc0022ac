//go:build soak

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
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

const (
	crashKills    = 25
	crashEditors  = 4
	crashPassword = "correct horse battery"
)

// TestCrashWhileEditing builds the real binary, serves on loopback, and kills the server
// with SIGKILL at random moments while editors save changes, again and again. After every
// kill the database passes SQLite's integrity check and holds every edit the server
// acknowledged, before the server starts again on it.
func TestCrashWhileEditing(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "frontline")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "frontline.db")
	seedDBAt(t, db) // user add acts on an existing database, and grants an existing map
	names := make([]string, crashEditors)
	for i := range names {
		names[i] = fmt.Sprintf("editor%d", i+1)
		cmd := exec.Command(bin, "user", "add", names[i], "--map", "afghanistan-2021", "--db", db)
		cmd.Stdin = strings.NewReader(crashPassword + "\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("user add: %v\n%s", err, out)
		}
	}
	seed := rand.Uint64()
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("random seed %d", seed)

	jars := make([]http.CookieJar, crashEditors)
	for i := range jars {
		jars[i], _ = cookiejar.New(nil)
	}
	acked := map[string]bool{}
	cutOff := map[string]bool{} // the save each editor had under way at a kill
	var attempted atomic.Int64
	var startTimes []time.Duration
	logPath := filepath.Join(dir, "serve.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()

	for kill := 1; kill <= crashKills; kill++ {
		addr := freeAddr(t)
		base := "http://" + addr
		srv := exec.Command(bin, "serve", "--addr", addr, "--db", db)
		srv.Stdout, srv.Stderr = logFile, logFile
		started := time.Now()
		if err := srv.Start(); err != nil {
			t.Fatal(err)
		}
		if err := waitHealthy(base, 15*time.Second); err != nil {
			srv.Process.Kill()
			srv.Wait()
			t.Fatalf("start %d: %v (log %s)", kill, err, logPath)
		}
		startTimes = append(startTimes, time.Since(started))

		// Editors save changes as fast as the server answers until the kill.
		ctx, stop := context.WithCancel(context.Background())
		var killed atomic.Bool
		var mu sync.Mutex
		var wg sync.WaitGroup
		for e := range crashEditors {
			wg.Go(func() {
				client := &http.Client{Jar: jars[e], Timeout: 10 * time.Second,
					CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
				for i := 0; i < 100_000 && ctx.Err() == nil; i++ {
					source := fmt.Sprintf("https://crash.example/%d/%s/%d", kill, names[e], i)
					ok, err := saveChange(ctx, client, base, names[e], crashPassword, source, i)
					attempted.Add(1)
					switch {
					case ok:
						mu.Lock()
						acked[source] = true
						mu.Unlock()
					case err != nil && killed.Load():
						// Cut off by the kill: not acknowledged, stored or not. The server
						// is gone; wait for the next start.
						mu.Lock()
						cutOff[source] = true
						mu.Unlock()
						return
					case err != nil:
						t.Errorf("before kill %d: %s: %v", kill, names[e], err)
						return
					}
				}
			})
		}
		time.Sleep(time.Duration(50+rng.IntN(1500)) * time.Millisecond)
		killed.Store(true)
		if err := srv.Process.Kill(); err != nil { // SIGKILL: no drain, no close
			t.Fatal(err)
		}
		srv.Wait()
		stop()
		wg.Wait()

		// With the server dead, open the database as the next start will: recovery, then
		// the checks.
		store, err := data.Open(context.Background(), db)
		if err != nil {
			t.Fatalf("after kill %d: open: %v", kill, err)
		}
		verdict, err := store.IntegrityCheck(context.Background())
		if err != nil || verdict != "ok" {
			t.Errorf("after kill %d: integrity check %q, %v", kill, verdict, err)
		}
		events, err := store.Events(context.Background(), "afghanistan-2021")
		store.Close()
		if err != nil {
			t.Fatalf("after kill %d: %v", kill, err)
		}
		stored := map[string]bool{}
		for _, ev := range events {
			stored[ev.Source] = true
		}
		missing := 0
		for src := range acked {
			if !stored[src] {
				missing++
			}
		}
		if missing > 0 {
			t.Fatalf("after kill %d: %d of %d acknowledged edits are missing", kill, missing, len(acked))
		}
		t.Logf("kill %2d: %4d edits acknowledged so far, all present; integrity %s; %d live events", kill, len(acked), verdict, len(events))
	}

	// Started once more, the server itself serves every acknowledged edit.
	addr := freeAddr(t)
	srv := exec.Command(bin, "serve", "--addr", addr, "--db", db)
	srv.Stdout, srv.Stderr = logFile, logFile
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { srv.Process.Kill(); srv.Wait() }()
	if err := waitHealthy("http://"+addr, 15*time.Second); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + addr + "/api/maps/afghanistan-2021/events")
	if err != nil {
		t.Fatal(err)
	}
	var served []struct {
		Source string `json:"source"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&served); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	found := map[string]bool{}
	for _, e := range served {
		found[e.Source] = true
	}
	stored := 0
	for src := range acked {
		if !found[src] {
			t.Errorf("the restarted server does not serve acknowledged edit %s", src)
		}
	}
	for src := range cutOff {
		if found[src] {
			stored++
		}
	}
	t.Logf("%d kills survived; %d saves attempted, %d acknowledged: all present after every kill and served after the last; "+
		"of %d saves cut off by a kill, %d were stored though never acknowledged; start to healthy p50 %s, max %s",
		crashKills, attempted.Load(), len(acked), len(cutOff), stored, median(startTimes), longest(startTimes))
}
