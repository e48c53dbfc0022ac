package web

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/frontline-maps/frontline/data"
)

// TestBrowserAdminUsers: an admin signs in, opens the users page from the header's Admin
// link, adds an editor with a map and disables another, at a phone's width and a laptop's;
// the page fits the phone's width without scrolling sideways.
func TestBrowserAdminUsers(t *testing.T) {
	const slug = "afghanistan-2021"
	lab := newTestServer(t, withUser("root", data.RoleAdmin), withUser("bob", data.RoleEditor, slug), withUser("dana", data.RoleEditor))
	srv := httptest.NewServer(lab.h)
	defer srv.Close()
	ctx := newBrowser(t)

	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/login?next=/admin/users"),
		signInForm("root"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="admin-users"]`)),
	); err != nil {
		t.Fatal(err)
	}
	for _, size := range []struct{ w, h int64 }{{375, 812}, {1280, 800}} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(size.w, size.h)); err != nil {
			t.Fatal(err)
		}
		if over := js[int](t, ctx, `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
			t.Errorf("at %dx%d the page is %d px wider than the window", size.w, size.h, over)
		}
		screenshot(t, ctx, fmt.Sprintf("admin-users-%dx%d", size.w, size.h))
	}

	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`[data-testid="create-user"] input[name="name"]`), "erin"),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="create-user"] input[name="password"]`), "a fine long passphrase"),
		chromedp.Click(chromedp.CSS(`[data-testid="create-user"] input[name="map"][value="`+slug+`"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="create-user"] button[type="submit"]`)),
	); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the notice of the new user", `(document.querySelector('[data-testid="notice"]')?.textContent || '').includes('Created editor erin.')`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="user-bob"] button.danger`))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "bob disabled", `!!document.querySelector('[data-testid="user-bob"] [data-testid="disabled"]')`)
	screenshot(t, ctx, "admin-users-after")

	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/admin/maps"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="admin-maps"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="map-`+slug+`"] summary`)),
	); err != nil {
		t.Fatal(err)
	}
	for _, size := range []struct{ w, h int64 }{{375, 812}, {1280, 800}} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(size.w, size.h)); err != nil {
			t.Fatal(err)
		}
		if over := js[int](t, ctx, `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
			t.Errorf("maps page at %dx%d: %d px wider than the window", size.w, size.h, over)
		}
		screenshot(t, ctx, fmt.Sprintf("admin-maps-%dx%d", size.w, size.h))
	}

	users, err := lab.store.Users(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, u := range users {
		got[u.Name] = fmt.Sprint(u.Maps, u.Disabled)
	}
	if got["erin"] != "["+slug+"] false" || got["bob"] != "["+slug+"] true" {
		t.Errorf("users after the clicks: %v", got)
	}
}
