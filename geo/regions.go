// Package geo owns Frontline's geometry: reading and validating region layers, simplifying,
// measuring and projecting them.
package geo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Region is one feature of a region layer, validated.
type Region struct {
	ID         string
	Name       string
	Capital    string
	Population int64
	// Geometry is an orb.Polygon or orb.MultiPolygon in WGS84 [lon, lat].
	Geometry orb.Geometry
}

// Problem is one thing wrong with one feature of a layer.
type Problem struct {
	// Feature is the feature's index in the FeatureCollection, from 0; -1 for the whole file.
	Feature int
	Msg     string
}

func (p Problem) String() string {
	if p.Feature < 0 {
		return p.Msg
	}
	return fmt.Sprintf("feature %d: %s", p.Feature, p.Msg)
}

// Problems is every problem found in a layer. A layer with problems is rejected whole.
type Problems []Problem

// maxProblems bounds the report: past it, a file is broken in a way a list does not help with.
const maxProblems = 20

func (ps Problems) Error() string {
	lines := make([]string, 0, len(ps))
	for _, p := range ps {
		lines = append(lines, p.String())
	}
	return strings.Join(lines, "\n")
}

// ParseRegions reads a GeoJSON FeatureCollection of Polygon and MultiPolygon features. The
// region id comes from the property idProp (the feature's id when idProp is empty) and the
// name from nameProp (the id when absent). Any problem rejects the whole layer, and the
// returned Problems names the feature of each.
func ParseRegions(raw []byte, idProp, nameProp string) ([]Region, error) {
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		return nil, Problems{{Feature: -1, Msg: "not valid JSON: " + err.Error()}}
	}
	if fc.Type != "FeatureCollection" {
		return nil, Problems{{Feature: -1, Msg: fmt.Sprintf("not a GeoJSON FeatureCollection (type is %q)", fc.Type)}}
	}
	if len(fc.Features) == 0 {
		return nil, Problems{{Feature: -1, Msg: "the FeatureCollection has no features"}}
	}
	var problems Problems
	report := func(i int, format string, args ...any) {
		problems = append(problems, Problem{Feature: i, Msg: fmt.Sprintf(format, args...)})
	}
	regions := make([]Region, 0, len(fc.Features))
	seen := make(map[string]int, len(fc.Features))
	for i, rawFeature := range fc.Features {
		if len(problems) >= maxProblems {
			report(-1, "too many problems; stopped at feature %d of %d", i, len(fc.Features))
			break
		}
		f, err := geojson.UnmarshalFeature(rawFeature)
		if err != nil {
			report(i, "not a valid GeoJSON feature: %v", err)
			continue
		}
		r, msg := region(f, idProp, nameProp)
		if msg != "" {
			report(i, "%s", msg)
			continue
		}
		if first, dup := seen[r.ID]; dup {
			report(i, "duplicate id %q (also feature %d)", r.ID, first)
			continue
		}
		seen[r.ID] = i
		regions = append(regions, r)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return regions, nil
}

// region turns a feature into a Region, or says what is wrong with it.
func region(f *geojson.Feature, idProp, nameProp string) (Region, string) {
	var r Region
	if idProp == "" {
		r.ID = scalar(f.ID)
		if r.ID == "" {
			return r, "no id: the feature has no \"id\" member"
		}
	} else {
		r.ID = scalar(f.Properties[idProp])
		if r.ID == "" {
			return r, fmt.Sprintf("no id: property %q is missing or empty", idProp)
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
		return r, fmt.Sprintf("region %q has no geometry", r.ID)
	}
	switch g := f.Geometry.(type) {
	case orb.Polygon:
		if msg := checkPolygon(g); msg != "" {
			return r, fmt.Sprintf("region %q: %s", r.ID, msg)
		}
	case orb.MultiPolygon:
		if len(g) == 0 {
			return r, fmt.Sprintf("region %q: empty MultiPolygon", r.ID)
		}
		for j, p := range g {
			if msg := checkPolygon(p); msg != "" {
				return r, fmt.Sprintf("region %q: polygon %d: %s", r.ID, j, msg)
			}
		}
	default:
		return r, fmt.Sprintf("region %q is a %s; only Polygon and MultiPolygon are regions", r.ID, f.Geometry.GeoJSONType())
	}
	r.Geometry = f.Geometry
	return r, ""
}

// checkPolygon says what is wrong with a polygon's rings, or returns "".
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
			lon, lat := pt[0], pt[1]
			if math.IsNaN(lon) || math.IsNaN(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
				return fmt.Sprintf("ring %d has position [%v, %v] outside longitude -180..180, latitude -90..90", k, lon, lat)
			}
		}
	}
	return ""
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
