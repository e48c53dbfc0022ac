package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestStatusAndContentType(t *testing.T) {
	h := newTestServer(t).h
	tests := []struct {
		target     string
		wantStatus int
		wantType   string
		wantBody   string
	}{
		{"/", 200, "text/html", "Afghanistan: the Taliban offensive, 2021"},
		{"/maps/afghanistan-2021", 200, "text/html", "14 August 2021"},
		{"/maps/afghanistan-2021?date=2021-08-15", 200, "text/html", "15 August 2021"},
		{"/maps/afghanistan-2021?date=2021-8-15", 400, "text/html", "not a real date in the form YYYY-MM-DD"},
		{"/maps/afghanistan-2021?date=2021-02-30", 400, "text/html", "not a real date"},
		{"/maps/afghanistan-2021?date=2020-01-01", 400, "text/html", "outside this map&#39;s range, 2021-08-01 to 2021-09-15"},
		{"/maps/nowhere", 404, "text/html", "map &#34;nowhere&#34;: not found"},
		{"/maps/afghanistan-2021/regions/AF-BAL", 200, "text/html", "Mazar-i-Sharif"},
		{"/maps/afghanistan-2021/regions/AF-XXX", 404, "text/html", "has no region or place “AF-XXX”"},
		{"/maps/afghanistan-2021/regions/a%2Fb", 404, "text/html", "has no region or place “a/b”"},
		{"/no/such/page", 404, "text/html", "Not Found"},
		{"/api/maps", 200, "application/json", `"slug":"afghanistan-2021"`},
		{"/api/maps/afghanistan-2021", 200, "application/json", `"initial":"government"`},
		{"/api/maps/nowhere", 404, "application/json", `"error":"map \"nowhere\": not found"`},
		{"/api/maps/afghanistan-2021/regions.geojson", 200, "application/geo+json", `"type":"FeatureCollection"`},
		{"/api/maps/afghanistan-2021/events", 200, "application/json", `"region":"AF-NIM"`},
		{"/api/maps/afghanistan-2021/state?date=2021-08-15", 200, "application/json", `"date":"2021-08-15"`},
		{"/api/maps/afghanistan-2021/state?date=yesterday", 400, "application/json", `"error":"date \"yesterday\" is not a real date`},
		{"/api/maps/afghanistan-2021/state?date=2021-09-16", 400, "application/json", "outside this map's range"},
		{"/api/nothing", 404, "application/json", `"error"`},
		{"/static/map.js", 200, "text/javascript", "./chunks/"}, // bundled (bundle.go)
		{"/static/vendor/leaflet/leaflet.js", 200, "text/javascript", "Leaflet"},
		{"/static/../go.mod", 404, "text/html", "Not Found"},
		{"/static/vendor", 404, "text/html", "Not Found"},
		{"/healthz", 200, "text/plain", "ok"},
	}
	for _, tt := range tests {
		t.Run(strings.TrimPrefix(tt.target, "/"), func(t *testing.T) {
			rec := get(t, h, tt.target)
			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d; body:\n%.400s", rec.Code, tt.wantStatus, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.wantType) {
				t.Errorf("Content-Type = %q, want %q", ct, tt.wantType)
			}
			if !strings.Contains(rec.Body.String(), tt.wantBody) {
				t.Errorf("body does not contain %q:\n%.600s", tt.wantBody, rec.Body)
			}
			wantCSP := "script-src 'self'"
			// Data and files (assetAnswers), never documents, unless they are error pages.
			if strings.HasPrefix(tt.target, "/api/") || rec.Code < 400 && (strings.HasPrefix(tt.target, "/static/") || tt.target == "/healthz") {
				wantCSP = "default-src 'none'"
			}
			if rec.Header().Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(rec.Header().Get("Content-Security-Policy"), wantCSP) {
				t.Errorf("security headers missing: %v", rec.Header())
			}
		})
	}
}

func TestMapPageAtDate(t *testing.T) {
	h := newTestServer(t).h
	tests := []struct {
		date       string
		wantCounts map[string]string
		wantBalkh  string // holder of Balkh
		wantClaim  bool   // Faryab is held on a claim
	}{
		{"2021-08-13", map[string]string{"government": "16", "taliban": "18", "resistance": "0"}, "government", false},
		{"2021-08-14", map[string]string{"government": "11", "taliban": "23", "resistance": "0"}, "taliban", true},
		{"2021-08-17", map[string]string{"government": "0", "taliban": "33", "resistance": "1"}, "taliban", true},
		{"2021-09-06", map[string]string{"government": "0", "taliban": "34", "resistance": "0"}, "taliban", true},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			rec := get(t, h, "/maps/afghanistan-2021?date="+tt.date)
			if rec.Code != 200 {
				t.Fatalf("status %d", rec.Code)
			}
			doc := parseHTML(t, rec)
			for faction, want := range tt.wantCounts {
				if got := doc.Find(`[data-testid="count-` + faction + `"]`).Text(); got != want {
					t.Errorf("legend count of %s = %q, want %q", faction, got, want)
				}
			}
			// The regions' rows; the places' follow in a tbody of their own (places_test.go).
			if n := doc.Find("#regions-table tbody:not(.place-rows) tr").Length(); n != 34 {
				t.Errorf("table has %d rows, want 34", n)
			}
			balkh := doc.Find(`#regions-table tr[data-region="AF-BAL"] td.holder`)
			if got, _ := balkh.Attr("data-faction"); got != tt.wantBalkh {
				t.Errorf("Balkh held by %q, want %q", got, tt.wantBalkh)
			}
			faryab := doc.Find(`#regions-table tr[data-region="AF-FYB"] .claim-mark`)
			if _, hidden := faryab.Attr("hidden"); hidden == tt.wantClaim {
				t.Errorf("Faryab claim mark hidden=%v, want shown=%v", hidden, tt.wantClaim)
			}
			if got, _ := doc.Find("#date-input").Attr("value"); got != tt.date {
				t.Errorf("date input = %q, want %q", got, tt.date)
			}
			// The browser script gets every event to scrub without requests.
			var script mapScript
			if err := json.Unmarshal([]byte(doc.Find("script#map-data").Text()), &script); err != nil {
				t.Fatalf("map-data: %v", err)
			}
			// 37 events of the provinces and 38 of their capitals and Char Asyab (two claims
			// of each confirmed by later events).
			if len(script.Events) != 75 || script.Date != tt.date {
				t.Errorf("map-data has %d events at %s, want 75 at %s", len(script.Events), script.Date, tt.date)
			}
			if len(script.Places) != 35 {
				t.Errorf("map-data has %d places, want 35", len(script.Places))
			}
		})
	}
}

func TestMapPageWorksWithoutJavaScript(t *testing.T) {
	doc := parseHTMLWithoutScripts(t, get(t, newTestServer(t).h, "/maps/afghanistan-2021?date=2021-08-14"))
	form := doc.Find("form#date-form")
	if method, _ := form.Attr("method"); method != "get" {
		t.Errorf("date form method = %q, want get", method)
	}
	if action, _ := form.Attr("action"); action != "/maps/afghanistan-2021" {
		t.Errorf("date form action = %q", action)
	}
	if form.Find(`input[name="date"][type="date"]`).Length() != 1 || form.Find(`button[type="submit"]`).Length() != 1 {
		t.Error("the date form needs a date input and a submit button")
	}
	if _, hidden := doc.Find("#date-slider").Attr("hidden"); !hidden {
		t.Error("the slider needs JavaScript and must start hidden")
	}
	if got := doc.Find(`[data-testid="summary"]`).Text(); got != "Taliban: 21 of 34 regions confirmed, 23 with claims, on 14 August 2021. +5 since 13 August 2021." {
		t.Errorf("summary = %q", got)
	}
	if href, _ := doc.Find(`#regions-table tr[data-region="AF-BAL"] th a`).Attr("href"); href != "/maps/afghanistan-2021/regions/AF-BAL?date=2021-08-14" {
		t.Errorf("Balkh history link = %q, want its history at the page's date", href)
	}
}

func TestRegionPage(t *testing.T) {
	h := newTestServer(t).h
	doc := parseHTML(t, get(t, h, "/maps/afghanistan-2021/regions/AF-PAN"))
	if got := doc.Find("h1").Text(); got != "Panjshir" {
		t.Errorf("h1 = %q, want Panjshir", got)
	}
	events := doc.Find(`[data-testid="event"]`)
	if events.Length() != 2 {
		t.Fatalf("%d events, want Panjshir's 2", events.Length())
	}
	first, second := events.Eq(0), events.Eq(1)
	// Dates as the page's language writes them, machine-readable in datetime.
	if first.Find(".event-date").Text() != "17 August 2021" || first.Find(".event-date").AttrOr("datetime", "") != "2021-08-17" || first.Find(".event-faction .faction-name").Text() != "National Resistance Front" {
		t.Errorf("first event = %q", first.Text())
	}
	if !second.HasClass("claimed") || second.Find(".event-date").AttrOr("datetime", "") != "2021-09-06" {
		t.Errorf("second event should be the claimed Taliban takeover: %q", second.Text())
	}
	if href, _ := first.Find(".event-source a").Attr("href"); !strings.HasPrefix(href, "https://") {
		t.Errorf("source link = %q", href)
	}
}

func TestAPIState(t *testing.T) {
	h := newTestServer(t).h
	rec := get(t, h, "/api/maps/afghanistan-2021/state?date=2021-08-14")
	var st apiStateBody
	decodeJSON(t, rec.Body, &st)
	if st.Regions["AF-BAL"] != "taliban" || st.Regions["AF-KAB"] != "government" || len(st.Regions) != 34 {
		t.Errorf("state = %+v", st)
	}
	if st.Counts["taliban"] != 23 || st.Counts["government"] != 11 || st.Counts["resistance"] != 0 {
		t.Errorf("counts = %v", st.Counts)
	}
	// No date means the map's default date.
	var def apiStateBody
	decodeJSON(t, get(t, h, "/api/maps/afghanistan-2021/state").Body, &def)
	if def.Date != "2021-08-14" {
		t.Errorf("default date = %q", def.Date)
	}
}

func TestAPICachingAndCORS(t *testing.T) {
	h := newTestServer(t).h
	for _, target := range []string{
		"/api/maps/afghanistan-2021/state?date=2021-08-14",
		"/api/maps/afghanistan-2021/events",
		"/api/maps/afghanistan-2021/regions.geojson",
	} {
		t.Run(target, func(t *testing.T) {
			first := get(t, h, target, "Origin", "https://news.example")
			etag := first.Header().Get("ETag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			if got := first.Header().Get("Access-Control-Allow-Origin"); got != "*" {
				t.Errorf("Access-Control-Allow-Origin = %q, want *", got)
			}
			again := get(t, h, target, "If-None-Match", etag)
			if again.Code != http.StatusNotModified || again.Body.Len() != 0 {
				t.Errorf("revalidation: status %d with %d bytes, want 304 and none", again.Code, again.Body.Len())
			}
		})
	}
}

func TestRegionsGeoJSON(t *testing.T) {
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			ID         string `json:"id"`
			Properties struct {
				Name string `json:"name"`
			} `json:"properties"`
			Geometry struct {
				Type string `json:"type"`
			} `json:"geometry"`
		} `json:"features"`
	}
	decodeJSON(t, get(t, newTestServer(t).h, "/api/maps/afghanistan-2021/regions.geojson").Body, &fc)
	if fc.Type != "FeatureCollection" || len(fc.Features) != 34 {
		t.Fatalf("type %q with %d features, want a FeatureCollection of 34", fc.Type, len(fc.Features))
	}
	names := map[string]string{}
	for _, f := range fc.Features {
		names[f.ID] = f.Properties.Name
		if f.Geometry.Type != "Polygon" && f.Geometry.Type != "MultiPolygon" {
			t.Errorf("%s is a %s", f.ID, f.Geometry.Type)
		}
	}
	// The corrections to the Natural Earth source data.
	for id, want := range map[string]string{"AF-PAN": "Panjshir", "AF-DAY": "Daykundi", "AF-PKA": "Paktika", "AF-PIA": "Paktia", "AF-BAL": "Balkh"} {
		if names[id] != want {
			t.Errorf("%s is named %q, want %q", id, names[id], want)
		}
	}
}
