package geo_test

import (
	"errors"
	"testing"

	"github.com/frontline-maps/frontline/geo"
)

// FuzzParseTopoJSON feeds the TopoJSON reader arbitrary files. It must never panic, and
// what it accepts must be valid regions, as ParseRegions promises.
func FuzzParseTopoJSON(f *testing.F) {
	f.Add([]byte(topoSquares), "")
	f.Add([]byte(quantized), "squares")
	f.Add([]byte(`{"type":"Topology","objects":{"o":{"type":"Polygon","id":"A","arcs":[[0,-1]]}},"arcs":[[[0,0],[1,0],[1,1],[0,0]]]}`), "o")
	f.Add([]byte(`{"type":"Topology","transform":{"scale":[0,0],"translate":[0,0]},"objects":{"o":{"type":"GeometryCollection","geometries":[{"type":"MultiPolygon","id":1,"arcs":[[[-9]]]}]}},"arcs":[]}`), "")
	f.Fuzz(func(t *testing.T, raw []byte, object string) {
		regions, err := geo.ParseTopoJSON(raw, object, "", "name")
		checkParsed(t, regions, err)
	})
}

// FuzzParseShapefileZip feeds the Shapefile reader arbitrary .shp, .dbf and .prj files,
// zipped as people send them. It must never panic.
func FuzzParseShapefileZip(f *testing.F) {
	shp := make([]byte, 100)
	shp[2], shp[3] = 0x27, 0x0a // file code 9994
	f.Add(shp, make([]byte, 33), []byte(`GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984"]]`))
	f.Add(append(shp, 0, 0, 0, 1, 0, 0, 0, 30, 5, 0, 0, 0), []byte{3, 0, 0, 0, 1, 0, 0, 0, 65, 0, 2, 0, 0x0d}, []byte(`PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere"]`))
	f.Fuzz(func(t *testing.T, shp, dbf, prj []byte) {
		raw := zipFiles(t, func(add func(string, []byte)) { add("a.shp", shp); add("a.dbf", dbf); add("a.prj", prj) })
		regions, err := geo.ParseShapefileZip(raw, "", "")
		checkParsed(t, regions, err)
	})
}

func checkParsed(t *testing.T, regions []geo.Region, err error) {
	t.Helper()
	if err != nil {
		var problems geo.Problems
		if !errors.As(err, &problems) || len(problems) == 0 || regions != nil {
			t.Fatalf("refused without problems, or with regions: %T %v", err, err)
		}
		return
	}
	for _, r := range regions {
		checkRegionGeometry(t, r)
	}
}
