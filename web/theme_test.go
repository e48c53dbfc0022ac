package web

import (
	"strings"
	"testing"
)

// TestThemes: ?theme= reaches <html data-theme> on reader, editor-free and embed pages
// (auto when absent), and a chosen theme rides on the links a reader copies: the share link,
// the embed codes (pinned and live) and the embed's link to the full map.
func TestThemes(t *testing.T) {
	h := newTestServer(t).h
	tests := []struct {
		name, target, want string
		links              map[string]string // selector and attribute -> what it must hold
	}{
		{name: "map_default", target: "/maps/afghanistan-2021", want: "auto",
			links: map[string]string{"#share-link href": "?date=2021-08-14"}},
		{name: "map_dark", target: "/maps/afghanistan-2021?date=2021-08-15&theme=dark", want: "dark",
			links: map[string]string{
				"#share-link href":                 "?date=2021-08-15&theme=dark",
				"#embed-code data-iframe-pinned":   "?date=2021-08-15&amp;theme=dark",
				"#embed-code data-iframe-live":     "/embed/afghanistan-2021?theme=dark",
				"#embed-code data-pym-pinned":      `?date=2021-08-15\u0026theme=dark`,
				"#embed-code data-iframe-template": "?date={date}&amp;theme=dark",
			}},
		{name: "map_light", target: "/maps/afghanistan-2021?theme=light", want: "light",
			links: map[string]string{"#share-link href": "?date=2021-08-14&theme=light"}},
		{name: "map_auto_says_nothing", target: "/maps/afghanistan-2021?theme=auto", want: "auto",
			links: map[string]string{"#share-link href": "?date=2021-08-14"}},
		{name: "embed_dark", target: "/embed/afghanistan-2021?theme=dark", want: "dark",
			links: map[string]string{`[data-testid="credit"] href`: "/maps/afghanistan-2021?date=2021-08-14&theme=dark"}},
		{name: "region_history", target: "/maps/afghanistan-2021/regions/AF-BAL?theme=dark", want: "dark"},
		{name: "map_list", target: "/?theme=light", want: "light"},
		{name: "login", target: "/login?theme=dark", want: "dark"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, h, tt.target)
			if rec.Code != 200 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			doc := parseHTML(t, rec)
			if got, _ := doc.Find("html").Attr("data-theme"); got != tt.want {
				t.Errorf("<html data-theme> = %q, want %q", got, tt.want)
			}
			for key, want := range tt.links {
				sel, attr, _ := strings.Cut(key, " ")
				got, ok := doc.Find(sel).Attr(attr)
				if !ok || !strings.Contains(got, want) {
					t.Errorf("%s %s = %q, want it to hold %q", sel, attr, got, want)
				}
				if tt.want == "auto" && strings.Contains(got, "theme=") {
					t.Errorf("%s %s = %q names a theme, which auto need not", sel, attr, got)
				}
			}
		})
	}
}

// TestEmbedPlain: ?plain=1 hides the embed's title from sight (a screen reader still has
// it) and drops the credit line, keeping the summary the map is described by.
func TestEmbedPlain(t *testing.T) {
	h := newTestServer(t).h
	for _, tt := range []struct {
		name, target string
		plain        bool
	}{
		{"default", "/embed/afghanistan-2021", false},
		{"plain_off", "/embed/afghanistan-2021?plain=0", false},
		{"plain", "/embed/afghanistan-2021?plain=1&theme=dark", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc := parseHTML(t, get(t, h, tt.target))
			if got := doc.Find("main h1.embed-title").HasClass("visually-hidden"); got != tt.plain {
				t.Errorf("title visually hidden = %v, want %v", got, tt.plain)
			}
			if got := doc.Find(`[data-testid="credit"]`).Length() == 0; got != tt.plain {
				t.Errorf("credit link absent = %v, want %v", got, tt.plain)
			}
			if got := strings.TrimSpace(doc.Find("main #summary").Text()); got != "Taliban: 21 of 34 regions confirmed, 23 with claims, on 14 August 2021. +5 since 13 August 2021." {
				t.Errorf("summary = %q", got)
			}
			if got, _ := doc.Find("#map").Attr("aria-describedby"); got != "summary" {
				t.Errorf("#map aria-describedby = %q, want summary", got)
			}
		})
	}
}

// TestEmbedHostOrigins: ?origin= values reach the page as the browser writes origins, for
// static/embed-api.js to trust; none leaves the attribute empty (the referrer's origin).
func TestEmbedHostOrigins(t *testing.T) {
	h := newTestServer(t).h
	for _, tt := range []struct{ name, query, want string }{
		{"none", "", ""},
		{"one", "?origin=https://news.example", "https://news.example"},
		{"two_normalised", "?origin=HTTPS://News.Example:443/&origin=http://localhost:8000", "https://news.example http://localhost:8000"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc := parseHTML(t, get(t, h, "/embed/afghanistan-2021"+tt.query))
			if got, _ := doc.Find("body").Attr("data-host-origins"); got != tt.want {
				t.Errorf("data-host-origins = %q, want %q", got, tt.want)
			}
		})
	}
}
