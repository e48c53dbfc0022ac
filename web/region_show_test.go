package web

import "testing"

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
