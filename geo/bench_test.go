package geo_test

import (
	"math"
	"testing"

	"github.com/paulmach/orb"

	"github.com/frontline-maps/frontline/geo"
	"github.com/frontline-maps/frontline/geo/geotest"
)

// BenchmarkParseRegions reads and checks a 5,000-region layer, the first step of importing a
// world of first-level regions.
func BenchmarkParseRegions(b *testing.B) {
	raw := geotest.GridLayer(5000)
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := geo.ParseRegions(raw, "", "name"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSimplifyShared simplifies a 5,000-region layer at the tolerance an import uses,
// keeping shared borders identical.
func BenchmarkSimplifyShared(b *testing.B) {
	regions, err := geo.ParseRegions(geotest.GridLayer(5000), "", "name")
	if err != nil {
		b.Fatal(err)
	}
	geoms := make([]orb.Geometry, len(regions))
	bound := regions[0].Geometry.Bound()
	for i, r := range regions {
		geoms[i] = r.Geometry
		bound = bound.Union(r.Geometry.Bound())
	}
	tolerance := math.Hypot(bound.Max[0]-bound.Min[0], bound.Max[1]-bound.Min[1]) / geo.ToleranceDivisor
	before := geo.VertexCount(geoms)
	var after int
	for b.Loop() {
		after = geo.VertexCount(geo.SimplifyShared(geoms, tolerance))
	}
	b.ReportMetric(float64(before), "vertices-in")
	b.ReportMetric(float64(after), "vertices-out")
}
