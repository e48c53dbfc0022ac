package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestAreaKm2(t *testing.T) {
	// One degree square at the equator is about 111.2 km a side.
	square := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}
	tests := []struct {
		name   string
		g      orb.Geometry
		want   float64
		within float64
	}{
		{"a degree square at the equator", square, 12364, 30},
		{"a multipolygon sums its parts", orb.MultiPolygon{square, {{{2, 0}, {3, 0}, {3, 1}, {2, 1}, {2, 0}}}}, 2 * 12364, 60},
		{"a degree square at 60 degrees north is about half", orb.Polygon{{{0, 60}, {1, 60}, {1, 61}, {0, 61}, {0, 60}}}, 6108, 60},
		{"nothing", nil, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AreaKm2(tt.g); math.Abs(got-tt.want) > tt.within {
				t.Errorf("AreaKm2 = %.1f, want %.0f ± %.0f", got, tt.want, tt.within)
			}
		})
	}
}
