package web

import (
	"strings"
	"testing"
)

// A region's or place's history keeps the reader's date: the map's table links to it with
// ?date=, and its "Back to the map" returns to that date. A bad date is refused, naming the
// valid ones, as on the map page.
func TestHistoryKeepsTheReadersDate(t *testing.T) {
	h := newTestServer(t).h
	tests := []struct {
		name, target string
		code         int
		back, msg    string
	}{
		{"region at a date", "/maps/afghanistan-2021/regions/AF-BAL?date=2021-08-10", 200, "/maps/afghanistan-2021?date=2021-08-10", ""},
		{"place at a date", "/maps/afghanistan-2021/places/kabul?date=2021-08-15", 200, "/maps/afghanistan-2021?date=2021-08-15", ""},
		{"no date", "/maps/afghanistan-2021/regions/AF-BAL", 200, "/maps/afghanistan-2021", ""},
		{"not a date", "/maps/afghanistan-2021/regions/AF-BAL?date=yesterday", 400, "", "not a real date in the form YYYY-MM-DD"},
		{"outside the map", "/maps/afghanistan-2021/places/kabul?date=2020-01-01", 400, "", "is outside this map&#39;s range, 2021-08-01 to 2021-09-15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, h, tt.target)
			if rec.Code != tt.code {
				t.Fatalf("GET %s: %d, want %d", tt.target, rec.Code, tt.code)
			}
			if tt.code != 200 {
				if !strings.Contains(rec.Body.String(), tt.msg) {
					t.Errorf("the error page does not say %q", tt.msg)
				}
				return
			}
			if got, _ := parseHTML(t, rec).Find(`[data-testid="back-to-map"]`).Attr("href"); got != tt.back {
				t.Errorf("Back to the map links to %q, want %q", got, tt.back)
			}
		})
	}
	t.Run("the table links at the page's date", func(t *testing.T) {
		doc := parseHTML(t, get(t, h, "/maps/afghanistan-2021?date=2021-08-12"))
		for _, row := range []struct{ id, want string }{
			{"AF-BAL", "/maps/afghanistan-2021/regions/AF-BAL?date=2021-08-12"},
			{"kabul", "/maps/afghanistan-2021/places/kabul?date=2021-08-12"},
		} {
			if got, _ := doc.Find(`#regions-table tr[data-region="` + row.id + `"] a`).First().Attr("href"); got != row.want {
				t.Errorf("%s's row links to %q, want %q", row.id, got, row.want)
			}
		}
	})
}

// The embed's credit line carries the map's attribution: an article that embeds the map
// credits its sources.
func TestEmbedCreditsTheMapsSources(t *testing.T) {
	h := newTestServer(t).h
	doc := parseHTML(t, get(t, h, "/embed/afghanistan-2021"))
	got := doc.Find(`.embed-credit [data-testid="attribution"]`).Text()
	for _, want := range []string{"Natural Earth", "GeoNames", "Events: compiled by Frontline"} {
		if !strings.Contains(got, want) {
			t.Errorf("the embed's credit line %q does not name %q", got, want)
		}
	}
}

// Every page names the favicon, an SVG served from static/, error pages and the embed
// included.
func TestEveryPageHasTheFavicon(t *testing.T) {
	h := newTestServer(t).h
	for _, target := range []string{
		"/", "/maps/afghanistan-2021", "/maps/afghanistan-2021/regions/AF-BAL", "/maps/afghanistan-2021/places/kabul",
		"/maps/afghanistan-2021/changes", "/login", "/embed/afghanistan-2021", "/maps/nowhere", "/embed/nowhere",
	} {
		t.Run(target, func(t *testing.T) {
			href, ok := parseHTML(t, get(t, h, target)).Find(`link[rel="icon"]`).Attr("href")
			if !ok || !strings.HasPrefix(href, "/static/favicon.svg") {
				t.Fatalf("icon %q, want /static/favicon.svg", href)
			}
			rec := get(t, h, href)
			if rec.Code != 200 || rec.Header().Get("Content-Type") != "image/svg+xml" || !strings.Contains(rec.Body.String(), "<svg") {
				t.Errorf("GET %s: %d %q", href, rec.Code, rec.Header().Get("Content-Type"))
			}
		})
	}
}
