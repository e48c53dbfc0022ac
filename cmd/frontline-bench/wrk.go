package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"text/template"
	"time"
)

// wrkGoal is the state endpoint's requests per second as a share of nginx's.
const wrkGoal = 0.8

// stateDate is the date whose state document both servers serve.
const stateDate = "2021-08-14"

// startNginx serves files (name -> bytes: a name.gz is served for name to a client taking
// gzip) with nginx from dir, on a free port, and returns the port and how to stop it.
func startNginx(cfg *config, dir, name string, files map[string][]byte) (int, func(), error) {
	for _, d := range []string{dir, filepath.Join(dir, "www"), filepath.Join(dir, "nginx-tmp")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return 0, nil, err
		}
	}
	// nginx's workers run as nobody when it starts as root: they must be able to read.
	for _, d := range []string{cfg.tmp, dir, filepath.Join(dir, "www")} {
		if err := os.Chmod(d, 0o755); err != nil {
			return 0, nil, err
		}
	}
	for file, b := range files {
		if err := os.WriteFile(filepath.Join(dir, "www", file), b, 0o644); err != nil {
			return 0, nil, err
		}
	}
	port, err := freePort()
	if err != nil {
		return 0, nil, err
	}
	var conf bytes.Buffer
	nginxConfig.Execute(&conf, map[string]any{"Dir": dir, "Port": port, "Workers": "auto"})
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, conf.Bytes(), 0o644); err != nil {
		return 0, nil, err
	}
	nginx := exec.Command("nginx", "-c", confPath, "-p", dir)
	nginxLog, err := logFile(cfg, name)
	if err != nil {
		return 0, nil, err
	}
	nginx.Stdout, nginx.Stderr = nginxLog, nginxLog
	if err := nginx.Start(); err != nil {
		nginxLog.Close()
		return 0, nil, fmt.Errorf("start nginx: %w", err)
	}
	stop := func() {
		nginx.Process.Signal(os.Interrupt) // nginx's fast shutdown is SIGTERM or SIGINT
		nginx.Wait()
		nginxLog.Close()
	}
	return port, stop, nil
}

// nginxConfig runs nginx in the foreground with everything in the run's directory. It is
// set up as a site serving static files would be: Debian's defaults (sendfile, tcp_nopush,
// an access log line per request, as Frontline logs one per request) and gzip_static, so
// that a client taking gzip gets the file's gzipped twin. nginx writes each log line as it
// comes (Debian's default, no buffer= on access_log), Frontline buffers its log and writes
// it at least every second: the comparison is against nginx as installed, not tuned. keepalive_requests is raised from
// its default of 1,000 so that nginx, like Go's server, never closes wrk's connections.
var nginxConfig = template.Must(template.New("nginx").Parse(`worker_processes {{.Workers}};
daemon off;
pid {{.Dir}}/nginx.pid;
error_log {{.Dir}}/nginx-error.log warn;
events {
	worker_connections 4096;
}
http {
	access_log {{.Dir}}/nginx-access.log;
	client_body_temp_path {{.Dir}}/nginx-tmp;
	proxy_temp_path {{.Dir}}/nginx-tmp;
	fastcgi_temp_path {{.Dir}}/nginx-tmp;
	uwsgi_temp_path {{.Dir}}/nginx-tmp;
	scgi_temp_path {{.Dir}}/nginx-tmp;
	types {
		application/json json geojson;
		text/html html;
		text/javascript js;
		text/css css;
	}
	default_type application/octet-stream;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	gzip_static on;
	server {
		listen 127.0.0.1:{{.Port}};
		root {{.Dir}}/www;
	}
}
`))

// runWrk serves the built-in map's state document from Frontline and, as a static file,
// from nginx, and runs wrk against each in turn with the same threads, connections and
// duration: once as plain JSON and once gzipped (as browsers ask).
func runWrk(ctx context.Context, cfg *config, report *report) error {
	for _, tool := range []string{"wrk", "nginx"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("no %s on PATH: `go tool task bench` installs Debian's wrk and nginx", tool)
		}
	}
	srv, err := startServer(ctx, cfg, filepath.Join(cfg.tmp, "builtin.db"), "serve-wrk")
	if err != nil {
		return err
	}
	defer srv.stop()
	stateURL := srv.url + "/api/maps/afghanistan-2021/state?date=" + stateDate

	// nginx serves the very bytes Frontline sends, plain and gzipped.
	dir := filepath.Join(cfg.tmp, "nginx")
	plain, err := fetch(stateURL, "")
	if err != nil {
		return err
	}
	gzipped, err := fetch(stateURL, "gzip")
	if err != nil {
		return err
	}
	port, stopNginx, err := startNginx(cfg, dir, "nginx", map[string][]byte{"state.json": plain, "state.json.gz": gzipped})
	if err != nil {
		return err
	}
	defer stopNginx()
	staticURL := fmt.Sprintf("http://127.0.0.1:%d/state.json", port)
	if err := waitFor(staticURL); err != nil {
		return fmt.Errorf("nginx: %w (see %s)", err, filepath.Join(cfg.tmp, "nginx.log"))
	}
	for _, enc := range []struct {
		name string
		want []byte
	}{{"", plain}, {"gzip", gzipped}} {
		got, err := fetch(staticURL, enc.name)
		if err != nil {
			return err
		}
		if !bytes.Equal(got, enc.want) {
			return fmt.Errorf("nginx serves %d bytes for Accept-Encoding %q, Frontline %d", len(got), enc.name, len(enc.want))
		}
	}

	goServer, err := startBareServer(plain, gzipped)
	if err != nil {
		return err
	}
	defer goServer.close()

	waitIdle(cfg, report, "wrk")
	for _, enc := range []string{"", "gzip"} {
		var header []string
		what := fmt.Sprintf("plain JSON, %s", fmtBytes(float64(len(plain))))
		if enc != "" {
			header = []string{"-H", "Accept-Encoding: gzip"}
			what = fmt.Sprintf("gzipped, %s", fmtBytes(float64(len(gzipped))))
		}
		// A short warm-up of each, not counted.
		for _, url := range []string{staticURL, stateURL} {
			if _, err := runWrkOnce(ctx, cfg, url, header, time.Second); err != nil {
				return err
			}
		}
		var ours, theirs float64
		var runs []string
		for range cfg.wrkRounds {
			n, err := runWrkOnce(ctx, cfg, staticURL, header, cfg.wrkDuration)
			if err != nil {
				return err
			}
			f, err := runWrkOnce(ctx, cfg, stateURL, header, cfg.wrkDuration)
			if err != nil {
				return err
			}
			theirs += n / float64(cfg.wrkRounds)
			ours += f / float64(cfg.wrkRounds)
			runs = append(runs, fmt.Sprintf("nginx %s, Frontline %s", fmtCount(n), fmtCount(f)))
		}
		// What Go's own HTTP server reaches with the same bytes and nothing else: the
		// ceiling for any Go server here, and so what Frontline's routing, middleware and
		// log line cost.
		bare, err := runWrkOnce(ctx, cfg, goServer.url(enc), header, cfg.wrkDuration)
		if err != nil {
			return err
		}
		ratio := ours / theirs
		report.add(fmt.Sprintf("State endpoint requests/s vs nginx serving the same bytes as a static file (%s; wrk -t%d -c%d -d%s, mean of %d rounds)",
			what, cfg.wrkThreads, cfg.wrkConns, cfg.wrkDuration, cfg.wrkRounds),
			"≥ 0.8× nginx", fmt.Sprintf("%s/s vs nginx %s/s: %.2f×", fmtCount(ours), fmtCount(theirs), ratio), ratio >= wrkGoal)
		report.info(fmt.Sprintf("Go's net/http alone serving the same bytes (%s), for reference: no routing, middleware or log line", what),
			fmt.Sprintf("%s/s: %.2f× nginx", fmtCount(bare), bare/theirs))
		report.detail("wrk, %s: %s (requests/s, round by round).", what, strings.Join(runs, "; "))
	}
	report.detail("wrk set-up: nginx with worker_processes auto (2 workers on this machine), sendfile, an access log line per request and keepalive_requests 1,000,000; Frontline as `frontline serve` with GOMAXPROCS at its default (all cores), its log line per request written to a file, buffered and written at least every second (nginx writes each line as it comes). wrk runs on the same cores, so each server gets what wrk leaves.")
	return nil
}

var (
	requestsPerSec = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	non2xx         = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
	socketErrors   = regexp.MustCompile(`Socket errors:.*`)
)

// runWrkOnce runs wrk against url and returns its requests per second. Any non-2xx answer
// or socket error makes the run an error: the figure would not be comparable.
func runWrkOnce(ctx context.Context, cfg *config, url string, header []string, d time.Duration) (float64, error) {
	args := append([]string{"-t" + strconv.Itoa(cfg.wrkThreads), "-c" + strconv.Itoa(cfg.wrkConns), "-d" + d.String()}, header...)
	args = append(args, url)
	out, err := exec.CommandContext(ctx, "wrk", args...).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("wrk %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	if m := non2xx.FindSubmatch(out); m != nil {
		return 0, fmt.Errorf("wrk %s: %s answers were not 2xx:\n%s", url, m[1], out)
	}
	if m := socketErrors.Find(out); m != nil {
		return 0, fmt.Errorf("wrk %s: %s\n%s", url, m, out)
	}
	m := requestsPerSec.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("wrk %s: no Requests/sec in its output:\n%s", url, out)
	}
	n, _ := strconv.ParseFloat(string(m[1]), 64)
	log.Printf("wrk %s: %s requests/s", url, fmtCount(n))
	return n, nil
}

// fetch returns url's body as sent: gzipped when encoding is "gzip".
func fetch(url, encoding string) ([]byte, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	if encoding != "" {
		req.Header.Set("Accept-Encoding", encoding)
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: time.Minute}
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, res.Status)
	}
	if got := res.Header.Get("Content-Encoding"); got != encoding {
		return nil, fmt.Errorf("GET %s with Accept-Encoding %q: Content-Encoding %q", url, encoding, got)
	}
	return body, nil
}

// waitFor polls url until it answers 200, for ten seconds at most.
func waitFor(url string) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := http.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("GET %s: %s", url, res.Status)
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// bareServer is a Go net/http server that answers every request with the state document,
// gzipped when asked: the reference for what Go alone reaches.
type bareServer struct {
	srv  *http.Server
	base string
}

func startBareServer(plain, gzipped []byte) (*bareServer, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		body := plain
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			h.Set("Content-Encoding", "gzip")
			body = gzipped
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})}
	go srv.Serve(l)
	return &bareServer{srv: srv, base: "http://" + l.Addr().String()}, nil
}

func (b *bareServer) url(string) string { return b.base + "/state.json" }

func (b *bareServer) close() { b.srv.Close() }
