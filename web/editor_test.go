package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/frontline-maps/frontline/data"
)

// client keeps cookies between requests, like a browser that sends no Sec-Fetch-Site
// header, so the token half of the CSRF protection is what runs.
type client struct {
	t       *testing.T
	h       http.Handler
	cookies map[string]*http.Cookie
}

func newClient(t *testing.T, h http.Handler) *client {
	return &client{t: t, h: h, cookies: map[string]*http.Cookie{}}
}

func (cl *client) do(req *http.Request) *httptest.ResponseRecorder {
	cl.t.Helper()
	for _, ck := range cl.cookies {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	cl.h.ServeHTTP(rec, req)
	for _, ck := range rec.Result().Cookies() {
		if ck.MaxAge < 0 {
			delete(cl.cookies, ck.Name)
		} else {
			cl.cookies[ck.Name] = ck
		}
	}
	return rec
}

func (cl *client) get(target string) *httptest.ResponseRecorder {
	return cl.do(httptest.NewRequest(http.MethodGet, target, nil))
}

// post sends a form; the CSRF token is the one from the client's cookie unless vals has one.
func (cl *client) post(target string, vals url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return cl.do(req)
}

func (cl *client) csrf() string {
	if ck, ok := cl.cookies["frontline_csrf"]; ok {
		return ck.Value
	}
	cl.t.Fatal("no CSRF cookie yet")
	return ""
}

// signIn signs the client in as alice.
func (cl *client) signIn() {
	cl.t.Helper()
	cl.get("/login")
	rec := cl.post("/login", url.Values{"_csrf": {cl.csrf()}, "username": {"alice"}, "password": {editorPassword}, "next": {"/maps/afghanistan-2021/edit"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/maps/afghanistan-2021/edit" {
		cl.t.Fatalf("sign-in: status %d, location %q; body %.300s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
}

// eventCount counts every event of the built-in map, live or not, through the store.
func eventCount(t *testing.T, s *data.Store) int {
	t.Helper()
	n := 0
	for _, r := range []string{"AF-WAR", "AF-BAL", "AF-KAB", "AF-PAN"} {
		events, err := s.RegionEvents(context.Background(), "afghanistan-2021", r)
		if err != nil {
			t.Fatal(err)
		}
		n += len(events)
	}
	return n
}

func validChange(csrf string) url.Values {
	return url.Values{"_csrf": {csrf}, "region": {"AF-WAR"}, "faction": {"taliban"}, "date": {"2021-08-14"},
		"source": {"https://example.org/report"}, "note": {"Maidan Shahr fell"}, "confidence": {"confirmed"}, "intent": {"save"}}
}

func TestSignIn(t *testing.T) {
	h := newTestServer(t, withEditor("alice")).h
	t.Run("right_password", func(t *testing.T) {
		cl := newClient(t, h)
		cl.signIn()
		ck := cl.cookies[sessionCookie]
		if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || len(ck.Value) < 40 {
			t.Fatalf("session cookie = %+v", ck)
		}
		if rec := cl.get("/maps/afghanistan-2021/edit"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Signed in as") {
			t.Errorf("edit page after sign-in: %d", rec.Code)
		}
		// Signing in again replaces the session: the old token stops working.
		old := ck.Value
		cl.signIn()
		if cl.cookies[sessionCookie].Value == old {
			t.Error("the session id did not change at sign-in")
		}
		stale := newClient(t, h)
		stale.cookies[sessionCookie] = &http.Cookie{Name: sessionCookie, Value: old}
		if rec := stale.get("/maps/afghanistan-2021/edit"); rec.Code != http.StatusSeeOther {
			t.Errorf("old session still works: %d", rec.Code)
		}
	})
	t.Run("wrong_password_and_unknown_user_get_one_message", func(t *testing.T) {
		for _, user := range []string{"alice", "mallory"} {
			cl := newClient(t, h)
			cl.get("/login")
			rec := cl.post("/login", url.Values{"_csrf": {cl.csrf()}, "username": {user}, "password": {"not the password"}})
			if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "Wrong username or password.") {
				t.Errorf("%s: status %d", user, rec.Code)
			}
			if _, ok := cl.cookies[sessionCookie]; ok {
				t.Errorf("%s: got a session cookie", user)
			}
		}
	})
	t.Run("rate_limited_per_account", func(t *testing.T) {
		h := newTestServer(t, withEditor("alice")).h
		cl := newClient(t, h)
		cl.get("/login")
		for range loginFailuresPerAccount {
			cl.post("/login", url.Values{"_csrf": {cl.csrf()}, "username": {"alice"}, "password": {"guess guess guess"}})
		}
		rec := cl.post("/login", url.Values{"_csrf": {cl.csrf()}, "username": {"alice"}, "password": {editorPassword}})
		if rec.Code != http.StatusTooManyRequests {
			t.Errorf("right password after %d failures: status %d, want 429", loginFailuresPerAccount, rec.Code)
		}
	})
	t.Run("next_must_stay_on_this_site", func(t *testing.T) {
		cl := newClient(t, h)
		cl.get("/login")
		rec := cl.post("/login", url.Values{"_csrf": {cl.csrf()}, "username": {"alice"}, "password": {editorPassword}, "next": {"//evil.example/x"}})
		if loc := rec.Header().Get("Location"); loc != "/" {
			t.Errorf("redirected to %q, want /", loc)
		}
	})
	t.Run("sign_out", func(t *testing.T) {
		cl := newClient(t, h)
		cl.signIn()
		if rec := cl.post("/logout", url.Values{"_csrf": {cl.csrf()}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("logout: %d", rec.Code)
		}
		if rec := cl.get("/maps/afghanistan-2021/edit"); rec.Code != http.StatusSeeOther {
			t.Errorf("edit page after sign-out: %d, want a redirect to sign in", rec.Code)
		}
	})
}

func TestWritesNeedEditorAndCSRF(t *testing.T) {
	srv := newTestServer(t, withEditor("alice"))
	h, store := srv.h, srv.store
	before := eventCount(t, store)
	editor := newClient(t, h)
	editor.signIn()
	anon := newClient(t, h)
	anon.get("/login")
	tests := []struct {
		name   string
		cl     *client
		target string
		vals   url.Values
		want   int
	}{
		{"anonymous_create", anon, "/maps/afghanistan-2021/events", validChange(anon.csrf()), http.StatusUnauthorized},
		{"anonymous_retract", anon, "/maps/afghanistan-2021/events/1/retract", url.Values{"_csrf": {anon.csrf()}, "reason": {"x"}}, http.StatusUnauthorized},
		{"editor_without_csrf", editor, "/maps/afghanistan-2021/events", func() url.Values { v := validChange(""); v.Del("_csrf"); return v }(), http.StatusBadRequest},
		{"editor_with_wrong_csrf", editor, "/maps/afghanistan-2021/events", validChange("forged-token"), http.StatusForbidden},
		{"editor_retract_with_wrong_csrf", editor, "/maps/afghanistan-2021/events/1/retract", url.Values{"_csrf": {"forged"}, "reason": {"x"}}, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if rec := tt.cl.post(tt.target, tt.vals); rec.Code != tt.want {
				t.Errorf("status %d, want %d; body %.300s", rec.Code, tt.want, rec.Body)
			}
			if n := eventCount(t, store); n != before {
				t.Errorf("events changed from %d to %d", before, n)
			}
		})
	}
	t.Run("cross_site_browser_post", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/maps/afghanistan-2021/events", strings.NewReader(validChange(editor.csrf()).Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "https://evil.example")
		// A forged form cannot read the victim's CSRF cookie, so it sends none.
		req.AddCookie(editor.cookies[sessionCookie])
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code < 400 || rec.Code >= 500 {
			t.Errorf("status %d, want a refusal", rec.Code)
		}
		if n := eventCount(t, store); n != before {
			t.Errorf("events changed from %d to %d", before, n)
		}
	})
	t.Run("anonymous_edit_page_redirects_to_sign_in", func(t *testing.T) {
		rec := newClient(t, h).get("/maps/afghanistan-2021/edit")
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login?next=%2Fmaps%2Fafghanistan-2021%2Fedit" {
			t.Errorf("status %d, location %q", rec.Code, rec.Header().Get("Location"))
		}
	})
	t.Run("editor_pages_refuse_framing", func(t *testing.T) {
		rec := editor.get("/maps/afghanistan-2021/edit")
		if rec.Header().Get("X-Frame-Options") != "SAMEORIGIN" || !strings.Contains(rec.Header().Get("Content-Security-Policy"), "frame-ancestors 'self'") {
			t.Errorf("framing headers: %v", rec.Header())
		}
	})
}

func TestCreateEventValidation(t *testing.T) {
	srv := newTestServer(t, withEditor("alice"))
	h, store := srv.h, srv.store
	cl := newClient(t, h)
	cl.signIn()
	before := eventCount(t, store)
	tests := []struct {
		field, value, want string
	}{
		{"region", "AF-XXX", `"AF-XXX" is not a region of this map`},
		{"region", "", "is required"},
		{"faction", "army", `"army" is not a faction of this map`},
		{"date", "2021-02-30", "is not a real date"},
		{"date", "2021-10-01", "outside this map&#39;s range"},
		{"source", "javascript:alert(1)", "is not an http or https URL"},
		{"source", "", "every change needs a public source"},
		{"note", strings.Repeat("n", data.MaxNoteLen+1), "is longer than 2000 characters"},
		{"confidence", "rumour", "must be"},
	}
	for _, tt := range tests {
		t.Run(tt.field+"="+tt.value[:min(len(tt.value), 20)], func(t *testing.T) {
			vals := validChange(cl.csrf())
			vals.Set(tt.field, tt.value)
			rec := cl.post("/maps/afghanistan-2021/events", vals)
			if rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", rec.Code)
			}
			doc := parseHTML(t, rec)
			if got := doc.Find(`[data-testid="error-` + tt.field + `"]`).Text(); !strings.Contains(got, strings.ReplaceAll(tt.want, "&#39;", "'")) {
				t.Errorf("error for %s = %q, want %q", tt.field, got, tt.want)
			}
			// The editor's other input is kept.
			if got, _ := doc.Find(`#field-source`).Attr("value"); tt.field != "source" && got != "https://example.org/report" {
				t.Errorf("source field not kept: %q", got)
			}
			if n := eventCount(t, store); n != before {
				t.Errorf("events changed from %d to %d", before, n)
			}
		})
	}
	t.Run("duplicate_of_live_event", func(t *testing.T) {
		vals := validChange(cl.csrf())
		vals.Set("region", "AF-KAB")
		vals.Set("date", "2021-08-10")
		if rec := cl.post("/maps/afghanistan-2021/events", vals); rec.Code != http.StatusSeeOther {
			t.Fatalf("first: %d", rec.Code)
		}
		rec := cl.post("/maps/afghanistan-2021/events", vals)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "already recorded") {
			t.Errorf("duplicate: status %d", rec.Code)
		}
	})
}

func TestCreateRetractSupersede(t *testing.T) {
	srv := newTestServer(t, withEditor("alice"))
	h, store := srv.h, srv.store
	cl := newClient(t, h)
	cl.signIn()
	holderAt := func(region, date string) string {
		var st apiStateBody
		decodeJSON(t, cl.get("/api/maps/afghanistan-2021/state?date="+date).Body, &st)
		return st.Regions[region]
	}
	if got := holderAt("AF-WAR", "2021-08-14"); got != "government" {
		t.Fatalf("Maidan Wardak before: %s", got)
	}

	// Preview first: it says what the change does and stores nothing.
	vals := validChange(cl.csrf())
	vals.Set("intent", "preview")
	rec := cl.post("/maps/afghanistan-2021/events", vals)
	want := "Maidan Wardak: Islamic Republic of Afghanistan → Taliban from 2021-08-14 (was Islamic Republic of Afghanistan since 2021-08-01)."
	if got := parseHTML(t, rec).Find(`[data-testid="preview"]`).Text(); rec.Code != http.StatusOK || got != want {
		t.Errorf("preview: status %d, %q\nwant %q", rec.Code, got, want)
	}
	if got := holderAt("AF-WAR", "2021-08-14"); got != "government" {
		t.Fatalf("preview stored the change: %s", got)
	}

	rec = cl.post("/maps/afghanistan-2021/events", validChange(cl.csrf()))
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/maps/afghanistan-2021?date=2021-08-14&recorded=") {
		t.Fatalf("create: status %d, location %q", rec.Code, rec.Header().Get("Location"))
	}
	notice := parseHTML(t, cl.get(rec.Header().Get("Location"))).Find(`[data-testid="notice"]`).Text()
	if !strings.Contains(notice, "Recorded: Maidan Wardak → Taliban from 2021-08-14") {
		t.Errorf("notice = %q", notice)
	}
	if got := holderAt("AF-WAR", "2021-08-14"); got != "taliban" {
		t.Errorf("after create, Maidan Wardak held by %s", got)
	}
	events, _ := store.RegionEvents(context.Background(), "afghanistan-2021", "AF-WAR")
	created := events[0]
	if created.Date != "2021-08-14" || created.Author != "alice" {
		t.Fatalf("stored event = %+v", created)
	}

	// Supersede: the correction moves the date; the old revision stays, marked.
	fix := validChange(cl.csrf())
	fix.Set("date", "2021-08-13")
	fix.Set("supersedes", itoa(created.ID))
	if rec := cl.post("/maps/afghanistan-2021/events", fix); rec.Code != http.StatusSeeOther {
		t.Fatalf("supersede: status %d %.300s", rec.Code, rec.Body)
	}
	if got := holderAt("AF-WAR", "2021-08-13"); got != "taliban" {
		t.Errorf("after correction, 13 August: %s", got)
	}
	page := parseHTML(t, cl.get("/maps/afghanistan-2021/regions/AF-WAR"))
	if status := page.Find(`[data-event="` + itoa(created.ID) + `"] [data-testid="event-status"]`).Text(); !strings.Contains(status, "Corrected by alice") {
		t.Errorf("superseded event status = %q", status)
	}

	// Retract the correction: the state goes back to before any change.
	events, _ = store.RegionEvents(context.Background(), "afghanistan-2021", "AF-WAR")
	var live data.Event
	for _, e := range events {
		if e.Live() && e.Date == "2021-08-13" {
			live = e
		}
	}
	target := "/maps/afghanistan-2021/events/" + itoa(live.ID) + "/retract"
	if rec := cl.post(target, url.Values{"_csrf": {cl.csrf()}, "reason": {""}}); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("retract without reason: %d", rec.Code)
	}
	if rec := cl.post(target, url.Values{"_csrf": {cl.csrf()}, "reason": {"Wrong date in the wire copy"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("retract: %d %.300s", rec.Code, rec.Body)
	}
	if got := holderAt("AF-WAR", "2021-08-14"); got != "government" {
		t.Errorf("after retraction, Maidan Wardak held by %s, want government again", got)
	}
	if rec := cl.post(target, url.Values{"_csrf": {cl.csrf()}, "reason": {"again"}}); rec.Code != http.StatusConflict {
		t.Errorf("second retraction: %d, want 409", rec.Code)
	}
	page = parseHTML(t, cl.get("/maps/afghanistan-2021/regions/AF-WAR"))
	if status := page.Find(`[data-event="` + itoa(live.ID) + `"] [data-testid="event-status"]`).Text(); !strings.Contains(status, "Retracted by alice") || !strings.Contains(status, "Wrong date in the wire copy") {
		t.Errorf("retracted event status = %q", status)
	}
	if n := page.Find(`li.retracted`).Length(); n != 2 {
		t.Errorf("%d struck-through revisions, want 2", n)
	}

	changes := parseHTML(t, cl.get("/maps/afghanistan-2021/changes")).Find(`[data-testid="change"]`)
	if changes.Length() < 3 || !strings.Contains(changes.First().Text(), "retracted") {
		t.Errorf("audit log: %d entries, first %q", changes.Length(), changes.First().Text())
	}
	if rec := cl.get("/maps/afghanistan-2021/changes.atom"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">") {
		t.Errorf("atom feed: %d %.200s", rec.Code, rec.Body)
	}
}

func TestEditorInputIsEscaped(t *testing.T) {
	h := newTestServer(t, withEditor("alice")).h
	cl := newClient(t, h)
	cl.signIn()
	const payload = `<script>alert("x")</script><img src=x onerror=alert(1)>`
	vals := validChange(cl.csrf())
	vals.Set("note", payload)
	vals.Set("source", `https://example.org/?q="><script>alert(2)</script>`)
	if rec := cl.post("/maps/afghanistan-2021/events", vals); rec.Code != http.StatusSeeOther {
		t.Fatalf("create: %d", rec.Code)
	}
	for _, target := range []string{"/maps/afghanistan-2021/regions/AF-WAR", "/maps/afghanistan-2021?date=2021-08-15", "/maps/afghanistan-2021/changes", "/maps/afghanistan-2021/changes.atom"} {
		body := cl.get(target).Body.String()
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s contains the payload unescaped", target)
		}
	}
	doc := parseHTML(t, cl.get("/maps/afghanistan-2021/regions/AF-WAR"))
	found := false
	doc.Find(".event-note").Each(func(_ int, n *goquery.Selection) { found = found || n.Text() == payload })
	if !found {
		t.Errorf("the note is not shown as text on the region page")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestConcurrentEditorsLoseNothing has two editors save changes at the same time: every
// acknowledged change is stored.
func TestConcurrentEditorsLoseNothing(t *testing.T) {
	srv := newTestServer(t, withEditor("alice"), withEditor("bob"))
	h, store := srv.h, srv.store
	alice, bob := newClient(t, h), newClient(t, h)
	alice.signIn()
	bob.get("/login")
	bob.post("/login", url.Values{"_csrf": {bob.csrf()}, "username": {"bob"}, "password": {editorPassword}})
	const perEditor = 15
	var wg sync.WaitGroup
	acked := make(chan string, 2*perEditor)
	for _, cl := range []*client{alice, bob} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			token, session := cl.csrf(), cl.cookies[sessionCookie]
			for i := range perEditor {
				vals := validChange(token)
				vals.Set("source", fmt.Sprintf("https://example.org/%s/%d", session.Value[:8], i))
				req := httptest.NewRequest(http.MethodPost, "/maps/afghanistan-2021/events", strings.NewReader(vals.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.AddCookie(session)
				req.AddCookie(&http.Cookie{Name: "frontline_csrf", Value: token})
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code == http.StatusSeeOther {
					acked <- vals.Get("source")
				}
			}
		}()
	}
	wg.Wait()
	close(acked)
	events, err := store.RegionEvents(context.Background(), "afghanistan-2021", "AF-WAR")
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for _, e := range events {
		stored[e.Source] = true
	}
	n := 0
	for src := range acked {
		n++
		if !stored[src] {
			t.Errorf("acknowledged change %s is missing", src)
		}
	}
	if n != 2*perEditor {
		t.Errorf("%d of %d changes acknowledged", n, 2*perEditor)
	}
}
