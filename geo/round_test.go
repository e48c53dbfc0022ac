package geo

import (
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func TestDisplayDecimals(t *testing.T) {
	tests := []struct {
		name string
		b    orb.Bound
		want int
	}{
		{"Afghanistan", orb.Bound{Min: orb.Point{60.5, 29.4}, Max: orb.Point{74.9, 38.5}}, 3},
		{"the world", orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 84}}, 2},
		{"a city's districts", orb.Bound{Min: orb.Point{2.22, 48.81}, Max: orb.Point{2.47, 48.90}}, 5},
		{"a point", orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{1, 1}}, 7},
	}
	for _, tt := range tests {
		if got := DisplayDecimals(tt.b); got != tt.want {
			t.Errorf("%s: %d decimals, want %d", tt.name, got, tt.want)
		}
	}
}

func TestRoundForDisplay(t *testing.T) {
	// A large square (which sets the layer's precision: 3 decimals) with a hole, and an
	// islet smaller than the rounding, which keeps its coordinates rather than vanish.
	in := `{"type":"FeatureCollection","features":[
	{"type":"Feature","id":"A","properties":{"name":"A","capital":"X"},"geometry":{"type":"Polygon","coordinates":[
		[[60.123456,30.123456],[70.123456,30.123456],[70.123456,38.123456],[60.123456,38.123456],[60.123456,30.123456]],
		[[61.000011,31.000011],[61.000011,32.000049],[62.000049,32.000049],[62.000049,31.000011],[61.000011,31.000011]]]}},
	{"type":"Feature","id":"B","properties":{"name":"B"},"geometry":{"type":"MultiPolygon","coordinates":[[
		[[65.000001,35.000001],[65.000021,35.000001],[65.000021,35.000021],[65.000001,35.000001]]]]}}]}`
	out, err := RoundForDisplay([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(out)
	if err != nil {
		t.Fatal(err)
	}
	a := fc.Features[0]
	if a.ID != "A" || a.Properties["name"] != "A" || a.Properties["capital"] != "X" {
		t.Errorf("feature A lost its id or properties: %v %v", a.ID, a.Properties)
	}
	want := orb.Polygon{
		{{60.123, 30.123}, {70.123, 30.123}, {70.123, 38.123}, {60.123, 38.123}, {60.123, 30.123}},
		{{61, 31}, {61, 32}, {62, 32}, {62, 31}, {61, 31}},
	}
	if !orb.Equal(a.Geometry, want) {
		t.Errorf("A rounded to %v, want %v", a.Geometry, want)
	}
	if got := fc.Features[1].Geometry.(orb.MultiPolygon)[0][0][1]; got != (orb.Point{65.000021, 35.000001}) {
		t.Errorf("the islet's second point is %v: it should keep its coordinates", got)
	}
	if _, err := RoundForDisplay([]byte(`{"type":"Feature"}`)); err == nil || !strings.Contains(err.Error(), "round regions") {
		t.Errorf("not a FeatureCollection: %v", err)
	}
}
