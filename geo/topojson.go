package geo

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// ParseTopoJSON reads the regions of a TopoJSON topology (what world-atlas and us-atlas
// ship): the geometries of the object named object, or of the topology's first object
// when object is empty. Quantized arcs are decoded, arcs are joined into rings, and each
// geometry becomes a feature read as ParseRegions reads one: the id from idProp (the
// geometry's id when empty), the name from nameProp, the same repairs and refusals.
func ParseTopoJSON(raw []byte, object, idProp, nameProp string, opts ...Option) ([]Region, error) {
	var topo struct {
		Type      string `json:"type"`
		Transform *struct{ Scale, Translate [2]float64 }
		Arcs      [][][]float64   `json:"arcs"`
		Objects   json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(raw, &topo); err != nil {
		return nil, fileProblem(say("GeoJSONNot", "not valid JSON: %s", "detail", err.Error()))
	}
	if topo.Type != "Topology" {
		return nil, fileProblem(say("GeoNotTopology", "not a TopoJSON Topology (type is %s)", "type", quote(topo.Type)))
	}
	names, objects, err := orderedObjects(topo.Objects)
	if err != nil {
		return nil, fileProblem(say("GeoObjectsNot", "objects: %s", "detail", err.Error()))
	}
	if len(names) == 0 {
		return nil, fileProblem(say("GeoNoObjects", "the topology has no objects"))
	}
	if object == "" {
		object = names[0]
	}
	rawObject, ok := objects[object]
	if !ok {
		return nil, fileProblem(say("GeoNoObject", "the topology has no object %s; its objects are %s", "object", quote(object), "objects", quoteAll(names)))
	}
	arcs := decodeArcs(topo.Arcs, topo.Transform)
	var obj struct {
		Type       string            `json:"type"`
		Geometries []json.RawMessage `json:"geometries"`
	}
	if err := json.Unmarshal(rawObject, &obj); err != nil {
		return nil, fileProblem(say("GeoObjectNot", "object %s: %s", "object", quote(object), "detail", err.Error()))
	}
	geometries := obj.Geometries
	if obj.Type != "GeometryCollection" {
		geometries = []json.RawMessage{rawObject} // an object may be a single geometry
	}
	l := newLayer(len(geometries), idProp, nameProp, opts)
	for i, rawGeometry := range geometries {
		f, msg := topoFeature(rawGeometry, arcs)
		if msg.ID != "" {
			l.problems.add(i, msg)
			continue
		}
		l.add(i, f)
	}
	return l.result()
}

// orderedObjects returns the names of a topology's objects in the file's order, which
// decides which is first, and each object's JSON.
func orderedObjects(raw json.RawMessage) ([]string, map[string]json.RawMessage, error) {
	objects := map[string]json.RawMessage{}
	if len(raw) == 0 {
		return nil, objects, nil
	}
	if err := json.Unmarshal(raw, &objects); err != nil {
		return nil, nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // {
		return nil, nil, err
	}
	var names []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		names = append(names, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, nil, err
		}
	}
	return names, objects, nil
}

// decodeArcs returns the arcs in coordinates: a quantized topology's positions are deltas
// from the one before, in units of its transform.
func decodeArcs(arcs [][][]float64, t *struct{ Scale, Translate [2]float64 }) [][]orb.Point {
	out := make([][]orb.Point, len(arcs))
	for i, arc := range arcs {
		pts := make([]orb.Point, 0, len(arc))
		var x, y float64
		for _, p := range arc {
			if len(p) < 2 {
				continue
			}
			if t == nil {
				pts = append(pts, orb.Point{p[0], p[1]})
				continue
			}
			x, y = x+p[0], y+p[1]
			pts = append(pts, orb.Point{x*t.Scale[0] + t.Translate[0], y*t.Scale[1] + t.Translate[1]})
		}
		out[i] = pts
	}
	return out
}

// topoFeature turns one TopoJSON geometry into a GeoJSON feature, or says what is wrong.
func topoFeature(raw json.RawMessage, arcs [][]orb.Point) (*geojson.Feature, Message) {
	var g struct {
		Type       string          `json:"type"`
		ID         any             `json:"id"`
		Properties map[string]any  `json:"properties"`
		Arcs       json.RawMessage `json:"arcs"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, say("GeoTopoGeometryNot", "not a valid TopoJSON geometry: %s", "detail", err.Error())
	}
	f := &geojson.Feature{Type: "Feature", ID: g.ID, Properties: g.Properties}
	if f.Properties == nil {
		f.Properties = geojson.Properties{}
	}
	// bad is what is wrong with the arcs: a JSON error's text or a Message.
	var bad any
	switch g.Type {
	case "Polygon":
		var rings [][]int
		if err := json.Unmarshal(g.Arcs, &rings); err != nil {
			bad = err.Error()
			break
		}
		p, m := topoPolygon(rings, arcs)
		if m.ID != "" {
			bad = m
		}
		f.Geometry = p
	case "MultiPolygon":
		var polys [][][]int
		if err := json.Unmarshal(g.Arcs, &polys); err != nil {
			bad = err.Error()
			break
		}
		mp := make(orb.MultiPolygon, 0, len(polys))
		for _, rings := range polys {
			p, m := topoPolygon(rings, arcs)
			if m.ID != "" {
				bad = m
				break
			}
			mp = append(mp, p)
		}
		f.Geometry = mp
	case "", "null":
		// No geometry: region() says so, naming the region.
	default:
		return nil, regionType(scalar(g.ID), g.Type)
	}
	if bad != nil {
		return nil, say("GeoArcs", "arcs: %s", "problem", bad)
	}
	return f, Message{}
}

// topoPolygon joins each ring's arcs: an arc's index i < 0 stands for arc ^i reversed, and
// each arc after the first starts where the one before ends, so its first position is
// dropped.
func topoPolygon(rings [][]int, arcs [][]orb.Point) (orb.Polygon, Message) {
	p := make(orb.Polygon, 0, len(rings))
	for _, indexes := range rings {
		var ring orb.Ring
		for k, i := range indexes {
			reversed := i < 0
			if reversed {
				i = ^i
			}
			if i >= len(arcs) {
				return nil, say("GeoArcMissing", "arc %d does not exist; the topology has %d", "arc", i, "arcs", len(arcs))
			}
			arc := arcs[i]
			start := 0
			if k > 0 {
				start = 1
			}
			for j := start; j < len(arc); j++ {
				if reversed {
					ring = append(ring, arc[len(arc)-1-j])
				} else {
					ring = append(ring, arc[j])
				}
			}
		}
		p = append(p, ring)
	}
	return p, Message{}
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return strings.Join(q, ", ")
}
