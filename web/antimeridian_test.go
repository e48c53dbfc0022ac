package web

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chromedp/chromedp"
	"github.com/paulmach/orb"
	orbgeojson "github.com/paulmach/orb/geojson"
)

// crossingFolder is a map folder of a grid of rows x cols regions across the antimeridian,
// 172°E to 172°W and 50°N to 60°N, cut at 180 as RFC 7946 asks: the cells east of the line
// have longitudes from -180, and the two middle cells of the southern row are one region
// (ACROSS) of two parts, one either side of the line. A place, Adak, lies east of the line.
func crossingFolder(slug string, rows, cols int) fstest.MapFS {
	const west, east, south, north = 172.0, 188.0, 50.0, 60.0
	w, h := (east-west)/float64(cols), (north-south)/float64(rows)
	cell := func(r, c int) orb.Polygon {
		x0, y0 := west+float64(c)*w, south+float64(r)*h
		x1 := x0 + w
		if x0 >= 180 {
			x0, x1 = x0-360, x1-360
		}
		return orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y0 + h}, {x0, y0 + h}, {x0, y0}}}
	}
	fc := orbgeojson.NewFeatureCollection()
	for r := range rows {
		for c := range cols {
			switch {
			case r == 0 && c == cols/2-1:
				f := orbgeojson.NewFeature(orb.MultiPolygon{cell(0, c), cell(0, c+1)})
				f.ID, f.Properties = "ACROSS", orbgeojson.Properties{"name": "Across the line"}
				fc.Append(f)
			case r == 0 && c == cols/2:
			default:
				f := orbgeojson.NewFeature(cell(r, c))
				f.ID, f.Properties = fmt.Sprintf("C%d-%d", r, c), orbgeojson.Properties{"name": fmt.Sprintf("Cell %d-%d", r, c)}
				fc.Append(f)
			}
		}
	}
	regions, err := fc.MarshalJSON()
	if err != nil {
		panic(err)
	}
	return fstest.MapFS{
		"map.json": {Data: []byte(`{"slug": "` + slug + `", "title": "Across the line", "description": "", "attribution": "generated",
  "start": "2024-01-01", "end": "2024-12-31", "default_date": "2024-06-30",
  "initial": "blue", "id_property": "", "name_property": "name",
  "factions": [{"id": "blue", "name": "Blue", "color": "#2f6db5"}, {"id": "gold", "name": "Gold", "color": "#d9a441"}]}`)},
		"regions.geojson": {Data: regions},
		"places.geojson": {Data: []byte(`{"type": "FeatureCollection", "features": [
  {"type": "Feature", "id": "adak", "properties": {"name": "Adak", "kind": "town"}, "geometry": {"type": "Point", "coordinates": [-179.5, 55]}}]}`)},
	}
}

// viewBoxOf is the width and height of the page's inline map's viewBox.
func viewBoxOf(t *testing.T, svg string) (float64, float64) {
	t.Helper()
	_, rest, ok := strings.Cut(svg, `viewBox="`)
	if !ok {
		t.Fatal("the inline map has no viewBox")
	}
	f := strings.Fields(rest[:strings.IndexByte(rest, '"')])
	w, _ := strconv.ParseFloat(f[2], 64)
	h, _ := strconv.ParseFloat(f[3], 64)
	return w, h
}

// TestAntimeridianMapIsDrawnWhole: a map across 180° is framed as itself, not as the world:
// the inline map's viewBox is about as wide as the 16° by 10° grid is (Web Mercator, near
// square), the place east of the line is inside it, the page tells the browser the span's
// centre, and the served GeoJSON keeps RFC 7946's longitudes. The built-in map, which does
// not cross, has no wrapCentre.
func TestAntimeridianMapIsDrawnWhole(t *testing.T) {
	ts := newTestServer(t, withMaps(crossingFolder("across", 3, 4)))
	for _, page := range []string{"/maps/across", "/embed/across"} {
		t.Run(strings.TrimPrefix(page, "/"), func(t *testing.T) {
			doc := parseHTML(t, get(t, ts.h, page))
			svg, err := doc.Find("svg.map-inline").Parent().Html()
			if err != nil {
				t.Fatal(err)
			}
			w, h := viewBoxOf(t, svg)
			if ratio := w / h; ratio < 0.7 || ratio > 1.2 {
				t.Errorf("viewBox %vx%v (width/height %.2f): want the grid's near-square frame, not the world's", w, h, ratio)
			}
			// Adak's marker: a zero-length line at its point, inside the frame.
			d, ok := doc.Find(`svg.map-inline path[data-inline-place="adak"]`).Attr("d")
			if !ok {
				t.Fatal("no marker for Adak")
			}
			var x, y float64
			if _, err := fmt.Sscanf(d, "M%g %g", &x, &y); err != nil {
				t.Fatalf("marker path %q: %v", d, err)
			}
			if x < 0 || x > w || y < 0 || y > h {
				t.Errorf("Adak drawn at %v,%v, outside the %vx%v frame", x, y, w, h)
			}
			var script mapScript
			if err := json.Unmarshal([]byte(doc.Find("#map-data").Text()), &script); err != nil {
				t.Fatal(err)
			}
			if script.WrapCentre == nil || math.Abs(math.Abs(*script.WrapCentre)-180) > 1e-9 {
				t.Errorf("wrapCentre = %v, want ±180", script.WrapCentre)
			}
		})
	}

	rec := get(t, ts.h, "/api/maps/across/regions.geojson")
	fc, err := orbgeojson.UnmarshalFeatureCollection(rec.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fc.Features {
		if b := f.Geometry.Bound(); b.Min[0] < -180 || b.Max[0] > 180 {
			t.Fatalf("regions.geojson: %v spans %v..%v, outside -180..180", f.ID, b.Min[0], b.Max[0])
		}
	}

	light := newTestServer(t)
	doc := parseHTML(t, get(t, light.h, "/maps/afghanistan-2021"))
	if strings.Contains(doc.Find("#map-data").Text(), "wrapCentre") {
		t.Error("the built-in map's page data has a wrapCentre; it does not cross the antimeridian")
	}
}

// paintedScript measures the canvas map's fills inside the map's box: the share of the
// box's pixels painted, and the painted pixels' bounds as shares of the box's width and
// height.
const paintedScript = `(() => {
	const fills = document.querySelector('#map .map-canvas-stack > canvas[data-layer="fills"]');
	const box = fills.getBoundingClientRect(), view = document.getElementById('map').getBoundingClientRect();
	const img = fills.getContext('2d').getImageData(0, 0, fills.width, fills.height).data;
	const [sx, sy] = [fills.width / box.width, fills.height / box.height];
	let [painted, minX, minY, maxX, maxY] = [0, Infinity, Infinity, -Infinity, -Infinity];
	for (let y = Math.ceil(view.top); y < view.bottom; y++) for (let x = Math.ceil(view.left); x < view.right; x++) {
		const px = Math.floor((x - box.left) * sx), py = Math.floor((y - box.top) * sy);
		if (px < 0 || py < 0 || px >= fills.width || py >= fills.height) continue;
		if (img[4 * (py * fills.width + px) + 3] < 128) continue;
		painted++;
		[minX, minY, maxX, maxY] = [Math.min(minX, x), Math.min(minY, y), Math.max(maxX, x), Math.max(maxY, y)];
	}
	return [painted / (view.width * view.height), (maxX - minX) / view.width, (maxY - minY) / view.height,
		(minX + maxX) / 2 - view.left - view.width / 2];
})()`

// TestBrowserAntimeridianMapFillsTheBox: on a phone (375x812), the canvas map of 1,039
// regions across 180° (and its embed) fills its box, as Leaflet fits the regions moved
// beside each other (static/map/wrap.js), rather than showing two slivers at the ends of
// the world.
func TestBrowserAntimeridianMapFillsTheBox(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t, withMaps(crossingFolder("across", 26, 40))).h)
	defer srv.Close()
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 812)); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"/maps/across", "/embed/across"} {
		t.Run(strings.TrimPrefix(page, "/"), func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+page)); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "the canvas map drawn", `performance.getEntriesByName('frontline:drawn').length > 0 && !!document.querySelector('#map .map-canvas-stack > canvas[data-layer="fills"]')`)
			js[bool](t, ctx, `(document.getElementById('map').scrollIntoView({ block: 'center' }), true)`)
			waitFor(t, ctx, "a frame after the scroll", `new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))`)
			got := js[[]float64](t, ctx, paintedScript)
			share, width, height, off := got[0], got[1], got[2], got[3]
			t.Logf("painted %.0f%% of the box, %.0f%% of its width, %.0f%% of its height, centre %.0f px off", 100*share, 100*width, 100*height, off)
			if share < 0.5 || max(width, height) < 0.85 || math.Abs(off) > 10 {
				t.Errorf("the regions paint %.0f%% of the map's box, spanning %.0f%% of its width and %.0f%% of its height, %.0f px off centre: want most of it, fitted and centred",
					100*share, 100*width, 100*height, off)
			}
			screenshot(t, ctx, "antimeridian"+strings.ReplaceAll(page, "/", "-"))
		})
	}
}

// TestBrowserAntimeridianLightMapHandsOver: the light map across 180° (its inline map is
// the live one) zoomed in on a phone hands over to Leaflet at the same view: the regions
// moved beside each other, the box's centre on a region rather than on the far side of
// the world, and Adak's marker in the box.
func TestBrowserAntimeridianLightMapHandsOver(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t, withMaps(crossingFolder("across", 3, 4))).h)
	defer srv.Close()
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 812), chromedp.Navigate(srv.URL+"/maps/across")); err != nil {
		t.Fatal(err)
	}
	js[bool](t, ctx, `(document.getElementById('map').scrollIntoView({ block: 'center' }), true)`)
	zoomIn(t, ctx)
	got := js[[]string](t, ctx, `(() => {
		const box = document.getElementById('map').getBoundingClientRect();
		const at = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
		const adak = document.querySelector('#map .leaflet-pane [data-place="adak"]')?.getBoundingClientRect();
		const inBox = !!adak && adak.x >= box.left && adak.right <= box.right && adak.y >= box.top && adak.bottom <= box.bottom;
		return [at?.dataset?.region ?? 'not a region: ' + (at?.tagName ?? 'nothing'), String(inBox)];
	})()`)
	if !strings.HasPrefix(got[0], "C") {
		t.Errorf("the centre of the zoomed map shows %s, not a region", got[0])
	}
	if got[1] != "true" {
		t.Error("Adak's marker is not in the map's box after the hand-over")
	}
	screenshot(t, ctx, "antimeridian-light")
}
