package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
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

// nginxMain is the part of nginx's configuration a distribution provides (Debian's
// /etc/nginx/nginx.conf), pointed at the test's directory; the site inside it is
// deploy/nginx/frontline.conf.template, filled in as envsubst would, and nothing else.
var nginxMain = template.Must(template.New("nginx").Parse(`{{if .Root}}user root;
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
	include {{.Site}};
}
`))

// publicHost is the host name the deployment serves in the tests.
const publicHost = "maps.example.org"

// deployTemplate is the nginx site readers' requests go through in production.
const deployTemplate = "../deploy/nginx/frontline.conf.template"

// renderTemplate fills in a deploy/ template's ${NAME}s as envsubst does, failing on a name
// it is not given: the file is used exactly as a deployment would use it.
func renderTemplate(t *testing.T, path string, vars map[string]string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	out := regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`).ReplaceAllFunc(b, func(m []byte) []byte {
		name := string(m[2 : len(m)-1])
		v, ok := vars[name]
		if !ok {
			missing = append(missing, name)
		}
		return []byte(v)
	})
	if len(missing) > 0 {
		t.Fatalf("%s names %v, which the test does not fill in", path, missing)
	}
	return out
}

// selfSigned writes a certificate and key for host into dir and returns their paths and a
// pool that trusts the certificate.
func selfSigned(t *testing.T, dir, host string) (certPath, keyPath string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: host}, DNSNames: []string{host},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPath, keyPath = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certPath, keyPath, pool
}

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

// cachingProxy is nginx run with deploy/'s site in front of a server.
type cachingProxy struct {
	// base is the public address, https://maps.example.org; client reaches it through
	// nginx over TLS, whatever host a URL names. httpAddr is the plain-HTTP listener.
	base     string
	client   *http.Client
	httpAddr string
}

// clientFrom is a client of the proxy whose connections come from the loopback address
// local, as different readers' would from different addresses.
func (p *cachingProxy) clientFrom(local string) *http.Client {
	tr := p.client.Transport.(*http.Transport).Clone()
	dial := tr.DialContext
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		ctx = context.WithValue(ctx, localAddrKey{}, local)
		return dial(ctx, network, addr)
	}
	return &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type localAddrKey struct{}

// startCachingProxy starts nginx, configured by deploy/nginx/frontline.conf.template, in
// front of upstream (host:port). The test fails, rather than skips, without nginx: `go tool
// task test` installs it.
func startCachingProxy(t *testing.T, upstream string) *cachingProxy {
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
	freePort := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		return l.Addr().String()
	}
	tlsAddr, httpAddr := freePort(), freePort()
	cert, key, pool := selfSigned(t, dir, publicHost)
	site := renderTemplate(t, deployTemplate, map[string]string{
		"FRONTLINE_HOST": publicHost, "FRONTLINE_LISTEN": tlsAddr, "FRONTLINE_HTTP_LISTEN": httpAddr,
		"FRONTLINE_UPSTREAM": upstream, "FRONTLINE_CACHE_DIR": filepath.Join(dir, "cache"),
		"FRONTLINE_TLS_CERT": cert, "FRONTLINE_TLS_KEY": key,
	})
	sitePath := filepath.Join(dir, "frontline.conf")
	if err := os.WriteFile(sitePath, site, 0o644); err != nil {
		t.Fatal(err)
	}
	var conf bytes.Buffer
	// As root, nginx's workers would run as nobody, who cannot write to the test's
	// directory; as anyone else they run as that user.
	if err := nginxMain.Execute(&conf, map[string]any{"Dir": dir, "Site": sitePath, "Root": os.Geteuid() == 0}); err != nil {
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
	// Every connection goes to nginx's TLS listener, whatever host the URL names, from the
	// local address the context carries (127.0.0.1 when none); the certificate is checked
	// against the name the URL gives, as a browser would.
	tr := &http.Transport{
		DisableCompression: true,
		TLSClientConfig:    &tls.Config{RootCAs: pool},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			d := net.Dialer{Timeout: 5 * time.Second}
			if local, ok := ctx.Value(localAddrKey{}).(string); ok {
				d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(local)}
			}
			return d.DialContext(ctx, network, tlsAddr)
		},
	}
	p := &cachingProxy{base: "https://" + publicHost, client: &http.Client{Transport: tr}, httpAddr: httpAddr}
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := p.client.Get(p.base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p
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
	proxy := startCachingProxy(t, strings.TrimPrefix(srv.URL, "http://"))
	cache := proxy.base
	rd := reader{t, proxy.client}

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
		// Linked, or named in a <meta> for the script to load later (Leaflet's script and style
		// on a light page, static/map/start.js; Pym.js).
		srcs := regexp.MustCompile(`(?:src|href|content)="(/static/[^"]+\?v=[0-9a-f]+)"`).FindAllSubmatch(page.body, -1)
		if len(srcs) < 3 {
			t.Fatalf("the embed page links or names %d content-hashed assets, want Leaflet's script and style and ours", len(srcs))
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
