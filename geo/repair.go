package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
	sf "github.com/peterstace/simplefeatures/geom"
)

// What Repair can do to a region's geometry, as the import's summary names it.
const (
	RepairClosed     = "closed rings whose last position was not their first"
	RepairDuplicates = "removed repeated positions"
	RepairSpikes     = "removed spikes (edges that double back on themselves)"
	RepairDegenerate = "dropped rings and parts with no area (slivers)"
	RepairCrossing   = "split rings that cross or touch themselves, keeping what Leaflet fills (even-odd)"
	RepairRings      = "rebuilt rings that cross each other, holes outside their ring and overlapping parts, keeping what Leaflet fills (even-odd)"
	RepairWinding    = "rewound rings as RFC 7946 says (outer rings counter-clockwise, holes clockwise)"
)

// repairIDs are the Repair constants' ids in ProblemEnglish, for a page to word them in
// its reader's language.
var repairIDs = map[string]string{RepairClosed: "GeoRepairClosed", RepairDuplicates: "GeoRepairDuplicates", RepairSpikes: "GeoRepairSpikes",
	RepairDegenerate: "GeoRepairDegenerate", RepairCrossing: "GeoRepairCrossing", RepairRings: "GeoRepairRings", RepairWinding: "GeoRepairWinding"}

// repairOrder is the order in which repairs are listed: as they are made.
var repairOrder = []string{RepairClosed, RepairDuplicates, RepairSpikes, RepairDegenerate, RepairCrossing, RepairRings, RepairWinding}

// repair makes g a valid Polygon or MultiPolygon (as simplefeatures' Validate and
// checkGeometry define valid) where that can be done without guessing, and says what it
// did; msg says why it cannot when nothing drawable is left or a position is out of range.
//
// The method, documented because a map's shape depends on it:
//  1. Every ring is cleaned on its own: repeated positions and spikes removed, an unclosed
//     ring closed, a ring with no area left dropped (and a polygon with its outer ring).
//  2. What is still invalid (rings crossing or touching themselves or each other, holes
//     outside their ring, parts overlapping) is rebuilt as the even-odd rule reads it,
//     which is how Leaflet and SVG fill the path: every ring is cut at its own crossings
//     into simple loops, the loops of a polygon are combined by symmetric difference
//     (simplefeatures' overlay), and the polygons of a MultiPolygon by union.
//  3. Rings are wound as RFC 7946 asks.
//
// Straight-through collinear positions are kept: a neighbour shares them, and dropping
// them on one side would unshare a border that topology-preserving simplification keeps.
func repair(g orb.Geometry) (out orb.Geometry, did []string, msg Message) {
	var polys []orb.Polygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		if len(g) == 0 {
			return nil, nil, say("GeoEmptyMulti", "empty MultiPolygon: nothing to draw")
		}
		polys = g
	case nil:
		return nil, nil, say("GeoNoGeometry", "no geometry")
	default:
		return nil, nil, say("GeoNotPolygon", "is a %s; only Polygon and MultiPolygon are regions", "type", g.GeoJSONType())
	}
	done := map[string]bool{}
	note := func(what string) { done[what] = true }
	var cleaned []orb.Polygon
	for j, p := range polys {
		if len(p) == 0 {
			note(RepairDegenerate)
			continue
		}
		var rings []orb.Ring
		for k, ring := range p {
			for _, pt := range ring {
				if m := checkPosition(pt); m.ID != "" {
					where := say("GeoRing", "ring %d: %s", "ring", k, "problem", m)
					if len(polys) > 1 {
						where = say("GeoPolygon", "polygon %d: %s", "polygon", j, "problem", where)
					}
					return nil, nil, where
				}
			}
			r, ok := cleanRing(ring, note)
			if !ok {
				// An outer ring with no area leaves its holes, which the even-odd rule
				// still fills: the next ring becomes the outer one, and step 2 rebuilds
				// the polygon if that ring does not hold the rest. (world-atlas draws
				// Antarctica so: a line along the bottom edge, the coast as its hole.)
				note(RepairDegenerate)
				continue
			}
			rings = append(rings, r)
		}
		if len(rings) > 0 {
			cleaned = append(cleaned, orb.Polygon(rings))
		}
	}
	if len(cleaned) == 0 {
		return nil, nil, noPolygonLeft()
	}
	var result orb.Geometry
	if len(cleaned) == 1 && len(polys) == 1 {
		result = cleaned[0]
	} else {
		result = orb.MultiPolygon(cleaned)
	}
	if err := toSF(result).Validate(); err != nil {
		kind := RepairRings
		for _, p := range cleaned {
			for _, r := range p {
				if _, _, crosses := ringCrossing(r); crosses || touchesItself(r) {
					kind = RepairCrossing
				}
			}
		}
		rebuilt, ok := evenOdd(cleaned)
		if !ok {
			return nil, nil, say("GeoRebuiltNothing", "not a valid polygon (%s), and rebuilding it as Leaflet fills it left nothing to draw", "detail", err.Error())
		}
		note(kind)
		result = rebuilt
	}
	result, rewound := wind(result)
	if rewound {
		note(RepairWinding)
	}
	if len(done) == 0 {
		return g, nil, Message{} // the input as it came, not a copy
	}
	for _, what := range repairOrder {
		if done[what] {
			did = append(did, what)
		}
	}
	return result, did, Message{}
}

// noPolygonLeft is what is wrong with a region that has nothing to draw: the one problem
// SkipUndrawable may leave out of a layer (see undrawable).
func noPolygonLeft() Message {
	return say("GeoNoPolygonLeft", "no polygon is left once rings with no area are dropped: nothing to draw (at the file's precision the region is a line or a point; take it out of the layer, or use a finer layer)")
}

// undrawable reports whether region's problem m is that it has nothing to draw.
func undrawable(m Message) bool {
	inner, _ := m.Args["problem"].(Message)
	return m.ID == "GeoRegion" && inner.ID == "GeoNoPolygonLeft"
}

// cleanRing returns ring without repeated positions or spikes, closed; ok is false when
// fewer than three positions or no area are left.
func cleanRing(ring orb.Ring, note func(string)) (orb.Ring, bool) {
	if len(ring) == 0 {
		return nil, false
	}
	out := make(orb.Ring, 0, len(ring)+1)
	for i, pt := range ring {
		if i > 0 && pt == out[len(out)-1] {
			note(RepairDuplicates)
			continue
		}
		out = append(out, pt)
	}
	if out[0] != out[len(out)-1] {
		if len(ring) > 1 && ring[0] != ring[len(ring)-1] {
			note(RepairClosed)
		}
		out = append(out, out[0])
	}
	// Spikes: a position whose neighbours are one position, A B A, goes with the repeat.
	// Removing one can leave another (A B C B A), so the scan repeats on what is left.
	for len(out) >= 4 {
		open := out[:len(out)-1] // the ring without its closing position, read cyclically
		n := len(open)
		tip := -1
		for k := range n {
			if open[(k+n-1)%n] == open[(k+1)%n] {
				tip = k
				break
			}
		}
		if tip < 0 {
			break
		}
		note(RepairSpikes)
		kept := make(orb.Ring, 0, n)
		for k, pt := range open {
			if k != tip && k != (tip+1)%n {
				kept = append(kept, pt)
			}
		}
		if len(kept) == 0 {
			return nil, false
		}
		out = append(kept, kept[0])
	}
	if len(out) < 4 || collinear(out) {
		return nil, false
	}
	return out, true
}

// collinear reports whether every position of r lies on one line: a ring with no area.
// (A figure of eight has no signed area either, but it has two lobes to draw.)
func collinear(r orb.Ring) bool {
	for _, pt := range r[1:] {
		if pt == r[0] {
			continue
		}
		for _, q := range r {
			if orient(r[0], pt, q) != 0 {
				return false
			}
		}
		return true
	}
	return true
}

// touchesItself reports whether a closed ring passes through one position twice.
func touchesItself(r orb.Ring) bool {
	seen := make(map[orb.Point]bool, len(r))
	for _, pt := range r[:len(r)-1] {
		if seen[pt] {
			return true
		}
		seen[pt] = true
	}
	return false
}

// evenOdd rebuilds polygons as the even-odd rule fills them (see repair).
func evenOdd(polys []orb.Polygon) (orb.Geometry, bool) {
	var parts []sf.Geometry
	for _, p := range polys {
		var acc sf.Geometry
		for _, ring := range p {
			for _, loop := range loops(node(ring)) {
				poly := sf.NewPolygon([]sf.LineString{sf.NewLineString(sequence(loop))})
				if poly.Validate() != nil {
					// Only floating-point noise makes a loop invalid: a loop too thin to
					// draw, left out.
					continue
				}
				next, err := sf.SymmetricDifference(acc, poly.AsGeometry())
				if err != nil {
					continue
				}
				acc = next
			}
		}
		if !acc.IsEmpty() {
			parts = append(parts, acc)
		}
	}
	if len(parts) == 0 {
		return nil, false
	}
	u, err := sf.UnionMany(parts)
	if err != nil || u.IsEmpty() {
		return nil, false
	}
	g := fromSF(u)
	if g == nil {
		return nil, false
	}
	return g, true
}

// node returns a closed ring with a position added wherever one of its edges crosses or
// touches another, the same position on both, so that loops can cut it there.
func node(r orb.Ring) orb.Ring {
	n := len(r) - 1
	type cut struct {
		t  float64
		pt orb.Point
	}
	cuts := make([][]cut, n)
	add := func(i int, pt orb.Point) {
		a, b := r[i], r[i+1]
		if pt == a || pt == b {
			return
		}
		cuts[i] = append(cuts[i], cut{param(a, b, pt), pt})
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	minX := func(i int) float64 { return math.Min(r[i][0], r[i+1][0]) }
	maxX := func(i int) float64 { return math.Max(r[i][0], r[i+1][0]) }
	slices.SortFunc(order, func(i, j int) int { return cmp.Compare(minX(i), minX(j)) })
	var open []int
	for _, i := range order {
		kept := open[:0]
		for _, j := range open {
			if maxX(j) < minX(i) {
				continue
			}
			kept = append(kept, j)
			for _, pt := range intersections(r[i], r[i+1], r[j], r[j+1]) {
				add(i, pt)
				add(j, pt)
			}
		}
		open = append(kept, i)
	}
	out := make(orb.Ring, 0, len(r))
	for i := 0; i < n; i++ {
		out = append(out, r[i])
		c := cuts[i]
		slices.SortFunc(c, func(x, y cut) int { return cmp.Compare(x.t, y.t) })
		for k, x := range c {
			if k == 0 || x.pt != c[k-1].pt {
				out = append(out, x.pt)
			}
		}
	}
	return append(out, r[0])
}

// param is where pt lies along a to b, from 0 to 1.
func param(a, b, pt orb.Point) float64 {
	if math.Abs(b[0]-a[0]) >= math.Abs(b[1]-a[1]) {
		return (pt[0] - a[0]) / (b[0] - a[0])
	}
	return (pt[1] - a[1]) / (b[1] - a[1])
}

// intersections returns where segments ab and cd meet: the crossing point, an end of one
// lying on the other, or the ends of the stretch along which they overlap.
func intersections(a, b, c, d orb.Point) []orb.Point {
	if math.Max(a[1], b[1]) < math.Min(c[1], d[1]) || math.Max(c[1], d[1]) < math.Min(a[1], b[1]) {
		return nil
	}
	d1, d2 := orient(a, b, c), orient(a, b, d)
	d3, d4 := orient(c, d, a), orient(c, d, b)
	if d1 == 0 && d2 == 0 && d3 == 0 && d4 == 0 {
		var pts []orb.Point
		for _, p := range []struct{ pt, s, e orb.Point }{{c, a, b}, {d, a, b}, {a, c, d}, {b, c, d}} {
			if onSegment(p.pt, p.s, p.e) {
				pts = append(pts, p.pt)
			}
		}
		return pts
	}
	if d1*d2 < 0 && d3*d4 < 0 {
		// A proper crossing, at the point computed once for both edges.
		den := (b[0]-a[0])*(d[1]-c[1]) - (b[1]-a[1])*(d[0]-c[0])
		t := ((c[0]-a[0])*(d[1]-c[1]) - (c[1]-a[1])*(d[0]-c[0])) / den
		return []orb.Point{{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}}
	}
	var pts []orb.Point
	if d1 == 0 && onSegment(c, a, b) {
		pts = append(pts, c)
	}
	if d2 == 0 && onSegment(d, a, b) {
		pts = append(pts, d)
	}
	if d3 == 0 && onSegment(a, c, d) {
		pts = append(pts, a)
	}
	if d4 == 0 && onSegment(b, c, d) {
		pts = append(pts, b)
	}
	return pts
}

// onSegment reports whether pt, collinear with s and e, lies between them.
func onSegment(pt, s, e orb.Point) bool {
	return math.Min(s[0], e[0]) <= pt[0] && pt[0] <= math.Max(s[0], e[0]) &&
		math.Min(s[1], e[1]) <= pt[1] && pt[1] <= math.Max(s[1], e[1])
}

// loops cuts a noded closed ring into loops that each pass through a position once: when
// the walk comes back to a position, the stretch since is a loop of its own. Loops with
// fewer than three positions or no area are dropped.
func loops(r orb.Ring) []orb.Ring {
	var out []orb.Ring
	stack := make([]orb.Point, 0, len(r))
	at := make(map[orb.Point]int, len(r))
	for _, pt := range r {
		if i, ok := at[pt]; ok {
			loop := append(slices.Clone(stack[i:]), pt)
			if len(loop) >= 4 && ringArea2(loop) != 0 {
				out = append(out, loop)
			}
			for _, q := range stack[i+1:] {
				delete(at, q)
			}
			stack = stack[:i+1]
			continue
		}
		at[pt] = len(stack)
		stack = append(stack, pt)
	}
	return out
}

// wind winds the rings of g as RFC 7946 says, and reports whether any changed.
func wind(g orb.Geometry) (orb.Geometry, bool) {
	changed := false
	fix := func(p orb.Polygon) orb.Polygon {
		var out orb.Polygon
		for k, r := range p {
			ccw := ringArea2(r) > 0
			if ccw != (k == 0) {
				if out == nil {
					out = slices.Clone(p)
				}
				rev := slices.Clone(r)
				slices.Reverse(rev)
				out[k] = rev
				changed = true
			}
		}
		if out == nil {
			return p
		}
		return out
	}
	switch g := g.(type) {
	case orb.Polygon:
		return fix(g), changed
	case orb.MultiPolygon:
		var out orb.MultiPolygon
		for i, p := range g {
			q := fix(p)
			if out == nil && changed {
				out = slices.Clone(g)
			}
			if out != nil {
				out[i] = q
			}
		}
		if out == nil {
			return g, false
		}
		return out, true
	}
	return g, false
}

// sequence turns a ring into simplefeatures' form.
func sequence(r orb.Ring) sf.Sequence {
	xy := make([]float64, 0, 2*len(r))
	for _, pt := range r {
		xy = append(xy, pt[0], pt[1])
	}
	return sf.NewSequence(xy, sf.DimXY)
}

func sfPolygon(p orb.Polygon) sf.Polygon {
	rings := make([]sf.LineString, len(p))
	for i, r := range p {
		rings[i] = sf.NewLineString(sequence(r))
	}
	return sf.NewPolygon(rings)
}

// toSF turns a Polygon or MultiPolygon into simplefeatures' form, unvalidated.
func toSF(g orb.Geometry) sf.Geometry {
	switch g := g.(type) {
	case orb.Polygon:
		return sfPolygon(g).AsGeometry()
	case orb.MultiPolygon:
		polys := make([]sf.Polygon, len(g))
		for i, p := range g {
			polys[i] = sfPolygon(p)
		}
		return sf.NewMultiPolygon(polys).AsGeometry()
	}
	return sf.Geometry{}
}

// fromSF turns simplefeatures' Polygon or MultiPolygon back, or a collection of them into
// one MultiPolygon; nil when it holds no polygon.
func fromSF(g sf.Geometry) orb.Geometry {
	ring := func(ls sf.LineString) orb.Ring {
		seq := ls.Coordinates()
		r := make(orb.Ring, seq.Length())
		for i := range r {
			xy := seq.GetXY(i)
			r[i] = orb.Point{xy.X, xy.Y}
		}
		return r
	}
	poly := func(p sf.Polygon) orb.Polygon {
		out := orb.Polygon{ring(p.ExteriorRing())}
		for i := 0; i < p.NumInteriorRings(); i++ {
			out = append(out, ring(p.InteriorRingN(i)))
		}
		return out
	}
	var polys []orb.Polygon
	var walk func(g sf.Geometry)
	walk = func(g sf.Geometry) {
		switch {
		case g.IsPolygon():
			p, _ := g.AsPolygon()
			if !p.IsEmpty() {
				polys = append(polys, poly(p))
			}
		case g.IsMultiPolygon():
			m, _ := g.AsMultiPolygon()
			for i := 0; i < m.NumPolygons(); i++ {
				if p := m.PolygonN(i); !p.IsEmpty() {
					polys = append(polys, poly(p))
				}
			}
		case g.IsGeometryCollection():
			c, _ := g.AsGeometryCollection()
			for i := 0; i < c.NumGeometries(); i++ {
				walk(c.GeometryN(i))
			}
		}
	}
	walk(g)
	switch len(polys) {
	case 0:
		return nil
	case 1:
		return polys[0]
	}
	return orb.MultiPolygon(polys)
}
