package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestContextAPI(t *testing.T) {
	h := newTestServer(t, withMaps(gridFolder("bare", 4, 3))).h
	builtin := newTestServer(t).h
	tests := []struct {
		name   string
		h      http.Handler
		target string
		code   int
		want   []string // features, as "name part"
	}{
		{"built-in neighbours", builtin, "/api/maps/afghanistan-2021/context.geojson", 200, []string{"Pakistan land", "Pakistan lines", "Iran land"}},
		{"a map without context", h, "/api/maps/bare/context.geojson", 200, nil},
		{"an unknown map", h, "/api/maps/nowhere/context.geojson", 404, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, tt.h, tt.target)
			if rec.Code != tt.code {
				t.Fatalf("GET %s: %d, want %d: %s", tt.target, rec.Code, tt.code, rec.Body)
			}
			if tt.code != 200 {
				return
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/geo+json" || rec.Header().Get("ETag") == "" {
				t.Errorf("Content-Type %q, ETag %q", ct, rec.Header().Get("ETag"))
			}
			var fc struct {
				Type     string `json:"type"`
				Features []struct {
					Properties struct{ Name, Part string } `json:"properties"`
				} `json:"features"`
			}
			decodeJSON(t, rec.Body, &fc)
			got := map[string]bool{}
			for _, f := range fc.Features {
				got[f.Properties.Name+" "+f.Properties.Part] = true
			}
			if fc.Type != "FeatureCollection" || (tt.want == nil && len(fc.Features) != 0) {
				t.Errorf("%s of %d features, want a FeatureCollection of %d", fc.Type, len(fc.Features), len(tt.want))
			}
			for _, w := range tt.want {
				if !got[w] {
					t.Errorf("no %q among %v", w, got)
				}
			}
		})
	}
}

// The picture draws the land around the map under its regions, and a map without
// context has none.
func TestPictureDrawsContext(t *testing.T) {
	builtin := newTestServer(t).h
	bare := newTestServer(t, withMaps(gridFolder("bare", 4, 3))).h
	for _, tt := range []struct {
		name   string
		h      http.Handler
		target string
		want   bool
	}{
		{"built-in", builtin, "/maps/afghanistan-2021/2021-08-14.svg", true},
		{"without context", bare, "/maps/bare/2024-06-30.svg", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, tt.h, tt.target)
			if rec.Code != 200 {
				t.Fatalf("GET %s: %d", tt.target, rec.Code)
			}
			body := rec.Body.String()
			land, lines, regions := strings.Index(body, `class="context-land"`), strings.Index(body, `class="context-lines"`), strings.Index(body, `data-region=`)
			if got := land >= 0 && lines >= 0; got != tt.want {
				t.Fatalf("context drawn: %v, want %v", got, tt.want)
			}
			if tt.want && !(land < regions && lines < regions) {
				t.Errorf("context at %d and %d, after the first region at %d: it must be under them", land, lines, regions)
			}
			if png := get(t, tt.h, strings.TrimSuffix(tt.target, ".svg")+".png"); png.Code != 200 {
				t.Errorf("PNG: %d", png.Code)
			}
		})
	}
}

// Tiles are off unless the operator sets a template; then map pages and embeds carry it in
// their data and may load images from its origin, and nothing else changes.
func TestTilesOnlyWhenConfigured(t *testing.T) {
	const template = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
	off := newTestServer(t).h
	on := newTestServer(t, withOptions(WithTiles(template))).h
	for _, tt := range []struct {
		name      string
		h         http.Handler
		wantTiles string
		wantCSP   string
	}{
		{"off by default", off, "", "img-src 'self' data:;"},
		{"configured", on, template, "img-src 'self' data: https://*.tile.example.org;"},
	} {
		for _, page := range []string{"/maps/afghanistan-2021", "/embed/afghanistan-2021"} {
			t.Run(tt.name+page, func(t *testing.T) {
				rec := get(t, tt.h, page)
				if rec.Code != 200 {
					t.Fatalf("GET %s: %d", page, rec.Code)
				}
				if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, tt.wantCSP) {
					t.Errorf("Content-Security-Policy %q does not hold %q", csp, tt.wantCSP)
				}
				var script struct{ Tiles, Context string }
				if err := json.Unmarshal([]byte(parseHTML(t, rec).Find("#map-data").Text()), &script); err != nil {
					t.Fatal(err)
				}
				if script.Tiles != tt.wantTiles || script.Context != "/api/maps/afghanistan-2021/context.geojson" {
					t.Errorf("page data: tiles %q, context %q; want tiles %q and the context's URL", script.Tiles, script.Context, tt.wantTiles)
				}
			})
		}
	}
}
