package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestRegionCapitalLinksItsPlace: a province's history page links its capital's history,
// keeping the reader's date, when one place of the map has the capital's name.
func TestRegionCapitalLinksItsPlace(t *testing.T) {
	h := newTestServer(t).h
	for _, tc := range []struct{ page, want string }{
		{"/maps/afghanistan-2021/regions/AF-KAB", "/maps/afghanistan-2021/places/kabul"},
		{"/maps/afghanistan-2021/regions/AF-BAL?date=2021-08-14", "/maps/afghanistan-2021/places/mazar-i-sharif?date=2021-08-14"},
	} {
		doc := parseHTML(t, get(t, h, tc.page))
		link := doc.Find(`[data-testid="capital"] a`)
		if got := link.AttrOr("href", ""); got != tc.want {
			t.Errorf("%s: the capital links %q, want %q", tc.page, got, tc.want)
			continue
		}
		if rec := get(t, h, tc.want); rec.Code != 200 {
			t.Errorf("GET %s = %d", tc.want, rec.Code)
		}
	}
}

// TestHistorySaysWhoHoldsOnTheDate: a region's or place's page says first who holds it on
// the date the reader came from (or the map's opening date), claimed or confirmed, since
// when, in the page's language, and marks the event in force.
func TestHistorySaysWhoHoldsOnTheDate(t *testing.T) {
	h := newTestServer(t).h
	for _, tc := range []struct{ page, want, inForce string }{
		{"/maps/afghanistan-2021/regions/AF-LOG?date=2021-08-14", "On 14 August 2021: held by Taliban, since 13 August 2021.", "2021-08-13"},
		{"/maps/afghanistan-2021/regions/AF-LOG?date=2021-08-12", "On 12 August 2021: held by Islamic Republic of Afghanistan, since 1 August 2021.", "2021-08-01"},
		{"/maps/afghanistan-2021/places/kabul?date=2021-08-14", "On 14 August 2021: held by Islamic Republic of Afghanistan, since 1 August 2021.", "2021-08-01"},
		{"/maps/afghanistan-2021/places/kabul?date=2021-08-15", "On 15 August 2021: held by Taliban, since 15 August 2021.", "2021-08-15"},
		// No date: the map's opening date (14 August), where "Back to the map" leads.
		{"/maps/afghanistan-2021/regions/AF-PAN", "On 14 August 2021: held by Islamic Republic of Afghanistan, since 1 August 2021.", "2021-08-01"},
		{"/maps/afghanistan-2021/regions/AF-PAN?date=2021-09-10", "On 10 September 2021: claimed by Taliban, since 6 September 2021; not confirmed.", "2021-09-06"},
		{"/maps/afghanistan-2021/regions/AF-LOG?date=2021-08-14&lang=fr", "Le 14 août 2021 : aux mains de Talibans depuis le 13 août 2021.", "2021-08-13"},
	} {
		doc := parseHTML(t, get(t, h, tc.page))
		if got := strings.Join(strings.Fields(doc.Find(`[data-testid="held-on"]`).Text()), " "); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.page, got, tc.want)
		}
		inForce := doc.Find(".region-history .in-force")
		if inForce.Length() != 1 || inForce.Find("time").AttrOr("datetime", "") != tc.inForce {
			t.Errorf("%s: %d events marked in force, dated %q; want one, of %s", tc.page, inForce.Length(), inForce.Find("time").AttrOr("datetime", ""), tc.inForce)
		}
	}
}

// TestPlaceLinksTheRegionItIsCapitalOf: a provincial capital's page links its province,
// matching names as gazetteers write them (Logar's capital is "Pul-e Alam" in some, the
// place "Pul-e-Alam"), keeping the reader's date.
func TestPlaceLinksTheRegionItIsCapitalOf(t *testing.T) {
	h := newTestServer(t).h
	for _, tc := range []struct{ page, want string }{
		{"/maps/afghanistan-2021/places/pul-e-alam?date=2021-08-14", "/maps/afghanistan-2021/regions/AF-LOG?date=2021-08-14"},
		{"/maps/afghanistan-2021/places/mazar-i-sharif", "/maps/afghanistan-2021/regions/AF-BAL"},
	} {
		doc := parseHTML(t, get(t, h, tc.page))
		if got := doc.Find(`[data-testid="capital-of"] a`).AttrOr("href", ""); got != tc.want {
			t.Errorf("%s: capital of %q, want %q", tc.page, got, tc.want)
		}
	}
	// A place that is no region's capital says what kind of place it is, and no more.
	doc := parseHTML(t, get(t, h, "/maps/afghanistan-2021/places/char-asyab"))
	if doc.Find(`[data-testid="capital-of"]`).Length() != 0 || doc.Find(`[data-testid="place-kind"]`).Length() != 1 {
		t.Errorf("Char Asyab: capital-of %d, kind %d; want 0 and 1", doc.Find(`[data-testid="capital-of"]`).Length(), doc.Find(`[data-testid="place-kind"]`).Length())
	}
	for _, tc := range []struct{ a, b string }{{"Pul-e Alam", "Pul-e-Alam"}, {"mazar-i-sharif", "Mazar-i-Sharif"}, {" Kabul ", "kabul"}} {
		if !sameName(tc.a, tc.b) {
			t.Errorf("sameName(%q, %q) = false", tc.a, tc.b)
		}
	}
	if sameName("Kabul", "Kunduz") || sameName("Pul-e Alam", "Pul-e Khumri") {
		t.Error("sameName matched different names")
	}
}

// TestHistoryLinksAsPeopleWriteThem: a history link typed by hand or copied (a region's
// name, its id in lower case, a place under /regions/) is sent to the page it means, with
// its query; an id the map does not have is a 404 in the page's language that leads to the
// map and to the names nearest it, changing nothing.
func TestHistoryLinksAsPeopleWriteThem(t *testing.T) {
	h := newTestServer(t).h
	for _, tc := range []struct{ page, want string }{
		{"/maps/afghanistan-2021/regions/logar?date=2021-08-14", "/maps/afghanistan-2021/regions/AF-LOG?date=2021-08-14"},
		{"/maps/afghanistan-2021/regions/af-log", "/maps/afghanistan-2021/regions/AF-LOG"},
		{"/maps/afghanistan-2021/regions/AF-LOG%20", "/maps/afghanistan-2021/regions/AF-LOG"},
		{"/maps/afghanistan-2021/places/AF-LOG?lang=fr", "/maps/afghanistan-2021/regions/AF-LOG?lang=fr"},
		{"/maps/afghanistan-2021/regions/pul-e-alam", "/maps/afghanistan-2021/places/pul-e-alam"},
		// Kabul names the province and its capital (whose id is kabul): under /regions/ the
		// province, under /places/ the city.
		{"/maps/afghanistan-2021/regions/Kabul", "/maps/afghanistan-2021/regions/AF-KAB"},
		{"/maps/afghanistan-2021/regions/kabul", "/maps/afghanistan-2021/regions/AF-KAB"},
		{"/maps/afghanistan-2021/places/KABUL", "/maps/afghanistan-2021/places/kabul"},
		{"/maps/afghanistan-2021/places/Char%20Asyab", "/maps/afghanistan-2021/places/char-asyab"},
	} {
		rec := get(t, h, tc.page)
		if rec.Code != http.StatusFound || rec.Header().Get("Location") != tc.want {
			t.Errorf("GET %s = %d to %q, want 302 to %s", tc.page, rec.Code, rec.Header().Get("Location"), tc.want)
		}
	}

	rec := get(t, h, "/maps/afghanistan-2021/regions/Logr?lang=de")
	if rec.Code != http.StatusNotFound {
		t.Fatalf("unknown region: %d, want 404", rec.Code)
	}
	doc := parseHTML(t, rec)
	if got := doc.Find(".error-message").First().Text(); got != "Die Karte „Afghanistan: the Taliban offensive, 2021“ hat keine Region und keinen Ort „Logr“." {
		t.Errorf("unknown region's message: %q", got)
	}
	if got := doc.Find(`[data-testid="open-map"]`).AttrOr("href", ""); got != "/maps/afghanistan-2021?lang=de" {
		t.Errorf("unknown region's page links the map %q", got)
	}
	if got := doc.Find(`[data-testid="did-you-mean"] a`).First().AttrOr("href", ""); got != "/maps/afghanistan-2021/regions/AF-LOG?lang=de" {
		t.Errorf("unknown region's page suggests %q, want Logar's page", got)
	}
	// An id of 5,000 characters is quoted short.
	rec = get(t, h, "/maps/afghanistan-2021/regions/"+strings.Repeat("R", 5000))
	if msg := parseHTML(t, rec).Find(".error-message").First().Text(); rec.Code != http.StatusNotFound || len(msg) > 200 || !strings.Contains(msg, "RRR…") {
		t.Errorf("a long id: %d, message %q (%d bytes); want 404 quoting it short", rec.Code, msg, len(msg))
	}
	// A map that does not exist: the plain 404, leading to the list of maps only.
	rec = get(t, h, "/maps/nowhere/regions/AF-LOG")
	if doc := parseHTML(t, rec); rec.Code != http.StatusNotFound || doc.Find(`[data-testid="open-map"]`).Length() != 0 {
		t.Errorf("unknown map: %d, open-map links %d; want 404 and none", rec.Code, doc.Find(`[data-testid="open-map"]`).Length())
	}
}
