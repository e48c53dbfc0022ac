package geo_test

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/frontline-maps/frontline/geo"
	"github.com/frontline-maps/frontline/geo/geotest"
)

// squareJSON returns a closed counter-clockwise square ring from (x, y), as GeoJSON.
func squareJSON(x, y, size float64) string {
	return fmt.Sprintf("[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]", x, y, x+size, y, x+size, y+size, x, y+size, x, y)
}

// layerWith returns a FeatureCollection of four features, of which feature 2 is bad: a
// problem there must be reported as feature 2.
func layerWith(bad string) string {
	good := func(i int) string {
		return fmt.Sprintf(`{"type":"Feature","id":"R%d","properties":{"name":"Region %d"},"geometry":{"type":"Polygon","coordinates":[%s]}}`,
			i, i, squareJSON(float64(i), 0, 1))
	}
	return `{"type":"FeatureCollection","features":[` + good(0) + "," + good(1) + "," + bad + "," + good(3) + `]}`
}

// feature returns a feature with id "X" and the given geometry JSON.
func feature(geometry string) string {
	return `{"type":"Feature","id":"X","properties":{},"geometry":` + geometry + `}`
}

func polygon(rings ...string) string {
	return feature(`{"type":"Polygon","coordinates":[` + strings.Join(rings, ",") + `]}`)
}

func TestParseRegionsRejects(t *testing.T) {
	tests := []struct {
		name  string
		layer string
		want  string
	}{
		{"not_json", `{"type":`, "not valid JSON"},
		{"not_a_feature_collection", `{"type":"Feature","geometry":null}`, `not a GeoJSON FeatureCollection (type is "Feature")`},
		{"no_features", `{"type":"FeatureCollection","features":[]}`, "has no features"},
		{"not_a_feature", layerWith(`{"type":"Polygon","coordinates":[]}`), "feature 2: not a valid GeoJSON feature"},
		{"point", layerWith(feature(`{"type":"Point","coordinates":[1,2]}`)), `feature 2: region "X" is a Point; only Polygon and MultiPolygon`},
		{"line_string", layerWith(feature(`{"type":"LineString","coordinates":[[1,2],[3,4]]}`)), `feature 2: region "X" is a LineString`},
		{"geometry_collection", layerWith(feature(`{"type":"GeometryCollection","geometries":[]}`)), `feature 2: region "X" is a GeometryCollection`},
		{"no_geometry", layerWith(feature(`null`)), `feature 2: region "X" has no geometry`},
		{"empty_multipolygon", layerWith(feature(`{"type":"MultiPolygon","coordinates":[]}`)), "feature 2: region \"X\": empty MultiPolygon"},
		{"no_rings", layerWith(polygon()), "feature 2: region \"X\": no polygon is left once rings with no area are dropped: nothing to draw"},
		{"only_a_sliver", layerWith(polygon(`[[0,0],[1,0],[2,0],[0,0]]`)), "feature 2: region \"X\": no polygon is left"},
		{"only_three_positions", layerWith(polygon(`[[0,0],[1,0],[0,0]]`)), "feature 2: region \"X\": no polygon is left"},
		{"position_out_of_range_in_a_part", layerWith(feature(`{"type":"MultiPolygon","coordinates":[[` + squareJSON(0, 0, 1) + `],[[[5,5],[6,5],[5,95],[5,5]]]]}`)),
			"feature 2: region \"X\": polygon 1: ring 0: position [5, 95] has latitude outside -90..90"},
		{"longitude_past_antimeridian", layerWith(polygon(`[[170,0],[190,0],[190,1],[170,1],[170,0]]`)),
			"feature 2: region \"X\": ring 0: position [190, 0] has longitude outside -180..180 (RFC 7946: cut a polygon that crosses the antimeridian into a MultiPolygon at 180)"},
		{"latitude_past_pole", layerWith(polygon(`[[0,80],[1,80],[1,95],[0,80]]`)), "position [1, 95] has latitude outside -90..90"},
		{"number_too_large", layerWith(polygon(`[[0,0],[1e400,0],[1,1],[0,0]]`)), "feature 2: not a valid GeoJSON feature"},
		{"no_id", layerWith(`{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[` + squareJSON(2, 0, 1) + `]}}`),
			`feature 2: no id: the feature has no "id" member`},
		{"duplicate_id", layerWith(`{"type":"Feature","id":"R0","properties":{},"geometry":{"type":"Polygon","coordinates":[` + squareJSON(2, 0, 1) + `]}}`),
			`feature 2: duplicate id "R0" (also feature 0)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			regions, err := geo.ParseRegions([]byte(tt.layer), "", "name")
			if err == nil {
				t.Fatalf("ParseRegions accepted %d regions; want an error containing %q", len(regions), tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q\nwant it to contain %q", err, tt.want)
			}
			if regions != nil {
				t.Errorf("a rejected layer returned %d regions", len(regions))
			}
		})
	}
}

func TestParseRegionsReportsEveryBadFeature(t *testing.T) {
	layer := `{"type":"FeatureCollection","features":[` +
		polygon(`[[0,0],[1,0],[1,95],[0,1],[0,0]]`) + "," +
		`{"type":"Feature","id":"B","properties":{},"geometry":{"type":"Polygon","coordinates":[` + squareJSON(2, 0, 1) + `]}},` +
		feature(`{"type":"Point","coordinates":[1,2]}`) + `]}`
	_, err := geo.ParseRegions([]byte(layer), "", "")
	want := "feature 0: region \"X\": ring 0: position [1, 95] has latitude outside -90..90\nfeature 2: region \"X\" is a Point; only Polygon and MultiPolygon are regions"
	if err == nil || err.Error() != want {
		t.Errorf("error = %q\nwant %q", err, want)
	}
}

func TestParseRegionsAccepts(t *testing.T) {
	tests := []struct {
		name  string
		layer string
		check func(t *testing.T, r geo.Region)
	}{
		{
			name: "polygon_cut_at_the_antimeridian",
			// Fiji-like: one region, two parts meeting at 180 / -180.
			layer: layerWith(feature(`{"type":"MultiPolygon","coordinates":[[[[178,-18],[180,-18],[180,-16],[178,-16],[178,-18]]],[[[-180,-18],[-179,-18],[-179,-16],[-180,-16],[-180,-18]]]]}`)),
			check: func(t *testing.T, r geo.Region) {
				if mp, ok := r.Geometry.(orb.MultiPolygon); !ok || len(mp) != 2 {
					t.Errorf("geometry = %v, want both parts", r.Geometry)
				}
			},
		},
		{
			name:  "hole",
			layer: layerWith(polygon(squareJSON(0, 0, 10), `[[2,2],[2,4],[4,4],[4,2],[2,2]]`)),
			check: func(t *testing.T, r geo.Region) {
				if p := r.Geometry.(orb.Polygon); len(p) != 2 {
					t.Errorf("got %d rings, want the shell and its hole", len(p))
				}
			},
		},
		{
			name:  "hole_touching_its_shell",
			layer: layerWith(polygon(squareJSON(0, 0, 10), `[[0,2],[2,4],[2,2],[0,2]]`)),
		},
		{
			name: "ring_touching_itself_at_a_vertex",
			// An ESRI-style inverted hole: the ring comes back to (5,5) around a notch.
			layer: layerWith(polygon(`[[0,0],[10,0],[10,10],[5,5],[7,3],[3,3],[5,5],[0,10],[0,0]]`)),
		},
		{
			name:  "repeated_positions",
			layer: layerWith(polygon(`[[0,0],[1,0],[1,0],[1,1],[0,1],[0,1],[0,0]]`)),
		},
		{
			name:  "clockwise_shell",
			layer: layerWith(polygon(`[[0,0],[0,1],[1,1],[1,0],[0,0]]`)),
		},
		{
			name:  "world_corners",
			layer: layerWith(polygon(`[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]`)),
		},
		{
			name:  "altitude_ignored",
			layer: layerWith(polygon(`[[0,0,5],[1,0,5],[1,1,5],[0,1,5],[0,0,5]]`)),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			regions, err := geo.ParseRegions([]byte(tt.layer), "", "name")
			if err != nil {
				t.Fatal(err)
			}
			if len(regions) != 4 {
				t.Fatalf("got %d regions, want 4", len(regions))
			}
			if tt.check != nil {
				tt.check(t, regions[2])
			}
		})
	}
}

func TestParseRegionsAcceptsBuiltinMap(t *testing.T) {
	raw, err := os.ReadFile("../data/maps/afghanistan-2021/regions.geojson")
	if err != nil {
		t.Fatal(err)
	}
	regions, err := geo.ParseRegions(raw, "", "name")
	if err != nil {
		t.Fatal(err)
	}
	if len(regions) != 34 {
		t.Errorf("got %d provinces, want 34", len(regions))
	}
}

// TestParseRegionsLargeRingIsFast checks that the self-crossing sweep stays near n log n
// on a ring of many vertices, as a detailed coastline has.
func TestParseRegionsLargeRingIsFast(t *testing.T) {
	const n = 200_000
	pts := make([]string, 0, n+1)
	for i := range n {
		a := 2 * math.Pi * float64(i) / n
		// A wavy circle: many edges share each meridian's neighbourhood.
		r := 10 + 0.5*math.Sin(40*a)
		pts = append(pts, fmt.Sprintf("[%.7f,%.7f]", r*math.Cos(a), r*math.Sin(a)))
	}
	pts = append(pts, pts[0])
	layer := `{"type":"FeatureCollection","features":[` + polygon("["+strings.Join(pts, ",")+"]") + `]}`
	start := time.Now()
	if _, err := geo.ParseRegions([]byte(layer), "", ""); err != nil {
		t.Fatal(err)
	}
	t.Logf("parsed and checked a ring of %d vertices in %s", n, time.Since(start))
}

func TestGridLayer(t *testing.T) {
	for _, n := range []int{1, 2, 34, 400} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			regions, err := geo.ParseRegions(geotest.GridLayer(n), "", "name")
			if err != nil {
				t.Fatal(err)
			}
			if len(regions) != n {
				t.Fatalf("got %d regions, want %d", len(regions), n)
			}
			var multi, holes int
			for i, r := range regions {
				if r.ID != geotest.GridID(i) || r.Name != fmt.Sprintf("Region %d", i+1) || r.Capital == "" || r.Population == 0 {
					t.Errorf("region %d: %+v", i, r)
				}
				for _, p := range polygons(r.Geometry) {
					holes += len(p) - 1
				}
				if _, ok := r.Geometry.(orb.MultiPolygon); ok {
					multi++
				}
			}
			if n >= 34 && (multi == 0 || holes == 0) {
				t.Errorf("%d MultiPolygons and %d holes; want some of each", multi, holes)
			}
			if n >= 2 && sharedVertices(regions) == 0 {
				t.Errorf("no vertex is shared between regions; want shared borders")
			}
		})
	}
}

func TestGridEvents(t *testing.T) {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC)
	csv := string(geotest.GridEvents(34, 100, []string{"a", "b"}, start, end))
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if len(lines) != 101 || lines[0] != "region,faction,date,source,note,confidence" {
		t.Fatalf("got %d lines, header %q", len(lines), lines[0])
	}
	if !strings.Contains(lines[1], ",2024-01-01,") || !strings.Contains(lines[100], ",2024-03-31,") {
		t.Errorf("dates do not run from start towards end: %q ... %q", lines[1], lines[100])
	}
	if csv != string(geotest.GridEvents(34, 100, []string{"a", "b"}, start, end)) {
		t.Errorf("two calls with the same arguments differ")
	}
}

func TestSimplifyRegions(t *testing.T) {
	tests := []struct {
		name       string
		n          int
		simplified bool
	}{
		{"small_layer_is_kept_as_it_is", 34, false},
		{"layer_under_the_threshold_is_kept", 400, false},
		{"large_layer_is_simplified", 5000, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			regions, err := geo.ParseRegions(geotest.GridLayer(tt.n), "", "name")
			if err != nil {
				t.Fatal(err)
			}
			out, s := geo.SimplifyRegions(regions)
			t.Logf("%d regions: %d vertices before, %d after, tolerance %g", tt.n, s.VerticesBefore, s.VerticesAfter, s.Tolerance)
			if got := (s.Tolerance > 0); got != tt.simplified {
				t.Fatalf("simplified = %v (%+v), want %v", got, s, tt.simplified)
			}
			if !tt.simplified {
				if s.VerticesAfter != s.VerticesBefore {
					t.Errorf("kept layer: %+v", s)
				}
				return
			}
			if s.VerticesAfter >= s.VerticesBefore {
				t.Errorf("vertices %d before, %d after; want fewer", s.VerticesBefore, s.VerticesAfter)
			}
			// What is stored must import again: encode it and parse it as a file.
			var fc strings.Builder
			fc.WriteString(`{"type":"FeatureCollection","features":[`)
			holesBefore, holesAfter := 0, 0
			for i, r := range out {
				g, err := geo.MarshalGeometry(r.Geometry)
				if err != nil {
					t.Fatal(err)
				}
				if i > 0 {
					fc.WriteString(",")
				}
				fmt.Fprintf(&fc, `{"type":"Feature","id":%q,"properties":{},"geometry":%s}`, r.ID, g)
				for _, p := range polygons(regions[i].Geometry) {
					holesBefore += len(p) - 1
				}
				for _, p := range polygons(r.Geometry) {
					holesAfter += len(p) - 1
				}
			}
			again, err := geo.ParseRegions([]byte(fc.String()+"]}"), "", "")
			if err != nil {
				t.Fatalf("the simplified layer does not import: %v", err)
			}
			if holesAfter != holesBefore || holesAfter == 0 {
				t.Errorf("%d holes before, %d after", holesBefore, holesAfter)
			}
			if sharedVertices(out) == 0 {
				t.Errorf("simplified regions share no vertex")
			}
			twice, s2 := geo.SimplifyRegions(again)
			if s2.VerticesAfter != s.VerticesAfter {
				t.Errorf("simplifying again went from %d to %d vertices; want no change, so an export imports as it was", s.VerticesAfter, s2.VerticesAfter)
			}
			for i := range out {
				if !orb.Equal(out[i].Geometry, twice[i].Geometry) {
					t.Fatalf("region %s changed when simplified again:\n%v\n%v", out[i].ID, out[i].Geometry, twice[i].Geometry)
				}
			}
			// Every region keeps its own input: nothing leaked into the input slice.
			if geo.VertexCount(geometries(regions)) != s.VerticesBefore {
				t.Errorf("the input was modified")
			}
		})
	}
}

func polygons(g orb.Geometry) []orb.Polygon {
	switch g := g.(type) {
	case orb.Polygon:
		return []orb.Polygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}

func geometries(regions []geo.Region) []orb.Geometry {
	gs := make([]orb.Geometry, len(regions))
	for i, r := range regions {
		gs[i] = r.Geometry
	}
	return gs
}

// sharedVertices counts vertices that appear in more than one region.
func sharedVertices(regions []geo.Region) int {
	owner := map[orb.Point]int{}
	shared := map[orb.Point]bool{}
	for i, r := range regions {
		for _, p := range polygons(r.Geometry) {
			for _, ring := range p {
				for _, pt := range ring {
					if o, ok := owner[pt]; ok && o != i {
						shared[pt] = true
					}
					owner[pt] = i
				}
			}
		}
	}
	return len(shared)
}

// TestSimplifyRegionsNeverFoldsARing gives SimplifyRegions a notch that reaches to within
// the tolerance of a shallow bend: dropping the bend would draw the border straight through
// the notch, so that region must keep its points, bend and all, while the rest of the
// layer is simplified at the full tolerance.
func TestSimplifyRegionsNeverFoldsARing(t *testing.T) {
	notched := orb.Polygon{{
		{0, 0}, {5, -0.03}, {10, 0}, {10, 1}, {5.1, 1}, {5.05, -0.01}, {4.95, -0.01}, {4.9, 1}, {0, 1}, {0, 0},
	}}
	// A round region of 20,000 vertices makes the layer big enough to simplify and spans
	// the box whose diagonal, about 131, sets the tolerance near 0.033: more than the bend.
	var circle orb.Ring
	for i := range 20_000 {
		a := 2 * math.Pi * float64(i) / 20_000
		circle = append(circle, orb.Point{60 + 40*math.Cos(a), 45 + 40*math.Sin(a)})
	}
	circle = append(circle, circle[0])
	regions := []geo.Region{{ID: "notched", Geometry: notched}, {ID: "round", Geometry: orb.Polygon{circle}}}

	out, s := geo.SimplifyRegions(regions)

	bound := orb.Bound{Min: orb.Point{0, -0.03}, Max: orb.Point{100, 85}}
	full := math.Hypot(bound.Max[0]-bound.Min[0], bound.Max[1]-bound.Min[1]) / geo.ToleranceDivisor
	if math.Abs(s.Tolerance-full) > full*0.001 || s.Unsimplified != 1 {
		t.Errorf("tolerance %g with %d regions kept as they came; want %g and the notched one", s.Tolerance, s.Unsimplified, full)
	}
	if !slices.Contains(out[0].Geometry.(orb.Polygon)[0], orb.Point{5, -0.03}) {
		t.Errorf("the bend was dropped: %v", out[0].Geometry)
	}
	if s.VerticesAfter >= s.VerticesBefore {
		t.Errorf("vertices %d before, %d after; want the circle simplified", s.VerticesBefore, s.VerticesAfter)
	}
}

// TestSkipUndrawable: the opt-in leaves out the features with nothing to draw, and names
// them, only when they are the layer's only problems; a layer with any other problem, or
// with nothing else, is refused as without it.
func TestSkipUndrawable(t *testing.T) {
	line := polygon(`[[0,0],[1,0],[2,0],[0,0]]`)
	tests := []struct {
		name    string
		layer   string
		ids     []string // the regions read, when accepted
		skipped []geo.Problem
		refused string
	}{
		{"a_line_left_out", layerWith(line), []string{"R0", "R1", "R3"},
			[]geo.Problem{{Feature: 2, Undrawable: true, Region: "X"}}, ""},
		{"an_unreadable_feature_refuses", layerWith(feature(squareJSON(2, 0, 1))), nil, nil, "feature 2: not a valid GeoJSON feature"},
		{"another_problem_refuses", strings.Replace(layerWith(line), `"id":"R3"`, `"id":"R0"`, 1), nil, nil, `duplicate id "R0"`},
		{"only_undrawable_refuses", `{"type":"FeatureCollection","features":[` + line + `]}`, nil, nil, "no polygon is left"},
		{"a_point_refuses", layerWith(feature(`{"type":"Point","coordinates":[1,2]}`)), nil, nil, "is a Point"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var skipped []geo.Problem
			regions, err := geo.ParseRegions([]byte(tt.layer), "", "name", geo.SkipUndrawable(&skipped))
			if tt.refused != "" {
				if err == nil || !strings.Contains(err.Error(), tt.refused) || regions != nil || skipped != nil {
					t.Fatalf("got %d regions, skipped %v, error %v; want refused with %q", len(regions), skipped, err, tt.refused)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range regions {
				ids = append(ids, r.ID)
			}
			if !slices.Equal(ids, tt.ids) {
				t.Errorf("regions %v, want %v", ids, tt.ids)
			}
			if len(skipped) != len(tt.skipped) {
				t.Fatalf("skipped %+v, want %+v", skipped, tt.skipped)
			}
			for i, p := range skipped {
				w := tt.skipped[i]
				if p.Feature != w.Feature || p.Region != w.Region || !p.Undrawable || !strings.Contains(p.Msg, "no polygon is left") {
					t.Errorf("skipped %+v, want feature %d region %q", p, w.Feature, w.Region)
				}
			}
		})
	}
}
