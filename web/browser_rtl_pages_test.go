package web

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/frontline-maps/frontline/data"
)

// TestBrowserRTLPages: the change form and the admin's users page in Persian, and an error
// page in Arabic in the dark theme, laid out right to left at a phone's width and a
// laptop's: nothing wider than the window, the heading and the form's labels at the right,
// the change form's map on screen and painted. Screenshots go to $FRONTLINE_SCREENSHOTS.
func TestBrowserRTLPages(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t, withUser("root", data.RoleAdmin)).h)
	defer srv.Close()
	ctx := newBrowserFor(t, 6*time.Minute)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/login?lang=fa"), signInForm("root")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "signed in", `!!document.querySelector('[data-testid="editor-name"]')`)
	// rightAligned: the element's text ends nearer the window's right than it starts from
	// the window's left, as a heading set right to left does.
	rightAligned := func(sel string) string {
		return `(() => { const range = document.createRange(); range.selectNodeContents(document.querySelector('` + sel + `')); const r = range.getBoundingClientRect(); return window.innerWidth - r.right < r.left; })()`
	}
	for _, p := range []struct {
		name, path, ready string
		checks            map[string]string // what: a predicate
	}{
		{"edit-fa", "/maps/afghanistan-2021/edit?date=2021-08-14&lang=fa", `document.querySelectorAll('#map path[data-region]').length === 34`, map[string]string{
			"heading at the right": rightAligned("main h1"),
			"a label at the right": `(() => { const l = document.querySelector('label[for="field-faction"]').getBoundingClientRect(); const f = document.getElementById('field-faction').getBoundingClientRect(); return l.right >= f.right - 1; })()`,
			"map on screen":        `(() => { const r = document.getElementById('map').getBoundingClientRect(); return r.width > 200 && r.height > 150 && r.left >= 0 && r.right <= window.innerWidth + 1; })()`,
			"save in Persian":      `document.querySelector('[data-testid="save"]').textContent.trim() === 'ذخیرهٔ تغییر'`,
		}},
		{"admin-users-fa", "/admin/users?lang=fa", `!!document.querySelector('[data-testid="admin-users"]')`, map[string]string{
			"heading at the right": rightAligned("main h1"),
			"heading in Persian":   `document.querySelector('main h1').textContent.trim() === 'کاربران'`,
			"role in Persian":      `document.querySelector('.admin-user .badge').textContent.trim() === 'مدیر'`,
		}},
		{"error-ar-dark", "/maps/no-such-map?lang=ar&theme=dark", `!!document.querySelector('[data-testid="error"]')`, map[string]string{
			"heading at the right": rightAligned("main h1"),
			"title in Arabic":      `document.querySelector('main h1').textContent.trim() === 'غير موجود'`,
			"dark paper":           `getComputedStyle(document.body).backgroundColor === 'rgb(20, 24, 28)'`,
		}},
	} {
		for _, size := range []struct{ w, h int64 }{{375, 812}, {1280, 800}} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(size.w, size.h), chromedp.Navigate(srv.URL+p.path)); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, p.name+" ready", p.ready)
			if got := js[string](t, ctx, `document.documentElement.dir`); got != "rtl" {
				t.Errorf("%s: dir=%q", p.name, got)
			}
			if over := js[int](t, ctx, `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
				t.Errorf("%s at %dx%d: %d px wider than the window", p.name, size.w, size.h, over)
			}
			for what, pred := range p.checks {
				if !js[bool](t, ctx, pred) {
					t.Errorf("%s at %dx%d: not %s", p.name, size.w, size.h, what)
				}
			}
			screenshot(t, ctx, fmt.Sprintf("%s-%dx%d", p.name, size.w, size.h))
		}
	}
}
