package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/web/i18n"
)

// persianLab is a map whose own words (title, factions, regions, notes, credit) are all
// Persian, so that any English word on its pages in Persian is the interface's.
func persianLab() fstest.MapFS {
	region := func(id, name string, x int) string {
		return `{"type":"Feature","id":"` + id + `","properties":{"name":"` + name + `"},"geometry":` + square(x) + `}`
	}
	return fstest.MapFS{
		"map.json": {Data: []byte(`{"slug":"fa-lab","title":"آزمایشگاه","description":"نقشه‌ای برای آزمون","attribution":"دادهٔ ساختگی",
			"start":"2022-01-01","end":"2022-12-31","default_date":"2022-06-01","initial":"red","id_property":"","name_property":"name",
			"factions":[{"id":"red","name":"سرخ","color":"#aa0000"},{"id":"blue","name":"آبی","color":"#0000aa"}]}`)},
		"regions.geojson": {Data: []byte(featureCollection(region("A", "الف", 0), region("B", "ب", 2)))},
		"events.csv":      {Data: []byte("region,faction,date,source,note,confidence\nA,blue,2022-03-01,https://example.org/a,گرفته شد,confirmed\nB,blue,2022-04-01,https://example.org/b,ادعا شد,claimed\n")},
	}
}

// translatedWords are the English catalogue's words (three letters or more, lower-cased)
// that lang's catalogue does not use anywhere: on a page in lang, such a word is a string
// that did not pass through the catalogue. A word lang keeps (a value named verbatim, such
// as YYYY-MM-DD, CSV or events.csv) is not one.
func translatedWords(lang string) map[string]bool {
	c := i18n.MustNew(slog.New(slog.DiscardHandler))
	word := regexp.MustCompile(`[A-Za-z]{3,}`)
	text := func(loc *i18n.Localizer, id string) string {
		s := loc.T(id)
		for _, form := range loc.Forms(id) {
			s += " " + form
		}
		return s
	}
	kept := map[string]bool{}
	for _, id := range c.IDs(lang) {
		for _, w := range word.FindAllString(text(c.For(lang), id), -1) {
			kept[strings.ToLower(w)] = true
		}
	}
	words := map[string]bool{}
	for _, id := range c.IDs("en") {
		for _, w := range word.FindAllString(text(c.For("en"), id), -1) {
			if w = strings.ToLower(w); !kept[w] {
				words[w] = true
			}
		}
	}
	return words
}

// shownText is what a reader meets on a page: its text nodes and the names and hints
// assistive technology reads (aria-label, title, placeholder, alt, a button's value),
// without scripts, styles and code (a text area holds an embed code to copy or the
// spreadsheet an editor pasted), and without what the page marks as English (a message the
// catalogues do not hold, shown with lang="en").
func shownText(doc *goquery.Document) []string {
	doc.Find(`script, style, code, textarea, [lang="en"]`).Remove()
	var out []string
	doc.Find("body, body *").Each(func(_ int, s *goquery.Selection) {
		for _, attr := range []string{"aria-label", "title", "placeholder", "alt"} {
			if v, ok := s.Attr(attr); ok {
				out = append(out, v)
			}
		}
		if v, ok := s.Attr("value"); ok && (s.Is(`input[type="submit"]`) || s.Is(`input[type="button"]`)) {
			out = append(out, v)
		}
		for n := s.Get(0).FirstChild; n != nil; n = n.NextSibling {
			if n.Type == html.TextNode && strings.TrimSpace(n.Data) != "" {
				out = append(out, n.Data)
			}
		}
	})
	return out
}

// TestPersianPagesHaveNoEnglish walks every page state in Persian (reader, embed, compare,
// history, changes, editor and import forms with problems shown, retraction, admin pages
// with a refusal, sign-in, error pages) and fails on any English word of the catalogue
// that Persian translates: a string that did not pass through the catalogue.
func TestPersianPagesHaveNoEnglish(t *testing.T) {
	lab := newTestServer(t, withMaps(persianLab()), withUser("alice", data.RoleAdmin))
	editor := newClient(t, lab.h)
	editor.signInAs("alice")
	reader := newClient(t, lab.h)
	words := translatedWords("fa")
	form := func(pairs ...string) url.Values {
		v := url.Values{"_csrf": {editor.csrf()}}
		for i := 0; i+1 < len(pairs); i += 2 {
			v.Add(pairs[i], pairs[i+1])
		}
		return v
	}
	badCSV := "region,faction,date,source,note,confidence\n" +
		"Z,blue,2022-03-05,https://example.org/c,,confirmed\n" +
		"A,green,2022-03-05,example.org/c,,confirmed\n" +
		"A,blue,05/03/2022,https://example.org/c,,maybe\n" +
		"A,blue,2030-03-05,https://example.org/c,\"a, b\",confirmed,extra\n"
	// A map folder whose regions cannot be drawn, and one whose regions were repaired.
	badLayer, repaired := labFolder(), labFolder()
	badLayer["regions.geojson"] = featureCollection(feature(`"A"`, square(0)), feature(`"P"`, `{"type":"Point","coordinates":[1,2]}`),
		feature(`"Q"`, `{"type":"Point","coordinates":[1,2]}`), feature(`"A"`, square(2)),
		feature(`"X"`, `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,95],[0,0]]]}`), feature(`"Y"`, `{"type":"MultiPolygon","coordinates":[]}`))
	repaired["map.json"] = strings.Replace(repaired["map.json"], `"slug":"bad-lab","title":"Bad lab"`, `"slug":"fa-22","title":"نقشهٔ آزمایشی"`, 1)
	repaired["regions.geojson"] = featureCollection(feature(`"A"`, polygon(`[[0,0],[2,2],[2,0],[0,2],[0,0]]`)), feature(`"B"`, polygon(`[[3,0],[4,0],[4,1],[3,1]]`)))
	// A map folder whose map.json breaks a rule of each kind, and whose regions' names hold a
	// control character.
	badRules := labFolder()
	badRules["map.json"] = `{"slug":"Lab 22","title":{"fa":"آزمایشگاه\u001b","xx":"?"},"description":"","attribution":"داده\u0007",
		"start":"2022-01-01","end":"2022-02-30","default_date":"2022-06-01","initial":"Red","id_property":"","name_property":"name",
		"locale":"dari","calendar":"julian","factions":[{"id":"red","name":"سرخ","color":"#aa0000"},{"id":"Blue Team","name":{},"color":"blue"},
		{"id":"red","name":" ","color":"#0000aa"}]}`
	badRules["regions.geojson"] = featureCollection(strings.Replace(feature(`"A"`, square(0)), `"Region"`, `"Kab\u001bul"`, 1), feature(`"B"`, square(2)))
	badHistory := labFolder()
	badHistory["history.csv"] = "id,region,faction,date,source,note,confidence,author,created_at,retracted_at,retracted_by,retract_reason,superseded_by\n" +
		"x,A,blue,2022-03-01,https://example.org/a,,confirmed,alice,2022-03-01T10:00:00Z,,,,\n" +
		"2,A,green,2022-03-01,https://example.org/a,,confirmed,\x07,yesterday,2022-03-02T10:00:00Z,,,1\n"
	upload := func(folder map[string]string) url.Values {
		v := form("intent", "preview")
		v.Set(uploadField, zipFiles(folder))
		return v
	}
	states := []struct {
		name   string
		get    func() *http.Response
		status int
	}{
		{"map", func() *http.Response { return reader.get("/maps/fa-lab?lang=fa").Result() }, 200},
		{"map compared", func() *http.Response {
			return reader.get("/maps/fa-lab?lang=fa&date=2022-06-01&compare=2022-01-01").Result()
		}, 200},
		{"embed", func() *http.Response { return reader.get("/embed/fa-lab?lang=fa").Result() }, 200},
		{"region history", func() *http.Response { return reader.get("/maps/fa-lab/regions/A?lang=fa").Result() }, 200},
		{"changes", func() *http.Response { return reader.get("/maps/fa-lab/changes?lang=fa").Result() }, 200},
		{"sign-in", func() *http.Response { return reader.get("/login?lang=fa").Result() }, 200},
		{"sign-in refused", func() *http.Response {
			return reader.post("/login?lang=fa", url.Values{"name": {"alice"}, "password": {"wrong password here"}, "_csrf": {reader.csrf()}}).Result()
		}, 0},
		{"not found", func() *http.Response { return reader.get("/maps/no-such-map?lang=fa").Result() }, 404},
		{"bad date", func() *http.Response { return reader.get("/maps/fa-lab?lang=fa&date=nope").Result() }, 400},
		{"date outside", func() *http.Response { return reader.get("/maps/fa-lab?lang=fa&date=2030-01-01").Result() }, 400},
		{"change form", func() *http.Response { return editor.get("/maps/fa-lab/edit?lang=fa").Result() }, 200},
		{"change form's problems", func() *http.Response {
			return editor.post("/maps/fa-lab/events?lang=fa", form("region", "Z", "faction", "green", "date", "2030-01-01", "source", "example.org/x", "confidence", "maybe")).Result()
		}, 422},
		{"change form's missing fields", func() *http.Response {
			return editor.post("/maps/fa-lab/events?lang=fa", form("region", "A")).Result()
		}, 422},
		{"change form's duplicate", func() *http.Response {
			return editor.post("/maps/fa-lab/events?lang=fa", form("region", "A", "faction", "blue", "date", "2022-03-01", "source", "https://example.org/a")).Result()
		}, 422},
		{"import", func() *http.Response { return editor.get("/maps/fa-lab/events/import?lang=fa").Result() }, 200},
		{"import's line problems", func() *http.Response {
			return editor.post("/maps/fa-lab/events/import?lang=fa", form("csv", badCSV, "intent", "preview")).Result()
		}, 422},
		{"import's header", func() *http.Response {
			return editor.post("/maps/fa-lab/events/import?lang=fa", form("csv", "c1,c2,c3\nA,blue,2022-03-05\n", "intent", "preview")).Result()
		}, 422},
		{"retraction", func() *http.Response { return editor.get("/maps/fa-lab/events/1/retract?lang=fa").Result() }, 200},
		{"retraction without a reason", func() *http.Response {
			return editor.post("/maps/fa-lab/events/1/retract?lang=fa", form("reason", " ")).Result()
		}, 422},
		{"admin users", func() *http.Response { return editor.get("/admin/users?lang=fa").Result() }, 200},
		{"admin users' refusal", func() *http.Response {
			return editor.post("/admin/users?lang=fa", form("name", "bob", "password", "bob", "role", "editor")).Result()
		}, 422},
		{"admin maps", func() *http.Response { return editor.get("/admin/maps?lang=fa").Result() }, 200},
		{"admin maps' refusal", func() *http.Response { return editor.post("/admin/maps?lang=fa", form("intent", "preview")).Result() }, 422},
		{"admin maps' layer refusal", func() *http.Response { return editor.postForm("/admin/maps?lang=fa", upload(badLayer)) }, 422},
		{"admin maps' map.json refusal", func() *http.Response { return editor.postForm("/admin/maps?lang=fa", upload(badRules)) }, 422},
		{"admin maps' history.csv refusal", func() *http.Response { return editor.postForm("/admin/maps?lang=fa", upload(badHistory)) }, 422},
		{"admin maps' repairs", func() *http.Response { return editor.postForm("/admin/maps?lang=fa", upload(repaired)) }, 200},
	}
	for _, st := range states {
		t.Run(st.name, func(t *testing.T) {
			res := st.get()
			defer res.Body.Close()
			if st.status != 0 && res.StatusCode != st.status {
				t.Fatalf("status %d, want %d", res.StatusCode, st.status)
			}
			// Parsed as a browser without scripts does: what a <noscript> holds (the date
			// field of a light map's page, the static export's other dates) is checked as
			// the page's elements rather than read as one text.
			root, err := html.ParseWithOptions(res.Body, html.ParseOptionEnableScripting(false))
			if err != nil {
				t.Fatal(err)
			}
			doc := goquery.NewDocumentFromNode(root)
			if got := doc.Find("html").AttrOr("lang", ""); got != "fa" {
				t.Fatalf("lang=%q, want fa", got)
			}
			var found []string
			word := regexp.MustCompile(`[A-Za-z]{3,}`)
			for _, text := range shownText(doc) {
				for _, w := range word.FindAllString(text, -1) {
					if words[strings.ToLower(w)] {
						found = append(found, w+" in "+strings.TrimSpace(text))
						break
					}
				}
			}
			slices.Sort(found)
			for _, text := range slices.Compact(found) {
				t.Errorf("English on the Persian page: %q", text) // the word, then where
			}
		})
	}
}
