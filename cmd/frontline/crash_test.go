//go:build soak

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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
	names := make([]string, crashEditors)
	for i := range names {
		names[i] = fmt.Sprintf("editor%d", i+1)
		cmd := exec.Command(bin, "user", "add", names[i], "--db", db)
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
					ok, err := saveChange(ctx, client, base, names[e], source, i)
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

// saveChange signs the editor in when needed and saves one change through the real form,
// reporting whether the server acknowledged it (303 to the map).
func saveChange(ctx context.Context, client *http.Client, base, name, source string, i int) (bool, error) {
	u, _ := url.Parse(base)
	token := ""
	for _, ck := range client.Jar.Cookies(u) {
		if ck.Name == "frontline_csrf" {
			token = ck.Value
		}
	}
	if token == "" {
		if err := crashGet(ctx, client, base+"/login"); err != nil {
			return false, err
		}
		return false, nil
	}
	form := url.Values{"_csrf": {token}, "region": {[]string{"AF-WAR", "AF-KAB", "AF-BAL", "AF-HER", "AF-KAN"}[i%5]},
		"faction": {[]string{"taliban", "government", "resistance"}[i%3]}, "date": {fmt.Sprintf("2021-08-%02d", 1+i%31)},
		"source": {source}, "note": {"crash test"}, "confidence": {"confirmed"}, "intent": {"save"}}
	resp, err := crashPost(ctx, client, base+"/maps/afghanistan-2021/events", form)
	if err != nil {
		return false, err
	}
	switch resp.StatusCode {
	case http.StatusSeeOther:
		return true, nil
	case http.StatusUnauthorized:
		// Not signed in yet (or the sign-in was cut off by a kill): sign in.
		resp, err := crashPost(ctx, client, base+"/login", url.Values{"_csrf": {token}, "username": {name}, "password": {crashPassword}})
		if err != nil {
			return false, err
		}
		if resp.StatusCode != http.StatusSeeOther {
			return false, fmt.Errorf("sign-in: status %d", resp.StatusCode)
		}
		return false, nil
	}
	return false, fmt.Errorf("save: status %d", resp.StatusCode)
}

func crashPost(ctx context.Context, client *http.Client, target string, form url.Values) (*http.Response, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp, err
}

func crashGet(ctx context.Context, client *http.Client, target string) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	return resp.Body.Close()
}

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// waitHealthy polls /healthz until it answers ok or the time is up.
func waitHealthy(base string, limit time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if resp, err := client.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("%s/healthz did not answer within %s", base, limit)
}

// median and longest of a few durations, for the report.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2].Round(time.Millisecond)
}

func longest(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	return slices.Max(ds).Round(time.Millisecond)
}
