// Package geo owns Frontline's geometry: reading and validating region layers, simplifying,
// measuring and projecting them.
package geo

import (
	"bytes"
	"cmp"
	"encoding/json"

	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// Region is one feature of a region layer, validated.
type Region struct {
	ID         string
	Name       string
	Capital    string
	Population int64
	// Geometry is an orb.Polygon or orb.MultiPolygon in WGS84 [lon, lat].
	Geometry orb.Geometry
	// Repairs says what was done to the file's geometry to make it valid (the Repair
	// constants), nothing when it was valid as it came.
	Repairs []string
}

// ParseRegions reads a GeoJSON FeatureCollection of Polygon and MultiPolygon features. The
// region id comes from the property idProp (the feature's id when idProp is empty) and the
// name from nameProp (the id when absent). Every ring must be closed, have at least 4
// positions, stay within longitude -180..180 and latitude -90..90 (RFC 7946: a polygon that
// crosses the antimeridian is cut there into a MultiPolygon), enclose an area and not cross
// itself (see ringCrossing for what that check leaves out); every hole must lie inside its
// shell. Any problem rejects the whole layer, and the returned Problems names the feature,
// from 0, of each.
func ParseRegions(raw []byte, idProp, nameProp string, opts ...Option) ([]Region, error) {
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		return nil, fileProblem(say("GeoJSONNot", "not valid JSON: %s", "detail", err.Error()))
	}
	if fc.Type != "FeatureCollection" {
		return nil, fileProblem(say("GeoNotCollection", "not a GeoJSON FeatureCollection (type is %s)", "type", quote(fc.Type)))
	}
	if len(fc.Features) == 0 {
		return nil, fileProblem(say("GeoNoFeatures", "the FeatureCollection has no features"))
	}
	l := newLayer(len(fc.Features), idProp, nameProp, opts)
	for i, rawFeature := range fc.Features {
		f, err := geojson.UnmarshalFeature(rawFeature)
		if err != nil {
			l.problems.add(i, say("GeoFeatureNot", "not a valid GeoJSON feature: %s", "detail", err.Error()))
			continue
		}
		l.add(i, f)
	}
	return l.result()
}

// layer gathers the regions of a layer read feature by feature, from any format, and the
// problems found on the way.
type layer struct {
	idProp, nameProp string
	regions          []Region
	seen             map[string]int
	problems         Problems
	skipped          *[]Problem // SkipUndrawable's
}

func newLayer(n int, idProp, nameProp string, opts []Option) *layer {
	l := &layer{idProp: idProp, nameProp: nameProp, regions: make([]Region, 0, n), seen: make(map[string]int, n)}
	for _, o := range opts {
		o(l)
	}
	return l
}

// add reads feature i as a region.
func (l *layer) add(i int, f *geojson.Feature) {
	r, msg := region(f, l.idProp, l.nameProp)
	if msg.ID != "" {
		l.problems.add(i, msg)
		if undrawable(msg) {
			p := &l.problems[len(l.problems)-1]
			p.Undrawable, p.Region = true, r.ID
		}
		return
	}
	if first, dup := l.seen[r.ID]; dup {
		l.problems.add(i, say("GeoDuplicateID", "duplicate id %s (also feature %d)", "id", quote(r.ID), "first", first))
		return
	}
	l.seen[r.ID] = i
	l.regions = append(l.regions, r)
}

// result returns the regions, or every problem found. With SkipUndrawable, features with
// nothing to draw are left out, and listed there, when they are the only problems and
// some regions are left.
func (l *layer) result() ([]Region, error) {
	if len(l.problems) > 0 && l.skipped != nil && len(l.regions) > 0 &&
		!slices.ContainsFunc(l.problems, func(p Problem) bool { return !p.Undrawable }) {
		*l.skipped = l.problems
		return l.regions, nil
	}
	if len(l.problems) > 0 {
		return nil, l.problems
	}
	if len(l.regions) == 0 {
		return nil, fileProblem(say("GeoLayerEmpty", "the layer has no features"))
	}
	return l.regions, nil
}

// Option changes how a layer is read (the Parse functions take any number).
type Option func(*layer)

// SkipUndrawable leaves out of the layer the features whose geometry has nothing to draw
// once repaired (a line or a point at the file's precision: Problem.Undrawable), when
// they are its only problems, and sets *skipped to them, for the caller to name: the
// opt-in of `frontline import --skip-undrawable`. us-atlas's counties-10m, for one, leaves
// Falls Church (51610) a line. Without it such a feature refuses the layer, as any
// problem does.
func SkipUndrawable(skipped *[]Problem) Option {
	return func(l *layer) { l.skipped = skipped }
}

// Repaired is one kind of repair and the regions it was made to.
type Repaired struct {
	What    string
	Regions []string
}

// Message is the kind of repair in words (What in English).
func (r Repaired) Message() Message { return Message{ID: repairIDs[r.What], Msg: r.What} }

// RepairSummary groups the repairs of a layer by kind, in the order of the Repair
// constants, each with the ids of the regions repaired so.
func RepairSummary(regions []Region) []Repaired {
	by := map[string][]string{}
	for _, r := range regions {
		for _, what := range r.Repairs {
			by[what] = append(by[what], r.ID)
		}
	}
	var out []Repaired
	for _, what := range repairOrder {
		if ids := by[what]; len(ids) > 0 {
			out = append(out, Repaired{What: what, Regions: ids})
		}
	}
	return out
}

// regionType says that region id is of a GeoJSON type that is no region.
func regionType(id, typ string) Message {
	return say("GeoRegionType", "region %s is a %s; only Polygon and MultiPolygon are regions", "region", quote(id), "type", typ)
}

// region turns a feature into a Region, or says what is wrong with it.
func region(f *geojson.Feature, idProp, nameProp string) (Region, Message) {
	var r Region
	if idProp == "" {
		r.ID = scalar(f.ID)
		if r.ID == "" {
			return r, say("GeoNoID", `no id: the feature has no "id" member`)
		}
	} else {
		r.ID = scalar(f.Properties[idProp])
		if r.ID == "" {
			return r, say("GeoNoIDProperty", "no id: property %s is missing or empty; %s", "property", quote(idProp), "hint", propertyHint(f.Properties, idProp))
		}
	}
	r.Name = r.ID
	if nameProp != "" {
		if name := scalar(f.Properties[nameProp]); name != "" {
			r.Name = name
		}
	}
	r.Capital = scalar(f.Properties["capital"])
	if p, ok := f.Properties["population"].(float64); ok && p >= 0 && p < math.MaxInt64 {
		r.Population = int64(p)
	}
	if f.Geometry == nil {
		return r, say("GeoRegionNoGeometry", "region %s has no geometry", "region", quote(r.ID))
	}
	switch f.Geometry.(type) {
	case orb.Polygon, orb.MultiPolygon:
	default:
		return r, regionType(r.ID, f.Geometry.GeoJSONType())
	}
	g, did, msg := repair(f.Geometry)
	if msg.ID != "" {
		return r, say("GeoRegion", "region %s: %s", "region", quote(r.ID), "problem", msg)
	}
	r.Geometry, r.Repairs = g, did
	return r, Message{}
}

// checkGeometry says what is wrong with a region's geometry, or returns "".
func checkGeometry(g orb.Geometry) string {
	switch g := g.(type) {
	case orb.Polygon:
		return checkPolygon(g)
	case orb.MultiPolygon:
		if len(g) == 0 {
			return "empty MultiPolygon"
		}
		for j, p := range g {
			if msg := checkPolygon(p); msg != "" {
				return fmt.Sprintf("polygon %d: %s", j, msg)
			}
		}
		return ""
	case nil:
		return "no geometry"
	}
	return fmt.Sprintf("is a %s; only Polygon and MultiPolygon are regions", g.GeoJSONType())
}

// checkPolygon says what is wrong with a polygon's rings, or returns "". Ring 0 is the
// shell and the others its holes; winding is not checked, as files disagree about it and
// nothing here depends on it.
func checkPolygon(p orb.Polygon) string {
	if len(p) == 0 {
		return "polygon has no rings"
	}
	for k, ring := range p {
		if len(ring) < 4 {
			return fmt.Sprintf("ring %d has %d positions; a ring needs at least 4", k, len(ring))
		}
		if !ring.Closed() {
			return fmt.Sprintf("ring %d is not closed (its first and last positions differ)", k)
		}
		for _, pt := range ring {
			if msg := checkPosition(pt); msg.ID != "" {
				return fmt.Sprintf("ring %d: %s", k, msg)
			}
		}
		// Crossing first: a figure of eight has no area either, but crossing says why.
		if a, b, ok := ringCrossing(ring); ok {
			return fmt.Sprintf("ring %d crosses itself: the edge from position %d and the edge from position %d intersect", k, a, b)
		}
		if ringArea2(ring) == 0 {
			return fmt.Sprintf("ring %d encloses no area (its positions are all on one line)", k)
		}
	}
	shell := p[0]
	for k, hole := range p[1:] {
		if pt, ok := outside(hole, shell); ok {
			return fmt.Sprintf("hole %d (ring %d) is not inside the polygon's outer ring: its position [%v, %v] is outside it", k, k+1, pt[0], pt[1])
		}
	}
	return ""
}

// checkPosition says what is wrong with one position, or returns no Message. Longitudes are
// held to -180..180 as RFC 7946 says: a polygon that crosses the antimeridian must be cut
// there into a MultiPolygon, one part each side. Files that run on to 190 instead are not
// GeoJSON, and bounds, projections and other tools would put those parts in the wrong place.
// It runs for every position of a layer, so a good one costs no formatting.
func checkPosition(pt orb.Point) Message {
	lon, lat := pt[0], pt[1]
	position := func() string { return fmt.Sprintf("[%v, %v]", lon, lat) }
	switch {
	case math.IsNaN(lon) || math.IsNaN(lat) || math.IsInf(lon, 0) || math.IsInf(lat, 0):
		return say("GeoPositionNaN", "position %s is not a number", "position", position())
	case lon < -180 || lon > 180:
		return say("GeoLongitude", "position %s has longitude outside -180..180 (RFC 7946: cut a polygon that crosses the antimeridian into a MultiPolygon at 180)", "position", position())
	case lat < -90 || lat > 90:
		return say("GeoLatitude", "position %s has latitude outside -90..90", "position", position())
	}
	return Message{}
}

// ringArea2 returns twice the signed planar area of a closed ring.
func ringArea2(r orb.Ring) float64 {
	a := 0.0
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a
}

// crossingBudget bounds, per edge, the pairs of edges ringCrossing compares (see there).
const crossingBudget = 64

// ringCrossing finds two edges of a closed ring that cross each other or overlap along a
// stretch, and returns the positions at which they start. It sweeps the edges in order of
// their smallest longitude, comparing each with the edges still open, those its longitude
// range overlaps, and of those only where the latitude ranges overlap too. Real boundaries
// cross any meridian a few times, so this costs about n log n.
//
// What it does not report, by design or by limit:
//   - edges that meet at a point without crossing (a ring touching itself at a vertex, as
//     ESRI-style files draw inverted holes), which draw correctly;
//   - an edge doubling back over the one before it (a spike), which simplification removes;
//   - crossings between different rings (two holes, a hole and its shell) and between parts
//     of a MultiPolygon; checkPolygon catches only a hole with a position outside its shell,
//     testing a sample of the hole's positions;
//   - anything in a ring so tangled that the sweep compares more than crossingBudget pairs
//     per edge: such a ring is accepted unchecked rather than stall the import.
func ringCrossing(r orb.Ring) (int, int, bool) {
	type edge struct {
		a, b   orb.Point
		pos    int // index in r of a
		seq    int // index among the non-empty edges, for adjacency
		bounds orb.Bound
	}
	edges := make([]edge, 0, len(r))
	for i := 0; i+1 < len(r); i++ {
		if r[i] == r[i+1] {
			continue // repeated position: no edge
		}
		e := edge{a: r[i], b: r[i+1], pos: i, seq: len(edges)}
		e.bounds = orb.Bound{Min: e.a, Max: e.a}.Extend(e.b)
		edges = append(edges, e)
	}
	n := len(edges)
	if n < 4 {
		return 0, 0, false // a triangle cannot cross itself
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int { return cmp.Compare(edges[i].bounds.Min[0], edges[j].bounds.Min[0]) })
	budget := crossingBudget * n
	open := make([]int, 0, 16)
	for _, i := range order {
		e := &edges[i]
		kept := open[:0]
		for _, j := range open {
			budget--
			o := &edges[j]
			if o.bounds.Max[0] < e.bounds.Min[0] {
				continue // closed: every later edge starts further east
			}
			kept = append(kept, j)
			if o.bounds.Max[1] < e.bounds.Min[1] || e.bounds.Max[1] < o.bounds.Min[1] {
				continue
			}
			if d := (e.seq - o.seq + n) % n; d == 1 || d == n-1 {
				continue // neighbours share a position
			}
			if segmentsCross(e.a, e.b, o.a, o.b) {
				return min(e.pos, o.pos), max(e.pos, o.pos), true
			}
		}
		if budget < 0 {
			return 0, 0, false
		}
		open = append(kept, i)
	}
	return 0, 0, false
}

// segmentsCross reports whether segments ab and cd cross at a point inside both, or lie on
// one line and overlap along a stretch. Touching at an end is not crossing.
func segmentsCross(a, b, c, d orb.Point) bool {
	d1, d2 := orient(a, b, c), orient(a, b, d)
	d3, d4 := orient(c, d, a), orient(c, d, b)
	if d1 != 0 || d2 != 0 || d3 != 0 || d4 != 0 {
		return d1*d2 < 0 && d3*d4 < 0
	}
	// Collinear: project on the longer axis and look for an overlap longer than a point.
	axis := 0
	if math.Abs(b[1]-a[1]) > math.Abs(b[0]-a[0]) {
		axis = 1
	}
	lo1, hi1 := min(a[axis], b[axis]), max(a[axis], b[axis])
	lo2, hi2 := min(c[axis], d[axis]), max(c[axis], d[axis])
	return min(hi1, hi2) > max(lo1, lo2)
}

// orient returns the sign of the turn a, b, c: 1 left, -1 right, 0 straight on.
func orient(a, b, c orb.Point) int {
	v := (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// holeSamples is how many positions of a hole are tested against its shell: enough to
// catch a hole drawn in the wrong place, cheap enough for holes of any size.
const holeSamples = 8

// outside returns a position of hole that lies outside shell, if it finds one: a hole must
// lie within its polygon's outer ring, touching it at most.
func outside(hole, shell orb.Ring) (orb.Point, bool) {
	sb := shell.Bound()
	for _, pt := range hole {
		if !sb.Contains(pt) {
			return pt, true
		}
	}
	step := max(1, (len(hole)-1)/holeSamples)
	for i := 0; i < len(hole)-1; i += step {
		if !planar.RingContains(shell, hole[i]) {
			return hole[i], true
		}
	}
	return orb.Point{}, false
}

// maxPropertiesListed bounds the properties a hint lists.
const maxPropertiesListed = 12

// propertyHint names the property a map.json most likely meant when a feature lacks the
// one it names: the same name in another letter case, or else the properties the feature
// has, with a value, for the reader to choose from.
func propertyHint(props map[string]any, want string) Message {
	var names []string
	for name, v := range props {
		if strings.EqualFold(name, want) && scalar(v) != "" {
			return say("GeoPropertyCase", "did you mean %s? (id_property and name_property are matched exactly)", "property", quote(name))
		}
		if scalar(v) != "" {
			names = append(names, quote(name))
		}
	}
	if len(names) == 0 {
		return say("GeoPropertyNone", `the feature has no properties with a value: set id_property to "" to use the feature's id`)
	}
	slices.Sort(names)
	if len(names) > maxPropertiesListed {
		return say("GeoPropertiesMore", "the feature's properties are %s and %d more",
			"properties", strings.Join(names[:maxPropertiesListed], ", "), "more", len(names)-maxPropertiesListed)
	}
	return say("GeoProperties", "the feature's properties are %s", "properties", strings.Join(names, ", "))
}

// scalar renders a string or number property as text: ids may be either in real data.
func scalar(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case json.Number:
		return v.String()
	}
	return ""
}

// MarshalGeometry encodes a geometry as GeoJSON.
func MarshalGeometry(g orb.Geometry) ([]byte, error) {
	b, err := json.Marshal(geojson.NewGeometry(g))
	if err != nil {
		return nil, fmt.Errorf("encode geometry: %w", err)
	}
	return bytes.TrimSpace(b), nil
}

// Simplification says how SimplifyRegions prepared a layer for storage.
type Simplification struct {
	// VerticesBefore and VerticesAfter count every position of every ring, closing ones
	// included, as the file had them and as they are stored.
	VerticesBefore, VerticesAfter int
	// Tolerance is the Douglas-Peucker tolerance used, in degrees; 0 when the layer is kept
	// as it is.
	Tolerance float64
	// Unsimplified counts the regions with a polygon kept as it came, with its borders,
	// because simplifying folded one of its rings across another edge.
	Unsimplified int
}

// KeepVertices is the size, in vertices, under which a layer is stored as it is. Such a
// layer is at most a few hundred kilobytes and draws in well under a frame at any zoom, and
// it has most likely been prepared for display already: the built-in map is 3,819 vertices,
// simplified by eye at 0.005 degrees. Simplifying it again would only take away detail
// someone chose to keep, and would make an exported map change on its way back in.
const KeepVertices = 20_000

// ToleranceDivisor sets the simplification tolerance: the diagonal of the layer's bounding
// box divided by it. The map opens fitted to the layer, about 1,000 pixels across, so the
// tolerance is about a quarter of a pixel there and still under a pixel two zoom levels in,
// for a province layer and a world layer alike (17 degrees of diagonal give Afghanistan
// 0.0043 degrees, close to the 0.005 chosen by eye for the built-in map; the world's 400
// give 0.1). Degrees are not square on a Web Mercator map, so near the poles the tolerance
// stands for up to twice as many pixels north-south; the quarter pixel leaves room for that.
const ToleranceDivisor = 4000

// SimplifyRegions returns the regions with their geometry simplified for display, keeping
// the borders neighbours share identical (see SimplifyShared), and says what it did. Layers
// under KeepVertices are returned as they are. The result passes the same checks as
// ParseRegions, so a map exported from the store imports again: a region that simplifying
// would break keeps its original points, and so do its neighbours along their shared
// borders (SimplifySharedValid), so borders stay shared. The input is not modified.
func SimplifyRegions(regions []Region) ([]Region, Simplification) {
	geoms := make([]orb.Geometry, len(regions))
	bound := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for i, r := range regions {
		geoms[i] = r.Geometry
		if r.Geometry != nil {
			bound = bound.Union(r.Geometry.Bound())
		}
	}
	s := Simplification{VerticesBefore: VertexCount(geoms)}
	s.VerticesAfter = s.VerticesBefore
	if s.VerticesBefore < KeepVertices {
		return regions, s
	}
	tolerance := math.Hypot(bound.Max[0]-bound.Min[0], bound.Max[1]-bound.Min[1]) / ToleranceDivisor
	simplified, restored := SimplifySharedValid(geoms, tolerance, func(p orb.Polygon) bool { return checkPolygon(p) == "" })
	out := slices.Clone(regions)
	for i := range out {
		out[i].Geometry = simplified[i]
	}
	s.VerticesAfter, s.Tolerance, s.Unsimplified = VertexCount(simplified), tolerance, restored
	return out, s
}
