package geo

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Place is one feature of a places layer, validated: a point that holds a faction as a
// region does (a city, a town, a base).
type Place struct {
	ID   string
	Name string
	// Kind is capital, city, town or any word the file uses; empty when it has none.
	Kind       string
	Population int64
	// Point is the place's position in WGS84 [lon, lat].
	Point orb.Point
}

// ParsePlaces reads a GeoJSON FeatureCollection of Point features. Ids and names are read
// as ParseRegions reads them; taken reports an id already used by a region of the map,
// since events name regions and places alike and so one id must mean one thing. Any
// problem rejects the whole layer, and the returned Problems names the feature.
func ParsePlaces(raw []byte, idProp, nameProp string, taken func(id string) bool) ([]Place, error) {
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
	var problems Problems
	report := problems.add
	places := make([]Place, 0, len(fc.Features))
	seen := make(map[string]int, len(fc.Features))
	for i, rawFeature := range fc.Features {
		f, err := geojson.UnmarshalFeature(rawFeature)
		if err != nil {
			report(i, say("GeoFeatureNot", "not a valid GeoJSON feature: %s", "detail", err.Error()))
			continue
		}
		// The id and name rules are the regions' (region reads them before the geometry).
		r, msg := region(f, idProp, nameProp)
		if r.ID == "" {
			report(i, msg)
			continue
		}
		p := Place{ID: r.ID, Name: r.Name, Population: r.Population, Kind: scalar(f.Properties["kind"])}
		pt, ok := f.Geometry.(orb.Point)
		switch {
		case f.Geometry == nil:
			report(i, say("GeoPlaceNoGeometry", "place %s has no geometry", "place", quote(p.ID)))
			continue
		case !ok:
			report(i, say("GeoPlaceType", "place %s is a %s; only Point features are places", "place", quote(p.ID), "type", f.Geometry.GeoJSONType()))
			continue
		case math.IsNaN(pt[0]) || math.IsNaN(pt[1]) || pt[0] < -180 || pt[0] > 180 || pt[1] < -90 || pt[1] > 90:
			report(i, say("GeoPlaceRange", "place %s: position %s is out of range: longitude -180..180 first, then latitude -90..90",
				"place", quote(p.ID), "position", fmt.Sprintf("[%g, %g]", pt[0], pt[1])))
			continue
		}
		p.Point = pt
		if first, dup := seen[p.ID]; dup {
			report(i, say("GeoDuplicateID", "duplicate id %s (also feature %d)", "id", quote(p.ID), "first", first))
			continue
		}
		if taken != nil && taken(p.ID) {
			report(i, say("GeoPlaceIDTaken", "id %s is also a region's: a place's id must differ from every region's, as events name either", "id", quote(p.ID)))
			continue
		}
		seen[p.ID] = i
		places = append(places, p)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return places, nil
}
