package geo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/simplify"
)

// ContextShape is one country (or any land) drawn quietly around a map for orientation:
// its land filled, its borders and coasts stroked. Land and lines are kept apart because
// land clipped to a box gains edges along the box, which must not be drawn as a coast.
type ContextShape struct {
	Name string
	// Land is filled, without an outline; it may be empty.
	Land orb.MultiPolygon
	// Lines are the shape's borders and coastlines; they may be empty.
	Lines orb.MultiLineString
}

// Context sizes: the surroundings are the map's bounds grown by contextMargin of their
// longer side each way, which covers what a reader sees with the map fitted to a phone
// held upright or a wide screen, zoomed out the one step the page allows (static/map/
// view.js); the shapes are simplified at contextDivisor-th of that area's side, under
// three pixels when the map fills a desktop's map box (the built-in map: 52 kB, 8 kB
// gzipped, for 27 countries). A context is quiet background, not a boundary source.
const (
	contextMargin  = 1.0
	contextDivisor = 600
	// contextSlack is how far, in parts of the surroundings' side, a context may reach past
	// them and still count as clipped already.
	contextSlack   = 0.05
	maxMercatorLat = 85
	// cutGap is how far, in degrees, the context of a map across the antimeridian stays from
	// the cut opposite it (SurroundingsOf).
	cutGap = 0.5
)

// Surroundings returns the area around a map whose context is kept: b grown by its
// longer side each way (a degree at least), within the longitudes and the latitudes Web
// Mercator draws.
func Surroundings(b orb.Bound) orb.Bound {
	d := max(contextMargin*max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]), 1)
	return orb.Bound{
		Min: orb.Point{max(b.Min[0]-d, -180), max(b.Min[1]-d, -maxMercatorLat)},
		Max: orb.Point{min(b.Max[0]+d, 180), min(b.Max[1]+d, maxMercatorLat)},
	}
}

// ParseContext reads a context layer: a GeoJSON FeatureCollection whose Polygon and
// MultiPolygon features are land and whose LineString and MultiLineString features are
// borders and coasts. A layer of polygons only (a countries file as published) has its
// rings taken as its lines. Names come from the "name" property when there is one. Any
// problem rejects the whole layer, and the returned Problems names the feature.
func ParseContext(raw []byte) ([]ContextShape, error) {
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		return nil, fileProblem(say("GeoNotCollectionDetail", "not a GeoJSON FeatureCollection: %s", "detail", err.Error()))
	}
	if fc.Type != "FeatureCollection" {
		return nil, fileProblem(say("GeoNotCollection", "not a GeoJSON FeatureCollection (type is %s)", "type", quote(fc.Type)))
	}
	var problems Problems
	report := problems.add
	shapes := make([]ContextShape, 0, len(fc.Features))
	hasLines := false
	for i, f := range fc.Features {
		s := ContextShape{Name: scalar(f.Properties["name"])}
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			s.Land = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			s.Land = g
		case orb.LineString:
			s.Lines, hasLines = orb.MultiLineString{g}, true
		case orb.MultiLineString:
			s.Lines, hasLines = g, true
		case nil:
			report(i, say("GeoContextNoGeometry", "geometry is missing; a context layer holds polygons (land) and lines (borders, coasts)"))
			continue
		default:
			report(i, say("GeoContextType", "geometry is %s; a context layer holds polygons (land) and lines (borders, coasts)", "type", f.Geometry.GeoJSONType()))
			continue
		}
		if msg := checkPositions(f.Geometry); msg.ID != "" {
			report(i, msg)
			continue
		}
		shapes = append(shapes, s)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	if !hasLines {
		for i := range shapes {
			shapes[i].Lines = ringLines(shapes[i].Land)
		}
	}
	return shapes, nil
}

// checkPositions says what is wrong with the first bad position of g, or returns no
// Message.
func checkPositions(g orb.Geometry) Message {
	var msg Message
	visit := func(ps []orb.Point) {
		for _, p := range ps {
			if msg.ID == "" {
				msg = checkPosition(p)
			}
		}
	}
	switch g := g.(type) {
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				visit(r)
			}
		}
	case orb.Polygon:
		for _, r := range g {
			visit(r)
		}
	case orb.MultiLineString:
		for _, l := range g {
			visit(l)
		}
	case orb.LineString:
		visit(g)
	}
	return msg
}

// ringLines returns the rings of land as lines.
func ringLines(land orb.MultiPolygon) orb.MultiLineString {
	var lines orb.MultiLineString
	for _, p := range land {
		for _, r := range p {
			lines = append(lines, orb.LineString(r))
		}
	}
	return lines
}

// SurroundingsOf is the area around regions whose context is kept: Surroundings of their
// bounds, one box. For regions across the antimeridian (SpanOf), the same area about their
// span, no wider than the circle that Span.Lon draws (from the cut opposite the span's
// centre, round to it), as boxes of plain longitudes cut at ±180 and at the cut: clipped to
// them, no ring or line of the context runs across the cut, where the pictures and the
// browser would tear it.
func SurroundingsOf(regions []Region) []orb.Bound {
	b := RegionsBound(regions)
	geoms := make([]orb.Geometry, len(regions))
	for i, r := range regions {
		geoms[i] = r.Geometry
	}
	span := SpanOf(geoms)
	if !span.Crosses() {
		return []orb.Bound{Surroundings(b)}
	}
	d := max(contextMargin*max(span.East-span.West, b.Max[1]-b.Min[1]), 1)
	south, north := max(b.Min[1]-d, -maxMercatorLat), min(b.Max[1]+d, maxMercatorLat)
	// Half a degree short of the cut either side: a point on it, rounded, could fall on the
	// wrong side. The cut lies 90° or more from the regions, out of any view of them.
	west, east := max(span.West-d, span.Centre()-180+cutGap), min(span.East+d, span.Centre()+180-cutGap)
	box := func(w, e float64) orb.Bound { return orb.Bound{Min: orb.Point{w, south}, Max: orb.Point{e, north}} }
	// The span crosses the line, so the area does: a box either side of it.
	if west < -180 {
		return []orb.Bound{box(west+360, 180), box(-180, east)}
	}
	return []orb.Bound{box(west, 180), box(-180, east-360)}
}

// ClipContext keeps what of shapes lies within around (see Surroundings, SurroundingsOf:
// one box, or a box either side of the antimeridian), simplified and rounded for the size
// of that area, so that a country's context costs a few kilobytes whatever the source's
// detail; shapes that lie within around already are returned as they are. Lines are
// clipped as lines, so the box's own edges never become coasts; shapes with nothing left
// are dropped.
func ClipContext(shapes []ContextShape, around ...orb.Bound) []ContextShape {
	if len(around) == 0 {
		return nil
	}
	side := 0.0
	for _, b := range around {
		side = max(side, b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
	}
	// A context within the area already (clipped before: an exported map imported again,
	// whose regions' bounds moved by a rounding) is kept as it is: clipping and simplifying
	// it again would move its edges, and a map folder would not come back as it went.
	if within(shapes, around, side*contextSlack) {
		return shapes
	}
	tolerance := side / contextDivisor
	decimals := min(max(int(math.Ceil(-math.Log10(tolerance/2))), 1), 7)
	dp := simplify.DouglasPeucker(tolerance)
	var out []ContextShape
	for _, s := range shapes {
		c := ContextShape{Name: s.Name}
		for _, b := range around {
			for _, p := range s.Land {
				if !p.Bound().Intersects(b) {
					continue
				}
				var kept orb.Polygon
				for k, r := range p {
					r = roundRing(clip.Ring(b, dp.Ring(r.Clone())), decimals)
					if len(r) < 4 {
						if k == 0 {
							break // no shell, no polygon
						}
						continue
					}
					kept = append(kept, r)
				}
				if len(kept) > 0 {
					c.Land = append(c.Land, kept)
				}
			}
		}
		for _, b := range around {
			for _, l := range s.Lines {
				if !l.Bound().Intersects(b) {
					continue
				}
				// Open: a line running along the box's edge (land clipped before) is outside.
				for _, part := range clip.LineString(b, dp.LineString(l.Clone()), clip.OpenBound(true)) {
					if part = roundLine(part, decimals); len(part) >= 2 {
						c.Lines = append(c.Lines, part)
					}
				}
			}
		}
		if len(c.Land) > 0 || len(c.Lines) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// within tells whether every shape lies inside the one box of around, grown by pad; of
// boxes either side of the antimeridian, whether each of its polygons and lines lies
// inside one of them.
func within(shapes []ContextShape, around []orb.Bound, pad float64) bool {
	inside := func(g orb.Bound) bool {
		for _, b := range around {
			b = b.Pad(pad)
			if b.Contains(g.Min) && b.Contains(g.Max) {
				return true
			}
		}
		return false
	}
	for _, s := range shapes {
		if len(around) == 1 {
			if (len(s.Land) > 0 && !inside(s.Land.Bound())) || (len(s.Lines) > 0 && !inside(s.Lines.Bound())) {
				return false
			}
			continue
		}
		for _, p := range s.Land {
			if !inside(p.Bound()) {
				return false
			}
		}
		for _, l := range s.Lines {
			if !inside(l.Bound()) {
				return false
			}
		}
	}
	return true
}

// roundRing rounds a ring's points to decimals places, dropping repeats.
func roundRing(r orb.Ring, decimals int) orb.Ring {
	return orb.Ring(roundLine(orb.LineString(r), decimals))
}

// roundLine rounds a line's points to decimals places, dropping repeats.
func roundLine(l orb.LineString, decimals int) orb.LineString {
	scale := math.Pow10(decimals)
	out := make(orb.LineString, 0, len(l))
	for _, p := range l {
		p = orb.Point{math.Round(p[0]*scale) / scale, math.Round(p[1]*scale) / scale}
		if len(out) == 0 || out[len(out)-1] != p {
			out = append(out, p)
		}
	}
	return out
}

// contextFeature is how a context shape is written: land and lines as two features, so
// that a style can fill the one and stroke the other.
type contextFeature struct {
	Type       string          `json:"type"`
	Properties contextProps    `json:"properties"`
	Geometry   json.RawMessage `json:"geometry"`
}

type contextProps struct {
	Name string `json:"name,omitempty"`
	// Part is "land" or "lines".
	Part string `json:"part"`
}

// MarshalContext writes shapes as a GeoJSON FeatureCollection, a feature per line: each
// shape's land (MultiPolygon, "part": "land") and lines (MultiLineString, "part": "lines").
// ParseContext reads it back as it was.
func MarshalContext(shapes []ContextShape) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	n := 0
	write := func(name, part string, g orb.Geometry) error {
		geom, err := json.Marshal(geojson.NewGeometry(g))
		if err != nil {
			return fmt.Errorf("encode context %q: %w", name, err)
		}
		line, err := json.Marshal(contextFeature{Type: "Feature", Properties: contextProps{Name: name, Part: part}, Geometry: geom})
		if err != nil {
			return fmt.Errorf("encode context %q: %w", name, err)
		}
		if n > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
		b.Write(line)
		n++
		return nil
	}
	for _, s := range shapes {
		if len(s.Land) > 0 {
			if err := write(s.Name, "land", s.Land); err != nil {
				return nil, err
			}
		}
		if len(s.Lines) > 0 {
			if err := write(s.Name, "lines", s.Lines); err != nil {
				return nil, err
			}
		}
	}
	if n > 0 {
		b.WriteByte('\n')
	}
	b.WriteString("]}\n")
	return b.Bytes(), nil
}

// ContextFile is the optional context layer of a map folder.
const ContextFile = "context.geojson"

// RegionsBound returns the bounds of regions' geometry.
func RegionsBound(regions []Region) orb.Bound {
	var b orb.Bound
	for i, r := range regions {
		if i == 0 {
			b = r.Geometry.Bound()
		} else {
			b = b.Union(r.Geometry.Bound())
		}
	}
	return b
}
