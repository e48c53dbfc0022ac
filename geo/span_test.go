package geo

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/paulmach/orb"
)

func TestSpanOf(t *testing.T) {
	box := func(west, east float64) orb.Polygon {
		return orb.Polygon{{{west, 0}, {east, 0}, {east, 1}, {west, 1}, {west, 0}}}
	}
	// Each longitude band a polygon of its own, as RFC 7946 cuts a region at ±180.
	multi := func(bands ...[2]float64) orb.Geometry {
		var mp orb.MultiPolygon
		for _, b := range bands {
			mp = append(mp, box(b[0], b[1]))
		}
		return mp
	}
	// The whole world in bands a few degrees apart: the largest gap is a strait.
	var world []orb.Geometry
	for lon := -180.0; lon < 180; lon += 10 {
		world = append(world, box(lon, lon+7))
	}
	tests := []struct {
		name       string
		geoms      []orb.Geometry
		west, east float64
		crosses    bool
	}{
		{"east_of_0_as_it_is", []orb.Geometry{box(60.5, 75), box(70, 71.5)}, 60.5, 75, false},
		{"west_of_0_as_it_is", []orb.Geometry{box(-125, -66)}, -125, -66, false},
		{"touching_180_from_the_west_as_it_is", []orb.Geometry{box(170, 180)}, 170, 180, false},
		{"fiji_cut_at_the_line", []orb.Geometry{multi([2]float64{177, 180}, [2]float64{-180, -178.5})}, 177, 181.5, true},
		{"fiji_one_ring_across_the_line", []orb.Geometry{orb.Polygon{{{177, -17}, {-178.5, -17}, {-178.5, -16}, {177, -16}, {177, -17}}}}, 177, 181.5, true},
		// us-atlas: the lower 48 and Alaska west of 0, the Aleutians' far end east of 180.
		{"aleutians_with_alaska", []orb.Geometry{
			multi([2]float64{-180, -130}, [2]float64{172.4, 180}), box(-125, -66.9)}, -187.6, -66.9, true},
		// Russia: the bulk east of 0, Chukotka's tip west of 180.
		{"russia", []orb.Geometry{multi([2]float64{19.6, 180}, [2]float64{-180, -169})}, 19.6, 191, true},
		// Guam to the Virgin Islands: the United States with its territories.
		{"us_with_territories", []orb.Geometry{box(144.6, 146), box(172.4, 180), box(-180, -130), box(-125, -64.5)}, -215.4, -64.5, true},
		{"whole_world_no_wrap_helps", world, -180, 177, false},
		// The gap left out would be 100°: across, the map would still be more than half the world.
		{"wider_than_half_the_world_as_it_is", []orb.Geometry{box(-170, -100), box(-60, 0), box(100, 175)}, -170, 175, false},
		{"nothing", nil, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := SpanOf(tt.geoms)
			if math.Abs(s.West-tt.west) > 1e-9 || math.Abs(s.East-tt.east) > 1e-9 || s.Crosses() != tt.crosses {
				t.Errorf("SpanOf = %v..%v (crosses %v), want %v..%v (crosses %v)", s.West, s.East, s.Crosses(), tt.west, tt.east, tt.crosses)
			}
			if c := s.Centre(); c < -180 || c > 180 {
				t.Errorf("centre %v is outside -180..180", c)
			}
			// Every point of the map is drawn within the span.
			for _, g := range tt.geoms {
				ps, _ := polygons(g)
				for _, p := range ps {
					for _, pt := range p[0] {
						if lon := s.Lon(pt[0]); lon < s.West-1e-9 || lon > s.East+1e-9 {
							t.Errorf("longitude %v drawn at %v, outside %v..%v", pt[0], lon, s.West, s.East)
						}
					}
				}
			}
		})
	}
}

// TestWrapLonRules checks testdata/rules/antimeridian.json, the golden cases that
// static/test/rules.test.js runs against the browser's wrapLon too.
func TestWrapLonRules(t *testing.T) {
	raw, err := os.ReadFile("../testdata/rules/antimeridian.json")
	if err != nil {
		t.Fatal(err)
	}
	var rules struct {
		Cases []struct {
			Name              string
			Centre, Lon, Want float64
		}
	}
	if err := json.Unmarshal(raw, &rules); err != nil {
		t.Fatalf("antimeridian.json: %v", err)
	}
	if len(rules.Cases) == 0 {
		t.Fatal("antimeridian.json has no cases")
	}
	for _, c := range rules.Cases {
		t.Run(c.Name, func(t *testing.T) {
			if got := WrapLon(c.Lon, c.Centre); got != c.Want {
				t.Errorf("WrapLon(%v, %v) = %v, want %v", c.Lon, c.Centre, got, c.Want)
			}
		})
	}
}

// TestMapsNotCrossingDrawAsBefore holds the built-in map's pictures, which do not cross the
// antimeridian, to the bytes they had before the span (SpanOf) decided how longitudes are
// drawn: the digests were recorded at commit 75ee17a. A deliberate change to how the
// pictures are drawn records them again.
func TestMapsNotCrossingDrawAsBefore(t *testing.T) {
	s := afghanistan(t)
	geoms := make([]orb.Geometry, len(s.Regions))
	for i, r := range s.Regions {
		geoms[i] = r.Geometry
	}
	if span := SpanOf(geoms); span.Crosses() {
		t.Fatalf("the built-in map's span %v..%v crosses the antimeridian", span.West, span.East)
	}
	render := map[string]func(*bytes.Buffer) error{
		"inline": func(b *bytes.Buffer) error {
			return RenderInline(b, s, InlineFor(len(s.Regions), "x", []InlineView{{Name: "narrow", Width: 330, Height: 380}}))
		},
		"svg": func(b *bytes.Buffer) error { return RenderSVG(b, s) },
		"png": func(b *bytes.Buffer) error { return RenderPNG(b, s) },
	}
	want := map[string]string{
		"inline": "dcddb761fe4099c44769262788110742e9b827fed5b5c8f147df14888726cdf3", // again with its scale bar, names clear of it and of the zoom buttons
		"svg":    "cfda78af5905d27f74fb50a0a583625c5f7ea4171728fb2dcbd392a18a388cbb",
		"png":    "fbb32317f2cbcc119a9334a46adc32b161f0f0dedbf5031ffaaa463fd9dfe853",
	}
	for name, r := range render {
		var b bytes.Buffer
		if err := r(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sum := sha256.Sum256(b.Bytes())
		if got := hex.EncodeToString(sum[:]); got != want[name] {
			t.Errorf("%s: SHA-256 %s, want %s (the picture as drawn before)", name, got, want[name])
		}
	}
}
