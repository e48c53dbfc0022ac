package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"github.com/frontline-maps/frontline/geo"
)

// TestPageDataRendererAndHatch checks that the server, not the script, decides how the
// browser draws a map: SVG below canvasMinRegions regions, a canvas from there, either way
// after the server's inline map in the map box; and that every map page hands over geo's one hatch, in the page
// data for the scripts and as custom properties for the style sheet's swatches.
func TestPageDataRendererAndHatch(t *testing.T) {
	large, builtin := newLargeMapServer(t).h, newTestServer(t).h
	tests := []struct {
		name       string
		h          http.Handler
		target     string
		wantRender string
		wantInline int // regions painted in the inline map; -1: every region, a ring each in a path a fill
	}{
		{"built_in_map_is_svg", builtin, "/maps/afghanistan-2021?date=2021-08-14", "svg", 34},
		{"built_in_embed_is_svg", builtin, "/embed/afghanistan-2021?date=2021-08-14", "svg", 34},
		{"large_map_is_canvas", large, "/maps/grid", "canvas", -1},
		{"large_embed_is_canvas", large, "/embed/grid", "canvas", -1},
	}
	wantHatch := scriptHatch{Period: geo.HatchPeriod, Stripe: geo.HatchStripe, Angle: geo.HatchAngle, Ground: geo.HatchGround}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, tt.h, tt.target)
			if rec.Code != 200 {
				t.Fatalf("status %d", rec.Code)
			}
			doc := parseHTML(t, rec)
			var script mapScript
			if err := json.Unmarshal([]byte(doc.Find("script#map-data").Text()), &script); err != nil {
				t.Fatalf("map-data: %v", err)
			}
			if script.Renderer != tt.wantRender {
				t.Errorf("renderer %q, want %q", script.Renderer, tt.wantRender)
			}
			fills := doc.Find("#map > svg.map-inline path[fill]:not(.context-land, .context-lines)")
			if want := tt.wantInline; want >= 0 {
				if got := fills.Length(); got != want {
					t.Errorf("inline map in #map paints %d regions, want %d", got, want)
				}
			} else {
				// A large map's coarse picture draws a path a fill (geo.InlineFor), each with
				// the rings of its regions: as many rings as the regions have.
				rings := 0
				fills.Each(func(_ int, p *goquery.Selection) { rings += strings.Count(p.AttrOr("d", ""), "M") })
				if got, want := rings, ringsOf(t, tt.h, script.GeoJSON); got != want {
					t.Errorf("inline map in #map paints %d rings, want the regions' %d", got, want)
				}
				if got := fills.Length(); got > len(script.Factions)*2 {
					t.Errorf("inline map in #map has %d filled paths, want one a fill (%d factions, solid or hatched)", got, len(script.Factions))
				}
			}
			if diff := cmp.Diff(wantHatch, script.Hatch); diff != "" {
				t.Errorf("hatch (-want +got):\n%s", diff)
			}
			style, _ := doc.Find("html").Attr("style")
			for _, prop := range []string{
				fmt.Sprintf("--hatch-period:%gpx", geo.HatchPeriod), fmt.Sprintf("--hatch-stripe:%gpx", geo.HatchStripe),
				fmt.Sprintf("--hatch-angle:%gdeg", geo.HatchAngle+90), "--hatch-ground:" + geo.HatchGround, "--hatch-key:" + geo.HatchKey,
			} {
				if !strings.Contains(style, prop) {
					t.Errorf("<html style=%q> lacks %s", style, prop)
				}
			}
		})
	}
}

// ringsOf counts the rings of the regions (Polygons and MultiPolygons) at url, holes included.
func ringsOf(t *testing.T, h http.Handler, url string) int {
	t.Helper()
	rec := get(t, h, url)
	var fc struct {
		Features []struct {
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &fc); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	n := 0
	for _, f := range fc.Features {
		var polys [][][][2]float64
		if f.Geometry.Type == "Polygon" {
			var rings [][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &rings); err != nil {
				t.Fatal(err)
			}
			polys = append(polys, rings)
		} else if err := json.Unmarshal(f.Geometry.Coordinates, &polys); err != nil {
			t.Fatal(err)
		}
		for _, p := range polys {
			n += len(p)
		}
	}
	return n
}

func TestRendererFor(t *testing.T) {
	for _, tt := range []struct {
		regions int
		want    string
	}{{0, "svg"}, {canvasMinRegions - 1, "svg"}, {canvasMinRegions, "canvas"}, {5000, "canvas"}} {
		if got := rendererFor(tt.regions); got != tt.want {
			t.Errorf("rendererFor(%d) = %q, want %q", tt.regions, got, tt.want)
		}
	}
}

// TestLightPageHead: a map below canvasMinRegions without tiles is light (mapScript.Lite):
// its inline map is the live map, and its head neither links nor preloads Leaflet, its style
// sheet or the shapes, naming Leaflet's files for the script to load on a zoom instead. A
// large map and a map with tiles load Leaflet at once, as before.
func TestLightPageHead(t *testing.T) {
	builtin, large := newTestServer(t).h, newLargeMapServer(t).h
	tiles := newTestServer(t, withOptions(WithTiles("https://{s}.tile.example.org/{z}/{x}/{y}.png"))).h
	tests := []struct {
		name     string
		h        http.Handler
		target   string
		wantLite bool
	}{
		{"built_in_map", builtin, "/maps/afghanistan-2021", true},
		{"built_in_embed", builtin, "/embed/afghanistan-2021", true},
		{"map_with_tiles", tiles, "/maps/afghanistan-2021", false},
		{"embed_with_tiles", tiles, "/embed/afghanistan-2021", false},
		{"large_map", large, "/maps/grid", false},
		{"large_embed", large, "/embed/grid", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, tt.h, tt.target)
			if rec.Code != 200 {
				t.Fatalf("status %d", rec.Code)
			}
			doc := parseHTML(t, rec)
			var script mapScript
			if err := json.Unmarshal([]byte(doc.Find("script#map-data").Text()), &script); err != nil {
				t.Fatalf("map-data: %v", err)
			}
			if script.Lite != tt.wantLite {
				t.Errorf("page data lite = %v, want %v", script.Lite, tt.wantLite)
			}
			early := doc.Find(`head link[href*="leaflet"], head link[rel="preload"][href*="regions.geojson"]`).Length()
			named := doc.Find(`head meta[name="frontline-leaflet-js"][content*="leaflet.js"], head meta[name="frontline-leaflet-css"][content*="leaflet.css"]`).Length()
			if tt.wantLite && (early != 0 || named != 2) {
				t.Errorf("light page: %d links or preloads of Leaflet or the shapes (want 0), %d of Leaflet's files named in <meta> (want 2)", early, named)
			}
			if !tt.wantLite && (early == 0 || named != 0) {
				t.Errorf("page loading Leaflet at once: %d links or preloads of Leaflet or the shapes (want some), %d <meta> (want 0)", early, named)
			}
		})
	}
}
