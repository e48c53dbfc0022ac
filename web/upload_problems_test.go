package web

import (
	"archive/zip"
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/frontline-maps/frontline/data"
)

// TestUploadProblemsInReadersLanguage: an admin uploading a map folder whose regions file
// cannot be drawn reads every problem of the layer in the page's language, grouped as the
// command line groups them, the file's own values (ids, a projection's name) verbatim and
// its numbers in the page's digits; in English, the command line's own words. The upload is
// refused (422, as every refused upload on this page) and nothing is stored.
func TestUploadProblemsInReadersLanguage(t *testing.T) {
	lab := newTestServer(t, withUser("root", data.RoleAdmin))
	admin := newClient(t, lab.h)
	admin.signInAs("root")
	with := func(file, body string) map[string]string {
		f := labFolder()
		delete(f, "regions.geojson")
		f[file] = body
		return f
	}
	point := func(id string) string { return feature(`"`+id+`"`, `{"type":"Point","coordinates":[1,2]}`) }
	points := with("regions.geojson", featureCollection(feature(`"A"`, square(0)), point("B"), point("C"), point("D")))
	var shp bytes.Buffer
	zw := zip.NewWriter(&shp)
	for name, body := range map[string]string{"utm.shp": strings.Repeat("\x00", 100), "utm.dbf": "x",
		"utm.prj": `PROJCS["WGS_1984_UTM_Zone_33N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]]]`} {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	zw.Close()
	const fsi, pdi = "\u2068", "\u2069"
	tests := []struct {
		name, lang string
		folder     map[string]string
		want       string // the page's message, whole
	}{
		{"not_a_polygon_grouped", "fr", points,
			`map.zip : regions.geojson : entités 1 à 3 (3 entités) : la région "B" est un Point ; seuls Polygon et MultiPolygon sont des régions`},
		{"not_a_polygon_grouped_english", "en", points,
			`map.zip: regions.geojson: features 1-3 (3 features): region "B" is a Point; only Polygon and MultiPolygon are regions`},
		{"not_a_polygon_grouped_right_to_left", "ar", points,
			fsi + "map.zip" + pdi + ": " + fsi + "regions.geojson" + pdi + ": العناصر ١–٣ (المجموع ٣): المنطقة " + fsi + `"B"` + pdi + " من نوع " + fsi + "Point" + pdi +
				"؛ المناطق " + fsi + "Polygon" + pdi + " و" + fsi + "MultiPolygon" + pdi + " فقط"},
		{"coordinates_out_of_range", "fr", with("regions.geojson", featureCollection(feature(`"A"`, square(0)),
			feature(`"B"`, `{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[0,0],[181,0],[1,1],[0,0]]]]}`))),
			`map.zip : regions.geojson : entité 1 : région "B" : polygone 1 : anneau 0 : la position [181, 0] a une longitude hors de -180..180 (RFC 7946 : coupez à 180 un polygone qui traverse l'antiméridien en un MultiPolygon)`},
		{"duplicate_id", "fr", with("regions.geojson", featureCollection(feature(`"A"`, square(0)), feature(`"B"`, square(2)), feature(`"A"`, square(4)))),
			`map.zip : regions.geojson : entité 2 : identifiant "A" en double (aussi l'entité 0)`},
		{"topojson_bad_arc", "fr", with("regions.topojson",
			`{"type":"Topology","arcs":[[[0,0],[1,0],[1,1],[0,0]]],"objects":{"r":{"type":"GeometryCollection","geometries":[{"type":"Polygon","id":"A","arcs":[[0]]},{"type":"Polygon","id":"B","arcs":[[5]]}]}}}`),
			`map.zip : regions.topojson : entité 1 : arcs : l'arc 5 n'existe pas ; la topologie en a 1`},
		{"shapefile_projection_named", "fr", with("regions.zip", shp.String()),
			`map.zip : regions.zip : utm.prj indique que la couche est projetée en "WGS_1984_UTM_Zone_33N" ; Frontline lit la longitude et la latitude WGS84 (EPSG:4326) ou le Web Mercator (EPSG:3857) : reprojetez-la d'abord, par exemple ogr2ogr -t_srs EPSG:4326 out.shp utm.shp`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := lab.file.checksum()
			form := url.Values{uploadField: {zipFiles(tc.folder)}, "intent": {"save"}, "_csrf": {admin.csrf()}}
			body, contentType := formBody(form)
			req, _ := http.NewRequest(http.MethodPost, "/admin/maps?lang="+tc.lang, body)
			req.Header.Set("Content-Type", contentType)
			rec := admin.do(req)
			if rec.Code != http.StatusUnprocessableEntity {
				t.Errorf("status %d, want 422", rec.Code)
			}
			if got := parseHTML(t, rec).Find(`[data-testid="form-error"]`).Text(); got != tc.want {
				t.Errorf("the page says\n%q\nwant\n%q", got, tc.want)
			}
			lab.file.unchanged(t, before, tc.name)
		})
	}
}

// TestUploadRepairsInReadersLanguage: the preview of an upload whose regions were repaired
// on reading says which and how, in the page's language, before anything is stored.
func TestUploadRepairsInReadersLanguage(t *testing.T) {
	lab := newTestServer(t, withUser("root", data.RoleAdmin))
	admin := newClient(t, lab.h)
	admin.signInAs("root")
	folder := labFolder()
	folder["regions.geojson"] = featureCollection(feature(`"A"`, polygon(`[[0,0],[2,2],[2,0],[0,2],[0,0]]`)), feature(`"B"`, square(3)))
	for _, tc := range []struct{ lang, want string }{
		{"en", "1 region: split rings that cross or touch themselves, keeping what Leaflet fills (even-odd) (A)"},
		{"fr", "1 région : anneaux qui se croisent ou se touchent eux-mêmes découpés, en gardant ce que Leaflet remplit (pair-impair) (A)"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			before := lab.file.checksum()
			form := url.Values{uploadField: {zipFiles(folder)}, "intent": {"preview"}, "_csrf": {admin.csrf()}}
			body, contentType := formBody(form)
			req, _ := http.NewRequest(http.MethodPost, "/admin/maps?lang="+tc.lang, body)
			req.Header.Set("Content-Type", contentType)
			rec := admin.do(req)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d; body %.500s", rec.Code, rec.Body)
			}
			if got := strings.TrimSpace(parseHTML(t, rec).Find(`[data-testid="repairs"] li`).First().Text()); got != tc.want {
				t.Errorf("the preview's repair:\n%q\nwant\n%q", got, tc.want)
			}
			lab.file.unchanged(t, before, "a preview")
		})
	}
}
