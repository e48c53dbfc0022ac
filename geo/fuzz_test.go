package geo_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/frontline-maps/frontline/geo"
)

// FuzzParseRegions feeds the region-layer loader arbitrary files. It must never panic; a
// layer it accepts must hold only valid regions and come back the same when written out and
// read again; a layer it refuses must be refused with problems that name their features.
func FuzzParseRegions(f *testing.F) {
	square := `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}`
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":"A","properties":{"name":"Alpha","capital":"Town","population":1200},"geometry":`+square+`}]}`), "", "name")
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":7,"name":"Seven"},"geometry":{"type":"MultiPolygon","coordinates":[[[[179,0],[180,0],[180,1],[179,0]]],[[[-180,0],[-179,0],[-180,1],[-180,0]]]]}}]}`), "code", "name")
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":"H","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[2,2],[3,2],[3,3],[2,2]]]}}]}`), "", "")
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":"X","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}}]}`), "", "")
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":"A","geometry":`+square+`},{"type":"Feature","id":"A","geometry":`+square+`}]}`), "", "")
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":"P","geometry":{"type":"Point","coordinates":[1,2]}}]}`), "", "")
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":"N","geometry":{"type":"Polygon","coordinates":[[[0,0],[1e308,0],[1,1],[0,0]]]}}]}`), "", "")
	f.Add([]byte(`{"type":"FeatureCollection","features":[]}`), "", "")
	f.Add([]byte(`[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]`), "", "")
	f.Add([]byte(``), "id", "name")
	f.Fuzz(func(t *testing.T, raw []byte, idProp, nameProp string) {
		regions, err := geo.ParseRegions(raw, idProp, nameProp)
		if err != nil {
			var problems geo.Problems
			if !errors.As(err, &problems) || len(problems) == 0 {
				t.Fatalf("refused without problems: %T %v", err, err)
			}
			for _, p := range problems {
				if p.Msg == "" || p.Feature < -1 {
					t.Errorf("problem %+v", p)
				}
			}
			if regions != nil {
				t.Errorf("refused, yet returned %d regions", len(regions))
			}
			return
		}
		if len(regions) == 0 {
			t.Fatal("accepted a layer with no regions")
		}
		seen := map[string]bool{}
		for _, r := range regions {
			if r.ID == "" || r.ID != strings.TrimSpace(r.ID) || seen[r.ID] {
				t.Errorf("region id %q: empty, untrimmed or repeated", r.ID)
			}
			seen[r.ID] = true
			if r.Name == "" {
				t.Errorf("region %q has no name", r.ID)
			}
			if r.Population < 0 {
				t.Errorf("region %q has population %d", r.ID, r.Population)
			}
			checkRegionGeometry(t, r)
		}

		// Written out as a FeatureCollection, with the id on each feature, and read back.
		var out struct {
			Type     string `json:"type"`
			Features []any  `json:"features"`
		}
		out.Type = "FeatureCollection"
		for _, r := range regions {
			g, err := geo.MarshalGeometry(r.Geometry)
			if err != nil {
				t.Fatalf("marshal %q: %v", r.ID, err)
			}
			props := map[string]any{"name": r.Name, "capital": r.Capital}
			if r.Population > 0 {
				props["population"] = r.Population
			}
			out.Features = append(out.Features, map[string]any{"type": "Feature", "id": r.ID, "properties": props, "geometry": json.RawMessage(g)})
		}
		again, _ := json.Marshal(out)
		back, err := geo.ParseRegions(again, "", "name")
		if err != nil {
			t.Fatalf("an accepted layer written out is refused: %v\n%s", err, again)
		}
		if len(back) != len(regions) {
			t.Fatalf("%d regions came back, want %d", len(back), len(regions))
		}
		for i := range back {
			a, b := regions[i], back[i]
			if a.ID != b.ID || a.Name != b.Name || a.Capital != b.Capital || a.Population != b.Population || !orb.Equal(a.Geometry, b.Geometry) {
				t.Errorf("region %d changed on the way back:\n%+v\n%+v", i, a, b)
			}
		}
	})
}

// checkRegionGeometry checks what ParseRegions promises of an accepted region: a Polygon
// or MultiPolygon of closed rings of at least 4 finite positions in WGS84 range.
func checkRegionGeometry(t *testing.T, r geo.Region) {
	t.Helper()
	var polys []orb.Polygon
	switch g := r.Geometry.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	default:
		t.Fatalf("region %q is a %T", r.ID, r.Geometry)
	}
	if len(polys) == 0 {
		t.Errorf("region %q: no polygons", r.ID)
	}
	for _, p := range polys {
		if len(p) == 0 {
			t.Errorf("region %q: a polygon with no rings", r.ID)
		}
		for _, ring := range p {
			if len(ring) < 4 || !ring.Closed() {
				t.Errorf("region %q: ring of %d positions, closed %v", r.ID, len(ring), ring.Closed())
			}
			for _, pt := range ring {
				lon, lat := pt[0], pt[1]
				if math.IsNaN(lon) || math.IsNaN(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
					t.Errorf("region %q: position %v", r.ID, pt)
				}
			}
		}
	}
}
