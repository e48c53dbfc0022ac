package web

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPlacesAPI(t *testing.T) {
	h := newTestServer(t).h
	t.Run("places.geojson", func(t *testing.T) {
		rec := get(t, h, "/api/maps/afghanistan-2021/places.geojson")
		if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/geo+json" || rec.Header().Get("ETag") == "" {
			t.Fatalf("%d %v", rec.Code, rec.Header())
		}
		var fc struct {
			Type     string `json:"type"`
			Features []struct {
				ID         string `json:"id"`
				Properties struct {
					Name, Kind string
				} `json:"properties"`
				Geometry struct {
					Type        string     `json:"type"`
					Coordinates [2]float64 `json:"coordinates"`
				} `json:"geometry"`
			} `json:"features"`
		}
		decodeJSON(t, rec.Body, &fc)
		if fc.Type != "FeatureCollection" || len(fc.Features) != 35 {
			t.Fatalf("%s of %d features, want the 35 places", fc.Type, len(fc.Features))
		}
		for _, f := range fc.Features {
			if f.ID == "kabul" {
				if f.Properties.Name != "Kabul" || f.Properties.Kind != "capital" || f.Geometry.Type != "Point" || f.Geometry.Coordinates != [2]float64{69.17233, 34.52813} {
					t.Errorf("kabul: %+v", f)
				}
				return
			}
		}
		t.Error("no kabul")
	})
	t.Run("state document", func(t *testing.T) {
		for date, want := range map[string]map[string]string{
			"2021-08-14": {"mazar-i-sharif": "taliban", "pul-e-alam": "taliban", "kabul": "government"},
			"2021-08-15": {"mazar-i-sharif": "taliban", "pul-e-alam": "taliban", "kabul": "taliban"},
		} {
			rec := get(t, h, "/api/maps/afghanistan-2021/state?date="+date)
			var doc struct {
				Regions map[string]string `json:"regions"`
				Places  map[string]string `json:"places"`
				Counts  map[string]int    `json:"counts"`
			}
			decodeJSON(t, rec.Body, &doc)
			got := map[string]string{}
			for id := range want {
				got[id] = doc.Places[id]
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: places (-want +got):\n%s", date, diff)
			}
			n := 0
			for _, c := range doc.Counts {
				n += c
			}
			if len(doc.Regions) != 34 || len(doc.Places) != 35 || n != 34 {
				t.Errorf("%s: %d regions, %d places, counts adding to %d; want 34, 35, 34 (counts are of regions)", date, len(doc.Regions), len(doc.Places), n)
			}
		}
	})
	t.Run("events of a place", func(t *testing.T) {
		rec := get(t, h, "/api/maps/afghanistan-2021/events?region=kabul")
		var events []struct{ Region, Faction, Date string }
		decodeJSON(t, rec.Body, &events)
		if rec.Code != 200 || len(events) != 1 || events[0].Date != "2021-08-15" || events[0].Faction != "taliban" {
			t.Errorf("%d %+v", rec.Code, events)
		}
	})
	t.Run("downloads mark places", func(t *testing.T) {
		rec := get(t, h, "/api/maps/afghanistan-2021/state.csv?date=2021-08-14")
		rows, err := csv.NewReader(rec.Body).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		byID := map[string][]string{}
		for _, r := range rows[1:] {
			byID[r[0]] = r
		}
		if len(rows) != 1+34+35 || byID["kabul"][2] != "government" || byID["kabul"][8] != "place" || byID["AF-KAB"][8] != "region" {
			t.Errorf("%d rows; kabul %v; AF-KAB %v", len(rows), byID["kabul"], byID["AF-KAB"])
		}
		rec = get(t, h, "/api/maps/afghanistan-2021/state.geojson?date=2021-08-15")
		var fc struct {
			Features []struct {
				ID         string          `json:"id"`
				Properties stateProperties `json:"properties"`
				Geometry   json.RawMessage `json:"geometry"`
			} `json:"features"`
		}
		decodeJSON(t, rec.Body, &fc)
		var places int
		for _, f := range fc.Features {
			if f.Properties.Place {
				places++
				if !strings.Contains(string(f.Geometry), `"Point"`) {
					t.Errorf("place %s is not a Point: %s", f.ID, f.Geometry)
				}
			}
			if f.ID == "kabul" && (f.Properties.Faction != "taliban" || !f.Properties.Place || f.Properties.Kind != "capital") {
				t.Errorf("kabul: %+v", f.Properties)
			}
		}
		if len(fc.Features) != 69 || places != 35 {
			t.Errorf("%d features, %d places; want 69, 35", len(fc.Features), places)
		}
	})
}

// Without JavaScript the map page lists the places and their holders below the regions.
func TestMapPageListsPlaces(t *testing.T) {
	h := newTestServer(t).h
	for date, want := range map[string]map[string]string{
		"2021-08-14": {"mazar-i-sharif": "taliban", "pul-e-alam": "taliban", "kabul": "government"},
		"2021-08-15": {"kabul": "taliban"},
	} {
		doc := parseHTML(t, get(t, h, "/maps/afghanistan-2021?date="+date))
		rows := doc.Find(`[data-testid="place-rows"] tr[data-region]`)
		if rows.Length() != 35 {
			t.Errorf("%s: %d place rows, want 35", date, rows.Length())
		}
		for id, faction := range want {
			row := rows.Filter(`[data-region="` + id + `"]`)
			if got, _ := row.Find("td.holder").Attr("data-faction"); got != faction {
				t.Errorf("%s: %s held by %q, want %q", date, id, got, faction)
			}
			if href, _ := row.Find("th a").Attr("href"); href != "/maps/afghanistan-2021/places/"+id+"?date="+date {
				t.Errorf("%s: %s links to %q, want its history at the page's date", date, id, href)
			}
		}
		if n := doc.Find(`#regions-table tbody:not(.place-rows) tr[data-region]`).Length(); n != 34 {
			t.Errorf("%s: %d region rows, want 34", date, n)
		}
	}
}

func TestPlacePage(t *testing.T) {
	h := newTestServer(t).h
	tests := []struct {
		path   string
		status int
		want   []string
	}{
		{"/maps/afghanistan-2021/places/kabul", 200, []string{"<h1>Kabul</h1>", `Capital of <a href="/maps/afghanistan-2021/regions/AF-KAB">Kabul</a>`, `datetime="2021-08-15">15 August 2021`, "Fall_of_Kabul_(2021)"}},
		{"/maps/afghanistan-2021/places/char-asyab", 200, []string{"<h1>Char Asyab</h1>", "Kind of place: district", "(claimed)"}},
		// A region is not a place, nor a place a region: each has its own page, where a
		// link to the other's path is sent (TestHistoryLinksAsPeopleWriteThem).
		{"/maps/afghanistan-2021/places/AF-KAB", 302, nil},
		{"/maps/afghanistan-2021/regions/kabul", 302, nil},
		{"/maps/afghanistan-2021/places/nowhere", 404, nil},
		{"/maps/nowhere/places/kabul", 404, nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			rec := get(t, h, tt.path)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			body := rec.Body.String()
			doc := parseHTML(t, rec)
			if tt.status == 200 && doc.Find(`[data-testid="region-history"] [data-testid="event"]`).Length() == 0 {
				t.Error("no events in the history")
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
		})
	}
}

// The picture of a date draws the places over the regions in their holders' colours.
func TestPictureDrawsPlaces(t *testing.T) {
	h := newTestServer(t).h
	rec := get(t, h, "/maps/afghanistan-2021/2021-08-14.svg")
	if rec.Code != 200 {
		t.Fatalf("svg: %d", rec.Code)
	}
	doc := parseHTML(t, rec)
	places := doc.Find("circle[data-place]")
	if places.Length() != 35 {
		t.Errorf("%d places drawn, want 35", places.Length())
	}
	for id, want := range map[string]string{"kabul": "fill=#2f6db5", "mazar-i-sharif": "fill=#d9a441", "char-asyab": "stroke=#d9a441"} {
		c := places.Filter(`[data-place="` + id + `"]`)
		attr, value, _ := strings.Cut(want, "=")
		if got, _ := c.Attr(attr); got != value {
			t.Errorf("%s: %s %q, want %q", id, attr, got, value)
		}
	}
	if rec := get(t, h, "/maps/afghanistan-2021/2021-08-15.png"); rec.Code != 200 || rec.Header().Get("Content-Type") != "image/png" {
		t.Errorf("png: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
}
