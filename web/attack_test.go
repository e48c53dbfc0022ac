package web

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/static"
)

// send makes one request through the whole handler with exactly the cookies and headers
// given, so that each test case says what the attacker controls.
func send(h http.Handler, method, target string, form url.Values, cookies []*http.Cookie, header ...string) *httptest.ResponseRecorder {
	var body io.Reader
	var contentType string
	if form != nil {
		body, contentType = formBody(form)
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	for _, ck := range cookies {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// uploadField is the key under which a test form carries a file: the form is then sent
// as multipart/form-data, the file in the field "file".
const uploadField = "@file"

// formBody encodes a test form: URL-encoded, or multipart when it carries a file.
func formBody(form url.Values) (io.Reader, string) {
	file, ok := form[uploadField]
	if !ok {
		return strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
	}
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vs := range form {
		if k == uploadField {
			continue
		}
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", "map.zip")
	fw.Write([]byte(file[0]))
	mw.Close()
	return &b, mw.FormDataContentType()
}

// zipFiles returns a zip holding the files, name to content, in a folder "map".
func zipFiles(files map[string]string) string {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range files {
		w, _ := zw.Create("map/" + name)
		w.Write([]byte(body))
	}
	zw.Close()
	return b.String()
}

// writeMethod reports whether a route's method can change something.
func writeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions && m != echo.RouteNotFound
}

// routeValues are the real values put in place of path parameters.
type routeValues struct {
	slug, region, image, static, user string
	event                             int64
}

// concrete turns a route pattern into a path to a real resource, and fails the test on a
// parameter it does not know, so that a new route gets a value here too.
func (v routeValues) concrete(t *testing.T, pattern string) string {
	parts := strings.Split(pattern, "/")
	for i, p := range parts {
		switch {
		case p == ":slug":
			parts[i] = v.slug
		case p == ":id" && i > 0 && parts[i-1] == "events":
			parts[i] = strconv.FormatInt(v.event, 10)
		case p == ":id":
			parts[i] = url.PathEscape(v.region)
		case p == ":name":
			parts[i] = v.user
		case p == ":image":
			parts[i] = v.image
		case p == "*":
			parts[i] = v.static
		case strings.HasPrefix(p, ":"):
			t.Fatalf("route %s: no value for parameter %s; add one to routeValues", pattern, p)
		}
	}
	return strings.Join(parts, "/")
}

// publicWrites are the write routes anyone may call: signing in must work signed out, and
// signing nobody out changes nothing. They are still protected against cross-site requests.
var publicWrites = map[string]bool{"POST /login": true, "POST /logout": true}

// validWrite is, per write route, a request that succeeds for a signed-in editor with the
// CSRF token, so that a refusal in the tests below is the protection at work, not a bad
// request. A new write route needs an entry.
func validWrite(route string) (url.Values, bool) {
	switch route {
	case "POST /login":
		return url.Values{"username": {"alice"}, "password": {editorPassword}, "next": {"/"}}, true
	case "POST /logout":
		return url.Values{}, true
	case "POST /maps/:slug/events":
		v := validChange("")
		v.Del("_csrf")
		return v, true
	case "POST /maps/:slug/events/:id/retract":
		return url.Values{"reason": {"Wrong province in the wire copy"}}, true
	case "POST /maps/:slug/events/import":
		return url.Values{"csv": {"region,faction,date,source,note\nAF-BAL,resistance,2021-09-01,https://example.org/wire,\n"}, "intent": {"save"}}, true
	case "POST /admin/users":
		return url.Values{"name": {"walker"}, "password": {"a fine long passphrase"}, "role": {"editor"}}, true
	case "POST /admin/users/:name/password":
		return url.Values{"password": {"another fine passphrase"}}, true
	case "POST /admin/users/:name/grants":
		return url.Values{"map": {"afghanistan-2021"}}, true
	case "POST /admin/users/:name/disable":
		return url.Values{"disabled": {"1"}}, true
	case "POST /admin/maps":
		return url.Values{uploadField: {zipFiles(labFolder())}, "intent": {"save"}}, true
	case "POST /admin/maps/:slug/archive":
		return url.Values{"archived": {"1"}}, true
	case "POST /admin/maps/:slug":
		return url.Values{"title": {"Afghanistan, 2021 (edited)"}, "start": {"2021-08-01"}, "end": {"2021-09-15"}, "default_date": {"2021-08-14"}}, true
	}
	return url.Values{"note": {"x"}}, false
}

func withToken(v url.Values, token string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	out.Set("_csrf", token)
	return out
}

// refused reports whether a write was turned away: a client error from the CSRF check or
// the sign-in check, or a redirect to sign in.
func refused(rec *httptest.ResponseRecorder) bool {
	switch rec.Code {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden:
		return true
	case http.StatusSeeOther, http.StatusFound:
		return strings.HasPrefix(rec.Header().Get("Location"), "/login")
	}
	return false
}

// needsSignIn reports whether a write was turned away for want of a session.
func needsSignIn(rec *httptest.ResponseRecorder) bool {
	return rec.Code == http.StatusUnauthorized || rec.Code == http.StatusForbidden ||
		(rec.Code/100 == 3 && strings.HasPrefix(rec.Header().Get("Location"), "/login"))
}

// TestAttackerView walks every route the router has and tries what a stranger and a
// forged cross-site form would: no write gets through without a session and a CSRF token,
// and every response carries the security headers.
//
// The victim is an admin, who may make every write; mallory, signed in as an editor with no
// map granted, is refused every write but signing in and out.
func TestAttackerView(t *testing.T) {
	lab := newTestServer(t, withUser("alice", data.RoleAdmin), withUser("bob", data.RoleEditor), withUser("mallory", data.RoleEditor))
	ctx := context.Background()
	victim := newClient(t, lab.h)
	victim.signIn()
	session, csrfCookie := victim.cookies[sessionCookie], victim.cookies["frontline_csrf"]
	mallory := newClient(t, lab.h)
	mallory.signInAs("mallory")
	stranger := newClient(t, lab.h)
	stranger.get("/login")
	balkh, err := lab.store.RegionEvents(ctx, "afghanistan-2021", "AF-BAL")
	if err != nil || len(balkh) == 0 {
		t.Fatalf("Balkh's events: %v %v", balkh, err)
	}
	vals := routeValues{slug: "afghanistan-2021", region: "AF-BAL", image: "2021-08-14.svg", static: "map.js", event: balkh[0].ID, user: "bob"}

	var writes, reads []*echo.Route
	for _, r := range lab.e.Routes() {
		switch {
		case r.Method == echo.RouteNotFound:
		case writeMethod(r.Method):
			writes = append(writes, r)
		default:
			reads = append(reads, r)
		}
	}
	byRoute := func(rs []*echo.Route) {
		sort.Slice(rs, func(i, j int) bool { return rs[i].Path+rs[i].Method < rs[j].Path+rs[j].Method })
	}
	byRoute(writes)
	byRoute(reads)
	if len(writes) < 4 || len(reads) < 15 {
		t.Fatalf("the router lists %d write and %d read routes; the walk cannot be right", len(writes), len(reads))
	}
	t.Logf("walking %d write routes and %d read routes", len(writes), len(reads))

	type attempt struct {
		name    string
		cookies []*http.Cookie
		form    url.Values
		header  []string
		// ok says whether the response is the refusal this attempt must get.
		ok func(*httptest.ResponseRecorder) bool
	}
	for _, r := range writes {
		route := r.Method + " " + r.Path
		t.Run(route, func(t *testing.T) {
			target := vals.concrete(t, r.Path)
			form, known := validWrite(route)
			if !known {
				t.Errorf("%s is a write route with no valid request in validWrite; add one, so that the refusals below are shown to be the protection at work", route)
			}
			attempts := []attempt{
				{"anonymous_without_token", nil, form, nil, refused},
				{"editor_without_token", []*http.Cookie{session, csrfCookie}, form, nil, refused},
				{"editor_with_forged_token", []*http.Cookie{session, csrfCookie}, withToken(form, "forged-token"), nil,
					func(rec *httptest.ResponseRecorder) bool { return rec.Code == http.StatusForbidden }},
				{"editor_with_token_in_form_but_no_cookie", []*http.Cookie{session}, withToken(form, csrfCookie.Value), nil, refused},
				// A forged form on another site cannot read the victim's CSRF cookie, so it
				// sends no token; the browser may send the cookies (SameSite=Lax lets old
				// browsers send them on a top-level POST).
				{"cross_site_form_with_session", []*http.Cookie{session}, form,
					[]string{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"}, refused},
				{"cross_site_form_with_both_cookies", []*http.Cookie{session, csrfCookie}, form,
					[]string{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"}, refused},
				{"cross_site_fetch_with_guessed_header_token", []*http.Cookie{session, csrfCookie}, form,
					[]string{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example", "X-CSRF-Token", "guess"}, refused},
				// A sibling subdomain can plant cookies for the whole site (cookie tossing)
				// and so knows the double-submitted token: Sec-Fetch-Site must stop it.
				{"same_site_sibling_with_planted_token", []*http.Cookie{session, {Name: "frontline_csrf", Value: "planted-token-value-0123456789ab"}},
					withToken(form, "planted-token-value-0123456789ab"),
					[]string{"Sec-Fetch-Site", "same-site", "Origin", "https://blog.frontline.example"}, refused},
			}
			if !publicWrites[route] {
				attempts = append(attempts,
					attempt{"anonymous_with_valid_token", []*http.Cookie{stranger.cookies["frontline_csrf"]},
						withToken(form, stranger.cookies["frontline_csrf"].Value), nil, needsSignIn},
					attempt{"anonymous_same_origin_browser", nil, form, []string{"Sec-Fetch-Site", "same-origin", "Origin", "http://example.com"}, needsSignIn},
					attempt{"expired_or_unknown_session", []*http.Cookie{{Name: sessionCookie, Value: "bm90LWEtc2Vzc2lvbi10b2tlbi1hdC1hbGwtMDEyMzQ1Njc4OQ"}, csrfCookie},
						withToken(form, csrfCookie.Value), nil, needsSignIn},
					attempt{"signed_in_without_grant_or_role", []*http.Cookie{mallory.cookies[sessionCookie], mallory.cookies["frontline_csrf"]},
						withToken(form, mallory.csrf()), nil, func(rec *httptest.ResponseRecorder) bool { return rec.Code == http.StatusForbidden }},
				)
			}
			for _, a := range attempts {
				t.Run(a.name, func(t *testing.T) {
					before := lab.file.checksum()
					rec := send(lab.h, r.Method, target, a.form, a.cookies, a.header...)
					if !a.ok(rec) {
						t.Errorf("%s %s: status %d (Location %q), want a refusal; body %.300s", r.Method, target, rec.Code, rec.Header().Get("Location"), rec.Body)
					}
					checkSecurityHeaders(t, target, rec)
					lab.file.unchanged(t, before, a.name)
				})
			}
		})
	}

	// The same requests with the session and the token go through and change the database:
	// the refusals above were the protection, not malformed requests. Sign-out goes last.
	t.Run("valid_writes_succeed", func(t *testing.T) {
		slices.SortStableFunc(writes, func(a, b *echo.Route) int {
			return boolInt(a.Path == "/logout") - boolInt(b.Path == "/logout")
		})
		for _, r := range writes {
			route := r.Method + " " + r.Path
			form, known := validWrite(route)
			if !known {
				continue
			}
			before := lab.file.checksum()
			target := vals.concrete(t, r.Path)
			rec := victim.do(func() *http.Request {
				body, contentType := formBody(withToken(form, victim.csrf()))
				req := httptest.NewRequest(r.Method, target, body)
				req.Header.Set("Content-Type", contentType)
				return req
			}())
			if rec.Code != http.StatusSeeOther {
				t.Errorf("%s with session and token: status %d, want 303; body %.300s", route, rec.Code, rec.Body)
			}
			if lab.file.checksum() == before {
				t.Errorf("%s with session and token changed nothing", route)
			}
		}
	})

	t.Run("security_headers_on_every_read_route", func(t *testing.T) {
		editor := newClient(t, lab.h)
		editor.signIn()
		live, _ := lab.store.RegionEvents(ctx, "afghanistan-2021", "AF-KDZ")
		v := vals
		v.event = live[0].ID
		for _, r := range reads {
			target := v.concrete(t, r.Path)
			for _, who := range []struct {
				name string
				cl   *client
			}{{"reader", newClient(t, lab.h)}, {"editor", editor}} {
				rec := who.cl.do(httptest.NewRequest(r.Method, target, nil))
				if rec.Code >= 500 {
					t.Errorf("%s %s as %s: status %d", r.Method, target, who.name, rec.Code)
				}
				checkSecurityHeaders(t, r.Method+" "+target+" as "+who.name, rec)
			}
		}
	})

	t.Run("embed_is_frameable_and_nothing_else_is", func(t *testing.T) {
		rec := get(t, lab.h, "/embed/afghanistan-2021?date=2021-08-15")
		if rec.Code != 200 || !strings.Contains(cspDirectives(rec)["frame-ancestors"], "*") || rec.Header().Get("X-Frame-Options") != "" {
			t.Errorf("embed: status %d, CSP %q, X-Frame-Options %q", rec.Code, rec.Header().Get("Content-Security-Policy"), rec.Header().Get("X-Frame-Options"))
		}
		for _, target := range []string{"/", "/maps/afghanistan-2021", "/login", "/maps/afghanistan-2021/changes", "/oembed?url=http://example.com/maps/afghanistan-2021"} {
			rec := get(t, lab.h, target)
			if cspDirectives(rec)["frame-ancestors"] != "'self'" || rec.Header().Get("X-Frame-Options") != "SAMEORIGIN" {
				t.Errorf("%s can be framed by other sites: CSP %q, X-Frame-Options %q", target, rec.Header().Get("Content-Security-Policy"), rec.Header().Get("X-Frame-Options"))
			}
		}
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// cspDirectives splits a response's Content-Security-Policy into its directives.
func cspDirectives(rec *httptest.ResponseRecorder) map[string]string {
	out := map[string]string{}
	for _, d := range strings.Split(rec.Header().Get("Content-Security-Policy"), ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		if name != "" {
			out[strings.ToLower(name)] = strings.TrimSpace(value)
		}
	}
	return out
}

// checkSecurityHeaders checks the headers every response must carry, and the framing the
// contract allows: the embed page by anyone, everything else by this site only.
func checkSecurityHeaders(t *testing.T, what string, rec *httptest.ResponseRecorder) {
	t.Helper()
	h := rec.Header()
	csp := cspDirectives(rec)
	script, ok := csp["script-src"]
	if !ok {
		script, ok = csp["default-src"]
	}
	switch {
	case !ok:
		t.Errorf("%s: no script-src or default-src in CSP %q", what, h.Get("Content-Security-Policy"))
	case strings.Contains(script, "'unsafe-inline'"), strings.Contains(script, "'unsafe-eval'"), strings.Contains(script, "*"),
		strings.Contains(script, "data:"):
		t.Errorf("%s: script-src %q lets injected scripts run", what, script)
	}
	if csp["object-src"] != "'none'" || csp["base-uri"] != "'none'" {
		t.Errorf("%s: CSP %q lacks object-src 'none' or base-uri 'none'", what, h.Get("Content-Security-Policy"))
	}
	if h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options %q", what, h.Get("X-Content-Type-Options"))
	}
	// Data and files (the browser's assets, the health checks), never documents: nothing
	// loads from them or frames them (see apiContentSecurityPolicy and assetAnswers).
	if isAPI(what) || notDocument(what) && rec.Code < 400 {
		if csp["default-src"] != "'none'" || csp["frame-ancestors"] != "'none'" {
			t.Errorf("%s: API CSP %q, want default-src and frame-ancestors 'none'", what, h.Get("Content-Security-Policy"))
		}
		return
	}
	if rp := h.Get("Referrer-Policy"); rp == "" || rp == "unsafe-url" || rp == "no-referrer-when-downgrade" {
		t.Errorf("%s: Referrer-Policy %q", what, rp)
	}
	embedded := strings.HasPrefix(what, "/embed/") || strings.HasPrefix(what, "GET /embed/")
	if embedded && rec.Code == http.StatusOK {
		if csp["frame-ancestors"] != "*" || h.Get("X-Frame-Options") != "" {
			t.Errorf("%s: the embed page must be frameable by any site: frame-ancestors %q, X-Frame-Options %q", what, csp["frame-ancestors"], h.Get("X-Frame-Options"))
		}
	} else if csp["frame-ancestors"] != "'self'" || h.Get("X-Frame-Options") != "SAMEORIGIN" {
		t.Errorf("%s: must not be frameable by other sites: frame-ancestors %q, X-Frame-Options %q", what, csp["frame-ancestors"], h.Get("X-Frame-Options"))
	}
}

// isAPI tells the data API's routes, whose errors too are data.
func isAPI(what string) bool {
	return strings.HasPrefix(what, "/api/") || strings.Contains(what, " /api/")
}

// notDocument tells the routes that answer with files rather than documents; their errors
// are pages.
func notDocument(what string) bool {
	for _, prefix := range []string{"/static/", "/healthz", "/readyz"} {
		if strings.HasPrefix(what, prefix) || strings.Contains(what, " "+prefix) {
			return true
		}
	}
	return false
}

// leaks lists what an error page must never show: stack traces, SQL and the server's files.
var leaks = []string{"goroutine ", "panic(", "runtime.", "runtime/", ".go:", "/work/", "/home/", "/usr/", "github.com/",
	"SELECT ", "INSERT ", "UPDATE ", "DELETE ", " FROM ", " WHERE ", "sqlite", "SQLITE", "sql:", "database is", "no such table", "constraint failed"}

func TestErrorPagesLeakNothing(t *testing.T) {
	lab := newTestServer(t, withEditor("alice"))
	broken := newTestServer(t, withEditor("alice"))
	// A closed store fails every query: the server faults (500) come from the real handler.
	broken.store.Close()
	tests := []struct {
		name   string
		h      http.Handler
		method string
		target string
		body   string
		status int
	}{
		{"unknown_page", lab.h, "GET", "/no/such/page", "", 404},
		{"unknown_map", lab.h, "GET", "/maps/nowhere", "", 404},
		{"unknown_region", lab.h, "GET", "/maps/afghanistan-2021/regions/AF-XXX", "", 404},
		{"unknown_map_api", lab.h, "GET", "/api/maps/nowhere/events", "", 404},
		{"bad_date", lab.h, "GET", "/maps/afghanistan-2021?date=2021-02-30", "", 400},
		{"bad_date_api", lab.h, "GET", "/api/maps/afghanistan-2021/state?date=x", "", 400},
		{"sql_in_date", lab.h, "GET", "/maps/afghanistan-2021?date=" + url.QueryEscape("2021-08-14' OR 1=1 --"), "", 400},
		{"wrong_method", lab.h, "DELETE", "/maps/afghanistan-2021", "", 405},
		{"wrong_method_login", lab.h, "PUT", "/login", "", 405},
		{"wrong_method_api_is_not_found", lab.h, "PUT", "/api/maps/afghanistan-2021", "", 404},
		{"body_too_large", lab.h, "POST", "/login", "username=a&password=" + strings.Repeat("x", 100<<10), 413},
		{"server_fault_page", broken.h, "GET", "/maps/afghanistan-2021", "", 500},
		{"server_fault_region", broken.h, "GET", "/maps/afghanistan-2021/regions/AF-BAL", "", 500},
		{"server_fault_api", broken.h, "GET", "/api/maps/afghanistan-2021/state", "", 500},
		{"server_fault_image", broken.h, "GET", "/maps/afghanistan-2021/2021-08-14.png", "", 500},
		{"server_fault_sign_in", broken.h, "POST", "/login", "username=alice&password=x", 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req := httptest.NewRequest(tt.method, tt.target, body)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.method == "POST" {
				// Same-origin browser: the CSRF check passes and the handler itself runs.
				req.Header.Set("Sec-Fetch-Site", "same-origin")
			}
			rec := httptest.NewRecorder()
			tt.h.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d; body %.300s", rec.Code, tt.status, rec.Body)
			}
			for _, leak := range leaks {
				if strings.Contains(rec.Body.String(), leak) {
					t.Errorf("the %d page shows %q:\n%.600s", rec.Code, leak, rec.Body)
				}
			}
			if msg := errorMessage(t, rec); msg == "" {
				t.Errorf("the %d response has no message for the reader: %.300s", rec.Code, rec.Body)
			}
			checkSecurityHeaders(t, tt.target, rec)
		})
	}
}

// errorMessage returns the message a person reads in an error response: the error page's,
// a form's, the sign-in page's, or the JSON "error".
func errorMessage(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	body := rec.Body.String()
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		var e struct {
			Error string `json:"error"`
		}
		if err := json.Unmarshal([]byte(body), &e); err != nil {
			t.Errorf("error JSON: %v: %.200s", err, body)
		}
		return e.Error
	}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		return strings.TrimSpace(body) // net/http's own refusals
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	doc.Find(`.error-message, [data-testid="login-error"], [data-testid="form-error"], .field-error:not([hidden]), .form-error`).Each(func(_ int, s *goquery.Selection) {
		if m := strings.TrimSpace(s.Text()); m != "" {
			msgs = append(msgs, m)
		}
	})
	return strings.Join(msgs, " | ")
}

// xssPayloads are strings that run script if a page puts them in its markup, a script, an
// attribute or a URL without escaping.
var xssPayloads = []string{
	`<script>alert(1)</script>`,
	`<img src=x onerror=alert(1)>`,
	`<svg onload=alert(1)>`,
	`<svg><script>alert(1)</script></svg>`,
	`"><script>alert(1)</script>`,
	`'><img src=x onerror=alert(1)>`,
	`" onmouseover="alert(1)" x="`,
	`' onfocus='alert(1)' autofocus x='`,
	`javascript:alert(1)`,
	`JaVaScRiPt:alert(document.cookie)`,
	`</script><script>alert(1)</script>`,
	`</SCRIPT ><script>alert(1)</script>`,
	`<!--<script>alert(1)//-->`,
	"`${alert(1)}`",
	`{{constructor.constructor('alert(1)')()}}`,
	`"});alert(1);//`,
	`\u003cscript\u003ealert(1)\u003c/script\u003e`,
	`<iframe src="javascript:alert(1)"></iframe>`,
	`<a href="javascript:alert(1)">click</a>`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
	`&lt;script&gt;alert(1)&lt;/script&gt;`,
	`<body onload=alert(1)>`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
	`<style>@import "//evil.example/x.css";</style>`,
	"line\u2028separator\u2029</script>",
	`=HYPERLINK("http://evil.example","click")`,
}

// pageShape is the markup of an HTML page without its text: each element's tag and
// attribute names, sorted. A payload that escaped into the markup changes it.
func pageShape(t *testing.T, body string) []string {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var shape []string
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		n := s.Get(0)
		var attrs []string
		for _, a := range n.Attr {
			attrs = append(attrs, a.Key)
		}
		sort.Strings(attrs)
		shape = append(shape, n.Data+"["+strings.Join(attrs, ",")+"]")
	})
	sort.Strings(shape)
	return shape
}

// ourBundle is the scripts as the server bundles them from the assets, built once.
var ourBundle = func() func(t *testing.T) *bundle {
	once := sync.OnceValues(func() (*bundle, error) { return bundleScripts(static.FS) })
	return func(t *testing.T) *bundle {
		b, err := once()
		if err != nil {
			t.Fatalf("bundle the early scripts: %v", err)
		}
		if b.early == "" || b.earlyControls == "" {
			t.Fatal("the bundle has no early scripts")
		}
		return b
	}
}()

// ourEarlyScript and ourEarlyControls are the light map's two inline scripts, as bundled.
func ourEarlyScript(t *testing.T) string   { return ourBundle(t).early }
func ourEarlyControls(t *testing.T) string { return ourBundle(t).earlyControls }

// ownPicture is the URL of a map's picture as the list of maps links it (imageURL): a path
// of this site, its slug escaped.
var ownPicture = regexp.MustCompile(`^/maps/[^/?#"<>]+/\d{4}-\d{2}-\d{2}\.svg(\?lang=[a-z]{2})?$`)

// checkNoScriptInjected checks a page as a browser would build it: scripts only from this
// site or the JSON data block (which must parse), no event-handler attributes, no
// script URLs, none of the elements payloads use to run or load code.
func checkNoScriptInjected(t *testing.T, what, body string) {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		src, hasSrc := s.Attr("src")
		typ, _ := s.Attr("type")
		id, _ := s.Attr("id")
		switch {
		case hasSrc && strings.HasPrefix(src, "/static/") && strings.TrimSpace(s.Text()) == "":
		case typ == "application/json" && (id == "map-data" || id == "map-early"):
			var v any
			if err := json.Unmarshal([]byte(s.Text()), &v); err != nil {
				t.Errorf("%s: the JSON data block #%s does not parse (broken out of?): %v", what, id, err)
			}
			if low := strings.ToLower(s.Text()); strings.Contains(low, "</script") || strings.Contains(low, "<!--") {
				t.Errorf("%s: the JSON data block #%s holds markup", what, id)
			}
		case !hasSrc && typ == "" && id == "" && (s.Text() == ourEarlyScript(t) || s.Text() == ourEarlyControls(t)):
			// The light map's early scripts, inline (early_map.go): our bundle's, byte for byte.
		default:
			t.Errorf("%s: a script that is not this site's: %s", what, goquery.NodeName(s)+" src="+src+" "+s.Text())
		}
	})
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		n := s.Get(0)
		switch n.Data {
		case "img", "svg", "math", "iframe", "object", "embed", "base", "frame", "frameset", "style", "body":
			if n.Data == "iframe" && s.AttrOr("id", "") == "embed-preview" || n.Data == "body" && n.Parent != nil && n.Parent.Data == "html" {
				break
			}
			// The page's own pictures: the server's inline map in the map box and the chart of
			// control (chart.templ), one each; the embed's style sheets, inline in its head; and
			// on the list of maps, each card's picture of its map (this site's image URL).
			if n.Data == "img" && s.Is(`ul.map-list > li > a > img[data-testid="map-picture"]`) && s.Parent().Children().Filter("img").Length() == 1 &&
				ownPicture.MatchString(s.AttrOr("src", "")) {
				break
			}
			if n.Data == "svg" && (s.HasClass("map-inline") && s.Parent().Is("#map") && doc.Find("svg.map-inline").Length() == 1 ||
				s.HasClass("chart-svg") && s.Parent().Is("div.chart-plot") && s.ParentsFiltered("figure#series-chart").Length() == 1 && doc.Find("svg.chart-svg").Length() == 1) ||
				n.Data == "style" && n.Parent != nil && n.Parent.Data == "head" && doc.Find("style").Length() == 1 {
				break
			}
			t.Errorf("%s: an injected <%s> element", what, n.Data)
		case "meta":
			if _, ok := s.Attr("http-equiv"); ok {
				t.Errorf("%s: an injected <meta http-equiv>", what)
			}
		}
		for _, a := range n.Attr {
			key := strings.ToLower(a.Key)
			if strings.HasPrefix(key, "on") || key == "srcdoc" || key == "formaction" {
				t.Errorf("%s: <%s> has the attribute %s=%q", what, n.Data, a.Key, a.Val)
			}
			if key == "href" || key == "src" || key == "action" || key == "data" || key == "xlink:href" {
				v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
				if strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") || strings.HasPrefix(v, "data:text/html") {
					t.Errorf("%s: <%s %s=%q> runs script", what, n.Data, a.Key, a.Val)
				}
			}
		}
	})
}

// containsAsData reports whether a page holds s as text or as an attribute value, which is
// where an escaped payload ends up.
func containsAsData(body, s string) bool {
	z := html.NewTokenizer(strings.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return false
		case html.TextToken:
			if strings.Contains(string(z.Text()), s) {
				return true
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			for {
				_, v, more := z.TagAttr()
				if strings.Contains(string(v), s) {
					return true
				}
				if !more {
					break
				}
			}
		}
	}
}

// xssRegion is the id of the region whose name is payload p. The "#" must be escaped in
// every URL. (An id ending in "/" has its own test: TestRegionIDEndingInSlash.)
func xssRegion(p string) string { return p + "#1" }

// xssLab is one map folder whose every displayed field holds a payload: title,
// description, attribution, faction names, region id, name and capital, an event's note
// and source.
func xssLab(slug, p string) fstest.MapFS {
	m := map[string]any{
		"slug": slug, "title": p, "description": "Description " + p, "attribution": "Attribution " + p,
		"start": "2022-01-01", "end": "2022-12-31", "default_date": "2022-06-01", "initial": "red",
		"id_property": "code", "name_property": "name",
		"factions": []map[string]string{{"id": "red", "name": "Red " + p, "color": "#aa0000"}, {"id": "blue", "name": "Blue " + p, "color": "#0000aa"}},
	}
	mj, _ := json.Marshal(m)
	square := func(x float64) [][][2]float64 {
		return [][][2]float64{{{x, 0}, {x + 1, 0}, {x + 1, 1}, {x, 1}, {x, 0}}}
	}
	fc := map[string]any{"type": "FeatureCollection", "features": []any{
		map[string]any{"type": "Feature", "properties": map[string]any{"code": xssRegion(p), "name": p, "capital": "Capital " + p},
			"geometry": map[string]any{"type": "Polygon", "coordinates": square(0)}},
		map[string]any{"type": "Feature", "properties": map[string]any{"code": "plain", "name": "Plain", "capital": "Town"},
			"geometry": map[string]any{"type": "Polygon", "coordinates": square(2)}},
	}}
	gj, _ := json.Marshal(fc)
	var ev bytes.Buffer
	w := csv.NewWriter(&ev)
	w.Write([]string{"region", "faction", "date", "source", "note", "confidence"})
	w.Write([]string{xssRegion(p), "blue", "2022-03-01", "https://example.org/csv?q=" + url.QueryEscape(p), "Imported " + p, "claimed"})
	w.Flush()
	return fstest.MapFS{
		"map.json":        {Data: mj},
		"regions.geojson": {Data: gj},
		"events.csv":      {Data: ev.Bytes()},
	}
}

// TestXSSPayloadsAreEscapedEverywhere puts every payload in every field a reader sees, by
// import and by the editor's form, and reads every page and download that shows them.
func TestXSSPayloadsAreEscapedEverywhere(t *testing.T) {
	// An admin: the maps below are imported after the server is made, so an editor would
	// hold no grant of them.
	lab := newTestServer(t, withUser("alice", data.RoleAdmin))
	ctx := context.Background()
	editor := newClient(t, lab.h)
	editor.signIn()
	const benign = "Benign value 42"
	if len(xssPayloads) < 15 {
		t.Fatalf("only %d payloads", len(xssPayloads))
	}
	// Map 0 holds a harmless value in each place; map i the payload i. Pages of the two
	// must have the same markup, the payload only as text.
	values := append([]string{benign}, xssPayloads...)
	type xssMap struct {
		slug, value string
		event       int64 // recorded through the form
		pages       map[string]string
	}
	labs := make([]*xssMap, len(values))
	for i, v := range values {
		l := &xssMap{slug: fmt.Sprintf("xss-%02d", i), value: v, pages: map[string]string{}}
		labs[i] = l
		f, err := data.LoadFolder(xssLab(l.slug, v))
		if err != nil {
			t.Fatalf("payload %d %q: load folder: %v", i, v, err)
		}
		if _, err := lab.store.ImportFolder(ctx, f, data.ImportOptions{Author: "import"}); err != nil {
			t.Fatalf("payload %d: import: %v", i, err)
		}
		form := url.Values{"_csrf": {editor.csrf()}, "region": {xssRegion(v)}, "faction": {"red"}, "date": {"2022-04-01"},
			"source": {"https://example.org/form?q=" + v}, "note": {"Note " + v}, "confidence": {"confirmed"}}
		rec := editor.post("/maps/"+l.slug+"/events", form)
		if rec.Code == http.StatusUnprocessableEntity {
			// The raw payload is not a URL Go accepts: keep it, escaped, in the query.
			checkNoScriptInjected(t, fmt.Sprintf("payload %d: change form shown again", i), rec.Body.String())
			form.Set("source", "https://example.org/form?q="+url.QueryEscape(v))
			rec = editor.post("/maps/"+l.slug+"/events", form)
		}
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("payload %d: record: status %d %.400s", i, rec.Code, rec.Body)
		}
		loc, _ := url.Parse(rec.Header().Get("Location"))
		l.event, _ = strconv.ParseInt(loc.Query().Get("recorded"), 10, 64)
	}

	htmlPages := func(l *xssMap) map[string]string {
		reg := regionURL(l.slug, xssRegion(l.value))
		return map[string]string{
			"map page":      "/maps/" + l.slug + "?date=2022-06-01&recorded=" + strconv.FormatInt(l.event, 10),
			"region page":   reg,
			"changes page":  "/maps/" + l.slug + "/changes",
			"embed page":    "/embed/" + l.slug + "?date=2022-06-01",
			"change form":   "/maps/" + l.slug + "/edit?region=" + url.QueryEscape(xssRegion(l.value)),
			"correct form":  "/maps/" + l.slug + "/edit?event=" + strconv.FormatInt(l.event, 10),
			"retract form":  "/maps/" + l.slug + "/events/" + strconv.FormatInt(l.event, 10) + "/retract",
			"missing event": reg + "x",
		}
	}
	for _, l := range labs {
		for name, target := range htmlPages(l) {
			rec := editor.get(target)
			want := http.StatusOK
			if name == "missing event" {
				want = http.StatusNotFound
			}
			if rec.Code != want {
				t.Errorf("%s: %s: status %d, want %d", l.slug, target, rec.Code, want)
			}
			l.pages[name] = rec.Body.String()
		}
	}
	base := labs[0]
	for i, l := range labs[1:] {
		p := l.value
		t.Run(fmt.Sprintf("payload_%02d", i+1), func(t *testing.T) {
			for name, body := range l.pages {
				what := fmt.Sprintf("%s with %q", name, p)
				checkNoScriptInjected(t, what, body)
				if got, want := pageShape(t, body), pageShape(t, base.pages[name]); !slices.Equal(got, want) {
					t.Errorf("%s: the markup differs from the same page without the payload:\n%s", what, shapeDiff(got, want))
				}
			}
			for _, name := range []string{"map page", "region page", "embed page", "change form"} {
				if !containsAsData(l.pages[name], p) {
					t.Errorf("%s does not show %q as text", name, p)
				}
			}
			// The region page shows the note and the capital as text.
			doc, _ := goquery.NewDocumentFromReader(strings.NewReader(l.pages["region page"]))
			if got := doc.Find("h1").Text(); got != p {
				t.Errorf("region page h1 = %q, want the payload", got)
			}
			if got := doc.Find(".event-note").Last().Text(); got != "Note "+p {
				t.Errorf("region page note = %q", got)
			}
			// The map page's JSON block gives the script the payload back exactly.
			for _, page := range []string{"map page", "embed page"} {
				doc, _ := goquery.NewDocumentFromReader(strings.NewReader(l.pages[page]))
				var script mapScript
				if err := json.Unmarshal([]byte(doc.Find("script#map-data").Text()), &script); err != nil {
					t.Fatalf("%s map-data: %v", page, err)
				}
				notes := []string{}
				for _, e := range script.Events {
					notes = append(notes, e.Note)
				}
				if script.Title != p || !slices.Contains(notes, "Note "+p) || !slices.Contains(notes, "Imported "+p) {
					t.Errorf("%s map-data: title %q, notes %q", page, script.Title, notes)
				}
			}
			// The embed codes on the map page are pasted into other sites' articles: they
			// must be safe there too.
			doc, _ = goquery.NewDocumentFromReader(strings.NewReader(l.pages["map page"]))
			code := doc.Find("#embed-code")
			for _, attr := range []string{"data-pym-pinned", "data-pym-live", "data-iframe-pinned", "data-iframe-live"} {
				checkEmbedCode(t, attr, code.AttrOr(attr, ""), p)
			}
			checkDownloads(t, editor, l.slug, p)
		})
	}

	t.Run("map_list", func(t *testing.T) {
		body := get(t, lab.h, "/").Body.String()
		checkNoScriptInjected(t, "map list", body)
		for _, p := range xssPayloads {
			if !containsAsData(body, p) {
				t.Errorf("the map list does not show %q as text", p)
			}
		}
	})

	// Payloads in the URL: path parameters and query strings that pages repeat back.
	t.Run("urls", func(t *testing.T) {
		pages := []struct {
			name string
			url  func(string) string
			cl   *client
		}{
			{"region id", func(p string) string { return "/maps/afghanistan-2021/regions/" + url.PathEscape(p) }, newClient(t, lab.h)},
			{"map slug", func(p string) string { return "/maps/" + url.PathEscape(p) }, newClient(t, lab.h)},
			{"embed slug", func(p string) string { return "/embed/" + url.PathEscape(p) }, newClient(t, lab.h)},
			{"date", func(p string) string { return "/maps/afghanistan-2021?date=" + url.QueryEscape(p) }, newClient(t, lab.h)},
			{"legend", func(p string) string { return "/embed/afghanistan-2021?legend=" + url.QueryEscape(p) }, newClient(t, lab.h)},
			{"oembed url", func(p string) string { return "/oembed?url=" + url.QueryEscape("http://example.com/maps/"+p) }, newClient(t, lab.h)},
			{"retracted notice", func(p string) string {
				return "/maps/afghanistan-2021/regions/AF-BAL?retracted=" + url.QueryEscape(p)
			}, newClient(t, lab.h)},
			{"sign-in next", func(p string) string { return "/login?next=" + url.QueryEscape("/"+p) }, newClient(t, lab.h)},
			{"edit region", func(p string) string { return "/maps/afghanistan-2021/edit?region=" + url.QueryEscape(p) }, editor},
			{"edit date", func(p string) string { return "/maps/afghanistan-2021/edit?date=" + url.QueryEscape(p) }, editor},
		}
		for _, pg := range pages {
			baseline := pg.cl.get(pg.url("benign"))
			for _, p := range xssPayloads {
				rec := pg.cl.get(pg.url(p))
				what := fmt.Sprintf("%s %q (status %d)", pg.name, p, rec.Code)
				if rec.Code >= 500 {
					t.Errorf("%s: server fault", what)
				}
				checkNoScriptInjected(t, what, rec.Body.String())
				if got, want := pageShape(t, rec.Body.String()), pageShape(t, baseline.Body.String()); rec.Code == baseline.Code && !slices.Equal(got, want) {
					t.Errorf("%s: markup differs from the same page with a harmless value:\n%s", what, shapeDiff(got, want))
				}
			}
		}
	})

	// Payloads typed into forms that are shown again: the change form and sign-in.
	t.Run("forms_shown_again", func(t *testing.T) {
		for _, p := range xssPayloads {
			for _, field := range []string{"region", "faction", "date", "source", "note", "confidence"} {
				vals := validChange(editor.csrf())
				vals.Set(field, p)
				rec := editor.post("/maps/afghanistan-2021/events", vals)
				if rec.Code != http.StatusUnprocessableEntity && !(field == "note" && rec.Code == http.StatusSeeOther) {
					t.Errorf("%s=%q: status %d", field, p, rec.Code)
				}
				if rec.Code == http.StatusUnprocessableEntity {
					checkNoScriptInjected(t, "change form with "+field+"="+p, rec.Body.String())
				}
			}
			anon := newClient(t, lab.h)
			anon.get("/login")
			rec := anon.post("/login", url.Values{"_csrf": {anon.csrf()}, "username": {p}, "password": {"wrong password"}, "next": {"/" + p}})
			checkNoScriptInjected(t, "sign-in with "+p, rec.Body.String())
			if doc := parseHTML(t, rec); doc.Find(`input[name="username"]`).AttrOr("value", "") != strings.TrimSpace(p) {
				t.Errorf("sign-in page does not keep the username %q as typed", p)
			}
		}
	})
}

// checkEmbedCode parses an embed code as the article that pastes it would: an iframe and,
// for Pym.js, the library and one inline script that only calls it.
func checkEmbedCode(t *testing.T, name, code, payload string) {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(code), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var tags []string
	var inline []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			tags = append(tags, n.Data)
			for _, a := range n.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					t.Errorf("%s: %s has %s", name, n.Data, a.Key)
				}
			}
			if n.Data == "script" && n.FirstChild != nil {
				inline = append(inline, n.FirstChild.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	want := []string{"iframe"}
	if strings.Contains(name, "pym") {
		want = []string{"div", "script", "script"}
	}
	if !slices.Equal(tags, want) {
		t.Errorf("%s with %q: elements %v, want %v:\n%s", name, payload, tags, want, code)
	}
	for _, js := range inline {
		// The one inline script is new pym.Parent("id", "url", {title: "..."}), its
		// arguments JSON strings: parse them back.
		args, ok := strings.CutPrefix(js, "new pym.Parent(")
		args, ok2 := strings.CutSuffix(args, ");")
		if !ok || !ok2 {
			t.Errorf("%s: inline script %q", name, js)
			continue
		}
		args = strings.Replace(args, "{title: ", `{"title": `, 1)
		var parsed []any
		if err := json.Unmarshal([]byte("["+args+"]"), &parsed); err != nil || len(parsed) != 3 {
			t.Errorf("%s: the inline script's arguments are not three plain values: %v: %s", name, err, js)
			continue
		}
		if title, _ := parsed[2].(map[string]any)["title"].(string); title != payload {
			t.Errorf("%s: title %q, want %q", name, title, payload)
		}
	}
}

// checkDownloads reads the payload back from the feed, the state downloads, the API and
// the picture, each parsed as its format.
func checkDownloads(t *testing.T, cl *client, slug, p string) {
	t.Helper()
	atom := cl.get("/maps/" + slug + "/changes.atom")
	var feed atomFeed
	dec := xml.NewDecoder(atom.Body)
	dec.Strict = true
	if err := dec.Decode(&feed); err != nil {
		t.Errorf("atom feed does not parse: %v", err)
	} else if len(feed.Entries) == 0 || !strings.Contains(feed.Entries[0].Summary, p) {
		t.Errorf("atom feed summary lost the payload: %+v", feed.Entries)
	}

	rec := cl.get("/api/maps/" + slug + "/state.csv?date=2022-06-01")
	if rec.Header().Get("Content-Disposition") == "" || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Errorf("state.csv headers: %v", rec.Header())
	}
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil {
		t.Fatalf("state.csv: %v", err)
	}
	found := false
	for _, row := range rows[1:] {
		if row[0] == spreadsheetSafe(xssRegion(p)) {
			found = true
			if row[1] != spreadsheetSafe(p) || row[7] != spreadsheetSafe("Note "+p) {
				t.Errorf("state.csv row %q", row)
			}
		}
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("state.csv cell %q runs as a spreadsheet formula", cell)
			}
		}
	}
	if !found {
		t.Errorf("state.csv has no row for region %q", p)
	}

	for _, target := range []string{"/api/maps/" + slug + "/state.geojson?date=2022-06-01", "/api/maps/" + slug + "/regions.geojson",
		"/api/maps/" + slug + "/events", "/api/maps/" + slug, "/oembed?url=" + url.QueryEscape("http://example.com/maps/"+slug)} {
		rec := cl.get(target)
		body := rec.Body.String()
		if rec.Code != 200 || !json.Valid([]byte(body)) {
			t.Errorf("%s: status %d, valid JSON %v", target, rec.Code, json.Valid([]byte(body)))
		}
		if strings.ContainsAny(body, "<>") {
			t.Errorf("%s: raw < or > in JSON; a page that writes it into HTML would run it", target)
		}
		var v any
		json.Unmarshal([]byte(body), &v)
		if !jsonHolds(v, p) {
			t.Errorf("%s does not give back %q", target, p)
		}
	}

	svg := cl.get("/maps/" + slug + "/2022-06-01.svg")
	dec = xml.NewDecoder(svg.Body)
	dec.Strict = true
	text := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Errorf("SVG does not parse as XML: %v", err)
			break
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Local == "script" || tok.Name.Local == "foreignObject" {
				t.Errorf("SVG has a <%s>", tok.Name.Local)
			}
			for _, a := range tok.Attr {
				name := strings.ToLower(a.Name.Local)
				if strings.HasPrefix(name, "on") || (name == "href" || name == "src") && strings.Contains(strings.ToLower(a.Value), "javascript:") {
					t.Errorf("SVG attribute %s=%q", a.Name.Local, a.Value)
				}
			}
		case xml.CharData:
			text += string(tok)
		}
	}
	if !strings.Contains(text, p) {
		t.Errorf("the SVG does not show the title %q as text", p)
	}
}

// jsonHolds reports whether a decoded JSON value holds a string containing s.
func jsonHolds(v any, s string) bool {
	switch v := v.(type) {
	case string:
		return strings.Contains(v, s)
	case []any:
		return slices.ContainsFunc(v, func(e any) bool { return jsonHolds(e, s) })
	case map[string]any:
		for k, e := range v {
			if strings.Contains(k, s) || jsonHolds(e, s) {
				return true
			}
		}
	}
	return false
}

// shapeDiff lists the elements one page shape has and the other lacks.
func shapeDiff(got, want []string) string {
	count := map[string]int{}
	for _, s := range got {
		count[s]++
	}
	for _, s := range want {
		count[s]--
	}
	var out []string
	for s, n := range count {
		if n != 0 {
			out = append(out, fmt.Sprintf("%+d %s", n, s))
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// TestRegionIDEndingInSlash: the contract allows any non-empty region id, escaped in URLs,
// so an id ending in "/" must have a history page.
func TestRegionIDEndingInSlash(t *testing.T) {
	lab := newTestServer(t, withEditor("alice"))
	f, err := data.LoadFolder(xssLab("slash", "north/"))
	if err != nil {
		t.Fatal(err)
	}
	f.Regions[0].ID = "north/"
	f.Events = nil
	if _, err := lab.store.ImportFolder(context.Background(), f, data.ImportOptions{Author: "import"}); err != nil {
		t.Fatal(err)
	}
	rec := get(t, lab.h, regionURL("slash", "north/"))
	if rec.Code == http.StatusMovedPermanently {
		t.Fatalf("the trailing-slash redirect sends %s to %q: the escaped slash is part of the id",
			regionURL("slash", "north/"), rec.Header().Get("Location"))
	}
	if rec.Code != http.StatusOK || parseHTML(t, rec).Find("h1").Text() != "north/" {
		t.Errorf("status %d", rec.Code)
	}
}

// TestNoticesSayOnlyWhatIsStored: the confirmations after a save or a retraction name
// an event from the database, so a crafted link cannot make this site say anything else.
func TestNoticesSayOnlyWhatIsStored(t *testing.T) {
	lab := newTestServer(t, withEditor("alice"))
	cl := newClient(t, lab.h)
	cl.signIn()
	events, _ := lab.store.RegionEvents(context.Background(), "afghanistan-2021", "AF-BAL")
	live := strconv.FormatInt(events[0].ID, 10)
	tests := []struct {
		name, target, want string
	}{
		{"crafted_text", "/maps/afghanistan-2021/regions/AF-BAL?retracted=" + url.QueryEscape("1 was retracted. Your account is locked: call +1 555 0100. Event 2"), ""},
		{"live_event", "/maps/afghanistan-2021/regions/AF-BAL?retracted=" + live, ""},
		{"unknown_event", "/maps/afghanistan-2021/regions/AF-BAL?retracted=999999", ""},
		{"crafted_recorded", "/maps/afghanistan-2021?recorded=" + url.QueryEscape("1 Taliban surrendered"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := cl.get(tt.target)
			if got := parseHTML(t, rec).Find(`[data-testid="notice"]`).Text(); rec.Code != 200 || got != tt.want {
				t.Errorf("status %d, notice %q, want %q", rec.Code, got, tt.want)
			}
		})
	}
	t.Run("real_retraction", func(t *testing.T) {
		rec := cl.post("/maps/afghanistan-2021/events/"+live+"/retract", url.Values{"_csrf": {cl.csrf()}, "reason": {"wrong"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("retract: %d", rec.Code)
		}
		notice := parseHTML(t, cl.get(rec.Header().Get("Location"))).Find(`[data-testid="notice"]`).Text()
		if notice != "Event "+live+" was retracted." {
			t.Errorf("notice %q", notice)
		}
	})
}

// TestSignInLimitCannotBeDodged: a stranger who sends a new X-Forwarded-For with each
// guess is still one address; a proxy on this host or network is trusted to name its
// clients, who are then counted apart.
func TestSignInLimitCannotBeDodged(t *testing.T) {
	tests := []struct {
		name       string
		remote     func(i int) string
		forwarded  func(i int) string
		wantLast   int
		wantOthers int
	}{
		{"stranger_rotating_forwarded_for", func(int) string { return "203.0.113.9:4242" },
			func(i int) string { return fmt.Sprintf("198.51.100.%d", i) }, http.StatusTooManyRequests, http.StatusUnauthorized},
		{"clients_behind_a_local_proxy", func(int) string { return "127.0.0.1:4242" },
			func(i int) string { return fmt.Sprintf("198.51.100.%d", i) }, http.StatusUnauthorized, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // each guess costs a bcrypt comparison
			lab := newTestServer(t, withEditor("alice"))
			anon := newClient(t, lab.h)
			anon.get("/login")
			var last int
			for i := range loginFailuresPerAddress + 1 {
				// A different account each time, so only the per-address limit can apply.
				form := url.Values{"_csrf": {anon.csrf()}, "username": {fmt.Sprintf("user%d", i)}, "password": {"wrong password"}}
				req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-Forwarded-For", tt.forwarded(i))
				req.RemoteAddr = tt.remote(i)
				rec := anon.do(req)
				if i < loginFailuresPerAddress && rec.Code != tt.wantOthers {
					t.Errorf("attempt %d: status %d, want %d", i+1, rec.Code, tt.wantOthers)
				}
				last = rec.Code
			}
			if last != tt.wantLast {
				t.Errorf("attempt %d: status %d, want %d", loginFailuresPerAddress+1, last, tt.wantLast)
			}
		})
	}
}
