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

// projectRegions projects every region to Web Mercator metres, as Leaflet does, and returns
// each region's rings with the bounds of them all and the span of longitude they are drawn
// in. Outer rings and holes are not told apart: they are filled with the even-odd rule,
// which needs no winding order.
//
// Longitudes go through the span (SpanOf, Span.Lon), so that nothing is torn at the
// antimeridian: a map that runs across it (Fiji, the United States with the Aleutians,
// Russia) is drawn in one piece, its far side 360° east of where its longitudes say; any
// other map exactly as they say.
func projectRegions(regions []SceneRegion) ([][]orb.Ring, orb.Bound, Span, error) {
	geoms := make([]orb.Geometry, len(regions))
	polys := make([][]orb.Polygon, len(regions))
	for i, r := range regions {
		ps, err := polygons(r.Geometry)
		if err != nil {
			return nil, orb.Bound{}, Span{}, fmt.Errorf("region %q: %w", r.ID, err)
		}
		geoms[i], polys[i] = r.Geometry, ps
	}
	span := SpanOf(geoms)

	out := make([][]orb.Ring, len(regions))
	bound := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for i, ps := range polys {
		for _, p := range ps {
			for _, ring := range p {
				pr := make(orb.Ring, len(ring))
				for k, pt := range ring {
					pt[0] = span.Lon(pt[0])
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
	return out, bound, span, nil
}

// fit maps Web Mercator metres to pixels: uniform scale, y flipped, the bounds centred in
// the box; and longitudes as the regions' span draws them (point).
type fit struct {
	scale, x0, y0 float64
	span          Span
}

// newFit fits bounds b, of a map drawn in span, into box into, keeping the aspect ratio.
func newFit(b orb.Bound, span Span, into box) fit {
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
		span:  span,
	}
}

// point is where a WGS84 point (a place, the context) lands: its longitude as the span draws
// it, projected and fitted.
func (f fit) point(p orb.Point) orb.Point {
	return f.pixel(project.WGS84.ToMercator(orb.Point{f.span.Lon(p[0]), p[1]}))
}

// torn says whether a ring or line of the context runs across the span's cut, where its
// longitudes jump by 360°: it lies opposite the map, and drawn it would be a band across it.
func (f fit) torn(ps []orb.Point) bool {
	if !f.span.Crosses() {
		return false
	}
	for i := 1; i < len(ps); i++ {
		if math.Abs(f.span.Lon(ps[i][0])-f.span.Lon(ps[i-1][0])) > 180 {
			return true
		}
	}
	return false
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
			out[i] = c.fit.point(p)
		}
		return out
	}
	for _, s := range shapes {
		for _, p := range s.Land {
			for _, r := range p {
				if c.fit.torn(r) {
					continue
				}
				ring := dp.Ring(orb.Ring(px(r)))
				if len(ring) >= minRingPoints && ring.Bound().Intersects(panel) {
					c.land = append(c.land, ring)
				}
			}
		}
		for _, l := range s.Lines {
			if c.fit.torn(l) {
				continue
			}
			line := dp.LineString(orb.LineString(px(l)))
			if len(line) >= 2 && line.Bound().Intersects(panel) {
				c.lines = append(c.lines, line)
			}
		}
	}
}
