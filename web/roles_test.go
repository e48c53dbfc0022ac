package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/frontline-maps/frontline/data"
)

// signInAs signs the client in as the user named, with editorPassword.
func (cl *client) signInAs(name string) {
	cl.t.Helper()
	cl.get("/login")
	rec := cl.post("/login", url.Values{"_csrf": {cl.csrf()}, "username": {name}, "password": {editorPassword}, "next": {"/"}})
	if rec.Code != http.StatusSeeOther {
		cl.t.Fatalf("sign-in as %s: status %d; body %.300s", name, rec.Code, rec.Body)
	}
}

// TestGrants: an admin edits every map, an editor the maps granted; anyone else signed in
// gets 403 on every editor route and the database is unchanged.
func TestGrants(t *testing.T) {
	const slug = "afghanistan-2021"
	lab := newTestServer(t, withUser("alice", data.RoleEditor), withUser("bob", data.RoleEditor, slug),
		withUser("root", data.RoleAdmin))
	ctx := context.Background()
	balkh, err := lab.store.RegionEvents(ctx, slug, "AF-BAL")
	if err != nil || len(balkh) < 1 {
		t.Fatalf("Balkh's events: %v %v", balkh, err)
	}
	retract := fmt.Sprintf("/maps/%s/events/%d/retract", slug, balkh[0].ID)
	alice := newClient(t, lab.h)
	alice.signInAs("alice")

	t.Run("editor_without_grant_gets_403", func(t *testing.T) {
		before := lab.file.checksum()
		for _, tc := range []struct {
			method, target string
			form           url.Values
		}{
			{http.MethodGet, "/maps/" + slug + "/edit", nil},
			{http.MethodPost, "/maps/" + slug + "/events", validChange(alice.csrf())},
			{http.MethodGet, retract, nil},
			{http.MethodPost, retract, url.Values{"_csrf": {alice.csrf()}, "reason": {"not mine to retract"}}},
		} {
			var rec = alice.get(tc.target)
			if tc.method == http.MethodPost {
				rec = alice.post(tc.target, tc.form)
			}
			if rec.Code != http.StatusForbidden {
				t.Errorf("%s %s: status %d, want 403", tc.method, tc.target, rec.Code)
			}
			if body := rec.Body.String(); !strings.Contains(body, "An administrator can grant it to you") {
				t.Errorf("%s %s: the page does not say how to get the grant: %.300s", tc.method, tc.target, body)
			}
		}
		lab.file.unchanged(t, before, "an editor without the grant")
	})

	t.Run("unknown_map_is_404_not_403", func(t *testing.T) {
		if rec := alice.get("/maps/nowhere/edit"); rec.Code != http.StatusNotFound {
			t.Errorf("status %d, want 404", rec.Code)
		}
	})

	// Each records a different change: the same one twice is refused as changing nothing.
	change := func(csrf, faction string) url.Values {
		v := validChange(csrf)
		v.Set("faction", faction)
		return v
	}
	for name, faction := range map[string]string{"bob": "taliban", "root": "resistance"} {
		t.Run(name+"_may_edit", func(t *testing.T) {
			cl := newClient(t, lab.h)
			cl.signInAs(name)
			if rec := cl.get("/maps/" + slug + "/edit"); rec.Code != http.StatusOK {
				t.Errorf("edit page: status %d", rec.Code)
			}
			if rec := cl.post("/maps/"+slug+"/events", change(cl.csrf(), faction)); rec.Code != http.StatusSeeOther {
				t.Errorf("record: status %d; body %.300s", rec.Code, rec.Body)
			}
		})
	}

	t.Run("a_grant_applies_to_a_live_session", func(t *testing.T) {
		if err := lab.store.Grant(ctx, "alice", slug); err != nil {
			t.Fatal(err)
		}
		if rec := alice.post("/maps/"+slug+"/events", change(alice.csrf(), "government")); rec.Code != http.StatusSeeOther {
			t.Errorf("record after the grant: status %d", rec.Code)
		}
		if err := lab.store.Revoke(ctx, "alice", slug); err != nil {
			t.Fatal(err)
		}
		if rec := alice.get("/maps/" + slug + "/edit"); rec.Code != http.StatusForbidden {
			t.Errorf("edit page after the revocation: status %d, want 403", rec.Code)
		}
	})
}

// TestDisableEndsSessions: disabling a user ends their live session on its next request,
// and they cannot sign in again until enabled.
func TestDisableEndsSessions(t *testing.T) {
	const slug = "afghanistan-2021"
	lab := newTestServer(t, withUser("bob", data.RoleEditor, slug))
	ctx := context.Background()
	bob := newClient(t, lab.h)
	bob.signInAs("bob")
	if rec := bob.get("/maps/" + slug + "/edit"); rec.Code != http.StatusOK {
		t.Fatalf("before: edit page status %d", rec.Code)
	}
	if err := lab.store.SetDisabled(ctx, "bob", true); err != nil {
		t.Fatal(err)
	}
	before := lab.file.checksum()
	if rec := bob.post("/maps/"+slug+"/events", validChange(bob.csrf())); rec.Code != http.StatusUnauthorized {
		t.Errorf("save after disabling: status %d, want 401", rec.Code)
	}
	lab.file.unchanged(t, before, "a disabled user's save")
	if rec := bob.get("/maps/" + slug + "/edit"); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
		t.Errorf("edit page after disabling: status %d, location %q; want a redirect to sign in", rec.Code, rec.Header().Get("Location"))
	}
	again := newClient(t, lab.h)
	again.get("/login")
	if rec := again.post("/login", url.Values{"_csrf": {again.csrf()}, "username": {"bob"}, "password": {editorPassword}}); rec.Code != http.StatusUnauthorized {
		t.Errorf("sign-in while disabled: status %d, want 401", rec.Code)
	}
	if err := lab.store.SetDisabled(ctx, "bob", false); err != nil {
		t.Fatal(err)
	}
	again.signInAs("bob")
}
