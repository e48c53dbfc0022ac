package web

import (
	"bytes"
	"compress/gzip"
	"encoding/json"

	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"text/template"
	"time"
)

// cachingProxyConfig runs nginx as the caching reverse proxy a newsroom would put in front
// of Frontline for the day an embed goes viral: it keeps what the server says it may keep,
// for as long as the server says (Cache-Control), revalidates with the ETag when that runs
// out, and tells each response's fate in X-Cache-Status.
var cachingProxyConfig = template.Must(template.New("nginx").Parse(`{{if .Root}}user root;
{{end}}worker_processes 1;
daemon off;
pid {{.Dir}}/nginx.pid;
error_log {{.Dir}}/error.log warn;
events {
	worker_connections 256;
}
http {
	access_log off;
	client_body_temp_path {{.Dir}}/tmp;
	proxy_temp_path {{.Dir}}/tmp;
	fastcgi_temp_path {{.Dir}}/tmp;
	uwsgi_temp_path {{.Dir}}/tmp;
	scgi_temp_path {{.Dir}}/tmp;
	proxy_cache_path {{.Dir}}/cache levels=1:2 keys_zone=frontline:10m inactive=1h use_temp_path=off;
	server {
		listen 127.0.0.1:{{.Port}};
		location / {
			proxy_pass {{.Upstream}};
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_cache frontline;
			proxy_cache_revalidate on;
			proxy_cache_lock on;
			add_header X-Cache-Status $upstream_cache_status always;
		}
	}
}
`))

// countingHandler counts the requests that reach the server, by path and query.
type countingHandler struct {
	h    http.Handler
	mu   sync.Mutex
	seen map[string]int
}

func (c *countingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.seen[r.URL.RequestURI()]++
	c.mu.Unlock()
	c.h.ServeHTTP(w, r)
}

func (c *countingHandler) count(uri string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seen[uri]
}

// startCachingProxy starts nginx in front of upstream and returns its base URL. The test
// fails, rather than skips, without nginx: `go tool task test` installs it.
func startCachingProxy(t *testing.T, upstream string) string {
	t.Helper()
	bin, err := exec.LookPath("nginx")
	if err != nil {
		// Debian puts it in /usr/sbin, which is not on every user's PATH.
		if _, serr := os.Stat("/usr/sbin/nginx"); serr != nil {
			t.Fatal("no nginx: run the tests with `go tool task test`, which installs Debian's nginx")
		}
		bin = "/usr/sbin/nginx"
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	var conf bytes.Buffer
	// As root, nginx's workers would run as nobody, who cannot write to the test's
	// directory; as anyone else they run as that user.
	if err := cachingProxyConfig.Execute(&conf, map[string]any{"Dir": dir, "Port": port, "Upstream": upstream, "Root": os.Geteuid() == 0}); err != nil {
		t.Fatal(err)
	}
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, conf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd := exec.Command(bin, "-e", "stderr", "-p", dir, "-c", confPath)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start nginx: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return base
			}
		}
		select {
		case <-exited:
			t.Fatalf("nginx exited:\n%s", out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx did not answer within 10 s: %v\n%s", err, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// reader fetches through the cache as a browser does: gzip accepted, no cookies.
type reader struct {
	t      *testing.T
	client *http.Client
}

type fetched struct {
	status int
	header http.Header
	body   []byte // gunzipped
}

func (r reader) get(u string) fetched {
	r.t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		r.t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := r.client.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer res.Body.Close()
	var body io.Reader = res.Body
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			r.t.Fatalf("GET %s: %v", u, err)
		}
		body = zr
	}
	b, err := io.ReadAll(body)
	if err != nil {
		r.t.Fatalf("GET %s: %v", u, err)
	}
	return fetched{res.StatusCode, res.Header, b}
}

// TestCachingProxy puts nginx, caching, in front of the real server, as a newsroom would on
// the day an embed goes viral, and shows that repeated reads are served by the cache
// without reaching the server, that assets named by their content are kept for good, and
// that an editor's change still reaches readers within the state's max-age.
func TestCachingProxy(t *testing.T) {
	origin := &countingHandler{h: newTestServer(t, withEditor("alice")).h, seen: map[string]int{}}
	srv := httptest.NewServer(origin)
	defer srv.Close()
	cache := startCachingProxy(t, srv.URL)
	rd := reader{t, &http.Client{Transport: &http.Transport{DisableCompression: true}}}

	const stateURI = "/api/maps/afghanistan-2021/state?date=2021-08-14"
	holderOfWardak := func() string {
		t.Helper()
		r := rd.get(cache + stateURI)
		var st apiStateBody
		if err := json.Unmarshal(r.body, &st); err != nil {
			t.Fatalf("state through the cache: %d %v: %.200s", r.status, err, r.body)
		}
		return st.Regions["AF-WAR"]
	}
	// readTwice reads uri through the cache twice: the second answer must come from the
	// cache, and the server must have seen one request.
	readTwice := func(uri string) fetched {
		t.Helper()
		before := origin.count(uri)
		first := rd.get(cache + uri)
		second := rd.get(cache + uri)
		if first.status != http.StatusOK || second.status != http.StatusOK {
			t.Fatalf("GET %s through the cache: %d, then %d", uri, first.status, second.status)
		}
		if got := second.header.Get("X-Cache-Status"); got != "HIT" {
			t.Errorf("GET %s again: X-Cache-Status %q, want HIT (Cache-Control %q)", uri, got, second.header.Get("Cache-Control"))
		}
		if n := origin.count(uri) - before; n != 1 {
			t.Errorf("GET %s twice through the cache: the server saw %d requests, want 1", uri, n)
		}
		if !bytes.Equal(first.body, second.body) {
			t.Errorf("GET %s: the cache answered other bytes than the server", uri)
		}
		return second
	}

	// The state a live embed shows, cached from now on: Maidan Wardak is the government's.
	if got := holderOfWardak(); got != "government" {
		t.Fatalf("Maidan Wardak on 14 August: %s, want government", got)
	}
	cachedAt := time.Now()

	// An editor records that it fell that day, through the real sign-in and form.
	changedAt := recordChange(t, srv.URL, editorPassword)

	t.Run("state_endpoint", func(t *testing.T) {
		r := readTwice("/api/maps/afghanistan-2021/state?date=2021-08-15")
		if cc := r.header.Get("Cache-Control"); cc != cacheState {
			t.Errorf("state Cache-Control = %q, want %q", cc, cacheState)
		}
	})
	var page fetched
	t.Run("embed_page", func(t *testing.T) {
		page = readTwice("/embed/afghanistan-2021?date=2021-08-15")
	})
	t.Run("versioned_regions", func(t *testing.T) {
		m := regexp.MustCompile(`"geojson":"([^"]+)"`).FindSubmatch(page.body)
		if m == nil {
			t.Fatalf("the embed page names no regions.geojson: %.300s", page.body)
		}
		uri := string(m[1])
		if !strings.Contains(uri, "?v=") {
			t.Fatalf("regions.geojson %q has no version", uri)
		}
		if cc := readTwice(uri).header.Get("Cache-Control"); cc != cacheImmutable {
			t.Errorf("versioned regions.geojson Cache-Control = %q, want %q", cc, cacheImmutable)
		}
	})
	t.Run("hashed_assets", func(t *testing.T) {
		srcs := regexp.MustCompile(`(?:src|href)="(/static/[^"]+\?v=[0-9a-f]+)"`).FindAllSubmatch(page.body, -1)
		if len(srcs) < 3 {
			t.Fatalf("the embed page links %d content-hashed assets, want Leaflet's script and style and ours", len(srcs))
		}
		for _, m := range srcs {
			uri := string(m[1])
			if cc := readTwice(uri).header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
				t.Errorf("%s Cache-Control = %q, want immutable for a year", uri, cc)
			}
		}
	})

	t.Run("editor_change_within_max_age", func(t *testing.T) {
		maxAge := maxAgeOf(t, cacheState)
		// The cache may keep the old answer until its max-age runs out, counted from when it
		// fetched it, and no longer. A poll every 200 ms adds at most that much.
		bound := time.Until(cachedAt.Add(maxAge)) + time.Second
		deadline := time.Now().Add(bound)
		for holderOfWardak() != "taliban" {
			if time.Now().After(deadline) {
				t.Fatalf("the change was not visible through the cache %s after it was made (max-age %s)", time.Since(changedAt).Round(time.Millisecond), maxAge)
			}
			time.Sleep(200 * time.Millisecond)
		}
		took := time.Since(changedAt)
		if took > maxAge+time.Second {
			t.Errorf("the change took %s to show through the cache, past the max-age of %s", took, maxAge)
		}
		t.Logf("the change showed through the cache %s after it was made (max-age %s)", took.Round(time.Millisecond), maxAge)
		// The embed page at that date follows as well.
		r := rd.get(cache + "/embed/afghanistan-2021?date=2021-08-14")
		if !strings.Contains(string(r.body), "Maidan Shahr fell") {
			t.Errorf("the embed page through the cache does not show the change yet (X-Cache-Status %s)", r.header.Get("X-Cache-Status"))
		}
	})
}

// recordChange signs in as alice and records, through the editor's form, that Maidan Wardak
// fell to the Taliban on 14 August 2021, and returns when it was recorded.
func recordChange(t *testing.T, server, password string) time.Time {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	csrf := func() string {
		u, _ := url.Parse(server)
		for _, ck := range jar.Cookies(u) {
			if ck.Name == "frontline_csrf" {
				return ck.Value
			}
		}
		t.Fatal("no CSRF cookie")
		return ""
	}
	post := func(path string, form url.Values) *http.Response {
		t.Helper()
		res, err := client.PostForm(server+path, form)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	res, err := client.Get(server + "/login")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res := post("/login", url.Values{"_csrf": {csrf()}, "username": {"alice"}, "password": {password}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %s", res.Status)
	}
	res = post("/maps/afghanistan-2021/events", url.Values{"_csrf": {csrf()}, "region": {"AF-WAR"}, "faction": {"taliban"},
		"date": {"2021-08-14"}, "source": {"https://example.org/report"}, "note": {"Maidan Shahr fell"},
		"confidence": {"confirmed"}, "intent": {"save"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("recording the change: %s", res.Status)
	}
	return time.Now()
}

// maxAgeOf reads max-age from a Cache-Control value.
func maxAgeOf(t *testing.T, cacheControl string) time.Duration {
	t.Helper()
	for _, d := range strings.Split(cacheControl, ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(d), "max-age="); ok {
			n, err := strconv.Atoi(v)
			if err == nil {
				return time.Duration(n) * time.Second
			}
		}
	}
	t.Fatalf("Cache-Control %q has no max-age", cacheControl)
	return 0
}
