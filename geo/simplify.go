package geo

import (
	"cmp"
	"encoding/binary"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// minRingPoints is the fewest points a closed ring can have and still enclose an
// area: three corners plus the closing point.
const minRingPoints = 4

// SimplifyShared simplifies every polygon with Douglas-Peucker at tolerance (in the
// coordinates' own units, degrees for WGS84) while keeping shared borders identical,
// so simplifying never opens gaps or overlaps between neighbours.
//
// Simplifying each polygon on its own would drop different vertices from the two
// sides of a border. Instead, as TopoJSON does, rings are cut into arcs at
// junctions (vertices where a border between two polygons starts or ends), each
// distinct arc is simplified once, and every ring that walks an arc, in either
// direction, gets the same points. Junctions are never removed. A ring that would
// fall below four points (a small island or hole) keeps the original points of its
// arcs, and so does every neighbour along those arcs.
//
// Elements should be orb.Polygon or orb.MultiPolygon whose neighbours share border
// vertices exactly; anything else is returned as it is. The input is not modified,
// and the result has the same length, order and element types. Rings may start at
// a different vertex than in the input, but keep their winding.
func SimplifyShared(geoms []orb.Geometry, tolerance float64) []orb.Geometry {
	out, _ := SimplifySharedValid(geoms, tolerance, nil)
	return out
}

// SimplifySharedValid simplifies as SimplifyShared does, then gives every polygon (of a
// Polygon, or part of a MultiPolygon) that valid refuses (Douglas-Peucker can fold a
// narrow inlet across itself) the original points of all its arcs, and so its neighbours
// along them, until valid accepts every polygon; restored is how many geometries have a
// polygon restored. A polygon valid as it came is valid restored, so this ends, in at
// most one round per polygon. valid nil accepts everything.
func SimplifySharedValid(geoms []orb.Geometry, tolerance float64, valid func(orb.Polygon) bool) (out []orb.Geometry, restored int) {
	var cycles []orb.LineString
	first := make([]int, len(geoms)+1)     // geometry i's rings are cycles[first[i]:first[i+1]]
	type part struct{ geom, from, to int } // a polygon: its geometry and its rings in cycles
	var parts []part
	for i, g := range geoms {
		first[i] = len(cycles)
		var polys []orb.Polygon
		switch g := g.(type) {
		case orb.Polygon:
			polys = []orb.Polygon{g}
		case orb.MultiPolygon:
			polys = g
		}
		for _, p := range polys {
			from := len(cycles)
			for _, r := range p {
				cycles = append(cycles, ringCycle(r))
			}
			parts = append(parts, part{i, from, len(cycles)})
		}
	}
	first[len(geoms)] = len(cycles)

	junctions := findJunctions(cycles)
	t := &topology{index: make(map[string]int)}
	plans := make([][]arcRef, len(cycles))
	for i, c := range cycles {
		if len(c) < 3 {
			continue // Not a ring at all; passed through below.
		}
		for _, a := range cutArcs(c, junctions) {
			plans[i] = append(plans[i], t.intern(a))
		}
	}

	dp := simplify.DouglasPeucker(tolerance)
	for i := range t.arcs {
		// The simplifier works in place, and the original points are still needed
		// if a ring collapses.
		t.arcs[i].simplified = dp.LineString(slices.Clone(t.arcs[i].points))
	}
	// Restoring arcs only ever adds points, so no ring that was long enough can
	// become too short: one pass settles every ring.
	for _, refs := range plans {
		if refs != nil && t.ringLen(refs) < minRingPoints {
			for _, ref := range refs {
				t.arcs[ref.arc].simplified = t.arcs[ref.arc].points
			}
		}
	}

	build := func(i int) orb.Geometry {
		next := first[i]
		ring := func(original orb.Ring) orb.Ring {
			refs := plans[next]
			next++
			if refs == nil {
				return slices.Clone(original)
			}
			return t.ring(refs)
		}
		switch g := geoms[i].(type) {
		case orb.Polygon:
			return polygonWith(g, ring)
		case orb.MultiPolygon:
			mp := make(orb.MultiPolygon, len(g))
			for j, p := range g {
				mp[j] = polygonWith(p, ring)
			}
			return mp
		}
		return geoms[i]
	}
	out = make([]orb.Geometry, len(geoms))
	for i := range geoms {
		out[i] = build(i)
	}
	if valid == nil {
		return out, 0
	}
	// Which polygons walk each arc, to check the neighbours of a restored one again.
	users := make([][]int, len(t.arcs))
	for k, pt := range parts {
		for _, refs := range plans[pt.from:pt.to] {
			for _, ref := range refs {
				if u := users[ref.arc]; len(u) == 0 || u[len(u)-1] != k {
					users[ref.arc] = append(users[ref.arc], k)
				}
			}
		}
	}
	// The polygon of a part, as the current arcs make it.
	polygonOf := func(pt part) orb.Polygon {
		p := make(orb.Polygon, 0, pt.to-pt.from)
		for c := pt.from; c < pt.to; c++ {
			if plans[c] == nil {
				p = append(p, ringOf(cycles[c]))
			} else {
				p = append(p, t.ring(plans[c]))
			}
		}
		return p
	}
	check := make([]int, len(parts))
	for k := range check {
		check[k] = k
	}
	done := make([]bool, len(parts))
	touched := map[int]bool{} // geometries with a polygon restored
	changed := map[int]bool{} // geometries to build again
	for len(check) > 0 {
		var bad []int
		for _, k := range check {
			if !done[k] && !valid(polygonOf(parts[k])) {
				bad = append(bad, k)
			}
		}
		next := map[int]bool{}
		for _, k := range bad {
			done[k] = true
			touched[parts[k].geom] = true
			for _, refs := range plans[parts[k].from:parts[k].to] {
				for _, ref := range refs {
					t.arcs[ref.arc].simplified = t.arcs[ref.arc].points
					for _, u := range users[ref.arc] {
						next[u] = true
						changed[parts[u].geom] = true
					}
				}
			}
		}
		check = check[:0]
		for k := range next {
			check = append(check, k)
		}
		slices.Sort(check)
	}
	for i := range changed {
		out[i] = build(i)
	}
	return out, len(touched)
}

// ringOf closes a cycle into a ring.
func ringOf(c orb.LineString) orb.Ring {
	return append(orb.Ring(slices.Clone(c)), c[0])
}

// VertexCount returns the number of points in all rings of the polygons and
// multipolygons in geoms, closing points included; other geometries count zero.
func VertexCount(geoms []orb.Geometry) int {
	n := 0
	for _, g := range geoms {
		for _, r := range polygonRings(g) {
			n += len(r)
		}
	}
	return n
}

// polygonRings lists the rings of a polygon or multipolygon in order, so that a second
// walk over the same geometries meets them in the same sequence.
func polygonRings(g orb.Geometry) []orb.Ring {
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

// polygonWith builds a polygon whose rings are ring applied to each of p's.
func polygonWith(p orb.Polygon, ring func(orb.Ring) orb.Ring) orb.Polygon {
	out := make(orb.Polygon, len(p))
	for i, r := range p {
		out[i] = ring(r)
	}
	return out
}

// ringCycle returns the distinct vertices of r in order, without the closing point
// and without repeated consecutive points, which would otherwise make a vertex
// its own neighbour and hide a junction.
func ringCycle(r orb.Ring) orb.LineString {
	c := make(orb.LineString, 0, len(r))
	for _, p := range r {
		if len(c) == 0 || c[len(c)-1] != p {
			c = append(c, p)
		}
	}
	for len(c) > 1 && c[len(c)-1] == c[0] {
		c = c[:len(c)-1]
	}
	return c
}

// findJunctions returns the vertices where a border starts or ends. Along a
// border every ring that uses a vertex reaches it from the same two neighbours
// (in one order or the other); where the rings part, the neighbours differ.
func findJunctions(cycles []orb.LineString) map[orb.Point]bool {
	type neighbours struct{ a, b orb.Point }
	first := make(map[orb.Point]neighbours)
	junctions := make(map[orb.Point]bool)
	for _, c := range cycles {
		n := len(c)
		if n < 3 {
			continue
		}
		for i, p := range c {
			a, b := c[(i+n-1)%n], c[(i+1)%n]
			if comparePoints(b, a) < 0 {
				a, b = b, a
			}
			nb := neighbours{a, b}
			if seen, ok := first[p]; !ok {
				first[p] = nb
			} else if seen != nb {
				junctions[p] = true
			}
		}
	}
	return junctions
}

// cutArcs splits a cycle into arcs that run from junction to junction, each arc
// ending on the point the next begins with. A cycle without junctions becomes a
// single closed arc starting at its smallest vertex, so that an enclave and the
// hole it fills start at the same place and produce the same arc.
func cutArcs(c orb.LineString, junctions map[orb.Point]bool) []orb.LineString {
	start := slices.IndexFunc(c, func(p orb.Point) bool { return junctions[p] })
	if start < 0 {
		start = 0
		for i, p := range c {
			if comparePoints(p, c[start]) < 0 {
				start = i
			}
		}
	}
	r := make(orb.LineString, 0, len(c)+1)
	r = append(r, c[start:]...)
	r = append(r, c[:start]...)
	r = append(r, r[0])

	var arcs []orb.LineString
	from := 0
	for i := 1; i < len(r); i++ {
		if junctions[r[i]] || i == len(r)-1 {
			arcs = append(arcs, r[from:i+1])
			from = i
		}
	}
	return arcs
}

// topology holds each distinct arc once, whichever direction rings walk it in.
type topology struct {
	arcs  []arc
	index map[string]int // arc key to position in arcs
}

// arc is a stretch of border stored in its canonical direction.
type arc struct {
	points     orb.LineString
	simplified orb.LineString
}

// arcRef is one ring's use of an arc.
type arcRef struct {
	arc      int
	reversed bool // the ring walks the arc against its canonical direction
}

// intern returns a reference to the stored arc with the points of a, adding it
// if it is new. Arcs are stored in whichever direction is lexicographically
// smaller, so two neighbours walking the same border in opposite directions
// share one arc and its one simplification (Douglas-Peucker breaks ties by
// position, so simplifying each direction separately could disagree).
func (t *topology) intern(a orb.LineString) arcRef {
	reversed := false
	n := len(a)
	for i := range n {
		if c := comparePoints(a[i], a[n-1-i]); c != 0 {
			reversed = c > 0
			break
		}
	}
	canonical := slices.Clone(a)
	if reversed {
		slices.Reverse(canonical)
	}
	key := arcKey(canonical)
	i, ok := t.index[key]
	if !ok {
		i = len(t.arcs)
		t.arcs = append(t.arcs, arc{points: canonical})
		t.index[key] = i
	}
	return arcRef{arc: i, reversed: reversed}
}

// ringLen returns the number of points the ring made of refs would have,
// closing point included.
func (t *topology) ringLen(refs []arcRef) int {
	n := 1
	for _, ref := range refs {
		n += len(t.arcs[ref.arc].simplified) - 1
	}
	return n
}

// ring joins the simplified arcs of refs into a closed ring. Each arc starts
// where the previous one ended, so that point is taken once, and the last arc
// ends where the first began.
func (t *topology) ring(refs []arcRef) orb.Ring {
	r := make(orb.Ring, 0, t.ringLen(refs))
	for i, ref := range refs {
		pts := t.arcs[ref.arc].simplified
		if ref.reversed {
			pts = slices.Clone(pts)
			slices.Reverse(pts)
		}
		if i > 0 {
			pts = pts[1:]
		}
		r = append(r, pts...)
	}
	return r
}

// arcKey encodes the exact coordinates of an arc, so only identical arcs match.
func arcKey(ls orb.LineString) string {
	b := make([]byte, 0, 16*len(ls))
	for _, p := range ls {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p[0]))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p[1]))
	}
	return string(b)
}

// comparePoints orders points by longitude, then latitude.
func comparePoints(a, b orb.Point) int {
	if c := cmp.Compare(a[0], b[0]); c != 0 {
		return c
	}
	return cmp.Compare(a[1], b[1])
}
