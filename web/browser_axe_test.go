package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/static"
	"github.com/frontline-maps/frontline/web/i18n"
)

// axeSource is npm's axe-core (pinned in package.json, installed by `go tool task assets`),
// read once per test binary.
var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile(filepath.Join("..", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		return "", fmt.Errorf("read axe-core (run `go tool task assets`): %w", err)
	}
	return string(b), nil
})

// axeViolations runs axe-core in the page the browser shows, against WCAG 2.1 A and AA and
// axe's best practices (all of them, or, with colours, only the rules a theme can change),
// and returns each violation as "rule: target (summary)", none when the page passes.
func axeViolations(t *testing.T, ctx context.Context, colours bool) []string {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	only := `{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}`
	if colours {
		only = `{type: 'rule', values: ['color-contrast', 'link-in-text-block']}`
	}
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`axe.run(document, {runOnly: `+only+`}).then((r) => r.violations.flatMap((v) => v.nodes.map((n) => v.id + ': ' + n.target.join(' ') + ' (' + n.failureSummary.replace(/\s+/g, ' ') + ')')))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	return found
}

// axePages are the pages axe checks: every kind of page a reader, an editor or an admin
// sees, each with what shows it is ready and, for a control that shows on demand, the
// script that shows it. A new page or control gets checked by a line here.
var axePages = []struct{ name, path, ready, show string }{
	{"map list", "/", `!!document.querySelector('[data-testid="map-list"]')`, ""},
	{"map", "/maps/afghanistan-2021?date=2021-08-14", `document.querySelectorAll('#map path[data-region]').length === 34 && !!window.frontline`, ""},
	{"map, embed dialog and a popup", "/maps/afghanistan-2021?date=2021-08-14", `document.querySelectorAll('#map .map-key').length > 34`,
		`document.getElementById('embed-dialog').showModal(); document.querySelector('#map .map-key[tabindex="0"]').click()`},
	{"map, keyboard list focused", "/maps/afghanistan-2021?date=2021-08-14", `document.querySelectorAll('#map .map-key').length > 34`,
		`document.querySelector('#map .map-key[tabindex="0"]').focus()`},
	{"map, chart's tooltip", "/maps/afghanistan-2021?date=2021-08-14", `document.querySelectorAll('#map path[data-region]').length === 34 && !!window.frontline`,
		`document.querySelector('.chart-svg').focus()`},
	{"compare", "/maps/afghanistan-2021?date=2021-08-14&compare=2021-08-01", `document.querySelectorAll('#map path[data-region]').length === 34 && !!window.frontline`, ""},
	{"embed", "/embed/afghanistan-2021?date=2021-08-14", `document.querySelectorAll('#map path[data-region]').length === 34 && !!window.frontline`, ""},
	{"embed plain", "/embed/afghanistan-2021?date=2021-08-14&plain=1", `document.querySelectorAll('#map path[data-region]').length === 34 && !!window.frontline`, ""},
	{"region history", "/maps/afghanistan-2021/regions/AF-BAL", `!!document.querySelector('main h1')`, ""},
	{"place history", "/maps/afghanistan-2021/places/kabul", `!!document.querySelector('main h1')`, ""},
	{"changes", "/maps/afghanistan-2021/changes", `!!document.querySelector('main h1')`, ""},
	{"change form", "/maps/afghanistan-2021/edit?date=2021-08-14", `document.querySelectorAll('#map path[data-region]').length === 34`, ""},
	{"change form, regions chosen", "/maps/afghanistan-2021/edit?date=2021-08-14&region=AF-BAL&region=AF-KDZ", `document.querySelectorAll('#map path[data-region]').length === 34`, ""},
	{"correction form", "/maps/afghanistan-2021/edit?event=1", `document.querySelectorAll('#map path[data-region]').length === 34`, ""},
	{"retract form", "/maps/afghanistan-2021/events/1/retract", `!!document.querySelector('main form')`, ""},
	{"retract a batch", "/maps/afghanistan-2021/events/1/retract?batch=1", `!!document.querySelector('main form')`, ""},
	{"import form", "/maps/afghanistan-2021/events/import", `!!document.querySelector('main form')`, ""},
	{"admin users", "/admin/users", `!!document.querySelector('[data-testid="admin-users"]')`, ""},
	{"admin maps", "/admin/maps", `!!document.querySelector('[data-testid="admin-maps"]')`, ""},
	{"not found", "/maps/no-such-map", `!!document.querySelector('[data-testid="error"]')`, ""},
	{"bad request", "/maps/afghanistan-2021?date=nope", `!!document.querySelector('[data-testid="error"]')`, ""},
}

// axeLangs are the languages axe checks every page in: left to right and right to left.
var axeLangs = []string{"en", "fa"}

// TestBrowserAxe: axe-core finds nothing on any page, in English and in Persian (right to
// left), in the light theme and the dark, at a laptop's width: the sign-in page before
// signing in, the others as an admin, then the static export's pages (served as files, in
// the map's language, here Persian, and in English), whose theme follows the reader's
// prefers-color-scheme. The dark theme changes only colours, so there axe runs the colour
// rules alone: the suite runs on shared, slow machines. One server and one browser for
// the whole matrix.
func TestBrowserAxe(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t, withUser("root", data.RoleAdmin)).h)
	defer srv.Close()
	ctx := newBrowserFor(t, 15*time.Minute)
	themes := []string{"light", "dark"}
	check := func(name, lang, theme string) {
		t.Helper()
		if got := js[string](t, ctx, `document.documentElement.lang + ' ' + document.documentElement.dir`); got != lang+" "+i18n.Dir(lang) {
			t.Errorf("%s, %s: <html lang dir> = %q, want %s %s", name, lang, got, lang, i18n.Dir(lang))
		}
		if v := axeViolations(t, ctx, theme == "dark"); len(v) > 0 {
			t.Errorf("%s, %s, %s: %d axe violations:\n%s", name, lang, theme, len(v), strings.Join(v, "\n"))
		}
	}
	for _, lang := range axeLangs {
		for _, theme := range themes {
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/login?lang="+lang+"&theme="+theme)); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "the sign-in form", `!!document.querySelector('[data-testid="login-form"]')`)
			check("sign-in page", lang, theme)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/login"), signInForm("root")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "signed in", `!!document.querySelector('[data-testid="editor-name"]')`)
	for _, p := range axePages {
		for _, lang := range axeLangs {
			for _, theme := range themes {
				sep := "?"
				if strings.Contains(p.path, "?") {
					sep = "&"
				}
				if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+p.path+sep+"lang="+lang+"&theme="+theme)); err != nil {
					t.Fatal(err)
				}
				waitFor(t, ctx, p.name+" ready", p.ready)
				if p.show != "" {
					if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](p.show)); err != nil {
						t.Fatalf("%s: show: %v", p.name, err)
					}
					// What it shows (a popup fading in) settles.
					waitFor(t, ctx, p.name+" shown", `new Promise((resolve) => setTimeout(() => resolve(true), 400))`)
				}
				if got := js[string](t, ctx, `document.documentElement.dataset.theme`); got != theme {
					t.Errorf("%s: <html data-theme> = %q, want %q", p.name, got, theme)
				}
				check(p.name, lang, theme)
			}
		}
	}

	// The static export of a map whose language is Persian: index.html in it, and
	// index.en.html in English.
	site := httptest.NewServer(http.FileServer(http.Dir(exportPersianMap(t))))
	defer site.Close()
	for _, page := range []struct{ file, lang string }{{"index.html", "fa"}, {"index.en.html", "en"}} {
		for _, theme := range themes {
			media := cdpCall(emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: theme}},
			})
			if err := chromedp.Do(ctx, media, chromedp.Navigate(site.URL+"/"+page.file)); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, page.file+" ready", `document.querySelectorAll('#map path[data-region]').length === 34 && !!window.frontline`)
			check("static export "+page.file, page.lang, theme)
		}
	}
}

// exportPersianMap exports the built-in map, its map.json given "locale": "fa", into a
// folder of the test's and returns it.
func exportPersianMap(t *testing.T) string {
	t.Helper()
	fsys := persianMapFolder(t)
	out := filepath.Join(t.TempDir(), "site")
	if _, err := ExportStatic(context.Background(), newTestServer(t, withMaps(fsys)).store, static.FS, "afghanistan-2021", out); err != nil {
		t.Fatal(err)
	}
	return out
}
