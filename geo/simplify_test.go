package geo_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"

	"github.com/frontline-maps/frontline/geo"
)

// sharedBorder is the border between the two squares of twoSquares, walked
// upwards: a collinear point and a small zigzag that should go at tolerance 0.1,
// and a bump with a flat top. Douglas-Peucker keeps one corner of the flat top,
// the first it meets, so simplifying each square on its own would keep
// (2.15, 0.9) on one side of the border and (2.15, 1) on the other.
var sharedBorder = []orb.Point{
	{2, 0}, {2, 0.25}, {2.15, 0.9}, {2.15, 1}, {2, 1.25}, {1.97, 1.5}, {2, 1.75}, {2, 2},
}

// twoSquares returns square A (x 0..2) and square B (x 2..4), both
// counter-clockwise, so A walks sharedBorder upwards and B walks it downwards.
func twoSquares() []orb.Geometry {
	a := closedRing(append([]orb.Point{{0, 0}}, append(slices.Clone(sharedBorder), orb.Point{0, 2})...)...)
	down := slices.Clone(sharedBorder)
	slices.Reverse(down)
	b := closedRing(append([]orb.Point{{2, 0}, {4, 0}, {4, 2}}, down[:len(down)-1]...)...)
	return []orb.Geometry{orb.Polygon{a}, orb.Polygon{b}}
}

// wigglySquare returns a counter-clockwise square ring from (x0, y0) of the
// given size with a point off the middle of each side by wiggle.
func wigglySquare(x0, y0, size, wiggle float64) orb.Ring {
	h := size / 2
	return closedRing(
		orb.Point{x0, y0}, orb.Point{x0 + h, y0 + wiggle},
		orb.Point{x0 + size, y0}, orb.Point{x0 + size - wiggle, y0 + h},
		orb.Point{x0 + size, y0 + size}, orb.Point{x0 + h, y0 + size - wiggle},
		orb.Point{x0, y0 + size}, orb.Point{x0 + wiggle, y0 + h},
	)
}

// closedRing makes a ring of pts, repeating the first point at the end.
func closedRing(pts ...orb.Point) orb.Ring {
	return append(orb.Ring(pts), pts[0])
}

// reversedRing returns r walked the other way, as a hole is walked against its polygon.
func reversedRing(r orb.Ring) orb.Ring {
	r = slices.Clone(r)
	slices.Reverse(r)
	return r
}

// rotatedRing returns r starting k points later.
func rotatedRing(r orb.Ring, k int) orb.Ring {
	open := r[:len(r)-1]
	return closedRing(append(slices.Clone(open[k:]), open[:k]...)...)
}

// borderRun returns the points of ring r from `from` forwards to `to`, both included.
func borderRun(t *testing.T, r orb.Ring, from, to orb.Point) []orb.Point {
	t.Helper()
	open := r[:len(r)-1]
	start := slices.Index(open, from)
	if start < 0 {
		t.Fatalf("ring %v does not contain %v", r, from)
	}
	var run []orb.Point
	for i := range open {
		p := open[(start+i)%len(open)]
		run = append(run, p)
		if p == to {
			return run
		}
	}
	t.Fatalf("ring %v does not contain %v", r, to)
	return nil
}

func TestSimplifyShared(t *testing.T) {
	tests := []struct {
		name      string
		in        []orb.Geometry
		tolerance float64
		check     func(t *testing.T, in, out []orb.Geometry)
	}{
		{
			name:      "shared border is simplified identically from both sides",
			in:        twoSquares(),
			tolerance: 0.1,
			check: func(t *testing.T, in, out []orb.Geometry) {
				a := borderRun(t, out[0].(orb.Polygon)[0], orb.Point{2, 0}, orb.Point{2, 2})
				b := borderRun(t, out[1].(orb.Polygon)[0], orb.Point{2, 2}, orb.Point{2, 0})
				slices.Reverse(b)
				if diff := cmp.Diff(a, b); diff != "" {
					t.Errorf("border seen from A and B differs (-A +B reversed):\n%s", diff)
				}
				if len(a) >= len(sharedBorder) {
					t.Errorf("shared border kept %d of %d points; want fewer", len(a), len(sharedBorder))
				}
			},
		},
		{
			name:      "wiggly input loses vertices",
			in:        twoSquares(),
			tolerance: 0.1,
			check: func(t *testing.T, in, out []orb.Geometry) {
				if before, after := geo.VertexCount(in), geo.VertexCount(out); after >= before {
					t.Errorf("vertices: %d before, %d after; want fewer after", before, after)
				}
			},
		},
		{
			name: "junctions are kept even where collinear",
			// B and C split A's right side at (2, 1), and each other's outer side at (4, 1):
			// plain Douglas-Peucker would drop both points from the straight sides.
			in: []orb.Geometry{
				orb.Polygon{closedRing(orb.Point{0, 0}, orb.Point{2, 0}, orb.Point{2, 1}, orb.Point{2, 2}, orb.Point{0, 2})},
				orb.Polygon{closedRing(orb.Point{2, 0}, orb.Point{4, 0}, orb.Point{4, 1}, orb.Point{2, 1})},
				orb.Polygon{closedRing(orb.Point{2, 1}, orb.Point{4, 1}, orb.Point{4, 2}, orb.Point{2, 2})},
			},
			tolerance: 0.5,
			check: func(t *testing.T, in, out []orb.Geometry) {
				for i, want := range [][]orb.Point{{{2, 1}}, {{2, 1}, {4, 1}}, {{2, 1}, {4, 1}}} {
					for _, p := range want {
						if !slices.Contains(out[i].(orb.Polygon)[0], p) {
							t.Errorf("polygon %d lost junction %v: %v", i, p, out[i])
						}
					}
				}
			},
		},
		{
			name:      "polygon with a hole keeps its hole",
			in:        []orb.Geometry{orb.Polygon{wigglySquare(0, 0, 10, 0.05), reversedRing(wigglySquare(4, 4, 2, 0.05))}},
			tolerance: 0.1,
			check: func(t *testing.T, in, out []orb.Geometry) {
				p := out[0].(orb.Polygon)
				if len(p) != 2 {
					t.Fatalf("got %d rings, want outer ring and hole: %v", len(p), p)
				}
				if got := len(p[1]); got != 5 {
					t.Errorf("hole has %d points, want its 4 corners closed: %v", got, p[1])
				}
			},
		},
		{
			name:      "tiny hole is not collapsed",
			in:        []orb.Geometry{orb.Polygon{wigglySquare(0, 0, 10, 0), reversedRing(wigglySquare(4, 4, 0.01, 0.001))}},
			tolerance: 0.1,
			check: func(t *testing.T, in, out []orb.Geometry) {
				if got, want := len(out[0].(orb.Polygon)[1]), len(in[0].(orb.Polygon)[1]); got != want {
					t.Errorf("hole has %d points, want its original %d", got, want)
				}
			},
		},
		{
			name: "tiny island is not collapsed",
			in: []orb.Geometry{orb.MultiPolygon{
				{wigglySquare(0, 0, 10, 0.05)},
				{closedRing(orb.Point{20, 20}, orb.Point{20.001, 20}, orb.Point{20.001, 20.001}, orb.Point{20, 20.001})},
			}},
			tolerance: 0.1,
			check: func(t *testing.T, in, out []orb.Geometry) {
				island := out[0].(orb.MultiPolygon)[1][0]
				for _, p := range in[0].(orb.MultiPolygon)[1][0] {
					if !slices.Contains(island, p) {
						t.Errorf("island lost %v: %v", p, island)
					}
				}
			},
		},
		{
			name: "enclave and the hole it fills stay identical",
			// The hole starts at another vertex than the enclave, as nothing makes them agree.
			in: []orb.Geometry{
				orb.Polygon{wigglySquare(0, 0, 10, 0), rotatedRing(reversedRing(wigglySquare(4, 4, 2, 0.05)), 3)},
				orb.Polygon{wigglySquare(4, 4, 2, 0.05)},
			},
			tolerance: 0.1,
			check: func(t *testing.T, in, out []orb.Geometry) {
				hole := slices.Clone(out[0].(orb.Polygon)[1])
				enclave := out[1].(orb.Polygon)[0]
				if len(hole) >= len(in[1].(orb.Polygon)[0]) {
					t.Errorf("enclave kept all %d points; want fewer", len(hole))
				}
				slices.Reverse(hole)
				if diff := cmp.Diff(enclave, hole); diff != "" {
					t.Errorf("enclave and hole differ (-enclave +hole reversed):\n%s", diff)
				}
			},
		},
		{
			name: "output types match input types",
			in: []orb.Geometry{
				orb.MultiPolygon{{wigglySquare(0, 0, 1, 0.01)}},
				orb.Point{1, 2},
				orb.Polygon{wigglySquare(5, 5, 1, 0.01)},
			},
			tolerance: 0.1,
			check: func(t *testing.T, in, out []orb.Geometry) {
				if diff := cmp.Diff(in[1], out[1]); diff != "" {
					t.Errorf("point changed (-in +out):\n%s", diff)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := make([]orb.Geometry, len(tt.in))
			for i, g := range tt.in {
				before[i] = orb.Clone(g)
			}

			out := geo.SimplifyShared(tt.in, tt.tolerance)

			if diff := cmp.Diff(before, tt.in); diff != "" {
				t.Errorf("input was modified (-before +after):\n%s", diff)
			}
			if len(out) != len(tt.in) {
				t.Fatalf("got %d geometries, want %d", len(out), len(tt.in))
			}
			for i := range out {
				if got, want := fmt.Sprintf("%T", out[i]), fmt.Sprintf("%T", tt.in[i]); got != want {
					t.Fatalf("geometry %d is %s, want %s", i, got, want)
				}
				for _, r := range ringsOf(out[i]) {
					if len(r) < 4 || !r.Closed() {
						t.Errorf("geometry %d has a ring that is not a closed ring of 4 or more points: %v", i, r)
					}
				}
			}
			tt.check(t, tt.in, out)
		})
	}
}

// TestSimplifySharedOpensNoGap checks, at tolerances from keeping almost
// everything to keeping only the junctions, that every point square A keeps
// on the shared border is also in square B.
func TestSimplifySharedOpensNoGap(t *testing.T) {
	for _, tolerance := range []float64{0, 0.01, 0.05, 0.1, 0.3, 1, 10} {
		t.Run(fmt.Sprint(tolerance), func(t *testing.T) {
			out := geo.SimplifyShared(twoSquares(), tolerance)
			a, b := out[0].(orb.Polygon)[0], out[1].(orb.Polygon)[0]
			for _, p := range a {
				if slices.Contains(sharedBorder, p) && !slices.Contains(b, p) {
					t.Errorf("A keeps border point %v that B dropped: A %v, B %v", p, a, b)
				}
			}
			for _, p := range b {
				if slices.Contains(sharedBorder, p) && !slices.Contains(a, p) {
					t.Errorf("B keeps border point %v that A dropped: A %v, B %v", p, a, b)
				}
			}
		})
	}
}

func TestVertexCount(t *testing.T) {
	square := closedRing(orb.Point{0, 0}, orb.Point{1, 0}, orb.Point{1, 1}, orb.Point{0, 1})
	tests := []struct {
		name  string
		geoms []orb.Geometry
		want  int
	}{
		{name: "nothing counts zero", want: 0},
		{name: "closing point counts", geoms: []orb.Geometry{orb.Polygon{square}}, want: 5},
		{name: "holes count", geoms: []orb.Geometry{orb.Polygon{square, reversedRing(square)}}, want: 10},
		{name: "every polygon of a multipolygon counts", geoms: []orb.Geometry{orb.MultiPolygon{{square}, {square}}}, want: 10},
		{name: "geometries add up", geoms: []orb.Geometry{orb.Polygon{square}, orb.MultiPolygon{{square}}}, want: 10},
		{name: "non-polygons count zero", geoms: []orb.Geometry{orb.Point{1, 2}, orb.LineString{{0, 0}, {1, 1}}}, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := geo.VertexCount(tt.geoms); got != tt.want {
				t.Errorf("VertexCount = %d, want %d", got, tt.want)
			}
		})
	}
}

// ringsOf lists every ring of a polygon or multipolygon.
func ringsOf(g orb.Geometry) []orb.Ring {
	switch g := g.(type) {
	case orb.Polygon:
		return g
	case orb.MultiPolygon:
		var rs []orb.Ring
		for _, p := range g {
			rs = append(rs, p...)
		}
		return rs
	}
	return nil
}
