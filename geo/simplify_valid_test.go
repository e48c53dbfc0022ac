package geo_test

import (
	"math"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/frontline-maps/frontline/geo"
)

// TestSimplifySharedValidRestoresNeighbours: a region whose simplification folds keeps
// its points, and its neighbour keeps the same points along their border, so the border
// stays shared; the rest of the layer is simplified.
func TestSimplifySharedValidRestoresNeighbours(t *testing.T) {
	notched := orb.Polygon{{
		{0, 0}, {5, -0.03}, {10, 0}, {10, 1}, {5.1, 1}, {5.05, -0.01}, {4.95, -0.01}, {4.9, 1}, {0, 1}, {0, 0},
	}}
	below := orb.Polygon{{{0, 0}, {0, -1}, {10, -1}, {10, 0}, {5, -0.03}, {0, 0}}}
	var circle orb.Ring
	for i := range 2_000 {
		a := 2 * math.Pi * float64(i) / 2_000
		circle = append(circle, orb.Point{60 + 40*math.Cos(a), 45 + 40*math.Sin(a)})
	}
	circle = append(circle, circle[0])
	valid := func(p orb.Polygon) bool {
		regions, err := geo.ParseRegions([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":"x","geometry":`+string(must(geo.MarshalGeometry(p)))+`}]}`), "", "")
		return err == nil && len(regions[0].Repairs) == 0
	}
	out, restored := geo.SimplifySharedValid([]orb.Geometry{notched, below, orb.Polygon{circle}}, 0.05, valid)
	if restored != 1 {
		t.Errorf("%d regions restored, want the notched one", restored)
	}
	for i, g := range out[:2] {
		if !slices.Contains(g.(orb.Polygon)[0], orb.Point{5, -0.03}) {
			t.Errorf("region %d lost the bend of the shared border: %v", i, g)
		}
	}
	if n := len(out[2].(orb.Polygon)[0]); n >= len(circle) {
		t.Errorf("the circle kept %d of %d points; want it simplified", n, len(circle))
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
