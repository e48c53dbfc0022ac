package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestPlaceEventsInEditorPages: an event of a place (a town, not a region) goes through the
// editor's pages as a region's does: the spreadsheet import takes it by the place's id or
// name, the log of changes and its feed name the place and link its history, and the
// retraction page opens and retracts it. (The import refused places; the log named them by
// id and linked a region page that does not exist; the retraction page answered 404.)
func TestPlaceEventsInEditorPages(t *testing.T) {
	srv := newTestServer(t, withEditor("alice"))
	cl := newClient(t, srv.h)
	cl.signIn()
	const slug = "/maps/afghanistan-2021"
	// One row by the place's id, one by its name (another date: not the same change twice).
	csv := "region,faction,date,source,note,confidence\n" +
		"char-asyab,government,2021-08-20,https://example.org/char-asyab,,claimed\n" +
		"Char Asyab,taliban,2021-08-21,https://example.org/char-asyab-2,,confirmed\n"

	rec := cl.post(slug+"/events/import", url.Values{"_csrf": {cl.csrf()}, "csv": {csv}, "intent": {"preview"}})
	doc := parseHTML(t, rec)
	if rec.Code != http.StatusOK {
		t.Fatalf("preview: status %d: %s", rec.Code, doc.Find(`[data-testid="problem"], .form-error`).Text())
	}
	rows := doc.Find(`[data-testid="import-row"]`)
	if rows.Length() != 2 || !strings.Contains(rows.First().Text(), "Char Asyab") {
		t.Fatalf("preview rows %d: %q, want 2 naming Char Asyab", rows.Length(), rows.Text())
	}
	rec = cl.post(slug+"/events/import", url.Values{"_csrf": {cl.csrf()}, "csv": {csv}, "intent": {"save"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("save: status %d: %s", rec.Code, parseHTML(t, rec).Find(".form-error").Text())
	}

	// The log of changes and its feed.
	var row *goquery.Selection
	parseHTML(t, cl.get(slug+"/changes")).Find(`[data-testid="change"]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if strings.Contains(s.Text(), "example.org/char-asyab") {
			row = s
			return false
		}
		return true
	})
	if row == nil {
		t.Fatal("the log of changes has no row of the imported events")
	}
	if !strings.Contains(row.Text(), "Char Asyab →") {
		t.Errorf("the log's row = %q, want it to name Char Asyab", strings.Join(strings.Fields(row.Text()), " "))
	}
	history := ""
	row.Find("a").Each(func(_ int, a *goquery.Selection) {
		if href := a.AttrOr("href", ""); strings.Contains(href, "char-asyab") && !strings.Contains(href, "example.org") {
			history = href
		}
	})
	if history != slug+"/places/char-asyab" {
		t.Errorf("the log's history link = %q, want %s/places/char-asyab", history, slug)
	} else if rec := cl.get(history); rec.Code != http.StatusOK {
		t.Errorf("GET %s = %d", history, rec.Code)
	}
	if feed := cl.get(slug + "/changes.atom").Body.String(); !strings.Contains(feed, "Char Asyab") || strings.Contains(feed, "/regions/char-asyab") {
		t.Errorf("the feed names no Char Asyab or links a region page for it")
	}

	// Retracting one of them.
	events, err := srv.store.RegionEvents(t.Context(), "afghanistan-2021", "char-asyab")
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, e := range events {
		if e.Source == "https://example.org/char-asyab" {
			id = e.ID
		}
	}
	if id == 0 {
		t.Fatalf("char-asyab's events %+v lack the imported one", events)
	}
	target := slug + "/events/" + strconv.FormatInt(id, 10) + "/retract"
	rec = cl.get(target)
	if rec.Code != http.StatusOK || !strings.Contains(parseHTML(t, rec).Find("main").Text(), "Char Asyab") {
		t.Fatalf("GET %s = %d, want the retraction form naming Char Asyab", target, rec.Code)
	}
	if rec := cl.post(target, url.Values{"_csrf": {cl.csrf()}, "reason": {"A wrong report"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("retract: status %d: %s", rec.Code, parseHTML(t, rec).Find(".form-error").Text())
	}
	if got := parseHTML(t, cl.get(slug+"/places/char-asyab")).Find(`[data-testid="event"].retracted`).Length(); got != 1 {
		t.Errorf("Char Asyab's history shows %d retracted events, want 1", got)
	}
}
