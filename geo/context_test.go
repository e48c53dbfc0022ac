package geo

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
)

func TestSurroundings(t *testing.T) {
	tests := []struct {
		name string
		in   orb.Bound
		want orb.Bound
	}{
		{"the longer side each way", orb.Bound{Min: orb.Point{60, 30}, Max: orb.Point{74, 38}}, orb.Bound{Min: orb.Point{46, 16}, Max: orb.Point{88, 52}}},
		{"a degree at least", orb.Bound{Min: orb.Point{10, 10}, Max: orb.Point{10.5, 10.2}}, orb.Bound{Min: orb.Point{9, 9}, Max: orb.Point{11.5, 11.2}}},
		{"within what Web Mercator draws", orb.Bound{Min: orb.Point{-170, 60}, Max: orb.Point{170, 80}}, orb.Bound{Min: orb.Point{-180, -85}, Max: orb.Point{180, 85}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Surroundings(tt.in)); diff != "" {
				t.Errorf("Surroundings(%v) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// A clipped country keeps its land inside the box, and only its own borders as lines: the
// box's edges, along which its land was cut, are not coasts, not even when a clipped layer
// is clipped again (an exported map imported).
func TestClipContextDrawsNoEdgeOfTheBox(t *testing.T) {
	box := orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{10, 10}}
	square := orb.Ring{{5, 5}, {20, 5}, {20, 20}, {5, 20}, {5, 5}}
	shapes := []ContextShape{{Name: "A", Land: orb.MultiPolygon{{square}}, Lines: orb.MultiLineString{orb.LineString(square)}}}
	once := ClipContext(shapes, box)
	wantLines := orb.MultiLineString{{{5, 5}, {10, 5}}, {{5, 10}, {5, 5}}}
	for round, got := range [][]ContextShape{once, ClipContext(once, box)} {
		if len(got) != 1 {
			t.Fatalf("round %d: %d shapes, want 1", round, len(got))
		}
		if b := got[0].Land.Bound(); b != (orb.Bound{Min: orb.Point{5, 5}, Max: orb.Point{10, 10}}) {
			t.Errorf("round %d: land bound %v, want the square's corner inside the box", round, b)
		}
		if diff := cmp.Diff(wantLines, got[0].Lines); diff != "" {
			t.Errorf("round %d: lines (-want +got):\n%s", round, diff)
		}
	}
	if far := ClipContext([]ContextShape{{Land: orb.MultiPolygon{{{{50, 50}, {51, 50}, {51, 51}, {50, 50}}}}}}, box); len(far) != 0 {
		t.Errorf("land outside the box kept: %v", far)
	}
}

func TestContextRoundTrips(t *testing.T) {
	shapes := []ContextShape{
		{Name: "A", Land: orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}}},
		{Name: "A", Lines: orb.MultiLineString{{{0, 0}, {1, 0}}}},
	}
	b, err := MarshalContext(shapes)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseContext(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(shapes, got); diff != "" {
		t.Errorf("context after MarshalContext and ParseContext (-want +got):\n%s", diff)
	}
}

func TestSurroundingsOf(t *testing.T) {
	region := func(g orb.Geometry) Region { return Region{ID: "r", Geometry: g} }
	square := func(west, south, side float64) orb.Polygon { return orb.Polygon{cardSquare(west, south, side)} }
	tests := []struct {
		name    string
		regions []Region
		want    []orb.Bound
	}{
		{"a map that does not cross: its bounds' surroundings", []Region{region(square(60, 30, 14))},
			[]orb.Bound{Surroundings(orb.Bound{Min: orb.Point{60, 30}, Max: orb.Point{74, 44}})}},
		// Fiji, 177°E to 178.5°W: 4.5° wide, grown 4.5° each way, a box either side of 180.
		{"fiji: a box either side of the line", []Region{region(orb.MultiPolygon{square(177, -19, 3), square(-180, -19, 1.5)})},
			[]orb.Bound{{Min: orb.Point{172.5, -23.5}, Max: orb.Point{180, -11.5}}, {Min: orb.Point{-180, -23.5}, Max: orb.Point{-174, -11.5}}}},
		// Alaska with the Aleutians, 172°E to 130°W, 58° wide: grown 58° each way, as far as
		// half a degree from the cut opposite its centre (at 21°E), where it would meet itself.
		{"alaska: short of the cut", []Region{region(orb.MultiPolygon{square(172, 51, 8), square(-180, 52, 50)})},
			[]orb.Bound{{Min: orb.Point{114, -7}, Max: orb.Point{180, 85}}, {Min: orb.Point{-180, -7}, Max: orb.Point{-72, 85}}}},
		{"the united states with guam: short of the cut either side", []Region{
			region(square(144.6, 13, 1)), region(orb.MultiPolygon{square(172.4, 51, 7.6), square(-180, 51, 10)}),
			region(square(-125, 25, 58))},
			[]orb.Bound{{Min: orb.Point{38.8 + 0.5, -85}, Max: orb.Point{180, 85}}, {Min: orb.Point{-180, -85}, Max: orb.Point{38.8 - 0.5, 85}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, SurroundingsOf(tt.regions), cmp.Comparer(func(a, b orb.Bound) bool {
				near := func(p, q orb.Point) bool { return math.Abs(p[0]-q[0]) < 1e-9 && math.Abs(p[1]-q[1]) < 1e-9 }
				return near(a.Min, b.Min) && near(a.Max, b.Max)
			})); diff != "" {
				t.Errorf("SurroundingsOf (-want +got):\n%s", diff)
			}
		})
	}
}

// The land around a map across the antimeridian is cut where the map's longitudes are
// (Span.Lon), so that no ring of it runs across the cut, where it would be torn; clipped
// again, it stays as it is.
func TestClipContextCutsAtTheSpansCut(t *testing.T) {
	// The United States with its territories: the cut falls at 40°E, across Russia.
	regions := []Region{
		{ID: "guam", Geometry: orb.Polygon{cardSquare(144.6, 13, 1)}},
		{ID: "aleutians", Geometry: orb.MultiPolygon{{cardSquare(172.4, 51, 7.6)}, {cardSquare(-180, 51, 10)}}},
		{ID: "alaska", Geometry: orb.Polygon{cardSquare(-170, 55, 40)}},
		{ID: "lower48", Geometry: orb.Polygon{cardSquare(-125, 25, 58)}},
	}
	geoms := make([]orb.Geometry, len(regions))
	for i, r := range regions {
		geoms[i] = r.Geometry
	}
	span := SpanOf(geoms)
	russia := orb.Ring{{20, 45}, {180, 45}, {180, 75}, {20, 75}, {20, 45}}
	shapes := []ContextShape{{Name: "Russia", Land: orb.MultiPolygon{{russia}}, Lines: orb.MultiLineString{orb.LineString(russia)}}}
	around := SurroundingsOf(regions)
	once := ClipContext(shapes, around...)
	if len(once) != 1 || len(once[0].Land) != 2 {
		t.Fatalf("Russia clipped to %d shapes, want one of two parts, one either side of the cut", len(once))
	}
	torn := func(ps []orb.Point) bool {
		for i := 1; i < len(ps); i++ {
			if d := span.Lon(ps[i][0]) - span.Lon(ps[i-1][0]); d > 180 || d < -180 {
				return true
			}
		}
		return false
	}
	for _, p := range once[0].Land {
		if torn(p[0]) {
			t.Errorf("a ring runs across the cut at %v: %v", span.Centre()+180, p[0])
		}
	}
	for _, l := range once[0].Lines {
		if torn(l) {
			t.Errorf("a line runs across the cut: %v", l)
		}
	}
	if diff := cmp.Diff(once, ClipContext(once, around...)); diff != "" {
		t.Errorf("clipped again (-once +twice):\n%s", diff)
	}
}
