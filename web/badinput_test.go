package web

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/frontline-maps/frontline/data"
)

// badCase is one bad input at one entry point.
type badCase struct {
	entry, name string
	// do gives the input to the entry point and returns the HTTP status (0 for a map
	// folder or a file read by the command line) and the message a person reads.
	do func(t *testing.T) (int, string)
	// status is the status the input must get; 0 means any 4xx.
	status int
	// want holds what the message must mention, any one of them (case is ignored); for
	// files, the place: the file and the feature or line.
	want []string
}

// Bad dates in every form people and programs get wrong, tried wherever a date goes in.
var badDates = []string{"2021-8-15", "2021-02-30", "2021-02-29", "21-08-15", "2021/08/15", "15.08.2021",
	"2021-08-15T00:00:00Z", "2021-08-15 ", "+2021-08-15", "２０２１-08-15", "yesterday", "2021-08-15'; DROP TABLE events; --",
	"\xff\xfe", "2020-01-01", "2021-09-16", strings.Repeat("9", 5000)}

// Bad source URLs: not http(s), no host, too long, not text.
var badSources = []string{"", "   ", "ftp://example.org/report", "javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
	"//example.org/report", "example.org/report", "https://", "http:///report", "mailto:desk@example.org",
	"file:///etc/passwd", "https://exa mple.org/", "https://example.org/" + strings.Repeat("a", data.MaxSourceLen), "https://example.org/\xff"}

// editorSession is a signed-in editor whose session is refreshed before the store would
// mark it used (once per 5 minutes), so that only the request under test can write.
type editorSession struct {
	*client
	since time.Time
}

func (e *editorSession) fresh() {
	if time.Since(e.since) > 4*time.Minute {
		e.signIn()
		e.since = time.Now()
	}
}

// labFolder is a valid map folder: two square regions, A and B, and one event.
func labFolder() map[string]string {
	return map[string]string{
		"map.json": `{"slug":"bad-lab","title":"Bad lab","description":"","attribution":"","start":"2022-01-01","end":"2022-12-31",
			"default_date":"2022-06-01","initial":"red","id_property":"","name_property":"name",
			"factions":[{"id":"red","name":"Red","color":"#aa0000"},{"id":"blue","name":"Blue","color":"#0000aa"}]}`,
		"regions.geojson": featureCollection(feature(`"A"`, square(0)), feature(`"B"`, square(2))),
		"events.csv":      "region,faction,date,source,note,confidence\nA,blue,2022-03-01,https://example.org/a,Taken,confirmed\n",
	}
}

func square(x int) string {
	return fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%d,0],[%d,0],[%d,1],[%d,1],[%d,0]]]}`, x, x+1, x+1, x, x)
}

func polygon(ring string) string { return `{"type":"Polygon","coordinates":[` + ring + `]}` }

func feature(id, geometry string) string {
	return `{"type":"Feature","id":` + id + `,"properties":{"name":"Region"},"geometry":` + geometry + `}`
}

func featureCollection(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

// withMap returns labFolder's map.json with one field set to a raw JSON value.
func withMap(field, raw string) string {
	m := labFolder()["map.json"]
	i := strings.Index(m, `"`+field+`":`)
	if i < 0 {
		panic(field)
	}
	rest := m[i+len(field)+3:]
	// The field's value ends at the next top-level comma or closing brace; labFolder's
	// values are simple enough for this except factions, which is the last field.
	end := strings.IndexAny(rest, ",}")
	if field == "factions" {
		end = len(rest) - 1
	}
	return m[:i] + `"` + field + `":` + raw + rest[end:]
}

func nested(open, close string, n int) string {
	return strings.Repeat(open, n) + strings.Repeat(close, n)
}

// TestBadInputChangesNothing gives every entry point inputs it must refuse: each gets a
// clear error, a 4xx with a message or a file error naming the place, and the database
// stays byte-for-byte as it was.
func TestBadInputChangesNothing(t *testing.T) {
	lab := newTestServer(t, withEditor("alice"))
	ctx := context.Background()
	if _, err := lab.store.CreateUser(ctx, "bob", editorPassword); err != nil {
		t.Fatal(err)
	}
	ed := &editorSession{client: newClient(t, lab.h), since: time.Now()}
	ed.signIn()
	stranger := newClient(t, lab.h)
	stranger.get("/login")

	// An event to correct from the wrong region, and one already retracted.
	balkh, _ := lab.store.RegionEvents(ctx, "afghanistan-2021", "AF-BAL")
	kunduz, _ := lab.store.RegionEvents(ctx, "afghanistan-2021", "AF-KDZ")
	if rec := ed.post(fmt.Sprintf("/maps/afghanistan-2021/events/%d/retract", kunduz[0].ID), url.Values{"_csrf": {ed.csrf()}, "reason": {"set-up"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("set-up retraction: %d", rec.Code)
	}
	liveID, retractedID := strconv.FormatInt(balkh[0].ID, 10), strconv.FormatInt(kunduz[0].ID, 10)

	var cases []badCase
	add := func(c badCase) { cases = append(cases, c) }

	// --- Map folders: what `frontline import DIR` reads and stores, all or nothing.
	folder := func(name, file, content string, want ...string) {
		add(badCase{entry: "map folder " + file, name: name, want: want, do: func(t *testing.T) (int, string) {
			files := labFolder()
			if content == "\x00missing" {
				delete(files, file)
			} else {
				files[file] = content
			}
			fsys := fstest.MapFS{}
			for n, c := range files {
				fsys[n] = &fstest.MapFile{Data: []byte(c)}
			}
			f, err := data.LoadFolder(fsys)
			if err == nil {
				_, err = lab.store.ImportFolder(ctx, f, data.ImportOptions{Author: "import"})
			}
			if err == nil {
				return 200, ""
			}
			return 0, err.Error()
		}})
	}
	folder("missing", "map.json", "\x00missing", "map.json")
	folder("missing", "regions.geojson", "\x00missing", "regions.geojson")
	for _, tc := range []struct{ name, raw, want string }{
		{"empty", "", "map.json: not a valid map description"},
		{"truncated", `{"slug":"bad-lab"`, "map.json: not a valid map description"},
		{"array", `[]`, "map.json: not a valid map description"},
		{"null", `null`, "map.json: slug"},
		{"unknown_field", strings.Replace(labFolder()["map.json"], `"title"`, `"colour":"red","title"`, 1), "unknown field"},
		{"deep_nesting", `{"title":` + nested("[", "]", 20000) + `}`, "map.json: not a valid map description"},
		{"slug_with_space", withMap("slug", `"bad lab"`), "slug"},
		{"slug_empty", withMap("slug", `""`), "slug"},
		{"slug_path", withMap("slug", `"../../etc"`), "slug"},
		{"slug_upper", withMap("slug", `"BAD-LAB"`), "slug"},
		{"slug_underscore", withMap("slug", `"bad_lab"`), "slug"},
		{"slug_unicode", withMap("slug", `"bäd-lab"`), "slug"},
		{"slug_invalid_utf8", withMap("slug", "\"bad-\xff\""), "slug"},
		{"slug_number", withMap("slug", `42`), "not a valid map description"},
		{"slug_taken", withMap("slug", `"afghanistan-2021"`), "already exists"},
		{"title_blank", withMap("title", `"   "`), "title is empty"},
		{"start_month_13", withMap("start", `"2022-13-01"`), "start"},
		{"end_february_30", withMap("end", `"2022-02-30"`), "end"},
		{"default_words", withMap("default_date", `"tomorrow"`), "default_date"},
		{"start_number", withMap("start", `20220101`), "not a valid map description"},
		{"default_outside", withMap("default_date", `"2023-06-01"`), "start <= default_date <= end"},
		{"end_before_start", withMap("end", `"2021-01-01"`), "start <= default_date <= end"},
		{"no_factions", withMap("factions", `[]`), "factions is empty"},
		{"factions_object", withMap("factions", `{}`), "not a valid map description"},
		{"faction_id_upper", withMap("factions", `[{"id":"Red","name":"Red","color":"#aa0000"}]`), "faction 1"},
		{"faction_duplicate", withMap("factions", `[{"id":"red","name":"Red","color":"#aa0000"},{"id":"red","name":"Also red","color":"#bb0000"}]`), "duplicate id"},
		{"faction_unnamed", withMap("factions", `[{"id":"red","name":" ","color":"#aa0000"}]`), "name is empty"},
		{"faction_color_word", withMap("factions", `[{"id":"red","name":"Red","color":"red"}]`), "#rrggbb"},
		{"faction_color_short", withMap("factions", `[{"id":"red","name":"Red","color":"#12345"}]`), "#rrggbb"},
		{"faction_color_css_injection", withMap("factions", `[{"id":"red","name":"Red","color":"#aa0000;background:url(//evil.example)"}]`), "#rrggbb"},
		{"initial_unknown", withMap("initial", `"green"`), "initial"},
	} {
		folder(tc.name, "map.json", tc.raw, tc.want)
	}

	bad21 := make([]string, 21)
	for i := range bad21 {
		bad21[i] = feature(strconv.Quote(fmt.Sprint("R", i)), `{"type":"Point","coordinates":[1,1]}`)
	}
	// Geometry is refused only when it cannot be drawn, and geo's TestRepair and
	// TestParseRegionsRejects test each case; here, one of each kind goes end to end.
	for _, tc := range []struct{ name, raw, want string }{
		{"empty", "", "not valid JSON"},
		{"truncated", `{"type":"FeatureCollection","features":[`, "not valid JSON"},
		{"null", "null", "not a GeoJSON FeatureCollection"},
		{"array", "[]", "not valid JSON"},
		{"byte_order_mark", "\ufeff" + labFolder()["regions.geojson"], "not valid JSON"},
		{"a_feature", feature(`"A"`, square(0)), "not a GeoJSON FeatureCollection"},
		{"no_features", `{"type":"FeatureCollection"}`, "no features"},
		{"empty_features", featureCollection(), "no features"},
		{"features_object", `{"type":"FeatureCollection","features":{}}`, "not valid JSON"},
		{"feature_number", featureCollection(`1`), "feature 0: not a valid GeoJSON feature"},
		{"no_id", featureCollection(feature(`"A"`, square(0)), `{"type":"Feature","properties":{},"geometry":`+square(2)+`}`), "feature 1: no id"},
		{"empty_id", featureCollection(feature(`""`, square(0))), "feature 0: no id"},
		{"blank_id", featureCollection(feature(`"   "`, square(0))), "feature 0: no id"},
		{"bool_id", featureCollection(feature(`true`, square(0))), "feature 0: no id"},
		{"duplicate_id", featureCollection(feature(`"A"`, square(0)), feature(`"A"`, square(2))), "feature 1: duplicate id"},
		{"latitude_minus_91", featureCollection(feature(`"A"`, polygon(`[[0,0],[1,-91],[1,1],[0,0]]`))), "latitude outside -90..90"},
		{"number_too_large", featureCollection(feature(`"A"`, polygon(`[[0,0],[1e309,0],[1,1],[0,0]]`))), "feature 0: not a valid GeoJSON feature"},
		{"nan", featureCollection(feature(`"A"`, polygon(`[[0,0],[NaN,0],[1,1],[0,0]]`))), "not valid JSON"},
		{"infinity", featureCollection(feature(`"A"`, polygon(`[[0,0],[Infinity,0],[1,1],[0,0]]`))), "not valid JSON"},
		{"deep_coordinates", featureCollection(feature(`"A"`, `{"type":"Polygon","coordinates":`+nested("[", "]", 100000)+`}`)), "not valid JSON"},
		{"deep_properties", featureCollection(`{"type":"Feature","id":"A","properties":{"name":` + nested("[", "]", 20000) + `},"geometry":` + square(0) + `}`), "not valid JSON"},
		{"twenty_one_bad_features", featureCollection(bad21...), `features 0-20 (21 features): region "R0" is a Point`},
		{"events_for_missing_region", featureCollection(feature(`"B"`, square(2))), "events.csv: line 2: region: \"A\" is not a region"},
	} {
		folder(tc.name, "regions.geojson", tc.raw, tc.want)
	}

	const header = "region,faction,date,source,note,confidence\n"
	line := func(region, faction, date, source, note, confidence string) string {
		return header + strings.Join([]string{region, faction, date, source, note, confidence}, ",") + "\n"
	}
	tooMany := header
	for range 25 {
		tooMany += "Z,red,2022-03-01,https://example.org/z,,\n"
	}
	csvCases := []struct{ name, raw, want string }{
		{"empty", "", "events.csv: the file is empty"},
		{"byte_order_mark_only", "\ufeff", "events.csv: line 1: the header"},
		{"other_header", "a,b,c\n", "events.csv: line 1: the header"},
		{"header_without_source", "region,faction,date,note\n", "line 1: the header"},
		{"header_extra_column", "region,faction,date,source,note,confidence,extra\n", "line 1: the header"},
		{"header_column_twice", "faction,region,date,source,Region\n", "line 1: the header"},
		{"five_fields", header + "A,blue,2022-03-01,https://example.org/a,note\n", "line 2: 5 fields"},
		{"seven_fields", header + "A,blue,2022-03-01,https://example.org/a,note,confirmed,x\n", "line 2: 7 fields"},
		{"unknown_region", line("Z", "blue", "2022-03-01", "https://example.org/a", "", ""), "line 2: region"},
		{"no_region", line("", "blue", "2022-03-01", "https://example.org/a", "", ""), "line 2: region: is required"},
		{"unknown_faction", line("A", "green", "2022-03-01", "https://example.org/a", "", ""), "line 2: faction"},
		{"no_faction", line("A", "", "2022-03-01", "https://example.org/a", "", ""), "line 2: faction: is required"},
		{"note_too_long", line("A", "blue", "2022-03-01", "https://example.org/a", strings.Repeat("n", data.MaxNoteLen+1), ""), "line 2: note"},
		{"note_invalid_utf8", line("A", "blue", "2022-03-01", "https://example.org/a", "caf\xe9", ""), "line 2: note: is not valid UTF-8"},
		{"confidence_word", line("A", "blue", "2022-03-01", "https://example.org/a", "", "maybe"), "line 2: confidence"},
		{"confidence_misspelt", line("A", "blue", "2022-03-01", "https://example.org/a", "", "CONFIRMD"), "line 2: confidence"},
		{"bare_quote", line("A", "blue", "2022-03-01", "https://example.org/a", `say "no"`, ""), "line 2"},
		{"open_quote", header + "A,blue,2022-03-01,https://example.org/a,\"never closed\n", "line 2"},
		{"many_bad_lines", tooMany, "lines 2-26 (25 lines): region"},
		{"bad_line_after_good", line("A", "blue", "2022-03-01", "https://example.org/a", "", "") + "B,red,2022-13-01,https://example.org/b,,\n", "line 3: date"},
	}
	for _, d := range badDates {
		// The same mistakes in this map's year; the out-of-range ones just outside it.
		d = strings.ReplaceAll(d, "2021", "2022")
		switch d {
		case "2022-08-15 ":
			continue // the reader trims fields, as people expect of spreadsheets
		case "2022-08-15T00:00:00Z":
			d = "2022-08-15T09:30:00Z" // a date cell's midnight is the day (data's midnight); another time is refused
		case "2020-01-01":
			d = "2021-12-31"
		case "2022-09-16":
			d = "2023-01-01"
		}
		csvCases = append(csvCases, struct{ name, raw, want string }{"date_" + caseName(d), line("A", "blue", csvField(d), "https://example.org/a", "", ""), "line 2: date"})
	}
	for _, s := range badSources {
		csvCases = append(csvCases, struct{ name, raw, want string }{"source_" + caseName(s), line("A", "blue", "2022-03-01", csvField(s), "", ""), "line 2: source"})
	}
	for _, tc := range csvCases {
		folder(tc.name, "events.csv", tc.raw, tc.want)
	}

	// --- Events appended to a stored map (`frontline import events --map SLUG FILE.csv`).
	appendEvents := func(name, raw string, want ...string) {
		add(badCase{entry: "import events", name: name, want: want, do: func(t *testing.T) (int, string) {
			m, err := lab.store.Map(ctx, "afghanistan-2021")
			if err != nil {
				t.Fatal(err)
			}
			regions, _ := lab.store.Regions(ctx, "afghanistan-2021")
			known := map[string]bool{}
			for _, r := range regions {
				known[r.ID] = true
			}
			events, _, err := data.ReadEventLines(strings.NewReader(raw), m, func(id string) bool { return known[id] })
			if err == nil {
				err = lab.store.AppendEvents(ctx, "afghanistan-2021", events, "import", nil)
			}
			if err == nil {
				return 200, ""
			}
			return 0, err.Error()
		}})
	}
	b := balkh[0]
	appendEvents("repeats_a_live_event", line(b.Region, b.Faction, b.Date, b.Source, "again", ""), "already recorded")
	appendEvents("good_then_repeat", line("AF-WAR", "taliban", "2021-08-15", "https://example.org/w", "", "")+
		strings.Join([]string{b.Region, b.Faction, b.Date, b.Source, "", ""}, ",")+"\n", "event 2 is already recorded")
	appendEvents("region_of_another_map", line("A", "taliban", "2021-08-15", "https://example.org/w", "", ""), "line 2: region")
	appendEvents("date_outside_map", line("AF-WAR", "taliban", "2022-03-01", "https://example.org/w", "", ""), "line 2: date")
	appendEvents("empty_file", "", "the file is empty")

	// --- HTTP: requests through the whole handler.
	type request struct {
		method, target, ctype string
		body                  io.Reader
		cookies               []*http.Cookie
		header                []string
		remote                string
	}
	serve := func(r request) (int, string, *httptest.ResponseRecorder) {
		req := httptest.NewRequest(r.method, r.target, r.body)
		if r.ctype != "" {
			req.Header.Set("Content-Type", r.ctype)
		}
		for i := 0; i+1 < len(r.header); i += 2 {
			req.Header.Set(r.header[i], r.header[i+1])
		}
		for _, ck := range r.cookies {
			req.AddCookie(ck)
		}
		if r.remote != "" {
			req.RemoteAddr = r.remote
		}
		rec := httptest.NewRecorder()
		lab.h.ServeHTTP(rec, req)
		return rec.Code, "", rec
	}
	httpCase := func(entry, name string, status int, r func() request, want ...string) {
		add(badCase{entry: entry, name: name, status: status, want: want, do: func(t *testing.T) (int, string) {
			code, _, rec := serve(r())
			return code, errorMessage(t, rec)
		}})
	}
	const form = "application/x-www-form-urlencoded"
	editorCookies := func() []*http.Cookie {
		return []*http.Cookie{ed.cookies[sessionCookie], ed.cookies["frontline_csrf"]}
	}
	// Sign-in attempts come from an address of their own, so their failures do not lock
	// the editor out of signing in again.
	signIn := func(name string, status int, body func() (string, string), header []string, want ...string) {
		httpCase("POST /login", name, status, func() request {
			ctype, b := body()
			return request{method: "POST", target: "/login", ctype: ctype, body: strings.NewReader(b),
				cookies: []*http.Cookie{stranger.cookies["frontline_csrf"]}, header: header, remote: "203.0.113.50:5000"}
		}, want...)
	}
	loginForm := func(user, password string) func() (string, string) {
		return func() (string, string) {
			return form, url.Values{"_csrf": {stranger.csrf()}, "username": {user}, "password": {password}}.Encode()
		}
	}
	tokenHeader := func() []string { return []string{"X-CSRF-Token", stranger.csrf()} }
	wrongSignIn := []string{"Wrong username or password", "Too many failed sign-ins"}
	for _, tc := range []struct{ name, user, password string }{
		{"nothing", "", ""},
		{"no_password", "bob", ""},
		{"no_username", "", editorPassword},
		{"wrong_password", "bob", "not the password"},
		{"unknown_user", "mallory", editorPassword},
		{"sql_injection_user", "bob' OR '1'='1' --", "x"},
		{"sql_injection_password", "bob", "' OR '1'='1"},
		{"huge_username", strings.Repeat("b", 30000), "x"},
		{"password_over_72_bytes", "bob", editorPassword + strings.Repeat("!", 80)},
		{"invalid_utf8_user", "b\xffb", "x"},
		{"nul_in_user", "bob\x00admin", editorPassword},
		{"upper_case_user", "BOB", "not the password"},
	} {
		signIn(tc.name, 0, loginForm(tc.user, tc.password), nil, wrongSignIn...)
	}
	jsonLogin := func() (string, string) {
		return "application/json", `{"username":"bob","password":"` + editorPassword + `"}`
	}
	signIn("json_body", 0, jsonLogin, tokenHeader(), wrongSignIn...)
	signIn("deep_json_body", 0, func() (string, string) { return "application/json", nested("[", "]", 20000) }, tokenHeader(), wrongSignIn...)
	signIn("multipart_without_boundary", 0, func() (string, string) { return "multipart/form-data", "username=bob" }, tokenHeader(), wrongSignIn...)
	signIn("multipart_broken", 0, func() (string, string) {
		return "multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nbob"
	}, tokenHeader(), wrongSignIn...)
	signIn("text_plain", 0, func() (string, string) { return "text/plain", "username=bob&password=" + editorPassword }, tokenHeader(), wrongSignIn...)
	signIn("xml", 0, func() (string, string) { return "application/xml", "<login><username>bob</username></login>" }, tokenHeader(), wrongSignIn...)
	signIn("no_content_type", 0, func() (string, string) { return "", "username=bob&password=" + editorPassword }, tokenHeader(), wrongSignIn...)
	signIn("no_csrf_token", http.StatusBadRequest, func() (string, string) {
		return form, url.Values{"username": {"bob"}, "password": {editorPassword}}.Encode()
	}, nil, "csrf")
	signIn("wrong_csrf_token", http.StatusForbidden, func() (string, string) {
		return form, url.Values{"_csrf": {"0123456789abcdef0123456789abcdef"}, "username": {"bob"}, "password": {editorPassword}}.Encode()
	}, nil, "csrf")
	signIn("body_too_large", http.StatusRequestEntityTooLarge, func() (string, string) {
		return form, "username=bob&password=" + strings.Repeat("x", 100<<10)
	}, nil, "too large")
	signIn("percent_garbage", 0, func() (string, string) { return form, "_csrf=" + stranger.csrf() + "&username=%zz&password=%" }, nil, wrongSignIn...)

	// The change form.
	change := func(name string, status int, edit func(url.Values), want ...string) {
		httpCase("POST /maps/{slug}/events", name, status, func() request {
			v := validChange(ed.csrf())
			edit(v)
			return request{method: "POST", target: "/maps/afghanistan-2021/events", ctype: form, body: strings.NewReader(v.Encode()), cookies: editorCookies()}
		}, want...)
	}
	set := func(field, value string) func(url.Values) { return func(v url.Values) { v.Set(field, value) } }
	for _, tc := range []struct{ field, value, want string }{
		{"region", "", "is required"},
		{"region", "   ", "is required"},
		{"region", "AF-XXX", "is not a region"},
		{"region", "af-bal", "is not a region"},
		{"region", "AF-BAL' OR '1'='1", "is not a region"},
		{"region", "AF-BAL; DROP TABLE events; --", "is not a region"},
		{"region", strings.Repeat("A", 10000), "is not a region"},
		{"region", "AF-\xffBAL", "not valid UTF-8"},
		{"region", "AF-BAL\x00", "is not a region"},
		{"faction", "", "is required"},
		{"faction", "TALIBAN", "is not a faction"},
		{"faction", "army", "is not a faction"},
		{"faction", "taliban\x00", "is not a faction"},
		{"faction", "\xfe", "not valid UTF-8"},
		{"note", strings.Repeat("n", data.MaxNoteLen+1), "longer than"},
		{"note", strings.Repeat("é", data.MaxNoteLen+1), "longer than"},
		{"note", "caf\xe9", "not valid UTF-8"},
		{"confidence", "maybe", "must be"},
		{"confidence", "Confirmed", "must be"},
		{"confidence", "claimed\x00", "must be"},
		{"confidence", "\xff", "must be"},
	} {
		change(tc.field+"_"+caseName(tc.value), http.StatusUnprocessableEntity, set(tc.field, tc.value), tc.want)
	}
	for _, d := range badDates {
		if d != strings.TrimSpace(d) {
			continue // the form trims what it stores, as the editor would expect
		}
		change("date_"+caseName(d), http.StatusUnprocessableEntity, set("date", d), "date", "is not a real date", "outside")
	}
	change("date_empty", http.StatusUnprocessableEntity, set("date", ""), "is required")
	for _, s := range badSources {
		change("source_"+caseName(s), http.StatusUnprocessableEntity, set("source", s), "source", "URL", "longer than", "required", "UTF-8")
	}
	for _, s := range []string{"abc", "-1", "0", "0x10", "1e3", "99999999999999999999"} {
		change("supersedes_"+caseName(s), http.StatusUnprocessableEntity, set("supersedes", s), "not a valid event id")
	}
	change("supersedes_missing_event", http.StatusUnprocessableEntity, set("supersedes", "999999"), "no longer live", "not found")
	change("supersedes_retracted_event", http.StatusUnprocessableEntity, set("supersedes", retractedID), "no longer live")
	change("supersedes_other_region", http.StatusUnprocessableEntity, set("supersedes", liveID), "same region")
	change("duplicate_of_live_event", http.StatusUnprocessableEntity, func(v url.Values) {
		v.Set("region", b.Region)
		v.Set("faction", b.Faction)
		v.Set("date", b.Date)
		v.Set("source", b.Source)
	}, "already recorded")
	change("everything_wrong", http.StatusUnprocessableEntity, func(v url.Values) {
		for _, f := range []string{"region", "faction", "date", "source", "confidence"} {
			v.Set(f, "?")
		}
	}, "is not a region")
	changeBody := func(name string, status int, ctype string, body func() string, want ...string) {
		httpCase("POST /maps/{slug}/events", name, status, func() request {
			return request{method: "POST", target: "/maps/afghanistan-2021/events", ctype: ctype, body: strings.NewReader(body()),
				cookies: editorCookies(), header: []string{"X-CSRF-Token", ed.csrf()}}
		}, want...)
	}
	changeBody("json_body", http.StatusUnprocessableEntity, "application/json", func() string {
		return `{"region":"AF-WAR","faction":"taliban","date":"2021-08-14","source":"https://example.org/j"}`
	}, "is required")
	changeBody("deep_json_body", http.StatusUnprocessableEntity, "application/json", func() string { return nested(`{"a":`, "}", 10000) }, "is required")
	changeBody("multipart_broken", http.StatusUnprocessableEntity, "multipart/form-data; boundary=xyz", func() string { return "--xyz\r\nnot a part" }, "is required")
	changeBody("text_plain", http.StatusUnprocessableEntity, "text/plain", func() string { return validChange("").Encode() }, "is required")
	changeBody("xml", http.StatusUnprocessableEntity, "application/xml", func() string { return "<event><region>AF-WAR</region></event>" }, "is required")
	changeBody("note_too_large_for_a_body", http.StatusRequestEntityTooLarge, form, func() string {
		v := validChange(ed.csrf())
		v.Set("note", strings.Repeat("n", 70<<10))
		return v.Encode()
	}, "too large")
	changeBody("many_fields", http.StatusRequestEntityTooLarge, form, func() string {
		return strings.Repeat("region=AF-WAR&", 6000)
	}, "too large")
	changeBody("duplicate_fields", http.StatusUnprocessableEntity, form, func() string {
		// The first value counts: a bad region first is refused though a good one follows.
		return "region=AF-XXX&" + validChange(ed.csrf()).Encode()
	}, "is not a region")
	httpCase("POST /maps/{slug}/events", "unknown_map", http.StatusNotFound, func() request {
		return request{method: "POST", target: "/maps/nowhere/events", ctype: form, body: strings.NewReader(validChange(ed.csrf()).Encode()), cookies: editorCookies()}
	}, "not found")
	httpCase("POST /maps/{slug}/events", "chunked_body_too_large", http.StatusRequestEntityTooLarge, func() request {
		return request{method: "POST", target: "/maps/afghanistan-2021/events", ctype: form,
			body:    io.MultiReader(strings.NewReader(validChange(ed.csrf()).Encode()+"&note="), strings.NewReader(strings.Repeat("n", 100<<10))),
			cookies: editorCookies(), header: []string{"X-CSRF-Token", ed.csrf()}}
	}, "too large")

	// Retractions.
	retract := func(name string, status int, id, reason string, want ...string) {
		httpCase("POST /maps/{slug}/events/{id}/retract", name, status, func() request {
			return request{method: "POST", target: "/maps/afghanistan-2021/events/" + id + "/retract", ctype: form,
				body: strings.NewReader(url.Values{"_csrf": {ed.csrf()}, "reason": {reason}}.Encode()), cookies: editorCookies()}
		}, want...)
	}
	for _, id := range []string{"abc", "-1", "0", "1.5", "1e3", "99999999999999999999", "%20"} {
		retract("id_"+caseName(id), http.StatusBadRequest, id, "wrong", "is not an event id")
	}
	retract("unknown_event", http.StatusNotFound, "999999", "wrong", "not found")
	retract("already_retracted", http.StatusConflict, retractedID, "again", "already retracted")
	retract("no_reason", http.StatusUnprocessableEntity, liveID, "", "needs a reason")
	retract("blank_reason", http.StatusUnprocessableEntity, liveID, " \t\n ", "needs a reason")
	retract("reason_too_long", http.StatusUnprocessableEntity, liveID, strings.Repeat("r", data.MaxReasonLen+1), "longer than")
	retract("reason_invalid_utf8", http.StatusUnprocessableEntity, liveID, "wr\xffong", "not valid UTF-8")
	httpCase("POST /maps/{slug}/events/{id}/retract", "event_of_unknown_map", http.StatusNotFound, func() request {
		return request{method: "POST", target: "/maps/nowhere/events/" + liveID + "/retract", ctype: form,
			body: strings.NewReader(url.Values{"_csrf": {ed.csrf()}, "reason": {"x"}}.Encode()), cookies: editorCookies()}
	}, "not found")
	httpCase("POST /maps/{slug}/events/{id}/retract", "json_body", http.StatusUnprocessableEntity, func() request {
		return request{method: "POST", target: "/maps/afghanistan-2021/events/" + liveID + "/retract", ctype: "application/json",
			body: strings.NewReader(`{"reason":"wrong"}`), cookies: editorCookies(), header: []string{"X-CSRF-Token", ed.csrf()}}
	}, "needs a reason")

	// Query strings and path parameters of pages anyone can read, and of the editor's.
	read := func(entry, name string, status int, target string, want ...string) {
		httpCase(entry, name, status, func() request { return request{method: "GET", target: target} }, want...)
	}
	readAsEditor := func(entry, name string, status int, target string, want ...string) {
		httpCase(entry, name, status, func() request { return request{method: "GET", target: target, cookies: editorCookies()} }, want...)
	}
	for _, d := range badDates {
		q := "date=" + url.QueryEscape(d)
		for _, p := range []struct{ entry, target string }{
			{"GET /maps/{slug}?date", "/maps/afghanistan-2021?" + q},
			{"GET /embed/{slug}?date", "/embed/afghanistan-2021?" + q},
			{"GET /api/maps/{slug}/state?date", "/api/maps/afghanistan-2021/state?" + q},
			{"GET /api/maps/{slug}/state.geojson?date", "/api/maps/afghanistan-2021/state.geojson?" + q},
			{"GET /api/maps/{slug}/state.csv?date", "/api/maps/afghanistan-2021/state.csv?" + q},
		} {
			read(p.entry, caseName(d), http.StatusBadRequest, p.target, "date")
		}
		readAsEditor("GET /maps/{slug}/edit?date", caseName(d), http.StatusBadRequest, "/maps/afghanistan-2021/edit?"+q, "date")
		read("GET /maps/{slug}/{D}.png", caseName(d), 0, "/maps/afghanistan-2021/"+url.PathEscape(d)+".png", "date", "not found")
	}
	for _, v := range []string{"2", "yes", "true", "no", "00", " 0", "\xff", "0&slider=1"} {
		read("GET /embed/{slug}?slider", caseName(v), http.StatusBadRequest, "/embed/afghanistan-2021?slider="+url.QueryEscape(v), "slider=")
		read("GET /embed/{slug}?legend", caseName(v), http.StatusBadRequest, "/embed/afghanistan-2021?legend="+url.QueryEscape(v), "legend=")
	}
	for _, v := range []string{"Dark", "night", "1", "auto ", "\xff", "dark&theme=light"} {
		q := "theme=" + url.QueryEscape(v)
		read("GET /maps/{slug}?theme", caseName(v), http.StatusBadRequest, "/maps/afghanistan-2021?"+q, "theme=", "auto, light, dark")
		read("GET /embed/{slug}?theme", caseName(v), http.StatusBadRequest, "/embed/afghanistan-2021?"+q, "theme=", "auto, light, dark")
		read("GET /maps/{slug}/regions/{id}?theme", caseName(v), http.StatusBadRequest, "/maps/afghanistan-2021/regions/AF-BAL?"+q, "theme=", "auto, light, dark")
		read("GET /?theme", caseName(v), http.StatusBadRequest, "/?"+q, "theme=", "auto, light, dark")
	}
	for _, v := range []string{"news.example", "https://news.example/article", "https://news.example?x=1", "javascript:alert(1)", "ftp://news.example", "https://", "https://a@news.example", "*", "null", "\xff"} {
		read("GET /embed/{slug}?origin", caseName(v), http.StatusBadRequest, "/embed/afghanistan-2021?origin="+url.QueryEscape(v), "origin=", "such as origin=https://news.example")
	}
	read("GET /embed/{slug}?origin", "too_many", http.StatusBadRequest, "/embed/afghanistan-2021?"+strings.Repeat("origin=https%3A%2F%2Fa.example&", 9), "at most 8")
	for _, v := range []string{"2", "yes", "true", "00", " 1", "\xff", "1&plain=0"} {
		read("GET /embed/{slug}?plain", caseName(v), http.StatusBadRequest, "/embed/afghanistan-2021?plain="+url.QueryEscape(v), "plain=", "plain=1")
	}
	oembed := func(name string, status int, query string, want ...string) {
		read("GET /oembed", name, status, "/oembed?"+query, want...)
	}
	mapURLParam := "url=" + url.QueryEscape("http://example.com/maps/afghanistan-2021")
	// oEmbed 1.0 (section 2.3.4.4) answers a format it does not offer with 501.
	oembed("format_xml", http.StatusNotImplemented, "format=xml&"+mapURLParam, "only format=json")
	oembed("format_yaml", http.StatusBadRequest, "format=yaml&"+mapURLParam, "use json")
	oembed("format_upper", http.StatusBadRequest, "format=JSON&"+mapURLParam, "use json")
	oembed("no_url", http.StatusBadRequest, "format=json", "url is required")
	oembed("javascript_url", http.StatusNotFound, "url="+url.QueryEscape("javascript:alert(1)"), "not a map of this server")
	oembed("ftp_url", http.StatusNotFound, "url="+url.QueryEscape("ftp://example.com/maps/afghanistan-2021"), "not a map of this server")
	oembed("other_host", http.StatusNotFound, "url="+url.QueryEscape("https://evil.example/maps/afghanistan-2021"), "not a map of this server")
	oembed("host_suffix", http.StatusNotFound, "url="+url.QueryEscape("https://example.com.evil.example/maps/afghanistan-2021"), "not a map of this server")
	oembed("not_a_map_path", http.StatusNotFound, "url="+url.QueryEscape("http://example.com/login"), "not a map of this server")
	oembed("region_page", http.StatusNotFound, "url="+url.QueryEscape("http://example.com/maps/afghanistan-2021/regions/AF-BAL"), "not a map of this server")
	oembed("unknown_map", http.StatusNotFound, "url="+url.QueryEscape("http://example.com/maps/nowhere"), "not found")
	oembed("bad_date_in_url", http.StatusBadRequest, "url="+url.QueryEscape("http://example.com/maps/afghanistan-2021?date=2020-01-01"), "outside")
	oembed("bad_theme_in_url", http.StatusBadRequest, "url="+url.QueryEscape("http://example.com/maps/afghanistan-2021?theme=sepia"), "auto, light, dark")
	oembed("unparseable_url", http.StatusNotFound, "url="+url.QueryEscape("http://[::1"), "not a map of this server")
	for _, v := range []string{"abc", "-5", "0", "1.5", "99999999999999999999", "\xff"} {
		oembed("maxwidth_"+caseName(v), http.StatusBadRequest, mapURLParam+"&maxwidth="+url.QueryEscape(v), "maxwidth=")
	}
	oembed("maxheight_abc", http.StatusBadRequest, mapURLParam+"&maxheight=abc", "maxheight=")
	for _, v := range []string{"abc", "-1", "99999999999999999999"} {
		readAsEditor("GET /maps/{slug}/edit?event", caseName(v), http.StatusBadRequest, "/maps/afghanistan-2021/edit?event="+url.QueryEscape(v), "is not an event id")
	}
	readAsEditor("GET /maps/{slug}/edit?event", "unknown", http.StatusNotFound, "/maps/afghanistan-2021/edit?event=999999", "not found")
	readAsEditor("GET /maps/{slug}/edit?event", "retracted", http.StatusBadRequest, "/maps/afghanistan-2021/edit?event="+retractedID, "already retracted")

	for _, slug := range []string{"nowhere", "AFGHANISTAN-2021", "afghanistan-2021%00", "%FF", strings.Repeat("a", 5000), "afghanistan-2021%2F..%2F..", "%2e%2e", "afghanistan-2021%20"} {
		for _, p := range []struct{ entry, target string }{
			{"GET /maps/{slug}", "/maps/" + slug},
			{"GET /embed/{slug}", "/embed/" + slug},
			{"GET /api/maps/{slug}/state", "/api/maps/" + slug + "/state"},
			{"GET /maps/{slug}/changes.atom", "/maps/" + slug + "/changes.atom"},
		} {
			read(p.entry, caseName(slug), http.StatusNotFound, p.target, "not found")
		}
	}
	// (An id in another letter case, or with a space after it, is sent to its page:
	// TestHistoryLinksAsPeopleWriteThem.)
	for _, id := range []string{"AF-XXX", "%00", "%FF", strings.Repeat("R", 5000), "a%2Fb", "%25", "..", "AF-BAL'%20OR%20'1'='1"} {
		read("GET /maps/{slug}/regions/{id}", caseName(id), http.StatusNotFound, "/maps/afghanistan-2021/regions/"+id, "has no region or place")
	}
	for _, id := range []string{"abc", "-1", "0", "99999999999999999999"} {
		readAsEditor("GET /maps/{slug}/events/{id}/retract", caseName(id), http.StatusBadRequest, "/maps/afghanistan-2021/events/"+id+"/retract", "is not an event id")
	}
	readAsEditor("GET /maps/{slug}/events/{id}/retract", "unknown", http.StatusNotFound, "/maps/afghanistan-2021/events/999999/retract", "not found")
	readAsEditor("GET /maps/{slug}/events/{id}/retract", "retracted", http.StatusConflict, "/maps/afghanistan-2021/events/"+retractedID+"/retract", "already retracted")
	for _, img := range []string{"2021-08-14.gif", "2021-08-14", ".png", "2021-13-01.png", "2021-08-14.png.png", "2021-08-14.PNG", "2020-01-01.svg", "x.svg", "%00.svg", "2021-08-14.svg%00"} {
		read("GET /maps/{slug}/{D}.png", caseName(img), 0, "/maps/afghanistan-2021/"+img, "not found", "date")
	}
	for _, p := range []string{"../../go.mod", "%2e%2e/%2e%2e/go.mod", "..%2F..%2Fgo.mod", "nope.js", "vendor/leaflet", "map.js%00.png"} {
		read("GET /static/*", caseName(p), http.StatusNotFound, "/static/"+p, "not found")
	}

	// --- Requests broken at the wire, which net/http refuses before any handler runs.
	srv := httptest.NewServer(lab.h)
	defer srv.Close()
	wire := func(name string, status int, raw string, want ...string) {
		add(badCase{entry: "HTTP/1.1 wire", name: name, status: status, want: want, do: func(t *testing.T) (int, string) {
			conn, err := net.DialTimeout("tcp", srv.Listener.Addr().String(), 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			go io.Copy(conn, strings.NewReader(raw))
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("read response: %v", err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			rec := httptest.NewRecorder()
			for k, v := range resp.Header {
				rec.Header()[k] = v
			}
			rec.WriteHeader(resp.StatusCode)
			rec.Write(body)
			return resp.StatusCode, errorMessage(t, rec)
		}})
	}
	wire("malformed_escape", http.StatusBadRequest, "GET /maps/%zz HTTP/1.1\r\nHost: x\r\n\r\n", "bad request")
	wire("no_host", http.StatusBadRequest, "GET /maps/afghanistan-2021 HTTP/1.1\r\n\r\n", "host")
	wire("bad_content_length", http.StatusBadRequest, "POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", "content-length", "bad request")
	wire("header_too_large", http.StatusRequestHeaderFieldsTooLarge, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("a", 2<<20)+"\r\n\r\n", "too large")
	wire("nul_in_path", http.StatusBadRequest, "GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n", "bad request")
	wire("bad_header_name", http.StatusBadRequest, "GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", "header")
	wire("chunked_body_too_large", http.StatusRequestEntityTooLarge,
		"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: "+form+"\r\nX-CSRF-Token: "+stranger.csrf()+"\r\nCookie: frontline_csrf="+stranger.csrf()+
			"\r\nTransfer-Encoding: chunked\r\n\r\n"+
			strings.Repeat(fmt.Sprintf("%x\r\n%s\r\n", 8192, strings.Repeat("p", 8192)), 12)+"0\r\n\r\n", "too large")

	// Each case: a refusal with a message, and not one byte of the database changed.
	entries := map[string]int{}
	for _, c := range cases {
		entries[c.entry]++
		t.Run(c.entry+"/"+c.name, func(t *testing.T) {
			ed.fresh()
			before := lab.file.checksum()
			status, msg := c.do(t)
			switch {
			case c.status != 0 && status != c.status:
				t.Errorf("status %d, want %d; message %q", status, c.status, msg)
			case c.status == 0 && status != 0 && (status < 400 || status > 499):
				t.Errorf("status %d, want a 4xx; message %q", status, msg)
			}
			if strings.TrimSpace(msg) == "" {
				t.Errorf("status %d with no message for the person who sent it", status)
			}
			if len(c.want) > 0 && !containsAny(msg, c.want) {
				t.Errorf("message %.300q does not mention any of %q", msg, c.want)
			}
			for _, leak := range leaks {
				if leak != " FROM " && strings.Contains(msg, leak) {
					t.Errorf("message %.300q shows %q", msg, leak)
				}
			}
			lab.file.unchanged(t, before, c.entry+" "+c.name)
		})
	}
	if len(cases) < 200 {
		t.Errorf("only %d bad inputs; the corpus should hold at least 200", len(cases))
	}
	t.Logf("%d bad inputs at %d entry points: each refused with a message, the database byte-for-byte unchanged", len(cases), len(entries))
	for _, e := range slices.Sorted(maps.Keys(entries)) {
		t.Logf("  %4d  %s", entries[e], e)
	}

	// The valid folder the cases broke imports: the refusals were the checks at work.
	t.Run("valid_folder_imports", func(t *testing.T) {
		fsys := fstest.MapFS{}
		for n, c := range labFolder() {
			fsys[n] = &fstest.MapFile{Data: []byte(c)}
		}
		f, err := data.LoadFolder(fsys)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := lab.store.ImportFolder(ctx, f, data.ImportOptions{Author: "import"}); err != nil {
			t.Fatal(err)
		}
	})
}

func containsAny(s string, subs []string) bool {
	low := strings.ToLower(s)
	for _, sub := range subs {
		if strings.Contains(low, strings.ToLower(sub)) {
			return true
		}
	}
	return false
}

// caseName makes a short readable test name of an input.
func caseName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case b.Len() >= 24:
			return b.String() + fmt.Sprintf("…%d", len(s))
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
			b.WriteRune(r)
		default:
			b.WriteString(fmt.Sprintf("%%%02X", r))
		}
	}
	if b.Len() == 0 {
		return "empty"
	}
	return b.String()
}

// csvField quotes a value for a CSV line as encoding/csv would.
func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\r\n") || strings.TrimSpace(s) != s {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}
