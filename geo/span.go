package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Span is the interval of longitude a map's regions are drawn in: the smallest that holds
// them all, which may run across the antimeridian (the United States with the Aleutians,
// Fiji, Russia, Chukotka), where West passes -180 or East 180. Every picture of a map (the
// cards, the inline map, the GIF) and the browser's map (through the page data's
// wrapCentre, which is Centre) draw a longitude where Lon puts it, so they agree on the frame.
type Span struct {
	// West and East bound the regions, in degrees, with the middle between them within
	// -180..180: a span across the line reaches past 180 on the side where less of it lies.
	West, East float64
}

// Crosses says whether the span runs across the antimeridian.
func (s Span) Crosses() bool { return s.West < -180 || s.East > 180 }

// Centre is the longitude midway between the span's bounds.
func (s Span) Centre() float64 { return (s.West + s.East) / 2 }

// Lon is where longitude lon is drawn. For a span across the antimeridian, within 180° of
// its centre, 360° away from itself when it lies on the line's far side (the Aleutians west
// of Alaska at -188° rather than at 172°), so the map is drawn in one piece; the cut falls
// opposite the centre, in the middle of the gap the span leaves out. Otherwise as it is, so
// a map that does not cross is drawn exactly as its longitudes say.
func (s Span) Lon(lon float64) float64 {
	if !s.Crosses() {
		return lon
	}
	return WrapLon(lon, s.Centre())
}

// WrapLon is lon moved by 360° to within 180° of centre (in [centre-180, centre+180)): the
// rule testdata/rules/antimeridian.json holds the browser's wrapLon (static/map/wrap.js) to.
func WrapLon(lon, centre float64) float64 {
	switch {
	case lon < centre-180:
		return lon + 360
	case lon >= centre+180:
		return lon - 360
	}
	return lon
}

// lonArc is an interval of longitude west to east, east >= west; east passes 180 for an arc
// across the antimeridian.
type lonArc struct{ west, east float64 }

// SpanOf is the span of regions' geometries (Polygon and MultiPolygon; others add nothing).
// When their polygons' arcs of longitude fit in half the circle only across the
// antimeridian (the largest gap between them is at least 180° wide and is not the one that
// holds the line), it is the circle less that gap; otherwise, for a map that does not cross
// and for one so wide that no wrap would make it a map of less than half the world, their
// plain west- and eastmost longitudes, so that those are drawn as ever (a world map stays
// centred near 0°). A polygon that is one ring across the line rather than parts cut at
// ±180 (RFC 7946 cuts it; not every source does) covers the arc of its points.
func SpanOf(geoms []orb.Geometry) Span {
	var arcs []lonArc
	plain := Span{West: math.Inf(1), East: math.Inf(-1)}
	for _, g := range geoms {
		ps, err := polygons(g)
		if err != nil {
			continue
		}
		for _, p := range ps {
			if len(p) == 0 || len(p[0]) == 0 {
				continue
			}
			arcs = append(arcs, ringArc(p[0]))
			for _, pt := range p[0] {
				plain.West, plain.East = min(plain.West, pt[0]), max(plain.East, pt[0])
			}
		}
	}
	if len(arcs) == 0 {
		return Span{}
	}
	gapWest, gapEast, across := largestGap(arcs)
	gap := gapEast - gapWest
	if gap < 180 || gap <= across {
		return plain
	}
	west := gapEast // in -180..180: the gap does not hold the line
	east := west + 360 - gap
	if (west+east)/2 > 180 {
		west, east = west-360, east-360
	}
	return Span{West: west, East: east}
}

// ringArc is the arc a ring covers: its west- and eastmost longitudes, unless they are more
// than 180° apart and its points leave a gap of more than 180° elsewhere, when it runs
// across the antimeridian and covers the rest of the circle.
func ringArc(ring orb.Ring) lonArc {
	a := lonArc{west: math.Inf(1), east: math.Inf(-1)}
	for _, pt := range ring {
		a.west, a.east = min(a.west, pt[0]), max(a.east, pt[0])
	}
	if a.east-a.west <= 180 {
		return a
	}
	lons := make([]float64, len(ring))
	for i, pt := range ring {
		lons[i] = pt[0]
	}
	slices.Sort(lons)
	for i := 1; i < len(lons); i++ {
		if lons[i]-lons[i-1] > 180 {
			return lonArc{west: lons[i], east: lons[i-1] + 360}
		}
	}
	return a
}

// largestGap is the largest stretch of longitude no arc covers, from gapWest to gapEast
// (gapWest may lie below -180: a gap across the line), with the width of the gap that holds
// the antimeridian (0 when an arc covers it). Arcs are swept west to east from the furthest
// reach of any arc past 180, brought round to below -180, so that the gap across the line
// is found first, as any other.
func largestGap(arcs []lonArc) (gapWest, gapEast, across float64) {
	slices.SortFunc(arcs, func(a, b lonArc) int { return cmp.Compare(a.west, b.west) })
	reach := math.Inf(-1)
	for _, a := range arcs {
		reach = max(reach, a.east)
	}
	reach -= 360
	for _, a := range arcs {
		if a.west > reach {
			if a.west-reach > gapEast-gapWest {
				gapWest, gapEast = reach, a.west
			}
			if reach <= -180 && a.west >= -180 || reach <= 180 && a.west >= 180 {
				across = max(across, a.west-reach)
			}
		}
		reach = max(reach, a.east)
	}
	return gapWest, gapEast, across
}
