package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/frontline-maps/frontline/data"
)

// TestRecordManyRegions: one form with several regions records one event per region, in
// one batch; the preview lists each region and says which it does not change; bad input
// stores nothing and keeps what the editor chose.
func TestRecordManyRegions(t *testing.T) {
	srv := newTestServer(t, withEditor("alice"))
	cl := newClient(t, srv.h)
	cl.signIn()
	change := func(regions ...string) url.Values {
		v := validChange(cl.csrf())
		v.Del("region")
		for _, r := range regions {
			v.Add("region", r)
		}
		v.Set("date", "2021-08-15")
		return v
	}

	t.Run("preview_lists_every_region", func(t *testing.T) {
		v := change("AF-KAB", "AF-NIM", "AF-WAR")
		v.Set("intent", "preview")
		v.Set("date", "2021-08-10")
		before := srv.file.checksum()
		rec := cl.post("/maps/afghanistan-2021/events", v)
		doc := parseHTML(t, rec)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, doc.Find(".form-error, .field-error").Text())
		}
		if got, want := doc.Find(".preview-summary").Text(), "3 regions: 2 change hands, 1 already held (no change on the map)."; got != want {
			t.Errorf("summary %q, want %q", got, want)
		}
		var lines []string
		doc.Find(".preview-list li").Each(func(_ int, li *goquery.Selection) { lines = append(lines, li.Text()) })
		want := []string{
			"Kabul: Islamic Republic of Afghanistan → Taliban from 2021-08-10 (was Islamic Republic of Afghanistan since 2021-08-01).",
			"Nimruz: already held by Taliban since 2021-08-06; the map does not change.",
			"Maidan Wardak: Islamic Republic of Afghanistan → Taliban from 2021-08-10 (was Islamic Republic of Afghanistan since 2021-08-01).",
		}
		if strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Errorf("preview lines:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
		}
		if n := doc.Find(`#field-region option[selected]`).Length(); n != 3 {
			t.Errorf("%d regions still chosen in the form, want 3", n)
		}
		srv.file.unchanged(t, before, "a preview")
	})

	for _, tc := range []struct {
		name    string
		vals    url.Values
		field   string
		message string
	}{
		{"one_unknown_region", change("AF-KAB", "AF-NOWHERE", "AF-WAR"), "region", `"AF-NOWHERE" is not a region of this map; choose from the list or click the map.`},
		{"two_unknown_regions", change("AF-KAB", "X1", "X2"), "region", `"X1", "X2" are not regions of this map`},
		{"no_region", change(), "region", "is required"},
		{"bad_faction_for_all", func() url.Values { v := change("AF-KAB", "AF-WAR"); v.Set("faction", "talibn"); return v }(), "faction", `"talibn" is not a faction of this map`},
		{"correction_of_two_regions", func() url.Values { v := change("AF-KAB", "AF-WAR"); v.Set("supersedes", "1"); return v }(), "region", "A correction is for one region"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := srv.file.checksum()
			rec := cl.post("/maps/afghanistan-2021/events", tc.vals)
			doc := parseHTML(t, rec)
			if rec.Code != http.StatusUnprocessableEntity {
				t.Errorf("status %d, want 422", rec.Code)
			}
			if got := doc.Find(`[data-testid="error-` + tc.field + `"]`).Text(); !strings.Contains(got, tc.message) {
				t.Errorf("%s error %q, want it to say %q", tc.field, got, tc.message)
			}
			if got := doc.Find(`#field-source`).AttrOr("value", ""); got != tc.vals.Get("source") {
				t.Errorf("the form lost the source: %q", got)
			}
			srv.file.unchanged(t, before, "a refused change")
		})
	}

	t.Run("save_records_one_batch", func(t *testing.T) {
		ctx := context.Background()
		rec := cl.post("/maps/afghanistan-2021/events", change("AF-KAB", "AF-WAR", "AF-LOG", "AF-KAB"))
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("status %d: %s", rec.Code, parseHTML(t, rec).Find(".form-error, .field-error").Text())
		}
		loc, _ := url.Parse(rec.Header().Get("Location"))
		first, _ := strconv.ParseInt(loc.Query().Get("recorded"), 10, 64)
		batch, err := srv.store.Batch(ctx, "afghanistan-2021", first)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range batch {
			got = append(got, e.Region+" "+e.Faction+" "+e.Date+" "+e.Author)
		}
		want := "AF-KAB taliban 2021-08-15 alice|AF-WAR taliban 2021-08-15 alice|AF-LOG taliban 2021-08-15 alice"
		if strings.Join(got, "|") != want {
			t.Errorf("batch = %q, want %q (a region chosen twice is recorded once)", strings.Join(got, "|"), want)
		}

		// The same change again is refused as a whole, naming the regions.
		before := srv.file.checksum()
		rec = cl.post("/maps/afghanistan-2021/events", change("AF-KAB", "AF-GHA"))
		if msg := parseHTML(t, rec).Find(`[data-testid="form-error"]`).Text(); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(msg, "already recorded for Kabul") || !strings.Contains(msg, "Nothing was saved") {
			t.Errorf("repeat: status %d, %q", rec.Code, msg)
		}
		srv.file.unchanged(t, before, "a repeated change")
	})

	t.Run("save_and_record_another_keeps_faction_date_source", func(t *testing.T) {
		v := change("AF-KDZ", "AF-TAK")
		v.Set("intent", "another")
		v.Set("confidence", "claimed")
		rec := cl.post("/maps/afghanistan-2021/events", v)
		loc := rec.Header().Get("Location")
		if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/maps/afghanistan-2021/edit?") {
			t.Fatalf("status %d, location %q", rec.Code, loc)
		}
		doc := parseHTML(t, cl.get(loc))
		for sel, want := range map[string]string{
			`#field-faction option[selected]`:   "taliban",
			`#field-date`:                       "2021-08-15",
			`#field-source`:                     "https://example.org/report",
			`input[name="confidence"][checked]`: "claimed",
		} {
			if got := doc.Find(sel).AttrOr("value", ""); got != want {
				t.Errorf("%s = %q, want %q", sel, got, want)
			}
		}
		if n := doc.Find(`#field-region option[selected]`).Length(); n != 0 {
			t.Errorf("%d regions chosen on the next form, want none", n)
		}
		if got := doc.Find(`[data-testid="notice"]`).Text(); got != "Recorded 2 changes: Kunduz, Takhar → Taliban from 2021-08-15." {
			t.Errorf("notice %q", got)
		}
	})
}

// importCSV is a spreadsheet of 50 rows, pasted with tabs as a spreadsheet copies them,
// with the rows at the lines in bad broken (line = row + 2, after the header).
func importCSV(t *testing.T, s *data.Store, bad map[int]string) string {
	regions, err := s.Regions(context.Background(), "afghanistan-2021")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("Region\tFaction\tDate\tSource\tNote\tConfidence\n")
	for i := range 50 {
		r := regions[i%len(regions)]
		region, faction, date := r.Name, "resistance", fmt.Sprintf("2021-09-%02d", 1+i/len(regions))
		switch bad[i+2] {
		case "faction":
			faction = "talibn"
		case "date":
			date = "2021-13-01"
		case "region":
			region = "Atlantis"
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\thttps://example.org/row-%d\tnote %d\t\n", region, faction, date, i, i)
	}
	return b.String()
}

// TestImportSpreadsheet: a pasted CSV of 50 rows with 3 bad rows shows 3 problems with
// their lines and changes nothing, even when saved; fixed, it saves 47 rows in one batch,
// which one undo retracts, every event and retraction still readable.
func TestImportSpreadsheet(t *testing.T) {
	srv := newTestServer(t, withEditor("alice"))
	ctx := context.Background()
	cl := newClient(t, srv.h)
	cl.signIn()
	const target = "/maps/afghanistan-2021/events/import"
	if rec := cl.get(target); rec.Code != http.StatusOK || parseHTML(t, rec).Find(`[data-testid="import-form"]`).Length() != 1 {
		t.Fatalf("the import form: %d", rec.Code)
	}
	broken := importCSV(t, srv.store, map[int]string{12: "faction", 22: "date", 32: "region"})

	for _, intent := range []string{"preview", "save"} {
		t.Run(intent+"_with_3_bad_rows", func(t *testing.T) {
			before := srv.file.checksum()
			rec := cl.post(target, url.Values{"_csrf": {cl.csrf()}, "csv": {broken}, "intent": {intent}})
			doc := parseHTML(t, rec)
			if rec.Code != http.StatusUnprocessableEntity {
				t.Errorf("status %d, want 422", rec.Code)
			}
			var problems []string
			doc.Find(`[data-testid="problem"]`).Each(func(_ int, s *goquery.Selection) { problems = append(problems, s.Text()) })
			if len(problems) != 3 {
				t.Fatalf("problems %q, want 3", problems)
			}
			for i, want := range []string{"line 12: faction", "line 22: date", "line 32: region"} {
				if !strings.HasPrefix(problems[i], want) {
					t.Errorf("problem %d = %q, want it to start %q", i, problems[i], want)
				}
			}
			if !strings.Contains(problems[0], "government, taliban, resistance") {
				t.Errorf("the faction problem names no valid values: %q", problems[0])
			}
			if n := doc.Find(`[data-testid="import-row"]`).Length(); n != 47 {
				t.Errorf("%d good rows previewed, want 47", n)
			}
			if got := doc.Find(`#field-csv`).Text(); got != broken {
				t.Errorf("the form lost the CSV (%d bytes, want %d)", len(got), len(broken))
			}
			srv.file.unchanged(t, before, intent+" of a CSV with bad rows")
		})
	}

	// The fix: the three bad rows deleted.
	lines := strings.Split(importCSV(t, srv.store, nil), "\n")
	fixed := lines[0] + "\n"
	for i, l := range lines[1:] {
		if line := i + 2; line != 12 && line != 22 && line != 32 && l != "" {
			fixed += l + "\n"
		}
	}
	rec := cl.post(target, url.Values{"_csrf": {cl.csrf()}, "csv": {fixed}, "intent": {"preview"}})
	if doc := parseHTML(t, rec); rec.Code != http.StatusOK || doc.Find(`[data-testid="import-row"]`).Length() != 47 {
		t.Fatalf("preview of the fixed CSV: %d, %d rows, %s", rec.Code, doc.Find(`[data-testid="import-row"]`).Length(), doc.Find(".form-error").Text())
	}
	rec = cl.post(target, url.Values{"_csrf": {cl.csrf()}, "csv": {fixed}, "intent": {"save"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("save: status %d: %s", rec.Code, parseHTML(t, rec).Find(".form-error").Text())
	}
	doc := parseHTML(t, cl.get(rec.Header().Get("Location")))
	if got := doc.Find(`[data-testid="notice"]`).Text(); !strings.Contains(got, "Saved 47 events") {
		t.Errorf("notice %q", got)
	}
	undo := doc.Find(`[data-testid="undo-batch"]`).AttrOr("href", "")

	// Undo the import: one reason for the 47.
	form := parseHTML(t, cl.get(undo))
	if n := form.Find(`[data-testid="batch-events"] li`).Length(); n != 47 {
		t.Errorf("the undo form lists %d events, want 47", n)
	}
	u, _ := url.Parse(undo)
	rec = cl.post(u.Path, url.Values{"_csrf": {cl.csrf()}, "batch": {"1"}, "reason": {"Imported the wrong sheet"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("undo: status %d: %s", rec.Code, parseHTML(t, rec).Find(".form-error").Text())
	}
	kabul, err := srv.store.RegionEvents(ctx, "afghanistan-2021", "AF-KAB")
	if err != nil {
		t.Fatal(err)
	}
	retracted := 0
	for _, e := range kabul {
		if strings.HasPrefix(e.Source, "https://example.org/row-") {
			if e.Live() || e.RetractReason != "Imported the wrong sheet" || e.RetractedBy != "alice" {
				t.Errorf("Kabul's imported event after the undo: %+v", e)
			}
			retracted++
		}
	}
	if retracted != 2 {
		t.Errorf("Kabul's history holds %d imported events, want 2", retracted)
	}
	history := parseHTML(t, cl.get("/maps/afghanistan-2021/regions/AF-KAB"))
	if got := history.Find(`[data-testid="event"].retracted`).Length(); got != 2 {
		t.Errorf("Kabul's history page shows %d retracted events, want 2", got)
	}
	if rec := cl.post(u.Path, url.Values{"_csrf": {cl.csrf()}, "batch": {"1"}, "reason": {"again"}}); rec.Code != http.StatusConflict {
		t.Errorf("undoing it again: status %d, want 409", rec.Code)
	}
}

// TestImportRefusals: what the import refuses, each with a message naming the fix, and
// with nothing changed.
func TestImportRefusals(t *testing.T) {
	srv := newTestServer(t, withEditor("alice"))
	cl := newClient(t, srv.h)
	cl.signIn()
	const target = "/maps/afghanistan-2021/events/import"
	good := "region,faction,date,source,note\nBalkh,Resistance,2021-09-01,https://example.org/x,\n"
	for _, tc := range []struct {
		name   string
		vals   url.Values
		status int
		want   string
	}{
		{"nothing_pasted", url.Values{"csv": {"  \n"}}, 422, "Paste the rows of a spreadsheet"},
		{"bad_date_format", url.Values{"csv": {good}, "date_format": {"YYYY/DD/MM"}}, 422, "must be one of: DD/MM/YYYY, MM/DD/YYYY"},
		{"wrong_header", url.Values{"csv": {"province,side,when\nBalkh,taliban,2021-09-01\n"}}, 422, "the header must name the columns region,faction,date,source,note,confidence"},
		{"header_only", url.Values{"csv": {"region,faction,date,source,note\n"}}, 422, "no rows"},
		{"too_large", url.Values{"csv": {good + strings.Repeat("x", maxImportCSV)}}, 413, "larger than 1 MB"},
		{"dates_without_their_format", url.Values{"csv": {"region,faction,date,source,note\nBalkh,taliban,01/09/2021,https://example.org/x,\n"}}, 422, "line 2: date"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := srv.file.checksum()
			tc.vals.Set("_csrf", cl.csrf())
			tc.vals.Set("intent", "save")
			rec := cl.post(target, tc.vals)
			doc := parseHTML(t, rec)
			msg := doc.Find(`[data-testid="form-error"], [data-testid="problems"], [data-testid="error"]`).Text()
			if rec.Code != tc.status || !strings.Contains(msg, tc.want) {
				t.Errorf("status %d, message %q; want %d, %q", rec.Code, msg, tc.status, tc.want)
			}
			srv.file.unchanged(t, before, tc.name)
		})
	}

	t.Run("upload_over_the_body_limit", func(t *testing.T) {
		before := srv.file.checksum()
		body := strings.Repeat("a", maxImportBody+1)
		req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
		req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		rec := cl.do(req)
		if msg := parseHTML(t, rec).Find(`[data-testid="error"]`).Text(); rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(msg, "larger than 3 MB") {
			t.Errorf("status %d, %q", rec.Code, msg)
		}
		srv.file.unchanged(t, before, "an upload over the limit")
	})

	t.Run("signed_out", func(t *testing.T) {
		before := srv.file.checksum()
		stranger := newClient(t, srv.h)
		stranger.get("/login")
		rec := stranger.post(target, url.Values{"_csrf": {stranger.csrf()}, "csv": {good}, "intent": {"save"}})
		if rec.Code != http.StatusUnauthorized {
			t.Errorf("signed-out import: status %d, want 401", rec.Code)
		}
		if rec := stranger.get(target); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
			t.Errorf("signed-out import form: status %d, location %q", rec.Code, rec.Header().Get("Location"))
		}
		srv.file.unchanged(t, before, "a signed-out import")
	})
}

// TestEditorWayIn: every page offers to sign in, and once signed in says who is; the change
// list links sources and offers to undo a batch; the feed says what happened to which
// region and pages point feed readers at it.
func TestEditorWayIn(t *testing.T) {
	srv := newTestServer(t, withEditor("alice"))
	reader := newClient(t, srv.h)
	pages := []string{"/", "/maps/afghanistan-2021", "/maps/afghanistan-2021/regions/AF-KAB", "/maps/afghanistan-2021/changes"}
	for _, p := range pages {
		doc := parseHTML(t, reader.get(p))
		if got := doc.Find(`header [data-testid="sign-in"]`).AttrOr("href", ""); got != "/login?next="+url.QueryEscape(p) {
			t.Errorf("%s: sign-in link %q", p, got)
		}
	}
	if n := parseHTML(t, reader.get("/login")).Find(`[data-testid="sign-in"]`).Length(); n != 0 {
		t.Errorf("the sign-in page links to itself %d times", n)
	}
	for _, p := range pages[1:] {
		if got := parseHTML(t, reader.get(p)).Find(`link[rel="alternate"][type="application/atom+xml"]`).AttrOr("href", ""); got != "/maps/afghanistan-2021/changes.atom" {
			t.Errorf("%s: feed link %q", p, got)
		}
	}

	editor := newClient(t, srv.h)
	editor.signIn()
	for _, p := range pages {
		doc := parseHTML(t, editor.get(p))
		if got := doc.Find(`header [data-testid="editor-name"]`).Text(); got != "alice" {
			t.Errorf("%s: signed in as %q", p, got)
		}
		if doc.Find(`header [data-testid="sign-in"]`).Length() != 0 || doc.Find(`header form[action="/logout"] input[name="_csrf"]`).AttrOr("value", "") != editor.csrf() {
			t.Errorf("%s: the header has a sign-in link or no working sign-out form", p)
		}
	}

	v := validChange(editor.csrf())
	v.Set("date", "2021-08-16")
	v["region"] = []string{"AF-KAB", "AF-PAN"}
	if rec := editor.post("/maps/afghanistan-2021/events", v); rec.Code != http.StatusSeeOther {
		t.Fatalf("record: %d", rec.Code)
	}
	doc := parseHTML(t, editor.get("/maps/afghanistan-2021/changes"))
	if got := doc.Find(`[data-testid="change-source"]`).First().AttrOr("href", ""); got != "https://example.org/report" {
		t.Errorf("first change's source link %q", got)
	}
	// The first batch is this one; the map's own 35 events, loaded together, are one too.
	undo := doc.Find(`[data-testid="undo-batch"]`).First()
	if undo.Text() != "retract these 2 together" {
		t.Fatalf("undo link %q", undo.Text())
	}
	if n := parseHTML(t, reader.get("/maps/afghanistan-2021/changes")).Find(`[data-testid="undo-batch"]`).Length(); n != 0 {
		t.Errorf("a reader sees %d undo links", n)
	}
	u, _ := url.Parse(undo.AttrOr("href", ""))
	if rec := editor.post(u.Path, url.Values{"_csrf": {editor.csrf()}, "batch": {"1"}, "reason": {"Too early"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("undo: %d", rec.Code)
	}
	feed := editor.get("/maps/afghanistan-2021/changes.atom").Body.String()
	for _, want := range []string{
		"<title>Kabul retracted: Taliban from 16 August 2021</title>",
		"<title>Panjshir recorded: Taliban from 16 August 2021</title>",
		"<title>Kabul recorded: Taliban from 15 August 2021</title>",
	} {
		if !strings.Contains(feed, want) {
			t.Errorf("the feed has no %s", want)
		}
	}
	if got := parseHTML(t, editor.get("/maps/afghanistan-2021/changes")).Find(`[data-testid="undo-batch"]`).First().Text(); got == "retract these 2 together" {
		t.Errorf("the batch undone is still offered to undo")
	}
}

// TestImportPreviewBounded: a long spreadsheet's preview lists its first rows and counts the
// rest, which are saved with them.
func TestImportPreviewBounded(t *testing.T) {
	srv := newTestServer(t, withEditor("alice"))
	cl := newClient(t, srv.h)
	cl.signIn()
	var b strings.Builder
	b.WriteString("region,faction,date,source,note\n")
	for i := range maxPreviewRows + 20 {
		fmt.Fprintf(&b, "AF-KAB,resistance,2021-09-01,https://example.org/%d,\n", i)
	}
	rec := cl.post("/maps/afghanistan-2021/events/import", url.Values{"_csrf": {cl.csrf()}, "csv": {b.String()}, "intent": {"preview"}})
	doc := parseHTML(t, rec)
	if n := doc.Find(`[data-testid="import-row"]`).Length(); rec.Code != http.StatusOK || n != maxPreviewRows {
		t.Errorf("status %d, %d rows listed, want %d", rec.Code, n, maxPreviewRows)
	}
	if got := doc.Find(`[data-testid="more-rows"]`).Text(); got != "…and 20 more rows, saved with the rest." {
		t.Errorf("more rows: %q", got)
	}
	if got := doc.Find(`h2`).Text(); !strings.HasPrefix(got, strconv.Itoa(maxPreviewRows+20)+" rows to save") {
		t.Errorf("heading %q", got)
	}
}

// TestImportUpload: a CSV uploaded as a file is read as a pasted one, and shown in the form
// to fix; a file over the limit is refused naming it, and changes nothing.
func TestImportUpload(t *testing.T) {
	srv := newTestServer(t, withEditor("alice"))
	cl := newClient(t, srv.h)
	cl.signIn()
	upload := func(name, content, intent string) *httptest.ResponseRecorder {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		w.WriteField("_csrf", cl.csrf())
		w.WriteField("csv", "")
		fw, err := w.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(content))
		w.WriteField("intent", intent)
		w.Close()
		req := httptest.NewRequest(http.MethodPost, "/maps/afghanistan-2021/events/import", &b)
		req.Header.Set("Content-Type", w.FormDataContentType())
		return cl.do(req)
	}
	// What Excel writes where the decimal mark is a comma: a byte-order mark, semicolons, CRLF.
	file := "\ufeffRegion;Faction;Date;Source;Note\r\nKunduz;Resistance;2021-09-01;https://example.org/a;\r\nTakhar;resistance;2021-09-01;https://example.org/b;\r\n"
	rec := upload("provinces.csv", file, "preview")
	doc := parseHTML(t, rec)
	if rec.Code != http.StatusOK || doc.Find(`[data-testid="import-row"]`).Length() != 2 {
		t.Fatalf("preview of an upload: status %d, %d rows, %q", rec.Code, doc.Find(`[data-testid="import-row"]`).Length(), doc.Find(".form-error").Text())
	}
	if got := doc.Find("#field-csv").Text(); got != strings.ReplaceAll(file, "\r\n", "\n") { // HTML reads a textarea's CRLF as LF
		t.Errorf("the form shows %q, want the file's text to fix", got)
	}

	before := srv.file.checksum()
	rec = upload("big.csv", file+strings.Repeat("x", maxImportCSV), "save")
	if msg := parseHTML(t, rec).Find(`[data-testid="form-error"]`).Text(); rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(msg, "big.csv is larger than 1 MB") {
		t.Errorf("a file over the limit: status %d, %q", rec.Code, msg)
	}
	srv.file.unchanged(t, before, "a file over the limit")

	if rec := upload("provinces.csv", file, "save"); rec.Code != http.StatusSeeOther {
		t.Errorf("save of an upload: status %d", rec.Code)
	}
}

// TestCorrectionPreviewAndBatchField: a correction's preview compares it with the event it
// corrects; a batch field other than 1 is refused naming the valid value, changing nothing.
func TestCorrectionPreviewAndBatchField(t *testing.T) {
	srv := newTestServer(t, withEditor("alice"))
	cl := newClient(t, srv.h)
	cl.signIn()
	balkh, err := srv.store.RegionEvents(context.Background(), "afghanistan-2021", "AF-BAL")
	if err != nil || len(balkh) != 1 {
		t.Fatalf("Balkh's events: %v %v", balkh, err)
	}
	id := strconv.FormatInt(balkh[0].ID, 10)
	v := validChange(cl.csrf())
	v.Set("region", "AF-BAL")
	v.Set("date", "2021-08-13")
	v.Set("confidence", "claimed")
	v.Set("supersedes", id)
	v.Set("intent", "preview")
	doc := parseHTML(t, cl.post("/maps/afghanistan-2021/events", v))
	if got, want := doc.Find(".preview-list li").Text(), "Balkh: correcting Taliban from 2021-08-14 to Taliban from 2021-08-13, marked as a claim."; got != want {
		t.Errorf("correction preview %q, want %q", got, want)
	}

	before := srv.file.checksum()
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		target := "/maps/afghanistan-2021/events/" + id + "/retract"
		var rec *httptest.ResponseRecorder
		if method == http.MethodGet {
			rec = cl.get(target + "?batch=all")
		} else {
			rec = cl.post(target, url.Values{"_csrf": {cl.csrf()}, "batch": {"all"}, "reason": {"x"}})
		}
		if msg := parseHTML(t, rec).Find(`[data-testid="error"]`).Text(); rec.Code != http.StatusBadRequest || !strings.Contains(msg, "batch must be 1") {
			t.Errorf("%s batch=all: status %d, %q", method, rec.Code, msg)
		}
	}
	srv.file.unchanged(t, before, "a bad batch field")
}
