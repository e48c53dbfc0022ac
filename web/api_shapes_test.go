package web

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"io"
	"strings"
	"testing"
)

// TestCanvasMapPagesReadProjectedShapes checks that a canvas map's pages point their script at
// the projected shapes (GET /api/maps/{slug}/shapes, geo.ProjectedShapes) and preload them
// rather than regions.geojson, which an SVG map's pages keep; and how the shapes are served:
// gzipped, immutable under the map's version, its regions in the header.
func TestCanvasMapPagesReadProjectedShapes(t *testing.T) {
	large := newTestServer(t, withMaps(gridFolder("grid", canvasMinRegions, 50)))
	light := newTestServer(t)
	for _, tc := range []struct {
		name, path string
		srv        *testServer
		canvas     bool
	}{
		{"canvas map's page", "/maps/grid", large, true},
		{"canvas map's embed", "/embed/grid", large, true},
		{"SVG map's page", "/maps/afghanistan-2021", light, false},
		{"SVG map's embed", "/embed/afghanistan-2021", light, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := parseHTML(t, get(t, tc.srv.h, tc.path))
			var script mapScript
			if err := json.Unmarshal([]byte(doc.Find("#map-data").Text()), &script); err != nil {
				t.Fatal(err)
			}
			_, version, _ := strings.Cut(script.GeoJSON, "?v=")
			if !tc.canvas {
				if script.Shapes != "" {
					t.Errorf("an SVG map's page data names projected shapes %q", script.Shapes)
				}
				return
			}
			// The map's version and the shapes' format: another tag than the GeoJSON's.
			if tag := strings.TrimPrefix(script.Shapes, "/api/maps/grid/shapes?v="); version == "" || tag == script.Shapes || tag == "" || tag == version {
				t.Fatalf("page data's shapes %q (geojson %q): want /api/maps/grid/shapes?v= and a tag of their own", script.Shapes, script.GeoJSON)
			}
			if doc.Find(`head link[rel="preload"][href="`+script.Shapes+`"]`).Length() != 1 || doc.Find(`head link[rel="preload"][href="`+script.GeoJSON+`"]`).Length() != 0 {
				t.Error("the page does not preload its projected shapes alone")
			}
		})
	}

	rec := get(t, large.h, shapesOf(t, large), "Accept-Encoding", "gzip")
	if rec.Code != 200 || rec.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
		t.Fatalf("shapes: %d, encoding %q, cache %q", rec.Code, rec.Header().Get("Content-Encoding"), rec.Header().Get("Cache-Control"))
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(raw, []byte("FLS1")) || len(raw) < 8 {
		t.Fatalf("shapes start %q, want FLS1", raw[:min(8, len(raw))])
	}
	var head struct {
		Zoom    int
		Regions []string
	}
	if err := json.Unmarshal(raw[8:8+binary.LittleEndian.Uint32(raw[4:])], &head); err != nil {
		t.Fatal(err)
	}
	if head.Zoom != 8 || len(head.Regions) != canvasMinRegions {
		t.Errorf("header: zoom %d, %d regions, want 8 and %d", head.Zoom, len(head.Regions), canvasMinRegions)
	}
	for _, stale := range []string{"stale", versionOf(t, large)} {
		if rec := get(t, large.h, "/api/maps/grid/shapes?v="+stale); rec.Code != 200 || strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
			t.Errorf("shapes asked for under tag %q: %d, cached %q", stale, rec.Code, rec.Header().Get("Cache-Control"))
		}
	}
	if rec := get(t, large.h, "/api/maps/grid/shapes", "If-None-Match", rec.Header().Get("ETag")); rec.Code != 304 {
		t.Errorf("shapes with their ETag: %d, want 304", rec.Code)
	}
	if rec := get(t, large.h, "/api/maps/nowhere/shapes"); rec.Code != 404 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Errorf("shapes of an unknown map: %d %q, want a JSON 404", rec.Code, rec.Header().Get("Content-Type"))
	}
}

// gridScript is the grid map's embed's page data.
func gridScript(t *testing.T, srv *testServer) mapScript {
	t.Helper()
	var script mapScript
	if err := json.Unmarshal([]byte(parseHTML(t, get(t, srv.h, "/embed/grid")).Find("#map-data").Text()), &script); err != nil {
		t.Fatal(err)
	}
	return script
}

// versionOf is the version tag of the grid map's GeoJSON (its ?v=).
func versionOf(t *testing.T, srv *testServer) string {
	_, v, _ := strings.Cut(gridScript(t, srv).GeoJSON, "?v=")
	return v
}

// shapesOf is the URL of the grid map's projected shapes.
func shapesOf(t *testing.T, srv *testServer) string { return gridScript(t, srv).Shapes }
