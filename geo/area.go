package geo

import (
	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// AreaKm2 is a region's area on the Earth in square kilometres: orb's spherical area of
// the WGS84 geometry. The series of control over time sums it per faction.
func AreaKm2(g orb.Geometry) float64 {
	if g == nil {
		return 0
	}
	return orbgeo.Area(g) / 1e6
}
