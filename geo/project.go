package geo

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"
	"github.com/paulmach/orb/simplify"
)

// box is an axis-aligned rectangle in pixels, y down.
type box struct{ x, y, w, h float64 }

func (b box) inset(d float64) box { return box{b.x + d, b.y + d, b.w - 2*d, b.h - 2*d} }

// polygons lists the polygons of a region's geometry.
func polygons(g orb.Geometry) ([]orb.Polygon, error) {
	switch g := g.(type) {
	case orb.Polygon:
		return []orb.Polygon{g}, nil
	case orb.MultiPolygon:
		return g, nil
	case nil:
		return nil, fmt.Errorf("no geometry")
	}
	return nil, fmt.Errorf("geometry is a %s; only Polygon and MultiPolygon are drawn", g.GeoJSONType())
}

// unwrap is how a region's longitudes are moved across the antimeridian.
type unwrap int

const (
	inPlace  unwrap = iota
	eastward        // negative longitudes +360: the region is drawn east of 180°
	westward        // positive longitudes -360: the region is drawn west of -180°
)

func (u unwrap) lon(lon float64) float64 {
	switch {
	case u == eastward && lon < 0:
		return lon + 360
	case u == westward && lon > 0:
		return lon - 360
	}
	return lon
}

// lonRange is the west and east longitude of a region, as drawn.
type lonRange struct{ west, east float64 }

// projectRegions projects every region to Web Mercator metres, as Leaflet does, and returns
// each region's rings with the bounds of them all. Outer rings and holes are not told apart:
// they are filled with the even-odd rule, which needs no winding order.
//
// Longitudes are unwrapped so that nothing is torn at the antimeridian:
//   - A region whose longitudes span more than 180° is taken to cross the antimeridian
//     (RFC 7946 splits such a polygon into parts at +180 and -180) and is drawn in one
//     piece: its negative longitudes are shifted by +360, or, when most of its points are
//     west of the line (the United States with the western Aleutians), its positive ones
//     by -360, so that the bulk of it stays where it is. A region truly wider than half
//     the globe cannot be told from one that crosses the line; only whole-world regions
//     are, and they are drawn as wide as ever.
//   - Then, if moving every region that lies wholly west of 0° by +360 brings the whole
//     scene within 180° of longitude (Fiji and the Lau Islands, Chukotka with Alaska),
//     they are moved, so that neighbours across the line stay side by side. A world map
//     stays centred on 0°.
func projectRegions(regions []SceneRegion) ([][]orb.Ring, orb.Bound, error) {
	polys := make([][]orb.Polygon, len(regions))
	ranges := make([]lonRange, len(regions))
	moves := make([]unwrap, len(regions))
	for i, r := range regions {
		ps, err := polygons(r.Geometry)
		if err != nil {
			return nil, orb.Bound{}, fmt.Errorf("region %q: %w", r.ID, err)
		}
		polys[i] = ps
		ranges[i] = lonRangeOf(ps, inPlace)
		if ranges[i].east-ranges[i].west > 180 {
			moves[i] = crossing(ps)
			ranges[i] = lonRangeOf(ps, moves[i])
		}
	}
	unwrapScene(ranges, moves)

	out := make([][]orb.Ring, len(regions))
	bound := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for i, ps := range polys {
		for _, p := range ps {
			for _, ring := range p {
				pr := make(orb.Ring, len(ring))
				for k, pt := range ring {
					pt[0] = moves[i].lon(pt[0])
					pr[k] = project.WGS84.ToMercator(pt)
					bound = bound.Extend(pr[k])
				}
				out[i] = append(out[i], pr)
			}
		}
	}
	if math.IsInf(bound.Min[0], 0) {
		bound = orb.Bound{} // No points at all: nothing to fit.
	}
	return out, bound, nil
}

// crossing decides how a region that crosses the antimeridian is unwrapped: the side of
// the line with fewer of its points moves.
func crossing(ps []orb.Polygon) unwrap {
	west := 0
	total := 0
	for _, p := range ps {
		for _, ring := range p {
			for _, pt := range ring {
				if pt[0] < 0 {
					west++
				}
				total++
			}
		}
	}
	if 2*west > total {
		return westward
	}
	return eastward
}

// lonRangeOf is the longitude range of polygons, moved as u says.
func lonRangeOf(ps []orb.Polygon, u unwrap) lonRange {
	r := lonRange{west: math.Inf(1), east: math.Inf(-1)}
	for _, p := range ps {
		for _, ring := range p {
			for _, pt := range ring {
				lon := u.lon(pt[0])
				r.west = min(r.west, lon)
				r.east = max(r.east, lon)
			}
		}
	}
	return r
}

// unwrapScene moves east of 180° every region wholly west of 0° when that brings the
// scene within 180° of longitude; see projectRegions.
func unwrapScene(ranges []lonRange, moves []unwrap) {
	span := func(moved bool) float64 {
		west, east := math.Inf(1), math.Inf(-1)
		for _, r := range ranges {
			if math.IsInf(r.west, 0) {
				continue // A region without points.
			}
			if moved && r.east < 0 {
				r.west, r.east = r.west+360, r.east+360
			}
			west, east = min(west, r.west), max(east, r.east)
		}
		return east - west
	}
	if moved := span(true); moved > 180 || moved >= span(false) {
		return
	}
	for i, r := range ranges {
		if r.east < 0 {
			// Wholly west of 0°, in place or unwrapped westward: every negative longitude
			// moves east. (A region touching 0° is left alone, as its points at 0° would
			// not move.)
			moves[i] = eastward
		}
	}
}

// fit maps Web Mercator metres to pixels: uniform scale, y flipped, the bounds centred in
// the box.
type fit struct{ scale, x0, y0 float64 }

// newFit fits bounds b into box into, keeping the aspect ratio.
func newFit(b orb.Bound, into box) fit {
	bw, bh := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	var scale float64
	switch {
	case bw > 0 && bh > 0:
		scale = min(into.w/bw, into.h/bh)
	case bw > 0:
		scale = into.w / bw
	case bh > 0:
		scale = into.h / bh
	default:
		scale = 1 // A single point: any scale centres it.
	}
	cx, cy := (b.Min[0]+b.Max[0])/2, (b.Min[1]+b.Max[1])/2
	return fit{
		scale: scale,
		x0:    into.x + into.w/2 - cx*scale,
		y0:    into.y + into.h/2 + cy*scale,
	}
}

// pixel is where a Web Mercator point lands.
func (f fit) pixel(p orb.Point) orb.Point {
	return orb.Point{f.x0 + p[0]*f.scale, f.y0 - p[1]*f.scale}
}

// Pixel-space simplification: the image cannot show detail finer than this, and dropping
// it keeps the SVG small whatever the source resolution.
const (
	// simplifyTolerance is the Douglas-Peucker tolerance, in pixels. Neighbours simplified
	// apart differ by at most twice this, well under the white border drawn between them.
	simplifyTolerance = 0.3
	// minRingSize drops rings (islands, holes) smaller than this in both directions, in
	// pixels; a region keeps its largest ring so that it is drawn. A region smaller than
	// the tolerance has nothing left to draw and gets an empty path.
	minRingSize = 0.6
)

// toPixels moves every ring from Web Mercator metres to pixels through f, in place, and
// simplifies it for the image's resolution.
func toPixels(regions [][]orb.Ring, f fit) { toPixelsAt(regions, f, simplifyTolerance, minRingSize) }

// toPixelsAt is toPixels with a Douglas-Peucker tolerance and a smallest ring, in pixels.
func toPixelsAt(regions [][]orb.Ring, f fit, tolerance, minRingSize float64) {
	dp := simplify.DouglasPeucker(tolerance)
	for i, rings := range regions {
		largest, largestSize := -1, -1.0
		kept := rings[:0]
		for _, ring := range rings {
			for k, pt := range ring {
				ring[k] = f.pixel(pt)
			}
			ring = dp.Ring(ring)
			b := ring.Bound()
			size := max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
			if size > largestSize && len(ring) >= minRingPoints {
				largest, largestSize = len(kept), size
			}
			if len(ring) >= minRingPoints {
				kept = append(kept, ring)
			}
		}
		// Filtering after the loop, as the largest ring is only known at its end.
		visible := kept[:0]
		for k, ring := range kept {
			b := ring.Bound()
			if k == largest || b.Max[0]-b.Min[0] >= minRingSize || b.Max[1]-b.Min[1] >= minRingSize {
				visible = append(visible, ring)
			}
		}
		regions[i] = visible
	}
}

// layoutContext projects the context through the card's fit into pixels, simplified for
// the image as the regions are; what falls outside the map panel is left out.
func (c *card) layoutContext(shapes []ContextShape) {
	dp := simplify.DouglasPeucker(simplifyTolerance)
	panel := orb.Bound{Min: orb.Point{c.mapBox.x, c.mapBox.y}, Max: orb.Point{c.mapBox.x + c.mapBox.w, c.mapBox.y + c.mapBox.h}}
	px := func(ps []orb.Point) []orb.Point {
		out := make([]orb.Point, len(ps))
		for i, p := range ps {
			out[i] = c.fit.pixel(project.WGS84.ToMercator(p))
		}
		return out
	}
	for _, s := range shapes {
		for _, p := range s.Land {
			for _, r := range p {
				ring := dp.Ring(orb.Ring(px(r)))
				if len(ring) >= minRingPoints && ring.Bound().Intersects(panel) {
					c.land = append(c.land, ring)
				}
			}
		}
		for _, l := range s.Lines {
			line := dp.LineString(orb.LineString(px(l)))
			if len(line) >= 2 && line.Bound().Intersects(panel) {
				c.lines = append(c.lines, line)
			}
		}
	}
}
