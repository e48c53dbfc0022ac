package geo

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMercatorPixelRules checks testdata/rules/mercator.json, the golden cases that
// static/test/rules.test.js runs against the browser's projector too.
func TestMercatorPixelRules(t *testing.T) {
	raw, err := os.ReadFile("../testdata/rules/mercator.json")
	if err != nil {
		t.Fatal(err)
	}
	var rules struct {
		Cases []struct {
			Name     string
			Lon, Lat float64
			Zoom     int
			Want     [2]float64
		}
	}
	if err := json.Unmarshal(raw, &rules); err != nil {
		t.Fatalf("mercator.json: %v", err)
	}
	if len(rules.Cases) == 0 {
		t.Fatal("mercator.json has no cases")
	}
	for _, c := range rules.Cases {
		t.Run(c.Name, func(t *testing.T) {
			x, y := MercatorPixel(c.Lon, c.Lat, c.Zoom)
			if math.Abs(x-c.Want[0]) > 1e-6 || math.Abs(y-c.Want[1]) > 1e-6 {
				t.Errorf("MercatorPixel(%v, %v, %d) = %v, %v, want %v", c.Lon, c.Lat, c.Zoom, x, y, c.Want)
			}
		})
	}
}

// decodedShapes is the projected form read back as the browser reads it
// (static/map/shapes.js).
type decodedShapes struct {
	head   projectedHeader
	rings  [][][]float32 // per region, per ring, x, y, ...
	labels [][2]float32
}

func decodeProjected(t *testing.T, b []byte) decodedShapes {
	t.Helper()
	if string(b[:4]) != ProjectedFormat {
		t.Fatalf("magic %q", b[:4])
	}
	n := int(binary.LittleEndian.Uint32(b[4:]))
	var d decodedShapes
	if err := json.Unmarshal(b[8:8+n], &d.head); err != nil {
		t.Fatal(err)
	}
	off := (8 + n + 3) &^ 3
	r := bytes.NewReader(b[off:])
	regions := len(d.head.Regions)
	ringStarts := make([]uint32, regions+1)
	pointStarts := make([]uint32, d.head.Rings+1)
	xy := make([]float32, 2*d.head.Points)
	labels := make([]float32, 2*regions)
	for _, part := range []any{ringStarts, pointStarts, xy, labels} {
		if err := binary.Read(r, binary.LittleEndian, part); err != nil {
			t.Fatal(err)
		}
	}
	if r.Len() != 0 {
		t.Fatalf("%d bytes left over", r.Len())
	}
	for i := range regions {
		var rings [][]float32
		for k := ringStarts[i]; k < ringStarts[i+1]; k++ {
			rings = append(rings, xy[2*pointStarts[k]:2*pointStarts[k+1]])
		}
		d.rings = append(d.rings, rings)
		d.labels = append(d.labels, [2]float32{labels[2*i], labels[2*i+1]})
	}
	return d
}

func TestProjectedShapes(t *testing.T) {
	const layer = `{"type": "FeatureCollection", "features": [
		{"type": "Feature", "id": "A", "properties": {"name": "Ay", "label": [10.5, 20.5], "capital": "Acity"},
		 "geometry": {"type": "Polygon", "coordinates": [[[10, 20], [11, 20], [11, 21], [10, 20]]]}},
		{"type": "Feature", "id": "none", "properties": {}, "geometry": null},
		{"type": "Feature", "properties": {"id": 7},
		 "geometry": {"type": "MultiPolygon", "coordinates": [[[[12, 19], [13, 19], [13, 20], [12, 19]], [[12.2, 19.1], [12.4, 19.1], [12.4, 19.3], [12.2, 19.1]]], [[[14, 22], [15, 22], [15, 23], [14, 22]]]]}}
	]}`
	b, err := ProjectedShapes([]byte(layer), Span{West: 10, East: 15})
	if err != nil {
		t.Fatal(err)
	}
	d := decodeProjected(t, b)
	if diff := cmp.Diff([]string{"A", "7"}, d.head.Regions); diff != "" {
		t.Errorf("regions (-want +got):\n%s", diff)
	}
	if d.head.Zoom != ProjectedZoom || d.head.Bounds != [4]float64{10, 19, 15, 23} {
		t.Errorf("zoom %d, bounds %v", d.head.Zoom, d.head.Bounds)
	}
	if diff := cmp.Diff(map[string]string{"A": "Acity"}, d.head.Capitals); diff != "" {
		t.Errorf("capitals (-want +got):\n%s", diff)
	}
	ox, oy := MercatorPixel(10, 23, ProjectedZoom)
	if d.head.Origin != [2]float64{ox, oy} {
		t.Errorf("origin %v, want %v, %v", d.head.Origin, ox, oy)
	}
	if len(d.rings[0]) != 1 || len(d.rings[1]) != 3 || len(d.rings[1][1]) != 8 {
		t.Fatalf("rings %v", d.rings)
	}
	// Each position is its Mercator pixel from the origin.
	x, y := MercatorPixel(12.4, 19.3, ProjectedZoom)
	if got := d.rings[1][1][4:6]; math.Abs(float64(got[0])-(x-ox)) > 1e-3 || math.Abs(float64(got[1])-(y-oy)) > 1e-3 {
		t.Errorf("position [12.4, 19.3] at %v, want %v, %v", got, x-ox, y-oy)
	}
	if d.labels[0] != [2]float32{10.5, 20.5} || !math.IsNaN(float64(d.labels[1][0])) {
		t.Errorf("labels %v", d.labels)
	}
}

// A map across the antimeridian is projected with its longitudes as drawn (Span.Lon): the
// Aleutians west of Alaska, beside it.
func TestProjectedShapesAcrossTheAntimeridian(t *testing.T) {
	const layer = `{"type": "FeatureCollection", "features": [
		{"type": "Feature", "id": "ak", "properties": {"label": [-150, 61]}, "geometry": {"type": "Polygon", "coordinates": [[[-160, 60], [-140, 60], [-140, 65], [-160, 60]]]}},
		{"type": "Feature", "id": "aleutians", "properties": {"label": [175, 52]}, "geometry": {"type": "Polygon", "coordinates": [[[172, 52], [179, 52], [179, 53], [172, 52]]]}}
	]}`
	span := Span{West: -188, East: -140}
	b, err := ProjectedShapes([]byte(layer), span)
	if err != nil {
		t.Fatal(err)
	}
	d := decodeProjected(t, b)
	if d.head.Bounds != [4]float64{-188, 52, -140, 65} {
		t.Errorf("bounds %v, want the Aleutians' west end at -188", d.head.Bounds)
	}
	if d.labels[1][0] != -185 {
		t.Errorf("the Aleutians' label at %v, want -185", d.labels[1])
	}
	if x := d.rings[1][0][0]; x != 0 {
		t.Errorf("the Aleutians' first position %v pixels from the origin, want 0 (the westmost)", x)
	}
}

func TestProjectedShapesRefusesNoRegions(t *testing.T) {
	for name, layer := range map[string]string{
		"not_json": `{`,
		"no_ids":   `{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ProjectedShapes([]byte(layer), Span{West: 0, East: 1}); err == nil {
				t.Error("no error")
			}
		})
	}
}

// TestProjectedShapesRules checks testdata/rules/projected.json: the bytes of a small layer's
// projected shapes, which static/test/shapes.test.js reads back against the layer's GeoJSON.
func TestProjectedShapesRules(t *testing.T) {
	raw, err := os.ReadFile("../testdata/rules/projected.json")
	if err != nil {
		t.Fatal(err)
	}
	var rules struct {
		Span    [2]float64
		GeoJSON json.RawMessage
		Shapes  []byte // base64 in JSON
	}
	if err := json.Unmarshal(raw, &rules); err != nil {
		t.Fatalf("projected.json: %v", err)
	}
	got, err := ProjectedShapes(rules.GeoJSON, Span{West: rules.Span[0], East: rules.Span[1]})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, rules.Shapes) {
		if os.Getenv("UPDATE_RULES") != "" {
			b, _ := json.Marshal(got)
			t.Logf("shapes: %s", b)
		}
		t.Errorf("ProjectedShapes wrote %d bytes that differ from projected.json's %d", len(got), len(rules.Shapes))
	}
	d := decodeProjected(t, got)
	if diff := cmp.Diff([]string{"fj-west", "fj-east"}, d.head.Regions); diff != "" {
		t.Errorf("regions (-want +got):\n%s", diff)
	}
}
