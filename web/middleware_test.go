package web

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

func TestGzip(t *testing.T) {
	h := newTestServer(t).h
	rec := get(t, h, "/api/maps/afghanistan-2021/regions.geojson", "Accept-Encoding", "gzip")
	if rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("regions.geojson not gzipped: %v", rec.Header())
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(zr)
	if !bytes.HasPrefix(body, []byte(`{"type":"FeatureCollection"`)) {
		t.Errorf("gunzipped body starts %.40q", body)
	}
	if png := get(t, h, "/maps/afghanistan-2021/2021-08-14.png", "Accept-Encoding", "gzip"); png.Header().Get("Content-Encoding") != "" {
		t.Error("PNG gzipped again")
	}
}

func TestBodyLimit(t *testing.T) {
	h := newTestServer(t, withEditor("alice")).h
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader("username=a&password="+strings.Repeat("x", 100<<10)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a 100 KB form: status %d, want 413", rec.Code)
	}
}

func TestPanicIsA500AndTheServerStaysUp(t *testing.T) {
	var logs bytes.Buffer
	h := New(nil, slog.New(slog.NewTextHandler(&logs, nil)), nil).(*echo.Echo)
	h.GET("/boom", func(c echo.Context) error { panic("handler bug") })
	h.GET("/fine", func(c echo.Context) error { return c.String(200, "fine") })
	rec := get(t, h, "/boom")
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "handler bug") || strings.Contains(rec.Body.String(), "goroutine") {
		t.Errorf("panic: status %d, body %.300s", rec.Code, rec.Body)
	}
	if !strings.Contains(logs.String(), "panic in handler") || !strings.Contains(logs.String(), "handler bug") {
		t.Errorf("panic not logged: %s", logs.String())
	}
	if rec := get(t, h, "/fine"); rec.Code != 200 {
		t.Errorf("after the panic: %d", rec.Code)
	}
}

func TestAssetsAreContentHashed(t *testing.T) {
	h := newTestServer(t).h
	doc := parseHTML(t, get(t, h, "/maps/afghanistan-2021"))
	css, _ := doc.Find(`link[rel="stylesheet"][href^="/static/style.css"]`).Attr("href")
	if !strings.Contains(css, "?v=") {
		t.Fatalf("style.css is linked as %q, without a content hash", css)
	}
	if got := get(t, h, css).Header().Get("Cache-Control"); got != cacheImmutable {
		t.Errorf("hashed asset Cache-Control = %q, want %q", got, cacheImmutable)
	}
	if got := get(t, h, "/static/style.css?v=stale").Header().Get("Cache-Control"); got != cacheAsset {
		t.Errorf("asset with a stale hash Cache-Control = %q, want %q", got, cacheAsset)
	}
	// Module scripts keep one URL: edit.js imports map.js, and two URLs would run it twice.
	if src, _ := doc.Find(`script[type="module"][src^="/static/map.js"]`).Attr("src"); src != "/static/map.js" {
		t.Errorf("map.js is loaded as %q", src)
	}
}

func TestRegionsURLIsVersioned(t *testing.T) {
	h := newTestServer(t).h
	var script mapScript
	doc := parseHTML(t, get(t, h, "/maps/afghanistan-2021"))
	decodeJSON(t, strings.NewReader(doc.Find("script#map-data").Text()), &script)
	if !strings.Contains(script.GeoJSON, "/regions.geojson?v=") {
		t.Fatalf("the page loads regions from %q, without a version", script.GeoJSON)
	}
	rec := get(t, h, script.GeoJSON)
	if rec.Code != 200 || rec.Header().Get("Cache-Control") != cacheImmutable {
		t.Errorf("versioned regions: %d, Cache-Control %q", rec.Code, rec.Header().Get("Cache-Control"))
	}
	if got := get(t, h, "/api/maps/afghanistan-2021/regions.geojson").Header().Get("Cache-Control"); got != cacheLong {
		t.Errorf("unversioned regions Cache-Control = %q", got)
	}
}

// TestAccessLog checks the line logged for each request: one per request, whatever its
// outcome, with the id the response carries, and at the error level for a server fault.
func TestAccessLog(t *testing.T) {
	var logs bytes.Buffer
	h := newTestServer(t, withLog(slog.New(slog.NewJSONHandler(&logs, nil)))).e
	h.GET("/boom", func(c echo.Context) error { panic("handler bug") })
	tests := []struct {
		target     string
		header     []string
		wantStatus int
		wantLevel  string
		wantID     string // "": a new one; "-": none on the response (a cacheable API answer or file)
	}{
		{"/api/maps/afghanistan-2021/state?date=2021-08-14", nil, 200, "INFO", "-"},
		{"/api/maps/afghanistan-2021/state?date=2021-08-15", nil, 200, "INFO", "-"},
		{"/api/maps/afghanistan-2021/state?date=yesterday", nil, 400, "INFO", ""},
		{"/api/nothing", nil, 404, "INFO", ""},
		{"/maps/afghanistan-2021", nil, 200, "INFO", ""},
		{"/boom", nil, 500, "ERROR", ""},
		{"/maps/afghanistan-2021/regions/AF-BAL", []string{"X-Request-Id", "from-the-proxy"}, 200, "INFO", "from-the-proxy"},
		{"/static/map.js", nil, 200, "INFO", "-"},
		{"/healthz", nil, 200, "INFO", "-"},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		logs.Reset()
		rec := get(t, h, tt.target, tt.header...)
		var lines []map[string]any
		for line := range strings.Lines(logs.String()) {
			var v map[string]any
			if err := json.Unmarshal([]byte(line), &v); err != nil {
				t.Fatalf("%s: log line %q: %v", tt.target, line, err)
			}
			if v["msg"] == "request" {
				lines = append(lines, v)
			}
		}
		if len(lines) != 1 {
			t.Errorf("%s: %d request lines in %s", tt.target, len(lines), logs.String())
			continue
		}
		req, _ := lines[0]["req"].(map[string]any)
		id := rec.Header().Get("X-Request-Id")
		logged, _ := req["id"].(string)
		switch {
		case tt.wantID == "-":
			if id != "" || logged == "" || seen[logged] {
				t.Errorf("%s: response id %q, logged %q: want none on the response, a new one logged", tt.target, id, logged)
			}
		case logged != id || id == "" || seen[id] || (tt.wantID != "" && id != tt.wantID):
			t.Errorf("%s: logged id %v, response's %q (seen before: %v)", tt.target, req["id"], id, seen[id])
		}
		seen[logged] = true
		if lines[0]["level"] != tt.wantLevel || req["method"] != "GET" || req["uri"] != tt.target ||
			req["status"] != float64(tt.wantStatus) || rec.Code != tt.wantStatus {
			t.Errorf("%s: status %d, logged %v", tt.target, rec.Code, lines[0])
		}
		if _, ok := req["latency"].(float64); !ok {
			t.Errorf("%s: no latency in %v", tt.target, lines[0])
		}
	}
}
