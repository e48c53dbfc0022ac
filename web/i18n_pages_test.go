package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/PuerkitoBio/goquery"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/static"
	"github.com/frontline-maps/frontline/web/i18n"
)

// wordPages are the pages whose words the catalogues hold, with a word each page must show
// in the page's language: a selector and the message id of its text.
var wordPages = []struct {
	name, path, selector, id string
	status                   int
}{
	{"sign-in", "/login", "main h1", "LoginTitle", http.StatusOK},
	{"change form", "/maps/afghanistan-2021/edit", `[data-testid="save-another"]`, "SaveAnother", http.StatusOK},
	{"import", "/maps/afghanistan-2021/events/import", `[data-testid="import-save"]`, "SaveAllRows", http.StatusOK},
	{"changes", "/maps/afghanistan-2021/changes", "main h1", "LatestChanges", http.StatusOK},
	{"admin users", "/admin/users", "#new-user", "AddUser", http.StatusOK},
	{"admin maps", "/admin/maps", "#upload", "AddMap", http.StatusOK},
	{"not found", "/maps/no-such-map", "main h1", "ErrorTitle404", http.StatusNotFound},
	{"bad request", "/maps/afghanistan-2021?date=nope", "main h1", "ErrorTitle400", http.StatusBadRequest},
	{"map page's chart", "/maps/afghanistan-2021", ".chart-title", "ChartTitle", http.StatusOK},
	{"map page's steps", "/maps/afghanistan-2021", "#play-by-change + *, label.play-option", "ByChange", http.StatusOK},
}

// englishFragments are the English catalogue's texts, cut at their placeholders, that are
// long enough to be told from a name or a code and that lang words otherwise: none may
// show on a page in lang.
func englishFragments(lang string) []string {
	c := i18n.MustNew(slog.New(slog.DiscardHandler))
	placeholder := regexp.MustCompile(`\{[a-z]+\}`)
	var out []string
	for _, id := range c.IDs("en") {
		en := c.For("en").T(id)
		if en == "" {
			en = c.For("en").N(id, 5)
		}
		other := c.For(lang).T(id)
		if other == "" {
			other = c.For(lang).N(id, 5)
		}
		for _, f := range placeholder.Split(en, -1) {
			if f = strings.TrimSpace(f); len(f) >= 16 && !strings.Contains(other, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// TestPagesInEveryLanguage: the editor's, the admin's, the sign-in and the error pages, and
// the map page's chart and controls, say their words in each of the nine languages, with
// the page's lang and dir; in Persian and Arabic no English sentence of the catalogue is
// left on them (a message the catalogues hold is never shown in English).
func TestPagesInEveryLanguage(t *testing.T) {
	lab := newTestServer(t, withUser("alice", data.RoleAdmin))
	cl := newClient(t, lab.h)
	cl.signInAs("alice")
	cat := i18n.MustNew(slog.New(slog.DiscardHandler))
	for _, lang := range i18n.Langs {
		for _, p := range wordPages {
			t.Run(lang+"/"+p.name, func(t *testing.T) {
				sep := "?"
				if strings.Contains(p.path, "?") {
					sep = "&"
				}
				rec := cl.get(p.path + sep + "lang=" + lang)
				if rec.Code != p.status {
					t.Fatalf("status %d, want %d: %.300s", rec.Code, p.status, rec.Body)
				}
				doc := parseHTML(t, rec)
				if got, want := doc.Find("html").AttrOr("lang", ""), lang; got != want {
					t.Errorf("lang=%q, want %q", got, want)
				}
				if got, want := doc.Find("html").AttrOr("dir", ""), i18n.Dir(lang); got != want {
					t.Errorf("dir=%q, want %q", got, want)
				}
				want := cat.For(lang).T(p.id)
				if got := strings.TrimSpace(doc.Find(p.selector).First().Text()); !strings.Contains(got, want) {
					t.Errorf("%s = %q, want %q", p.selector, got, want)
				}
				if lang != "fa" && lang != "ar" {
					return
				}
				doc.Find(`[lang="en"], script, style, code`).Remove()
				text := doc.Find("body").Text()
				for _, f := range englishFragments(lang) {
					if strings.Contains(text, f) {
						t.Errorf("English left on the page: %q", f)
					}
				}
			})
		}
	}
}

// TestErrorPageLanguages: an error page's title and message are in the page's language,
// data's problems included; a message the catalogues do not hold (a not-found's detail) is
// shown in English, marked lang="en" on a page in another language.
func TestErrorPageLanguages(t *testing.T) {
	h := newTestServer(t).h
	doc := parseHTML(t, get(t, h, "/maps/no-such-map?lang=ar"))
	if got := doc.Find("main h1").Text(); got != "غير موجود" {
		t.Errorf("404 title in Arabic = %q", got)
	}
	if got := doc.Find(".error-message").First().Text(); !strings.HasPrefix(got, "لا توجد هذه الصفحة") {
		t.Errorf("404 message in Arabic = %q", got)
	}
	// data's problems are worded in the page's language, the value given verbatim, in its digits.
	doc = parseHTML(t, get(t, h, "/maps/afghanistan-2021?date=nope&lang=fa"))
	if got := doc.Find(".error-message").Text(); got != "تاریخ \u2068\"nope\"\u2069 تاریخی واقعی به شکل \u2068YYYY-MM-DD\u2069 نیست" || doc.Find(".error-detail").Length() != 0 {
		t.Errorf("data's problem in Persian = %q, English detail %q", got, doc.Find(".error-detail").Text())
	}
	doc = parseHTML(t, get(t, h, "/maps/afghanistan-2021?date=2030-01-01&lang=fa"))
	if got := doc.Find(".error-message").Text(); !strings.Contains(got, "بیرون از بازهٔ این نقشه") {
		t.Errorf("a date outside the map in Persian = %q", got)
	}
	// A not-found's detail (what was looked for, in the store's words) stays English.
	doc = parseHTML(t, get(t, h, "/maps/no-such-map?lang=fa"))
	detail := doc.Find(".error-detail")
	if detail.AttrOr("lang", "") != "en" || detail.AttrOr("dir", "") != "ltr" || !strings.Contains(detail.Text(), "no-such-map") {
		t.Errorf("the English detail: lang=%q dir=%q %q", detail.AttrOr("lang", ""), detail.AttrOr("dir", ""), detail.Text())
	}
	doc = parseHTML(t, get(t, h, "/maps/afghanistan-2021?date=nope"))
	if detail := doc.Find(".error-detail"); detail.AttrOr("lang", "") != "" || doc.Find("main h1").Text() != "Bad Request" {
		t.Errorf("English page: h1 %q, detail lang=%q", doc.Find("main h1").Text(), detail.AttrOr("lang", ""))
	}
	// The API answers in English, whatever was asked.
	if body := get(t, h, "/api/maps/no-such-map").Body.String(); !strings.Contains(body, `"error"`) {
		t.Errorf("API error: %s", body)
	}
}

// TestPluralsOnPages: counts on the pages take the language's plural form: Arabic's dual
// for two regions, Russian's genitive plural for 34, English's singular for one event.
func TestPluralsOnPages(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		lang, id string
		n        int
		want     string
	}{
		{"en", "EventsCount", 1, "1 event"},
		{"en", "EventsCount", 3, "3 events"},
		{"ru", "RegionsCount", 34, "34 региона"},
		{"ru", "RegionsCount", 25, "25 регионов"},
		{"ar", "RegionsCount", 2, "منطقتان"},
		{"ar", "RegionsCount", 34, "٣٤ منطقةً"},
		{"fa", "RegionsCount", 34, "۳۴ منطقه"},
	} {
		lctx := context.WithValue(ctx, langKey{}, langFor(c.lang))
		if got := tn(lctx, c.id, c.n); got != c.want {
			t.Errorf("%s %s(%d) = %q, want %q", c.lang, c.id, c.n, got, c.want)
		}
	}
}

// TestExportStaticLanguages: a static export's index.html is in the map's language, and
// index.en.html in English beside it; a map in English has the one page.
func TestExportStaticLanguages(t *testing.T) {
	fsys := persianMapFolder(t)
	for _, c := range []struct {
		name  string
		store *data.Store
		pages map[string]string // file: its lang
	}{
		{"persian map", newTestServer(t, withMaps(fsys)).store, map[string]string{"index.html": "fa", "index.en.html": "en"}},
		{"english map", newTestServer(t).store, map[string]string{"index.html": "en"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "site")
			if _, err := ExportStatic(context.Background(), c.store, static.FS, "afghanistan-2021", out); err != nil {
				t.Fatal(err)
			}
			cat := i18n.MustNew(slog.New(slog.DiscardHandler))
			for file, lang := range c.pages {
				f, err := os.Open(filepath.Join(out, file))
				if err != nil {
					t.Fatal(err)
				}
				doc, err := goquery.NewDocumentFromReader(f)
				f.Close()
				if err != nil {
					t.Fatal(err)
				}
				if got := doc.Find("html").AttrOr("lang", ""); got != lang {
					t.Errorf("%s: lang=%q, want %q", file, got, lang)
				}
				if got, want := doc.Find("html").AttrOr("dir", ""), i18n.Dir(lang); got != want {
					t.Errorf("%s: dir=%q, want %q", file, got, want)
				}
				if got, want := doc.Find("#play").Text(), cat.For(lang).T("Play"); got != want {
					t.Errorf("%s: play = %q, want %q", file, got, want)
				}
			}
			if _, err := os.Stat(filepath.Join(out, "index.fa.html")); err == nil {
				t.Error("index.fa.html written: the map's own language is index.html")
			}
			matches, _ := filepath.Glob(filepath.Join(out, "index*.html"))
			if len(matches) != len(c.pages) {
				t.Errorf("pages %v, want %d", matches, len(c.pages))
			}
		})
	}
}

// TestFormsKeepTheLanguage: a form sent back with a problem comes back in the language it
// was shown in: the sign-in's wrong password, the change form's missing fields.
func TestFormsKeepTheLanguage(t *testing.T) {
	lab := newTestServer(t, withEditor("alice"))
	cl := newClient(t, lab.h)
	doc := parseHTML(t, cl.get("/login?lang=de"))
	action := doc.Find(`[data-testid="login-form"]`).AttrOr("action", "")
	if action != "/login?lang=de" {
		t.Fatalf("sign-in form's action = %q", action)
	}
	rec := cl.post(action, url.Values{"_csrf": {cl.csrf()}, "username": {"alice"}, "password": {"not the password"}, "next": {"/"}})
	if got := parseHTML(t, rec).Find(`[data-testid="login-error"]`).Text(); got != "Falscher Benutzername oder falsches Passwort." {
		t.Errorf("wrong password in German: %d %q", rec.Code, got)
	}
	cl.signIn()
	doc = parseHTML(t, cl.get("/maps/afghanistan-2021/edit?lang=uk"))
	action = doc.Find(`[data-testid="event-form"]`).AttrOr("action", "")
	rec = cl.post(action, url.Values{"_csrf": {cl.csrf()}, "intent": {"save"}})
	doc = parseHTML(t, rec)
	if rec.Code != http.StatusUnprocessableEntity || doc.Find("html").AttrOr("lang", "") != "uk" || doc.Find(`[data-testid="save"]`).Text() != "Зберегти зміну" {
		t.Errorf("the change form sent back: %d, lang %q, save %q", rec.Code, doc.Find("html").AttrOr("lang", ""), doc.Find(`[data-testid="save"]`).Text())
	}
}

// TestMapTitleInPageLanguage: the built-in map's title, which map.json translates, is in the
// page's language on every page that names the map, the history and editor's pages as the
// reader's: they named it in English on a Persian page.
func TestMapTitleInPageLanguage(t *testing.T) {
	lab := newTestServer(t, withEditor("alice"))
	cl := newClient(t, lab.h)
	cl.signInAs("alice")
	const english = "Afghanistan: the Taliban offensive, 2021"
	titles := map[string]string{"fa": "افغانستان: تهاجم طالبان، ۲۰۲۱", "fr": "Afghanistan : l’offensive des talibans, 2021"}
	for _, path := range []string{
		"/maps/afghanistan-2021",
		"/maps/afghanistan-2021/regions/AF-KAB",
		"/maps/afghanistan-2021/places/kabul",
		"/maps/afghanistan-2021/edit",
		"/maps/afghanistan-2021/events/import",
		"/maps/afghanistan-2021/changes",
	} {
		for lang, want := range titles {
			t.Run(lang+path, func(t *testing.T) {
				rec := cl.get(path + "?lang=" + lang)
				if rec.Code != http.StatusOK {
					t.Fatalf("status %d: %.300s", rec.Code, rec.Body)
				}
				doc := parseHTML(t, rec)
				if title := doc.Find("title").Text(); !strings.Contains(title, want) || strings.Contains(title, english) {
					t.Errorf("<title> %q, want the map named %q", title, want)
				}
				if body := doc.Find("body").Text(); strings.Contains(body, english) {
					t.Errorf("the page names the map in English (%q)", english)
				}
			})
		}
	}
}

// persianMapFolder is the built-in map's folder with "locale": "fa" in its map.json: a map
// whose pages and static export default to Persian.
func persianMapFolder(t *testing.T) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, name := range []string{"map.json", "regions.geojson", "places.geojson", "events.csv", "context.geojson"} {
		b, err := os.ReadFile("../data/maps/afghanistan-2021/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if name == "map.json" {
			b = []byte(strings.Replace(string(b), `"initial":`, `"locale": "fa", "initial":`, 1))
		}
		fsys[name] = &fstest.MapFile{Data: b}
	}
	return fsys
}
