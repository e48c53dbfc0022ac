package web

import (
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

// TestErrorsAnswerAsTheirGroup checks that an error is answered the way the group of its
// route answers, for what a route returns, what no route takes under a group's prefix, and
// what no group takes at all.
func TestErrorsAnswerAsTheirGroup(t *testing.T) {
	h := newTestServer(t).h
	tests := []struct {
		name, method, target string
		status               int
		json                 bool   // else an HTML page
		frameAncestors       string // the CSP's frame-ancestors
	}{
		{"api_bad_date", "GET", "/api/maps/afghanistan-2021/state?date=x", 400, true, "'none'"},
		{"api_unknown_path", "GET", "/api/no/such/thing", 404, true, "'none'"},
		{"api_prefix_alone", "GET", "/api", 404, true, "'none'"},
		{"api_wrong_method", "DELETE", "/api/maps", 404, true, "'none'"},
		{"embed_bad_date", "GET", "/embed/afghanistan-2021?date=x", 400, false, "*"},
		{"embed_unknown_path", "GET", "/embed/afghanistan-2021/more", 404, false, "*"},
		{"page_bad_date", "GET", "/maps/afghanistan-2021?date=x", 400, false, "'self'"},
		{"picture_unknown_map", "GET", "/maps/nowhere/2021-08-14.png", 404, false, "'self'"},
		{"asset_missing", "GET", "/static/nothing.js", 404, false, "'self'"},
		{"no_route", "GET", "/no/such/page", 404, false, "'self'"},
		{"no_route_for_method", "DELETE", "/maps/afghanistan-2021", 405, false, "'self'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.target, nil))
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %.200s", rec.Code, tt.status, rec.Body)
			}
			ctype := rec.Header().Get("Content-Type")
			if got := strings.HasPrefix(ctype, echo.MIMEApplicationJSON); got != tt.json {
				t.Errorf("Content-Type %q, want JSON: %v", ctype, tt.json)
			}
			if !tt.json && !strings.HasPrefix(ctype, "text/html") {
				t.Errorf("Content-Type %q, want a page", ctype)
			}
			if got := cspDirectives(rec)["frame-ancestors"]; got != tt.frameAncestors {
				t.Errorf("frame-ancestors %q, want %q", got, tt.frameAncestors)
			}
			if rec.Header().Get("X-Request-Id") == "" {
				t.Error("an error answer without its X-Request-Id")
			}
		})
	}
}

// TestPanicAnswersAsItsGroup checks that a handler's panic is answered as its group
// answers: JSON from a route of the API's kind.
func TestPanicAnswersAsItsGroup(t *testing.T) {
	s := newServer(nil, slog.New(slog.DiscardHandler), nil)
	e := s.handler().(*echo.Echo)
	s.group(e, "/api", apiAnswers).GET("/boom", func(echo.Context) error { panic("handler bug") })
	rec := get(t, e, "/api/boom")
	var body map[string]string
	if rec.Code != 500 || json.Unmarshal(rec.Body.Bytes(), &body) != nil || strings.Contains(body["error"], "handler bug") {
		t.Errorf("panic in an API route: %d %q", rec.Code, rec.Body)
	}
}

// TestCacheableAnswers checks every kind of answer that body.write sends: an ETag and a
// Cache-Control, gzipped to a client that takes gzip when that is smaller (and then said to
// vary by Accept-Encoding), and 304 to a client that has it already.
func TestCacheableAnswers(t *testing.T) {
	srv := newTestServer(t)
	var script mapScript
	doc := parseHTML(t, get(t, srv.h, "/maps/afghanistan-2021"))
	decodeJSON(t, strings.NewReader(doc.Find("script#map-data").Text()), &script)
	// gzip: 1, gzipped; -1, never (a PNG is compressed already); 0, as gzip pays.
	tests := []struct {
		name, target string
		gzip         int
	}{
		{"state", "/api/maps/afghanistan-2021/state?date=2021-08-14", 1},
		{"regions", script.GeoJSON, 1},
		{"map_list", "/api/maps", 0},
		{"map", "/api/maps/afghanistan-2021", 0},
		{"events", "/api/maps/afghanistan-2021/events", 1},
		{"state_geojson", "/api/maps/afghanistan-2021/state.geojson?date=2021-08-14", 1},
		{"state_csv", "/api/maps/afghanistan-2021/state.csv?date=2021-08-14", 1},
		{"asset", "/static/map.js", 1},
		{"svg", "/maps/afghanistan-2021/2021-08-14.svg", 1},
		{"png", "/maps/afghanistan-2021/2021-08-14.png", -1},
		{"feed", "/maps/afghanistan-2021/changes.atom", 0},
		{"embed", "/embed/afghanistan-2021?date=2021-08-14", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plain := get(t, srv.h, tt.target)
			etag := plain.Header().Get("ETag")
			if plain.Code != 200 || etag == "" || plain.Header().Get("Cache-Control") == "" {
				t.Fatalf("%d, ETag %q, Cache-Control %q", plain.Code, etag, plain.Header().Get("Cache-Control"))
			}
			zipped := get(t, srv.h, tt.target, "Accept-Encoding", "gzip")
			if zipped.Header().Get("ETag") != etag {
				t.Errorf("gzipped ETag %q, plain %q: one body, one ETag", zipped.Header().Get("ETag"), etag)
			}
			gzipped := zipped.Header().Get("Content-Encoding") == "gzip"
			if (tt.gzip == 1 && !gzipped) || (tt.gzip == -1 && gzipped) {
				t.Errorf("gzipped: %v (%d bytes plain)", gzipped, plain.Body.Len())
			}
			if gzipped {
				zr, err := gzip.NewReader(zipped.Body)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(zr)
				if string(body) != plain.Body.String() {
					t.Errorf("gunzipped body differs from the plain one")
				}
				if !strings.Contains(zipped.Header().Get("Vary"), "Accept-Encoding") {
					t.Errorf("gzipped without Vary: Accept-Encoding: %q", zipped.Header().Values("Vary"))
				}
			}
			if rec := get(t, srv.h, tt.target, "If-None-Match", etag); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
				t.Errorf("with its ETag: %d and %d bytes, want 304 and none", rec.Code, rec.Body.Len())
			}
		})
	}
}
