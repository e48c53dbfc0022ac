package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/geo/geotest"
)

// gridMapJSON is the map.json of the generated test maps: a year, three factions.
func gridMapJSON(slug string) string {
	return `{
  "slug": "` + slug + `", "title": "Grid ` + slug + `", "description": "A generated layer.", "attribution": "Frontline tests",
  "start": "2024-01-01", "end": "2024-12-31", "default_date": "2024-06-30",
  "initial": "blue", "id_property": "", "name_property": "name",
  "factions": [{"id": "blue", "name": "Blue", "color": "#2f6db5"},
               {"id": "gold", "name": "Gold", "color": "#d9a441"},
               {"id": "green", "name": "Green", "color": "#3f9b58"}]
}`
}

var (
	gridStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	gridEnd   = time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
)

// gridEvents returns k generated events for a grid of n regions over the test maps' year.
func gridEvents(n, k int) string {
	return string(geotest.GridEvents(n, k, []string{"gold", "green", "blue"}, gridStart, gridEnd))
}

// writeFiles writes files (name to content) into dir, creating it.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// frontline runs the command line and returns what it printed.
func frontline(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out strings.Builder
	err := run(context.Background(), args, strings.NewReader(""), &out, slog.New(slog.DiscardHandler))
	return out.String(), err
}

// openStore opens the database at path, closed when the test ends.
func openStore(t *testing.T, path string) *data.Store {
	t.Helper()
	s, err := data.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// seededDB returns the path of a new database holding the built-in map, closed.
func seededDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "frontline.db")
	seedDBAt(t, path)
	return path
}

// seedDBAt makes a new database at path holding the built-in map, closed.
func seedDBAt(t *testing.T, path string) {
	t.Helper()
	s, err := data.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Seed(context.Background(), slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
}

// dbFiles returns the bytes of the database file and of any file SQLite keeps beside it,
// so that two calls compare the whole database byte for byte.
func dbFiles(t *testing.T, path string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		if b, err := os.ReadFile(path + suffix); err == nil {
			files[filepath.Base(path+suffix)] = b
		}
	}
	return files
}

// saveChange signs the editor in when needed and saves one change through the real form,
// reporting whether the server acknowledged it (303 to the map).
func saveChange(ctx context.Context, client *http.Client, base, name, password, source string, i int) (bool, error) {
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
		resp, err := crashPost(ctx, client, base+"/login", url.Values{"_csrf": {token}, "username": {name}, "password": {password}})
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
