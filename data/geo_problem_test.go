package data

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/frontline-maps/frontline/geo"
)

// layerOf is a FeatureCollection of the given features, each written as GeoJSON.
func layerOf(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

// squareFeature is region id, a unit square at x.
func squareFeature(id string, x int) string {
	return fmt.Sprintf(`{"type":"Feature","id":%q,"properties":{},"geometry":{"type":"Polygon","coordinates":[[[%d,0],[%d,0],[%d,1],[%d,1],[%d,0]]]}}`,
		id, x, x+1, x+1, x, x)
}

// pointFeature is region id drawn as a point: no region.
func pointFeature(id string) string {
	return fmt.Sprintf(`{"type":"Feature","id":%q,"properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}`, id)
}

// zipOf zips the given files.
func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestGeoProblemsWorded: a layer's problems reach a map folder's reader as data.Problems,
// one a line of geo's report (grouped by kind), whose English through data's Fill and
// geo.ProblemEnglish is geo's own English, word for word, as the command line shows it.
func TestGeoProblemsWorded(t *testing.T) {
	utm := `PROJCS["WGS_1984_UTM_Zone_33N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]],PROJECTION["Transverse_Mercator"]]`
	var dups []string
	for i := range 21 {
		dups = append(dups, squareFeature(fmt.Sprintf("R%d", i), i))
	}
	for i := range 21 {
		dups = append(dups, squareFeature(fmt.Sprintf("R%d", i), i)) // each a kind: "also feature i"
	}
	tests := []struct {
		name, file, body string
		want             []string // lines of the report, in order
	}{
		{"not_a_polygon_grouped", "regions.geojson", layerOf(squareFeature("A", 0), pointFeature("B"), pointFeature("C"), pointFeature("D")),
			[]string{`regions.geojson: features 1-3 (3 features): region "B" is a Point; only Polygon and MultiPolygon are regions`}},
		{"listed_and_more", "regions.geojson", layerOf(pointFeature("A"), squareFeature("B", 1), pointFeature("C"), squareFeature("D", 3), pointFeature("E"),
			squareFeature("F", 5), pointFeature("G"), squareFeature("H", 7), pointFeature("I"), squareFeature("J", 9), pointFeature("K"), squareFeature("L", 11), pointFeature("M")),
			[]string{`regions.geojson: features 0, 2, 4, 6, 8 and 2 more (7 features): region "A" is a Point; only Polygon and MultiPolygon are regions`}},
		{"out_of_range", "regions.geojson", layerOf(squareFeature("A", 0),
			`{"type":"Feature","id":"B","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[0,0],[181,0],[1,1],[0,0]]]]}}`),
			[]string{`regions.geojson: feature 1: region "B": polygon 1: ring 0: position [181, 0] has longitude outside -180..180 (RFC 7946: cut a polygon that crosses the antimeridian into a MultiPolygon at 180)`}},
		{"duplicate_id", "regions.geojson", layerOf(squareFeature("A", 0), squareFeature("B", 1), squareFeature("A", 2)),
			[]string{`regions.geojson: feature 2: duplicate id "A" (also feature 0)`}},
		{"no_id_property", "regions.geojson", layerOf(`{"type":"Feature","properties":{"NAME":"x","iso":"A"},"geometry":null}`),
			[]string{`regions.geojson: feature 0: no id: property "ISO" is missing or empty; did you mean "iso"? (id_property and name_property are matched exactly)`}},
		{"too_many_kinds", "regions.geojson", layerOf(dups...),
			append(func() (lines []string) {
				for i := range 20 {
					lines = append(lines, fmt.Sprintf(`regions.geojson: feature %d: duplicate id "R%d" (also feature %d)`, 21+i, i, i))
				}
				return lines
			}(), "regions.geojson: too many problems: 1 more kinds not listed")},
		{"topojson_bad_arc", "regions.topojson",
			`{"type":"Topology","arcs":[[[0,0],[1,0],[1,1],[0,0]]],"objects":{"r":{"type":"GeometryCollection","geometries":[{"type":"Polygon","id":"A","arcs":[[0]]},{"type":"Polygon","id":"B","arcs":[[5]]}]}}}`,
			[]string{"regions.topojson: feature 1: arcs: arc 5 does not exist; the topology has 1"}},
		{"shapefile_projection", "regions.zip", string(zipOf(t, map[string]string{"utm.shp": strings.Repeat("\x00", 100), "utm.dbf": "x", "utm.prj": utm})),
			[]string{`regions.zip: utm.prj says the layer is projected in "WGS_1984_UTM_Zone_33N"; Frontline reads WGS84 longitude and latitude (EPSG:4326) or Web Mercator (EPSG:3857): reproject it first, e.g. ogr2ogr -t_srs EPSG:4326 out.shp utm.shp`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mapJSON := testMapJSON
			if tt.name == "no_id_property" {
				mapJSON = strings.Replace(mapJSON, `"id_property": ""`, `"id_property": "ISO"`, 1)
			}
			_, err := LoadFolder(fstest.MapFS{"map.json": {Data: []byte(mapJSON)}, tt.file: {Data: []byte(tt.body)}})
			var invalid *InvalidError
			if !errors.As(err, &invalid) {
				t.Fatalf("LoadFolder = %v, want an *InvalidError", err)
			}
			if got := strings.Split(invalid.Msg, "\n"); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("the English report:\n%s\nwant:\n%s", invalid.Msg, strings.Join(tt.want, "\n"))
			}
			if len(invalid.Problems) != len(tt.want) {
				t.Fatalf("%d problems for %d lines", len(invalid.Problems), len(tt.want))
			}
			for i, p := range invalid.Problems {
				if got := p.String(); got != tt.want[i] {
					t.Errorf("problem %d worded from the catalogue:\n%s\nwant geo's English:\n%s", i, got, tt.want[i])
				}
			}
		})
	}
}

// TestGeoRepairsWorded: each kind of repair is a message of its own, whose English is the
// Repair constant the command line prints.
func TestGeoRepairsWorded(t *testing.T) {
	bowtie := `{"type":"Feature","id":"X","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[2,2],[2,0],[0,2],[0,0]]]}}`
	f, err := LoadFolder(fstest.MapFS{"map.json": {Data: []byte(testMapJSON)}, "regions.geojson": {Data: []byte(layerOf(bowtie, squareFeature("Y", 3)))}})
	if err != nil {
		t.Fatal(err)
	}
	repairs := geo.RepairSummary(f.Regions)
	if len(repairs) == 0 || repairs[0].What != geo.RepairCrossing {
		t.Fatalf("repairs of a crossed ring: %+v, want %q first", repairs, geo.RepairCrossing)
	}
	for _, r := range repairs {
		if p := GeoProblem(r.Message()); p.ID == "" || p.String() != r.What {
			t.Errorf("repair %q worded %q (id %q)", r.What, p.String(), p.ID)
		}
	}
}
