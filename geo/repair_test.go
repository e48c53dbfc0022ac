package geo

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// TestRepair is where geometry refusals and repairs are tested in depth; the readers and
// the entry points above test one case each. Each case says what the file held, what the
// repair reports and the area left, which is what the even-odd rule (Leaflet's fill) gives.
func TestRepair(t *testing.T) {
	tests := []struct {
		name     string
		geometry string
		want     []string
		area     float64
	}{
		{"valid_as_it_is", `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}`, nil, 1},
		{"unclosed_ring", `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}`, []string{RepairClosed}, 1},
		{"repeated_positions", `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,0],[1,1],[0,1],[0,1],[0,0]]]}`, []string{RepairDuplicates}, 1},
		{"spike", `{"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[1,2],[1,3],[1,2],[0,2],[0,0]]]}`, []string{RepairSpikes}, 4},
		{"spike_within_a_spike", `{"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[1,2],[1,3],[1,4],[1,3],[1,2],[0,2],[0,0]]]}`, []string{RepairSpikes}, 4},
		{"clockwise", `{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,1],[1,0],[0,0]]]}`, []string{RepairWinding}, 1},
		{"hole_counter_clockwise", `{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[2,1],[2,2],[1,2],[1,1]]]}`, []string{RepairWinding}, 15},
		{"bow_tie", `{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}`, []string{RepairCrossing}, 0.5},
		{"figure_of_eight_hole", `{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[2,2],[4,4],[4,2],[2,4],[2,2]]]}`, []string{RepairCrossing}, 98},
		{"ring_runs_back_over_itself", `{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,1],[3,0],[1,0],[0,1],[0,0]]]}`, []string{RepairCrossing}, 1},
		{"hole_touching_its_ring_from_inside", `{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[5,5],[7,3],[3,3],[5,5],[0,10],[0,0]]]}`, []string{RepairCrossing}, 71},
		{"hole_outside_its_ring", `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]],[[5,5],[5,6],[6,6],[6,5],[5,5]]]}`, []string{RepairRings}, 2},
		{"hole_inside_the_bound_but_outside", `{"type":"Polygon","coordinates":[[[0,0],[10,0],[0,10],[0,0]],[[7,7],[7,8],[8,8],[8,7],[7,7]]]}`, []string{RepairRings}, 51},
		{"overlapping_parts", `{"type":"MultiPolygon","coordinates":[[[[0,0],[2,0],[2,2],[0,2],[0,0]]],[[[1,1],[3,1],[3,3],[1,3],[1,1]]]]}`, []string{RepairRings}, 7},
		{"sliver_part", `{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],[[[5,5],[6,5],[7,5],[5,5]]]]}`, []string{RepairDegenerate}, 1},
		{"three_position_hole", `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]],[[0.2,0.2],[0.4,0.2],[0.2,0.2]]]}`, []string{RepairDegenerate}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in geojson.Geometry
			if err := json.Unmarshal([]byte(tt.geometry), &in); err != nil {
				t.Fatal(err)
			}
			g, did, msg := repair(in.Geometry())
			if msg.ID != "" {
				t.Fatalf("refused: %s", msg)
			}
			if diff := cmp.Diff(tt.want, did); diff != "" {
				t.Errorf("repairs (-want +got):\n%s", diff)
			}
			if a := planar.Area(g); math.Abs(a-tt.area) > 1e-9 {
				t.Errorf("area %g, want %g: %v", a, tt.area, g)
			}
			if err := toSF(g).Validate(); err != nil {
				t.Errorf("repaired geometry is invalid: %v\n%v", err, g)
			}
			if msg := checkGeometry(g); msg != "" {
				t.Errorf("repaired geometry fails the layer's checks: %s", msg)
			}
			// A repaired geometry is valid as it is: a map exported and imported again
			// comes back the same.
			again, did2, _ := repair(g)
			if len(did2) > 0 || !orb.Equal(again, g) {
				t.Errorf("repairing twice changed it again: %v", did2)
			}
		})
	}
}

func TestRepairRefusesWhatCannotBeDrawn(t *testing.T) {
	tests := []struct{ name, geometry, want string }{
		{"only_a_sliver", `{"type":"Polygon","coordinates":[[[0,0],[1,0],[2,0],[0,0]]]}`, "no polygon is left"},
		{"no_rings", `{"type":"Polygon","coordinates":[]}`, "no polygon is left"},
		{"empty_multipolygon", `{"type":"MultiPolygon","coordinates":[]}`, "empty MultiPolygon"},
		{"latitude_out_of_range", `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,91],[0,0]]]}`, "ring 0: position [1, 91] has latitude outside -90..90"},
		{"longitude_in_a_part", `{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[0,0],[181,0],[1,1],[0,0]]]]}`, "polygon 1: ring 0: position [181, 0] has longitude outside -180..180"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in geojson.Geometry
			if err := json.Unmarshal([]byte(tt.geometry), &in); err != nil {
				t.Fatal(err)
			}
			g, _, msg := repair(in.Geometry())
			if msg.ID == "" || !strings.Contains(msg.Msg, tt.want) {
				t.Errorf("repair = %v, %q; want refused with %q", g, msg, tt.want)
			}
		})
	}
}
