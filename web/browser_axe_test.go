package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/frontline-maps/frontline/data"
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
	{"embed", "/embed/afghanistan-2021?date=2021-08-14", `document.querySelectorAll('#map path[data-region]').length === 34 && !!window.frontline`, ""},
	{"embed plain", "/embed/afghanistan-2021?date=2021-08-14&plain=1", `document.querySelectorAll('#map path[data-region]').length === 34 && !!window.frontline`, ""},
	{"region history", "/maps/afghanistan-2021/regions/AF-BAL", `!!document.querySelector('main h1')`, ""},
	{"place history", "/maps/afghanistan-2021/places/kabul", `!!document.querySelector('main h1')`, ""},
	{"changes", "/maps/afghanistan-2021/changes", `!!document.querySelector('main h1')`, ""},
	{"change form", "/maps/afghanistan-2021/edit?date=2021-08-14", `document.querySelectorAll('#map path[data-region]').length === 34`, ""},
	{"import form", "/maps/afghanistan-2021/events/import", `!!document.querySelector('main form')`, ""},
	{"admin users", "/admin/users", `!!document.querySelector('[data-testid="admin-users"]')`, ""},
	{"admin maps", "/admin/maps", `!!document.querySelector('[data-testid="admin-maps"]')`, ""},
	{"not found", "/maps/no-such-map", `!!document.querySelector('[data-testid="error"]')`, ""},
}

// TestBrowserAxe: axe-core finds nothing on any page, in the light theme and the dark, at a
// laptop's width; the sign-in page is checked before signing in, the others as an admin.
// The dark theme changes only colours, so there axe runs the colour rules alone: the suite
// runs on shared, slow machines.
func TestBrowserAxe(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t, withUser("root", data.RoleAdmin)).h)
	defer srv.Close()
	ctx := newBrowser(t)
	themes := []string{"light", "dark"}
	for _, theme := range themes {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/login?theme="+theme)); err != nil {
			t.Fatal(err)
		}
		waitFor(t, ctx, "the sign-in form", `!!document.querySelector('[data-testid="login-form"]')`)
		if v := axeViolations(t, ctx, theme == "dark"); len(v) > 0 {
			t.Errorf("sign-in page, %s: %d axe violations:\n%s", theme, len(v), strings.Join(v, "\n"))
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/login"), signInForm("root")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "signed in", `!!document.querySelector('[data-testid="editor-name"]')`)
	for _, p := range axePages {
		for _, theme := range themes {
			sep := "?"
			if strings.Contains(p.path, "?") {
				sep = "&"
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+p.path+sep+"theme="+theme)); err != nil {
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
			if v := axeViolations(t, ctx, theme == "dark"); len(v) > 0 {
				t.Errorf("%s, %s: %d axe violations:\n%s", p.name, theme, len(v), strings.Join(v, "\n"))
			}
		}
	}
}
