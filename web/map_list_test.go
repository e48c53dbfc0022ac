package web

import (
	"strings"
	"testing"
)

// TestMapList: the list of maps shows each map's card, in the reader's language, with a
// picture of the map at the date its page opens on that the server draws.
func TestMapList(t *testing.T) {
	h := newTestServer(t).h
	for _, tc := range []struct{ lang, title, picture string }{
		{"en", "Afghanistan: the Taliban offensive, 2021", "/maps/afghanistan-2021/2021-08-14.svg"},
		// The built-in map.json gives its title in English alone; the page and the picture's
		// words (its legend, its date) follow the reader's language.
		{"de", "Afghanistan: the Taliban offensive, 2021", "/maps/afghanistan-2021/2021-08-14.svg?lang=de"},
	} {
		t.Run("lang="+tc.lang, func(t *testing.T) {
			target := "/"
			if tc.lang != "en" {
				target += "?lang=" + tc.lang
			}
			doc := parseHTML(t, get(t, h, target))
			card := doc.Find(`[data-testid="map-list"] > li`)
			if card.Length() != 1 {
				t.Fatalf("%d cards, want the built-in map's", card.Length())
			}
			if got := strings.TrimSpace(card.Find("h2").Text()); got != tc.title {
				t.Errorf("title = %q, want %q", got, tc.title)
			}
			if got := doc.Find("html").AttrOr("lang", ""); got != tc.lang {
				t.Errorf("page language = %q, want %q", got, tc.lang)
			}
			if card.Find(".map-about").Text() == "" {
				t.Errorf("the card says nothing of what the map is about")
			}
			img := card.Find(`a img[data-testid="map-picture"]`)
			src, _ := img.Attr("src")
			if src != tc.picture {
				t.Fatalf("picture = %q, want %q", src, tc.picture)
			}
			rec := get(t, h, src)
			if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "image/svg+xml") || !strings.Contains(rec.Body.String(), tc.title) {
				t.Errorf("GET %s = %d %s, want the map's SVG picture titled %q", src, rec.Code, rec.Header().Get("Content-Type"), tc.title)
			}
		})
	}
}
