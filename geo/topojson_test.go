package geo_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"

	"github.com/frontline-maps/frontline/geo"
)

// topoSquares is a topology of two unit squares side by side sharing the arc x=1: arc 0 is
// the shared edge, arcs 1 and 2 the rest of each square. "quantized" writes the same
// squares delta-encoded on a grid of quarter units.
const topoSquares = `{"type":"Topology","objects":{
  "squares":{"type":"GeometryCollection","geometries":[
    {"type":"Polygon","id":"A","properties":{"name":"Alpha"},"arcs":[[0,1]]},
    {"type":"MultiPolygon","properties":{"code":"B","name":"Beta"},"arcs":[[[2,-1]]]}]},
  "other":{"type":"GeometryCollection","geometries":[{"type":"Polygon","id":"C","arcs":[[0,1]]}]}},
 "arcs":[[[1,0],[1,1]],[[1,1],[0,1],[0,0],[1,0]],[[1,0],[2,0],[2,1],[1,1]]]}`

const quantized = `{"type":"Topology","transform":{"scale":[0.25,0.25],"translate":[10,20]},
 "objects":{"squares":{"type":"GeometryCollection","geometries":[
    {"type":"Polygon","id":"A","arcs":[[0,1]]},{"type":"Polygon","id":"B","arcs":[[2,-1]]}]}},
 "arcs":[[[4,0],[0,4]],[[4,4],[-4,0],[0,-4],[4,0]],[[4,0],[4,0],[0,4],[-4,0]]]}`

func TestParseTopoJSON(t *testing.T) {
	tests := []struct {
		name, raw, object, idProp string
		want                      map[string]orb.Geometry
	}{
		{"first_object", topoSquares, "", "", nil},
		{"object_by_name", topoSquares, "other", "", map[string]orb.Geometry{
			"C": orb.Polygon{{{1, 0}, {1, 1}, {0, 1}, {0, 0}, {1, 0}}},
		}},
		{"quantized", quantized, "", "", map[string]orb.Geometry{
			"A": orb.Polygon{{{11, 20}, {11, 21}, {10, 21}, {10, 20}, {11, 20}}},
			"B": orb.Polygon{{{11, 20}, {12, 20}, {12, 21}, {11, 21}, {11, 20}}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			regions, err := geo.ParseTopoJSON([]byte(tt.raw), tt.object, tt.idProp, "name")
			if tt.want == nil { // first_object: B has no id of its own
				if err == nil || !strings.Contains(err.Error(), `feature 1: no id: the feature has no "id" member`) {
					t.Fatalf("err = %v, want feature 1 without an id", err)
				}
				regions, err = geo.ParseTopoJSON([]byte(tt.raw), "", "name", "name")
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]orb.Geometry{}
				for _, r := range regions {
					got[r.ID] = r.Geometry
				}
				want := map[string]orb.Geometry{
					"Alpha": orb.Polygon{{{1, 0}, {1, 1}, {0, 1}, {0, 0}, {1, 0}}},
					"Beta":  orb.MultiPolygon{{{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 0}}}},
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("regions (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]orb.Geometry{}
			for _, r := range regions {
				got[r.ID] = r.Geometry
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("regions (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseTopoJSONRefuses(t *testing.T) {
	tests := []struct{ name, raw, object, want string }{
		{"not_json", `{"type":`, "", "not valid JSON"},
		{"geojson", `{"type":"FeatureCollection","features":[]}`, "", `not a TopoJSON Topology (type is "FeatureCollection")`},
		{"no_objects", `{"type":"Topology","objects":{},"arcs":[]}`, "", "the topology has no objects"},
		{"unknown_object", topoSquares, "counties", `the topology has no object "counties"; its objects are "squares", "other"`},
		{"missing_arc", `{"type":"Topology","objects":{"o":{"type":"GeometryCollection","geometries":[{"type":"Polygon","id":"A","arcs":[[7]]}]}},"arcs":[]}`, "",
			"feature 0: arcs: arc 7 does not exist; the topology has 0"},
		{"a_line", `{"type":"Topology","objects":{"o":{"type":"GeometryCollection","geometries":[{"type":"LineString","id":"A","arcs":[0]}]}},"arcs":[[[0,0],[1,1]]]}`, "",
			`feature 0: region "A" is a LineString; only Polygon and MultiPolygon are regions`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			regions, err := geo.ParseTopoJSON([]byte(tt.raw), tt.object, "", "name")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseTopoJSON = %d regions, %v; want an error containing %q", len(regions), err, tt.want)
			}
		})
	}
}

// TestParseTopoJSONWorldAtlas reads world-atlas's countries, fetched from npm by the test
// task: every country, ids from the names as some countries have no numeric id.
func TestParseTopoJSONWorldAtlas(t *testing.T) {
	path := filepath.Join("..", ".cache", "world-atlas", "package", "countries-50m.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v: fetch the real layers with `go tool task test-layers` (go tool task test does)", err)
	}
	regions, err := geo.ParseTopoJSON(raw, "", "name", "name")
	if err != nil {
		t.Fatal(err)
	}
	if len(regions) != 241 {
		t.Errorf("%d countries, want world-atlas's 241", len(regions))
	}
	for _, r := range regions {
		if r.ID == "Italy" && !r.Geometry.Bound().Contains(orb.Point{12.5, 41.9}) {
			t.Errorf("Italy's bound %v leaves out Rome", r.Geometry.Bound())
		}
	}
}

// TestParseTopoJSONUSAtlas reads us-atlas's counties, fetched from npm by the test task.
// Its first object, the 3,231 counties, is refused for the one county that its
// quantization leaves as a line (Falls Church, 51610: its two arcs go out and back along
// one segment, so the file itself has no area there, not the decoding), named with the fix;
// with SkipUndrawable the rest are read; its states import whole.
func TestParseTopoJSONUSAtlas(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", ".cache", "us-atlas", "package", "counties-10m.json"))
	if err != nil {
		t.Fatalf("%v: fetch the real layers with `go tool task test-layers` (go tool task test does)", err)
	}
	_, err = geo.ParseTopoJSON(raw, "", "", "name")
	want := `feature 629: region "51610": no polygon is left once rings with no area are dropped: nothing to draw (at the file's precision the region is a line or a point; take it out of the layer, or use a finer layer)`
	if err == nil || err.Error() != want {
		t.Errorf("counties: %v\nwant %s", err, want)
	}
	// With the opt-in, the other 3,230 counties are read and the one left out is named.
	var skipped []geo.Problem
	counties, err := geo.ParseTopoJSON(raw, "", "", "name", geo.SkipUndrawable(&skipped))
	if err != nil {
		t.Fatal(err)
	}
	if len(counties) != 3230 || len(skipped) != 1 || skipped[0].Feature != 629 || skipped[0].Region != "51610" {
		t.Errorf("%d counties, skipped %+v; want 3,230 and feature 629 (51610) left out", len(counties), skipped)
	}
	regions, err := geo.ParseTopoJSON(raw, "states", "", "name")
	if err != nil {
		t.Fatal(err)
	}
	if len(regions) != 56 || !slices.ContainsFunc(regions, func(r geo.Region) bool { return r.ID == "04" && r.Name == "Arizona" }) {
		t.Errorf("%d states, want 56 with Arizona as 04", len(regions))
	}
}
