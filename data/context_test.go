package data

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/frontline-maps/frontline/geo"
)

// testContext is land around the test map's three unit squares (0..3, 0..1): a neighbour
// touching them, and one far away that the import leaves out.
const testContext = `{"type":"FeatureCollection","features":[
	{"type":"Feature","properties":{"name":"Northland"},"geometry":{"type":"Polygon","coordinates":[[[-1,1],[4,1],[4,3],[-1,3],[-1,1]]]}},
	{"type":"Feature","properties":{"name":"Faraway"},"geometry":{"type":"Polygon","coordinates":[[[100,50],[101,50],[101,51],[100,51],[100,50]]]}}]}`

func TestContextStoredClippedAndRoundTrips(t *testing.T) {
	ctx := context.Background()
	a, b := openTestStore(t), openTestStore(t)
	fsys := testFolder("")
	fsys[geo.ContextFile] = &fstest.MapFile{Data: []byte(testContext)}
	f, err := LoadFolder(fsys)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := a.ImportFolder(ctx, f, ImportOptions{Author: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.ContextBytes == 0 {
		t.Error("the summary says no context was stored")
	}
	got, err := a.ContextGeoJSON(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Properties struct{ Name, Part string }
			Geometry   struct{ Type string }
		}
	}
	if err := json.Unmarshal(got, &fc); err != nil {
		t.Fatalf("context is not JSON: %v\n%s", err, got)
	}
	var parts []string
	for _, feat := range fc.Features {
		parts = append(parts, feat.Properties.Name+" "+feat.Properties.Part+" "+feat.Geometry.Type)
	}
	if want := "Northland land MultiPolygon,Northland lines MultiLineString"; strings.Join(parts, ",") != want {
		t.Errorf("context features = %q, want %q (Faraway clipped away)", parts, want)
	}
	files := exportAndReimport(t, a, b, "test")
	if string(files[geo.ContextFile]) != string(got) {
		t.Errorf("exported %s = %s, want what is served: %s", geo.ContextFile, files[geo.ContextFile], got)
	}
	again, err := b.ContextGeoJSON(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(got) {
		t.Errorf("context after export and import:\n%s\nwant\n%s", again, got)
	}
}

func TestContextOfAMapWithoutOneIsEmpty(t *testing.T) {
	s := openTestStore(t)
	importTest(t, s, "")
	got, err := s.ContextGeoJSON(context.Background(), "test")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(emptyContext) {
		t.Errorf("context = %s, want an empty collection", got)
	}
	files, err := s.ExportFolder(context.Background(), "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := files[geo.ContextFile]; ok {
		t.Errorf("the export of a map without context has %s", geo.ContextFile)
	}
}

func TestContextRefusedByFeatureIndex(t *testing.T) {
	tests := []struct{ name, context, want string }{
		{"a point", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,1]}}]}`,
			"context.geojson: feature 0: geometry is Point; a context layer holds polygons (land) and lines (borders, coasts)"},
		{"latitude out of range", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[1,1],[1,1]]}},
			{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[1,1],[2,95]]}}]}`,
			"context.geojson: feature 1: position [2, 95] has latitude outside -90..90"},
		{"not GeoJSON", `[1,2]`, "context.geojson: not a GeoJSON FeatureCollection"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := testFolder("")
			fsys[geo.ContextFile] = &fstest.MapFile{Data: []byte(tt.context)}
			_, err := LoadFolder(fsys)
			var invalid *InvalidError
			if !errors.As(err, &invalid) {
				t.Fatalf("err = %v, want an *InvalidError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
}

// The built-in map ships its context, a few kilobytes of its neighbours.
func TestBuiltinContext(t *testing.T) {
	s := openTestStore(t, withBuiltins())
	got, err := s.ContextGeoJSON(context.Background(), "afghanistan-2021")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{`"Pakistan"`, `"Iran"`, `"Tajikistan"`} {
		if !strings.Contains(string(got), name) {
			t.Errorf("the built-in context lacks %s", name)
		}
	}
	if len(got) > 60_000 {
		t.Errorf("the built-in context is %d bytes, want at most 60 kB (8 kB gzipped)", len(got))
	}
}
