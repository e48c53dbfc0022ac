package geo_test

import (
	"archive/zip"
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frontline-maps/frontline/geo"
)

// ogr2ogrZip writes a Shapefile with GDAL's ogr2ogr (installed by the test task) from src
// and zips its files, as people send them.
func ogr2ogrZip(t *testing.T, src string, args ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath("ogr2ogr"); err != nil {
		t.Fatalf("ogr2ogr (Debian's gdal-bin) is needed to write the test Shapefiles: go tool task test-deps installs it: %v", err)
	}
	dir := t.TempDir()
	cmd := exec.Command("ogr2ogr", append(append([]string{"-f", "ESRI Shapefile"}, args[1:]...), filepath.Join(dir, "layer.shp"), src, args[0])...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ogr2ogr: %v\n%s", err, out)
	}
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return zipFiles(t, func(add func(name string, body []byte)) {
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(dir, f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			add("layer/"+f.Name(), b)
		}
	})
}

func zipFiles(t testing.TB, fill func(add func(name string, body []byte))) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	fill(func(name string, body []byte) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	})
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestParseShapefileZipFromGDAL reads world-atlas's countries written by ogr2ogr as
// Shapefiles in WGS84 and in Web Mercator: every country comes back where the TopoJSON
// has it. Antarctica is left out of the Mercator file: Web Mercator cannot reach the pole.
func TestParseShapefileZipFromGDAL(t *testing.T) {
	src := filepath.Join("..", ".cache", "world-atlas", "package", "countries-50m.json")
	raw, err := os.ReadFile(src)
	if err != nil {
		t.Fatalf("%v: fetch the real layers with `go tool task test-layers` (go tool task test does)", err)
	}
	topo, err := geo.ParseTopoJSON(raw, "", "name", "name")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]geo.Region{}
	for _, r := range topo {
		want[r.ID] = r
	}
	tests := []struct {
		name      string
		args      []string
		countries int
		tolerance float64 // degrees
	}{
		{"wgs84", []string{"countries", "-a_srs", "EPSG:4326"}, 241, 1e-9},
		{"web_mercator", []string{"countries", "-s_srs", "EPSG:4326", "-t_srs", "EPSG:3857", "-where", "name <> 'Antarctica'"}, 240, 1e-6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			regions, err := geo.ParseShapefileZip(ogr2ogrZip(t, src, tt.args...), "name", "name")
			if err != nil {
				t.Fatal(err)
			}
			if len(regions) != tt.countries {
				t.Errorf("%d countries, want %d", len(regions), tt.countries)
			}
			for _, r := range regions {
				w, ok := want[r.ID]
				if !ok {
					t.Errorf("country %q is not in the TopoJSON", r.ID)
					continue
				}
				got, exp := r.Geometry.Bound(), w.Geometry.Bound()
				for _, d := range []float64{got.Min[0] - exp.Min[0], got.Min[1] - exp.Min[1], got.Max[0] - exp.Max[0], got.Max[1] - exp.Max[1]} {
					if math.Abs(d) > tt.tolerance {
						t.Errorf("%s: bound %v, the TopoJSON's %v", r.ID, got, exp)
						break
					}
				}
			}
		})
	}
}

func TestParseShapefileZipRefuses(t *testing.T) {
	src := filepath.Join("..", "data", "testdata", "events", "map", "regions.geojson")
	points := filepath.Join(t.TempDir(), "points.geojson")
	if err := os.WriteFile(points, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"iso":"P1"},"geometry":{"type":"Point","coordinates":[1,2]}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	good := ogr2ogrZip(t, src, "regions")
	tests := []struct {
		name string
		zip  []byte
		want string
	}{
		{"not_a_zip", []byte("PK but not really"), "not a zip file"},
		{"no_shp", zipFiles(t, func(add func(string, []byte)) { add("readme.txt", []byte("hi")) }), "the zip holds no .shp file"},
		{"two_layers", zipFiles(t, func(add func(string, []byte)) { add("a.shp", nil); add("b.shp", nil) }), "the zip holds 2 layers (a.shp, b.shp)"},
		{"no_dbf", zipFiles(t, func(add func(string, []byte)) { add("a.shp", make([]byte, 100)) }), "the zip holds a.shp but no a.dbf"},
		{"utm", ogr2ogrZip(t, src, "regions", "-t_srs", "EPSG:32633"), `layer.prj says the layer is projected in "WGS_1984_UTM_Zone_33N"; Frontline reads WGS84 longitude and latitude (EPSG:4326) or Web Mercator (EPSG:3857)`},
		{"another_datum", ogr2ogrZip(t, src, "regions", "-t_srs", "EPSG:4267"), `layer.prj says the layer is in "GCS_North_American_1927"`},
		{"points", ogr2ogrZip(t, points, "points"), `feature 0: region "P1" is a Point; only Polygon shapes are regions`},
		{"id_property_missing", good, `features 0-5 (6 features): no id: property "ISO" is missing or empty; did you mean "iso"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			regions, err := geo.ParseShapefileZip(tt.zip, map[bool]string{true: "ISO", false: "iso"}[tt.name == "id_property_missing"], "name")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseShapefileZip = %d regions, %v\nwant an error containing %q", len(regions), err, tt.want)
			}
		})
	}
	regions, err := geo.ParseShapefileZip(good, "iso", "name")
	if err != nil || len(regions) != 6 || regions[0].ID != "UA-65" || regions[0].Name != "Kherson" || len(regions[0].Repairs) != 0 {
		t.Errorf("the fixture layer: %d regions, %v; first %+v", len(regions), err, regions)
	}
}
