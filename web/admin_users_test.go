package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/frontline-maps/frontline/data"
)

// TestAdminUsers: an admin creates a user, grants and revokes a map, resets a password and
// disables a user, whose live session ends at once; bad input is a 422 naming the fix and
// changes nothing; editors get 403.
func TestAdminUsers(t *testing.T) {
	const slug = "afghanistan-2021"
	lab := newTestServer(t, withUser("root", data.RoleAdmin), withUser("bob", data.RoleEditor, slug))
	ctx := context.Background()
	admin := newClient(t, lab.h)
	admin.signInAs("root")
	bob := newClient(t, lab.h)
	bob.signInAs("bob")

	page := admin.get("/admin/users")
	if page.Code != http.StatusOK {
		t.Fatalf("users page: %d", page.Code)
	}
	doc := parseHTML(t, page)
	if n := doc.Find(`[data-testid="user-bob"]`).Length(); n != 1 {
		t.Errorf("bob listed %d times", n)
	}
	if doc.Find(`[data-testid="admin-link"]`).Length() != 1 {
		t.Error("no Admin link in the header")
	}

	t.Run("editor_gets_403", func(t *testing.T) {
		before := lab.file.checksum()
		if rec := bob.get("/admin/users"); rec.Code != http.StatusForbidden {
			t.Errorf("GET: %d, want 403", rec.Code)
		}
		if rec := bob.post("/admin/users", url.Values{"_csrf": {bob.csrf()}, "name": {"mallory"}, "password": {"a fine long passphrase"}, "role": {"admin"}}); rec.Code != http.StatusForbidden {
			t.Errorf("POST: %d, want 403", rec.Code)
		}
		lab.file.unchanged(t, before, "an editor on the admin pages")
	})

	t.Run("bad_input_is_422_and_changes_nothing", func(t *testing.T) {
		for _, tc := range []struct {
			target string
			form   url.Values
			want   string
		}{
			{"/admin/users", url.Values{"name": {"carol"}, "password": {"aaaaaaaaaa"}, "role": {"editor"}}, "one character repeated"},
			{"/admin/users", url.Values{"name": {"BOB"}, "password": {"a fine long passphrase"}, "role": {"editor"}}, `a user named "bob" already exists`},
			{"/admin/users", url.Values{"name": {"carol"}, "password": {"a fine long passphrase"}, "role": {"owner"}}, `role "owner" is not one of admin, editor`},
			{"/admin/users", url.Values{"name": {"carol"}, "password": {"a fine long passphrase"}, "role": {"editor"}, "map": {"nowhere"}}, `map "nowhere": not found: choose among the maps listed`},
			{"/admin/users/bob/password", url.Values{"password": {"bobbobbobbob"}}, "must not contain the user name"},
			{"/admin/users/bob/grants", url.Values{"map": {"nowhere"}}, `map "nowhere": not found`},
			{"/admin/users/bob/disable", url.Values{"disabled": {"yes"}}, "disabled must be 1 (disable) or 0 (enable)"},
			{"/admin/users/root/disable", url.Values{"disabled": {"1"}}, "you cannot disable yourself"},
			// A refusal of web's own is worded in the form's language, as data's are.
			{"/admin/users/root/disable?lang=fa", url.Values{"disabled": {"1"}}, "نمی‌توانید خودتان را غیرفعال کنید"},
			{"/admin/users/bob/grants?lang=fr", url.Values{}, "choisissez une carte à accorder ou à retirer"},
			{"/admin/users/bob/grants", url.Values{"map": {slug}, "intent": {"delete"}}, `intent must be grant or revoke, not "delete"`},
			{"/admin/users/bob/grants?lang=de", url.Values{"map": {slug}, "intent": {"delete"}}, `intent muss grant (gewähren) oder revoke (entziehen) sein, nicht "delete"`},
		} {
			before := lab.file.checksum()
			tc.form.Set("_csrf", admin.csrf())
			rec := admin.post(tc.target, tc.form)
			if tc.want == "" {
				if rec.Code != http.StatusNotFound && rec.Code != http.StatusUnprocessableEntity {
					t.Errorf("%s %v: status %d", tc.target, tc.form, rec.Code)
				}
			} else if msg := parseHTML(t, rec).Find(`[data-testid="form-error"]`).Text(); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(msg, tc.want) {
				t.Errorf("%s %v: status %d, message %q; want 422 and %q", tc.target, tc.form, rec.Code, msg, tc.want)
			}
			lab.file.unchanged(t, before, tc.target)
		}
		if rec := admin.post("/admin/users/nobody/password", url.Values{"_csrf": {admin.csrf()}, "password": {"a fine long passphrase"}}); rec.Code != http.StatusUnprocessableEntity && rec.Code != http.StatusNotFound {
			t.Errorf("password of an unknown user: %d", rec.Code)
		}
	})

	t.Run("create_grant_reset_disable", func(t *testing.T) {
		steps := []struct {
			target string
			form   url.Values
			notice string
		}{
			{"/admin/users", url.Values{"name": {"Carol"}, "password": {"a fine long passphrase"}, "role": {"editor"}}, "Created editor carol."},
			{"/admin/users/carol/grants", url.Values{"map": {slug}}, "Changed the maps of carol."},
			{"/admin/users/bob/grants", url.Values{"map": {slug}, "intent": {"revoke"}}, "Changed the maps of bob."},
			{"/admin/users/carol/password", url.Values{"password": {"another fine passphrase"}}, "New password set for carol"},
			{"/admin/users/bob/disable", url.Values{"disabled": {"1"}}, "Disabled bob and ended their sessions."},
		}
		for _, st := range steps {
			st.form.Set("_csrf", admin.csrf())
			rec := admin.post(st.target, st.form)
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("%s: status %d; body %.400s", st.target, rec.Code, rec.Body)
			}
			notice := parseHTML(t, admin.get(rec.Header().Get("Location"))).Find(`[data-testid="notice"]`).Text()
			if !strings.Contains(notice, st.notice) {
				t.Errorf("%s: notice %q, want %q", st.target, notice, st.notice)
			}
		}
		users, err := lab.store.Users(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, u := range users {
			got = append(got, u.Name+":"+strings.Join(u.Maps, ",")+":"+map[bool]string{true: "off", false: "on"}[u.Disabled])
		}
		if want := "bob::off carol:" + slug + ":on root::on"; strings.Join(got, " ") != want {
			t.Errorf("users %q, want %q", strings.Join(got, " "), want)
		}
		// Bob's live session ended at once.
		if rec := bob.get("/maps/" + slug + "/edit"); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
			t.Errorf("bob's session after being disabled: status %d, location %q", rec.Code, rec.Header().Get("Location"))
		}
		carol := newClient(t, lab.h)
		carol.get("/login")
		if rec := carol.post("/login", url.Values{"_csrf": {carol.csrf()}, "username": {"carol"}, "password": {"another fine passphrase"}}); rec.Code != http.StatusSeeOther {
			t.Errorf("carol with her new password: %d", rec.Code)
		}
		if rec := carol.post("/maps/"+slug+"/events", validChange(carol.csrf())); rec.Code != http.StatusSeeOther {
			t.Errorf("carol's save on the map granted: %d", rec.Code)
		}
	})
	// A form sent from a page in French leads back to one: the page after the save keeps the
	// language the form was posted with (seeOther), and so does the sign-out.
	t.Run("language_kept_after_a_form", func(t *testing.T) {
		form := url.Values{"_csrf": {admin.csrf()}, "name": {"dora"}, "password": {"a fine long passphrase"}, "role": {"editor"}}
		rec := admin.post("/admin/users?lang=fr", form)
		if loc := rec.Header().Get("Location"); rec.Code != http.StatusSeeOther || !strings.Contains(loc, "lang=fr") {
			t.Fatalf("create in French: status %d, location %q; want 303 to a page with lang=fr", rec.Code, loc)
		}
		page := parseHTML(t, admin.get(rec.Header().Get("Location")))
		if lang, _ := page.Find("html").Attr("lang"); lang != "fr" {
			t.Errorf("the page after the save is in %q, want fr", lang)
		}
		if action, _ := page.Find(`[data-testid="create-user"]`).Attr("action"); action != "/admin/users?lang=fr" {
			t.Errorf("the French page's form posts to %q, want /admin/users?lang=fr", action)
		}
		if rec := admin.post("/logout?lang=fr", url.Values{"_csrf": {admin.csrf()}}); rec.Header().Get("Location") != "/?lang=fr" {
			t.Errorf("sign-out in French goes to %q, want /?lang=fr", rec.Header().Get("Location"))
		}
	})
}
