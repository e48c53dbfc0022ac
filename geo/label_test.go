package geo

import (
	"encoding/json"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestLabelPoint(t *testing.T) {
	// An L: its centroid (about [1.17, 1.17]) lies in the notch, outside the region.
	l := orb.Polygon{{{0, 0}, {4, 0}, {4, 1}, {1, 1}, {1, 4}, {0, 4}, {0, 0}}}
	tests := []struct {
		name string
		g    orb.Geometry
		want orb.Point
	}{
		{"square: the middle", orb.Polygon{{{0, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}}}, orb.Point{1, 1}},
		{"L: inside, where its centroid is not", l, orb.Point{0.5, 2}},
		{"the widest part of a MultiPolygon", orb.MultiPolygon{
			{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}},
			{{{10, 0}, {16, 0}, {16, 2}, {10, 2}, {10, 0}}},
		}, orb.Point{13, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := LabelPoint(tt.g)
			if !ok || got != tt.want {
				t.Errorf("LabelPoint = %v, %v; want %v", got, ok, tt.want)
			}
			if !planar.MultiPolygonContains(asMulti(tt.g), got) {
				t.Errorf("%v is outside the region", got)
			}
		})
	}
	if _, ok := LabelPoint(orb.Point{1, 1}); ok {
		t.Error("a point has a label point")
	}
}

func asMulti(g orb.Geometry) orb.MultiPolygon {
	if p, ok := g.(orb.Polygon); ok {
		return orb.MultiPolygon{p}
	}
	return g.(orb.MultiPolygon)
}

// The regions served for display carry their label points, rounded as their coordinates.
func TestRoundForDisplayAddsLabelPoints(t *testing.T) {
	in := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":"A","properties":{"name":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,1],[1,1],[1,4],[0,4],[0,0]]]}}]}`)
	out, err := RoundForDisplay(in)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Properties struct{ Label [2]float64 } `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(out, &fc); err != nil {
		t.Fatal(err)
	}
	if got := fc.Features[0].Properties.Label; got != [2]float64{0.5, 2} {
		t.Errorf("label = %v, want [0.5, 2]", got)
	}
}
