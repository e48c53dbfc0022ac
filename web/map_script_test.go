package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/frontline-maps/frontline/geo"
)

// TestPageDataRendererAndHatch checks that the server, not the script, decides how the
// browser draws a map: SVG with a first picture below canvasMinRegions regions, a canvas
// without one from there; and that every map page hands over geo's one hatch, in the page
// data for the scripts and as custom properties for the style sheet's swatches.
func TestPageDataRendererAndHatch(t *testing.T) {
	large, builtin := newLargeMapServer(t).h, newTestServer(t).h
	tests := []struct {
		name        string
		h           http.Handler
		target      string
		wantRender  string
		wantPicture bool
	}{
		{"built_in_map_is_svg", builtin, "/maps/afghanistan-2021?date=2021-08-14", "svg", true},
		{"built_in_embed_is_svg", builtin, "/embed/afghanistan-2021?date=2021-08-14", "svg", true},
		{"large_map_is_canvas", large, "/maps/grid", "canvas", false},
		{"large_embed_is_canvas", large, "/embed/grid", "canvas", false},
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
			if got := script.Picture != nil; got != tt.wantPicture {
				t.Errorf("first picture in the page data: %v, want %v", got, tt.wantPicture)
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
