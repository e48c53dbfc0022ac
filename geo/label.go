package geo

import (
	"github.com/paulmach/orb"
)

// LabelPoint returns where a region's name is drawn: a point inside the polygon (of a
// MultiPolygon, the part with the widest middle), in the middle of the widest stretch of the
// horizontal line halfway up it (simplefeatures' PointOnSurface). A label is a line of text
// wider than tall, so a point in the widest horizontal run suits it better than the centroid,
// which a crescent or an L-shaped region leaves outside. false for a geometry with no area.
func LabelPoint(g orb.Geometry) (orb.Point, bool) {
	switch g.(type) {
	case orb.Polygon, orb.MultiPolygon:
	default:
		return orb.Point{}, false
	}
	pt := toSF(g).PointOnSurface()
	xy, ok := pt.XY()
	if !ok {
		return orb.Point{}, false
	}
	return orb.Point{xy.X, xy.Y}, true
}
