package web

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestFramingHeaders(t *testing.T) {
	h := newTestServer(t).h
	tests := []struct {
		target    string
		frameable bool
	}{
		{"/embed/afghanistan-2021", true},
		{"/embed/afghanistan-2021?date=2021-08-15&slider=0&legend=0", true},
		{"/", false},
		{"/maps/afghanistan-2021", false},
		{"/maps/afghanistan-2021/regions/AF-BAL", false},
		{"/login", false},
		{"/api/maps", false},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := get(t, h, tt.target)
			csp, xfo := rec.Header().Get("Content-Security-Policy"), rec.Header().Get("X-Frame-Options")
			if tt.frameable {
				if !strings.Contains(csp, "frame-ancestors *") || xfo != "" {
					t.Errorf("embed must be frameable by any site: CSP %q, X-Frame-Options %q", csp, xfo)
				}
			} else if strings.HasPrefix(tt.target, "/api/") {
				// Data, never a document (apiContentSecurityPolicy): framed by nobody.
				if !strings.Contains(csp, "frame-ancestors 'none'") {
					t.Errorf("API must not be framed: CSP %q", csp)
				}
			} else if !strings.Contains(csp, "frame-ancestors 'self'") || xfo != "SAMEORIGIN" {
				t.Errorf("must not be framed by other sites: CSP %q, X-Frame-Options %q", csp, xfo)
			}
		})
	}
}

func TestEmbedPage(t *testing.T) {
	h := newTestServer(t).h
	tests := []struct {
		query              string
		wantStatus         int
		wantSlider, legend bool
	}{
		{"", 200, true, true},
		{"?date=2021-08-15&slider=0", 200, false, true},
		{"?legend=0", 200, true, false},
		{"?slider=no", 400, false, false},
		{"?date=2021-13-01", 400, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			rec := get(t, h, "/embed/afghanistan-2021"+tt.query)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d", rec.Code, tt.wantStatus)
			}
			if tt.wantStatus != 200 {
				return
			}
			doc := parseHTML(t, rec)
			if got := doc.Find("#date-slider").Length() == 1; got != tt.wantSlider {
				t.Errorf("slider present = %v, want %v", got, tt.wantSlider)
			}
			if got := doc.Find("#legend").Length() == 1; got != tt.legend {
				t.Errorf("legend present = %v, want %v", got, tt.legend)
			}
			if doc.Find("header.site").Length() != 0 {
				t.Error("the embed page has the site's chrome")
			}
			if href, _ := doc.Find(`[data-testid="credit"]`).Attr("href"); !strings.HasPrefix(href, "/maps/afghanistan-2021?date=") {
				t.Errorf("credit link = %q", href)
			}
			// Named for static/embed.js, which loads it in a frame (browser_embed_test.go).
			if doc.Find(`meta[name="frontline-pym"][content^="/static/vendor/pym/pym.v1.min.js?v="]`).Length() != 1 {
				t.Error("the embed page does not name Pym.js, to tell its height in a frame")
			}
		})
	}
}

func TestOEmbed(t *testing.T) {
	h := newTestServer(t).h
	const host = "http://example.com" // httptest requests go to example.com
	tests := []struct {
		name, url, format string
		wantStatus        int
		wantQuery         string
	}{
		{"map_page", host + "/maps/afghanistan-2021?date=2021-08-15", "json", 200, "date=2021-08-15"},
		{"embed_page", host + "/embed/afghanistan-2021", "", 200, ""},
		{"dark_map_page", host + "/maps/afghanistan-2021?date=2021-08-15&theme=dark", "json", 200, "date=2021-08-15&amp;theme=dark"},
		{"persian_dark_embed", host + "/embed/afghanistan-2021?date=2021-08-15&lang=fa&theme=dark", "json", 200, "date=2021-08-15&amp;lang=fa&amp;theme=dark"},
		{"live_in_french", host + "/maps/afghanistan-2021?lang=fr", "json", 200, "lang=fr"},
		{"bad_theme", host + "/maps/afghanistan-2021?theme=sepia", "json", 400, ""},
		{"bad_lang", host + "/maps/afghanistan-2021?lang=xx", "json", 400, ""},
		{"format_xml", host + "/maps/afghanistan-2021", "xml", http.StatusNotImplemented, ""},
		{"foreign_host", "https://evil.example/maps/afghanistan-2021", "json", 404, ""},
		{"unknown_map", host + "/maps/nowhere", "json", 404, ""},
		{"not_a_map_url", host + "/api/maps", "json", 404, ""},
		{"region_page", host + "/maps/afghanistan-2021/regions/AF-BAL", "json", 404, ""},
		{"bad_date", host + "/maps/afghanistan-2021?date=2021-02-30", "json", 400, ""},
		{"missing_url", "", "json", 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := url.Values{"url": {tt.url}}
			if tt.format != "" {
				q.Set("format", tt.format)
			}
			rec := get(t, h, "/oembed?"+q.Encode())
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body)
			}
			if tt.wantStatus != 200 {
				return
			}
			var o oembedResponse
			decodeJSON(t, rec.Body, &o)
			if o.Version != "1.0" || o.Type != "rich" || o.Width == 0 || o.Height == 0 || o.ProviderName != "Frontline" {
				t.Errorf("response = %+v", o)
			}
			wantSrc := `src="` + host + `/embed/afghanistan-2021`
			if tt.wantQuery != "" {
				wantSrc += "?" + tt.wantQuery
			}
			if !strings.Contains(o.HTML, wantSrc+`"`) || !strings.HasPrefix(o.HTML, "<iframe") {
				t.Errorf("html = %s, want an iframe with %s", o.HTML, wantSrc)
			}
			if !strings.HasSuffix(o.ThumbnailURL, ".png") || o.ThumbnailWidth != 1200 {
				t.Errorf("thumbnail = %s (%d)", o.ThumbnailURL, o.ThumbnailWidth)
			}
		})
	}
}

func TestMapPageSocialCard(t *testing.T) {
	doc := parseHTML(t, get(t, newTestServer(t).h, "/maps/afghanistan-2021?date=2021-08-14"))
	meta := func(attr, name string) string {
		v, _ := doc.Find(`meta[` + attr + `="` + name + `"]`).Attr("content")
		return v
	}
	if got := meta("property", "og:description"); got != "Taliban: 21 of 34 regions confirmed, 23 with claims, on 14 August 2021. +5 since 13 August 2021." {
		t.Errorf("og:description = %q", got)
	}
	if got := meta("property", "og:image"); got != "http://example.com/maps/afghanistan-2021/2021-08-14.png" {
		t.Errorf("og:image = %q", got)
	}
	if got := meta("name", "twitter:card"); got != "summary_large_image" {
		t.Errorf("twitter:card = %q", got)
	}
	href, _ := doc.Find(`link[type="application/json+oembed"]`).Attr("href")
	if !strings.HasPrefix(href, "/oembed?format=json&url=http%3A%2F%2Fexample.com%2Fmaps%2Fafghanistan-2021%3Fdate%3D2021-08-14") {
		t.Errorf("oEmbed discovery = %q", href)
	}
	code, _ := doc.Find(`#embed-code`).Attr("data-iframe-pinned")
	if !strings.Contains(code, `src="http://example.com/embed/afghanistan-2021?date=2021-08-14"`) {
		t.Errorf("pinned iframe code = %q", code)
	}
}

func TestStateDownloads(t *testing.T) {
	h := newTestServer(t).h
	rec := get(t, h, "/api/maps/afghanistan-2021/state.csv?date=2021-08-14")
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Disposition"), "afghanistan-2021-2021-08-14.csv") {
		t.Fatalf("csv: %d %v", rec.Code, rec.Header())
	}
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// The header, the 34 provinces and the 35 places.
	if len(rows) != 70 || strings.Join(rows[0], ",") != "region,name,faction,faction_name,since,confidence,source,note,type" {
		t.Fatalf("csv has %d rows, header %v", len(rows), rows[0])
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			ID         string          `json:"id"`
			Properties stateProperties `json:"properties"`
		} `json:"features"`
	}
	decodeJSON(t, get(t, h, "/api/maps/afghanistan-2021/state.geojson?date=2021-08-14").Body, &fc)
	held := map[string]string{}
	for _, f := range fc.Features {
		held[f.ID] = f.Properties.Faction
	}
	// The 34 provinces and the 35 places.
	if len(fc.Features) != 69 || held["AF-BAL"] != "taliban" || held["AF-KAB"] != "government" {
		t.Errorf("state.geojson: %d features, Balkh %s, Kabul %s", len(fc.Features), held["AF-BAL"], held["AF-KAB"])
	}
	if rec := get(t, h, "/api/maps/afghanistan-2021/state.csv?date=1999-01-01"); rec.Code != 400 {
		t.Errorf("csv with a date out of range: %d", rec.Code)
	}
}

func TestSpreadsheetSafe(t *testing.T) {
	for in, want := range map[string]string{"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")", "+1": "'+1", "@SUM": "'@SUM", "plain": "plain", "": ""} {
		if got := spreadsheetSafe(in); got != want {
			t.Errorf("spreadsheetSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEmbedErrorsAreFrameable(t *testing.T) {
	rec := get(t, newTestServer(t).h, "/embed/afghanistan-2021?date=2021-02-30")
	if rec.Code != 400 || !strings.Contains(rec.Header().Get("Content-Security-Policy"), "frame-ancestors *") || rec.Header().Get("X-Frame-Options") != "" {
		t.Errorf("embed error: %d, CSP %q, X-Frame-Options %q", rec.Code, rec.Header().Get("Content-Security-Policy"), rec.Header().Get("X-Frame-Options"))
	}
}
