package geo

import (
	"bytes"
	"math"
	"regexp"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/project"
)

func TestRoundDown125(t *testing.T) {
	for _, tt := range []struct{ v, want float64 }{
		{1, 1}, {1.9, 1}, {2, 2}, {2.5, 2}, {3, 3}, {4.99, 3}, {5, 5}, {9.99, 5}, {10, 10},
		{0.7, 0.5}, {999, 500}, {410_000, 300_000}, {254.8, 200},
	} {
		if got := roundDown125(tt.v); math.Abs(got-tt.want) > 1e-9*tt.want {
			t.Errorf("roundDown125(%v) = %v, want %v", tt.v, got, tt.want)
		}
	}
}

func TestScaleLines(t *testing.T) {
	for _, tt := range []struct {
		name                 string
		metresPerPx          float64
		metric, imperial     string
		metricPx, imperialPx float64
	}{
		{"a country", 4100, "300 km", "200 mi", 73.17, 78.51},
		{"a city", 5, "500 m", "1000 ft", 100, 60.96},
		{"a district", 30, "3 km", "1 mi", 100, 53.64},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, i := scaleLines(tt.metresPerPx, 100)
			if m.label != tt.metric || i.label != tt.imperial {
				t.Errorf("labels %q and %q, want %q and %q", m.label, i.label, tt.metric, tt.imperial)
			}
			if math.Abs(m.px-tt.metricPx) > 0.01 || math.Abs(i.px-tt.imperialPx) > 0.01 {
				t.Errorf("lengths %.2f and %.2f px, want %.2f and %.2f", m.px, i.px, tt.metricPx, tt.imperialPx)
			}
		})
	}
}

// TestInlineScaleBar measures the built-in map's inline picture with a ruler of its own: two
// points 100 pixels apart across the picture's middle, unprojected, and their distance on
// the sphere; each view's bar must say what that distance rounds to, at the length it covers.
func TestInlineScaleBar(t *testing.T) {
	s := afghanistan(t)
	views := []InlineView{{Name: "narrow", Width: 330, Height: 380}, {Name: "wide", Width: 760, Height: 460}}
	var b bytes.Buffer
	if err := RenderInline(&b, s, InlineFor(len(s.Regions), "x", views)); err != nil {
		t.Fatal(err)
	}
	c, err := layoutInline(s, InlineFor(len(s.Regions), "x", views))
	if err != nil {
		t.Fatal(err)
	}
	groups := regexp.MustCompile(`(?s)<g class="map-inline-scale map-inline-scale-(\w+)".*?</g>`).FindAllStringSubmatch(b.String(), -1)
	if len(groups) != len(views) {
		t.Fatalf("%d scale bars, want one a view (%d)", len(groups), len(views))
	}
	for i, v := range views {
		if groups[i][1] != v.Name {
			t.Errorf("scale bar %d is the %q view's, want %q", i, groups[i][1], v.Name)
		}
		scale := v.scale(c)
		// The ruler: 100 view pixels across the middle row, in Web Mercator metres, back to
		// longitude and latitude.
		midY := c.mapBox.h / 2
		toLonLat := func(px float64) orb.Point {
			return project.Mercator.ToWGS84(orb.Point{(px - c.fit.x0) / c.fit.scale, (c.fit.y0 - midY) / c.fit.scale})
		}
		metres := orbgeo.DistanceHaversine(toLonLat(0), toLonLat(100/scale)) * haversineRadius / orb.EarthRadius
		km := roundDown125(metres / 1000)
		text := regexp.MustCompile(`<text[^>]*>([^<]*)</text>`).FindAllStringSubmatch(groups[i][0], -1)
		if len(text) != 2 || text[0][1] != strconv.FormatFloat(km, 'f', -1, 64)+" km" || text[1][1][len(text[1][1])-3:] != " mi" {
			t.Errorf("%s: the bar says %v, want %g km over miles", v.Name, text, km)
		}
		// The metric box's width in the picture's units: km of the 100-pixel ruler's metres.
		rect := regexp.MustCompile(`<rect[^>]* width="([0-9.]+)"`).FindStringSubmatch(groups[i][0])
		w, _ := strconv.ParseFloat(rect[1], 64)
		if want := 100 / scale * km * 1000 / metres; math.Abs(w-want) > 0.2 {
			t.Errorf("%s: the metric line is %.1f units long, want %.1f", v.Name, w, want)
		}
	}
}
