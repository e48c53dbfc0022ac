package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/frontline-maps/frontline/data"
)

// postForm sends a form (multipart when it carries a file) with the client's cookies.
func (cl *client) postForm(target string, form url.Values) *http.Response {
	cl.t.Helper()
	body, contentType := formBody(form)
	req, _ := http.NewRequest(http.MethodPost, target, body)
	req.Header.Set("Content-Type", contentType)
	return cl.do(req).Result()
}

// TestAdminMaps: an admin looks at an uploaded map folder (stored: nothing), sees every
// problem of a bad one, imports a good one, and edits a map's title, dates and a
// faction's colour; what breaks a rule is a 422 naming it, with nothing changed.
func TestAdminMaps(t *testing.T) {
	const slug = "afghanistan-2021"
	lab := newTestServer(t, withUser("root", data.RoleAdmin), withUser("bob", data.RoleEditor, slug))
	ctx := context.Background()
	admin := newClient(t, lab.h)
	admin.signInAs("root")
	bob := newClient(t, lab.h)
	bob.signInAs("bob")

	if rec := admin.get("/admin/maps"); rec.Code != http.StatusOK || parseHTML(t, rec).Find(`[data-testid="map-`+slug+`"]`).Length() != 1 {
		t.Fatalf("maps page: %d", rec.Code)
	}
	before := lab.file.checksum()
	if res := bob.postForm("/admin/maps", url.Values{uploadField: {zipFiles(labFolder())}, "intent": {"save"}, "_csrf": {bob.csrf()}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("an editor's upload: %d, want 403", res.StatusCode)
	}
	lab.file.unchanged(t, before, "an editor's upload")

	bad := labFolder()
	bad["events.csv"] += "A,green,2022-03-02,https://example.org/b,,confirmed\nZ,blue,2022-03-03,https://example.org/c,,confirmed\n"
	for _, tc := range []struct {
		name string
		form url.Values
		code int
		want []string // in the page: the preview or the errors
	}{
		{"preview", url.Values{uploadField: {zipFiles(labFolder())}, "intent": {"preview"}}, http.StatusOK,
			[]string{"holds the map Bad lab (bad-lab): 2 regions, 1 event", "Nothing is stored yet"}},
		{"every_problem_named", url.Values{uploadField: {zipFiles(bad)}, "intent": {"preview"}}, http.StatusUnprocessableEntity,
			[]string{"map.zip: events.csv: line 3", "green", "line 4", `"Z"`}},
		{"not_a_zip", url.Values{"intent": {"preview"}}, http.StatusUnprocessableEntity, []string{"choose a map folder to upload, as a .zip"}},
		{"existing_slug", url.Values{uploadField: {zipFiles(map[string]string{"map.json": strings.Replace(labFolder()["map.json"], `"bad-lab"`, `"`+slug+`"`, 1),
			"regions.geojson": labFolder()["regions.geojson"]})}, "intent": {"save"}}, http.StatusUnprocessableEntity,
			[]string{"a map with slug \"" + slug + "\" exists already", "frontline import --replace"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := lab.file.checksum()
			tc.form.Set("_csrf", admin.csrf())
			body, contentType := formBody(tc.form)
			req, _ := http.NewRequest(http.MethodPost, "/admin/maps", body)
			req.Header.Set("Content-Type", contentType)
			rec := admin.do(req)
			if rec.Code != tc.code {
				t.Errorf("status %d, want %d; body %.500s", rec.Code, tc.code, rec.Body)
			}
			text := parseHTML(t, rec).Find("main").Text()
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("the page lacks %q:\n%.1500s", w, text)
				}
			}
			lab.file.unchanged(t, before, tc.name)
		})
	}

	t.Run("import", func(t *testing.T) {
		res := admin.postForm("/admin/maps", url.Values{uploadField: {zipFiles(labFolder())}, "intent": {"save"}, "_csrf": {admin.csrf()}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", res.StatusCode)
		}
		if m, err := lab.store.Map(ctx, "bad-lab"); err != nil || m.Title != "Bad lab" {
			t.Errorf("imported map: %+v, %v", m, err)
		}
	})

	t.Run("edit", func(t *testing.T) {
		valid := func() url.Values {
			return url.Values{"_csrf": {admin.csrf()}, "title": {"Afghanistan, 2021"}, "description": {"Two\nlines"}, "start": {"2021-08-01"},
				"end": {"2021-09-15"}, "default_date": {"2021-08-15"}, "name_taliban": {"Taliban"}, "color_taliban": {"#112233"}}
		}
		for _, tc := range []struct{ field, value, want string }{
			{"title", "Afghanistan\x1b[2J", "title holds the control character U+001B"},
			{"end", "2021-08-16", "are dated outside 2021-08-01 to 2021-08-16"},
			{"color_taliban", "red", `color "red" must be #rrggbb`},
			{"default_date", "2021-10-01", "start <= default_date <= end"},
		} {
			before := lab.file.checksum()
			form := valid()
			form.Set(tc.field, tc.value)
			rec := admin.post("/admin/maps/"+slug, form)
			msg := parseHTML(t, rec).Find(`[data-testid="map-` + slug + `"] [data-testid="form-error"]`).Text()
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(msg, tc.want) {
				t.Errorf("%s=%q: status %d, message %q; want 422 and %q", tc.field, tc.value, rec.Code, msg, tc.want)
			}
			lab.file.unchanged(t, before, tc.field)
		}
		if rec := admin.post("/admin/maps/"+slug, valid()); rec.Code != http.StatusSeeOther {
			t.Fatalf("valid edit: %d; body %.400s", rec.Code, rec.Body)
		}
		m, err := lab.store.Map(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		if fa, _ := m.Faction("taliban"); m.Title != "Afghanistan, 2021" || m.DefaultDate != "2021-08-15" || fa.Color != "#112233" || m.Description != "Two\nlines" {
			t.Errorf("after the edit: %+v", m)
		}
		if rec := get(t, lab.h, "/api/maps/"+slug); !strings.Contains(rec.Body.String(), `"#112233"`) {
			t.Errorf("the API does not show the new colour: %.300s", rec.Body)
		}
	})

	t.Run("archive", func(t *testing.T) {
		rec := admin.post("/admin/maps/"+slug+"/archive", url.Values{"_csrf": {admin.csrf()}, "archived": {"1"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("archive: %d", rec.Code)
		}
		if body := get(t, lab.h, "/api/maps").Body.String(); strings.Contains(body, slug) {
			t.Errorf("/api/maps still lists the archived map: %.300s", body)
		}
		if parseHTML(t, get(t, lab.h, "/")).Find(`a[href="/maps/`+slug+`"]`).Length() != 0 {
			t.Error("the index still links the archived map")
		}
		for _, target := range []string{"/maps/" + slug, "/embed/" + slug, "/api/maps/" + slug} {
			if rec := get(t, lab.h, target); rec.Code != http.StatusOK {
				t.Errorf("%s of the archived map: %d, want 200", target, rec.Code)
			}
		}
		if parseHTML(t, admin.get("/admin/maps")).Find(`[data-testid="map-`+slug+`"] [data-testid="archived"]`).Length() != 1 {
			t.Error("the admin page does not mark the map archived")
		}
		if rec := admin.post("/admin/maps/"+slug+"/archive", url.Values{"_csrf": {admin.csrf()}, "archived": {"0"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("bring back: %d", rec.Code)
		}
		if body := get(t, lab.h, "/api/maps").Body.String(); !strings.Contains(body, slug) {
			t.Error("/api/maps does not list the map brought back")
		}
	})
}
