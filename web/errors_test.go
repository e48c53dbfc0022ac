package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestErrorPageLeadsBackToTheMap: a map's page asked with a bad date or comparison says
// what is wrong and links the map as it opens, in the reader's language; a page of no map
// links the list alone.
func TestErrorPageLeadsBackToTheMap(t *testing.T) {
	h := newTestServer(t).h
	for _, tc := range []struct {
		target   string
		status   int
		message  string
		link     string // the map's link, "" for none
		linkText string
	}{
		{"/maps/afghanistan-2021?date=2022-01-01", http.StatusBadRequest, "outside this map's range, 2021-08-01 to 2021-09-15", "/maps/afghanistan-2021", "Open this map"},
		{"/maps/afghanistan-2021?compare=yesterday&lang=de", http.StatusBadRequest, "2021-08-01", "/maps/afghanistan-2021?lang=de", "Diese Karte öffnen"},
		{"/maps/afghanistan-2021/regions/AF-KAB?date=2021-02-30", http.StatusBadRequest, "2021-02-30", "/maps/afghanistan-2021", "Open this map"},
		{"/maps/nope?date=2022-01-01", http.StatusNotFound, "not found", "", ""},
	} {
		rec := get(t, h, tc.target)
		doc := parseHTML(t, rec)
		if rec.Code != tc.status || !strings.Contains(doc.Find(".error-page").Text(), tc.message) {
			t.Errorf("GET %s = %d %q, want %d saying %q", tc.target, rec.Code, doc.Find(".error-message").Text(), tc.status, tc.message)
		}
		link := doc.Find(`[data-testid="open-map"]`)
		if got := link.AttrOr("href", ""); got != tc.link || strings.TrimSpace(link.Text()) != tc.linkText {
			t.Errorf("GET %s: the map's link is %q %q, want %q %q", tc.target, got, link.Text(), tc.link, tc.linkText)
		}
		if doc.Find(`.error-page a[href="/"]`).Length() != 1 {
			t.Errorf("GET %s: no link to the list of maps", tc.target)
		}
	}
}
