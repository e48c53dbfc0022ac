package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"github.com/frontline-maps/frontline/data"
)

// compareRules is testdata/rules/compare.json (data/rules_test.go describes it).
type compareRules struct {
	Map struct {
		Start, End string
		Initial    string         `json:"initial"`
		Factions   []data.Faction `json:"factions"`
		Regions    []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"regions"`
	} `json:"map"`
	Events []data.Event `json:"events"`
	Cases  []struct {
		Name    string            `json:"name"`
		From    string            `json:"from"`
		To      string            `json:"to"`
		Regions []data.Difference `json:"regions"`
		Deltas  map[string]int    `json:"deltas"`
	} `json:"cases"`
}

// TestCompareAPIRules serves compare.json's map and reads the state API with compare at
// the dates of every case: the "compare" member is the case's diff.
func TestCompareAPIRules(t *testing.T) {
	var rules compareRules
	readRules(t, "compare", &rules)
	mapJSON, err := json.Marshal(data.Map{Slug: "rules", Title: "Golden rules", Start: rules.Map.Start, End: rules.Map.End,
		DefaultDate: rules.Map.Start, Initial: rules.Map.Initial, NameProperty: "name", Factions: rules.Map.Factions})
	if err != nil {
		t.Fatal(err)
	}
	var features []string
	for i, r := range rules.Map.Regions {
		features = append(features, fmt.Sprintf(`{"type":"Feature","id":%q,"properties":{"name":%q},
			"geometry":{"type":"Polygon","coordinates":[[[%d,0],[%d,0],[%d,1],[%d,1],[%d,0]]]}}`, r.ID, r.Name, i, i+1, i+1, i, i))
	}
	csv := []string{"region,faction,date,source,note,confidence"}
	for _, e := range rules.Events {
		csv = append(csv, strings.Join([]string{e.Region, e.Faction, e.Date, "https://example.org/source", "", e.Confidence}, ","))
	}
	h := newTestServer(t, withMaps(fstest.MapFS{
		"map.json":        {Data: mapJSON},
		"regions.geojson": {Data: []byte(`{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`)},
		"events.csv":      {Data: []byte(strings.Join(csv, "\n") + "\n")},
	})).h
	for _, c := range rules.Cases {
		t.Run(c.Name, func(t *testing.T) {
			rec := get(t, h, "/api/maps/rules/state?date="+c.To+"&compare="+c.From)
			if rec.Code != http.StatusOK {
				t.Fatalf("state at %s compared with %s: %d %s", c.To, c.From, rec.Code, rec.Body)
			}
			var got struct {
				Date    string     `json:"date"`
				Compare apiCompare `json:"compare"`
			}
			decodeJSON(t, rec.Body, &got)
			want := apiCompare{Date: c.From, Regions: c.Regions, Places: []data.Difference{}, Deltas: c.Deltas}
			if got.Date != c.To {
				t.Errorf("date = %s, want %s", got.Date, c.To)
			}
			if diff := cmp.Diff(want, got.Compare); diff != "" {
				t.Errorf("compare (-want +got):\n%s", diff)
			}
		})
	}
}

// TestStateCompareBuiltIn compares the built-in map's 14 and 15 August 2021: Kabul the
// province and Kabul the city changed, and the state part is the plain state document.
func TestStateCompareBuiltIn(t *testing.T) {
	h := newTestServer(t).h
	plain := get(t, h, "/api/maps/afghanistan-2021/state?date=2021-08-15").Body.String()
	rec := get(t, h, "/api/maps/afghanistan-2021/state?date=2021-08-15&compare=2021-08-14")
	if rec.Code != http.StatusOK {
		t.Fatalf("compared: %d %s", rec.Code, rec.Body)
	}
	var got, want map[string]json.RawMessage
	decodeJSON(t, rec.Body, &got)
	decodeJSON(t, strings.NewReader(plain), &want)
	var diff apiCompare
	if err := json.Unmarshal(got["compare"], &diff); err != nil {
		t.Fatalf("compare member: %v", err)
	}
	delete(got, "compare")
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("the state part differs from the plain state document (-plain +compared):\n%s", d)
	}
	changed := func(list []data.Difference, id string) *data.Difference {
		for i := range list {
			if list[i].ID == id {
				return &list[i]
			}
		}
		return nil
	}
	kab := changed(diff.Regions, "AF-KAB")
	if kab == nil || kab.From.Faction != "government" || kab.To.Faction != "taliban" {
		t.Errorf("AF-KAB's change = %+v, want government to taliban", kab)
	}
	if city := changed(diff.Places, "kabul"); city == nil || city.To.Faction != "taliban" {
		t.Errorf("the place kabul's change = %+v, want one to taliban", city)
	}
	// Regions that went from the government to the Taliban move the deltas; a claim the
	// day confirmed (Paktia's) is a change of confidence, listed but counted in no delta.
	moved := 0
	for _, d := range diff.Regions {
		if d.From.Faction != d.To.Faction {
			if d.From.Faction != "government" || d.To.Faction != "taliban" {
				t.Errorf("%s went from %s to %s, want government to taliban", d.ID, d.From.Faction, d.To.Faction)
			}
			moved++
		}
	}
	if diff.Deltas["taliban"] != moved || diff.Deltas["government"] != -moved {
		t.Errorf("deltas = %v for %d regions from government to taliban that day", diff.Deltas, moved)
	}
	if empty := get(t, h, "/api/maps/afghanistan-2021/state?date=2021-08-15&compare="); empty.Body.String() != plain {
		t.Errorf("an empty compare is not the plain document: %s", empty.Body)
	}
}

// TestCompareBad refuses a compare that is no date or outside the map's range, on the API,
// the map page and the embed, with a message naming the form and the range.
func TestCompareBad(t *testing.T) {
	h := newTestServer(t).h
	for _, bad := range []string{"yesterday", "2021-02-30", "2021-8-14", "2021-07-31", "2021-09-16"} {
		for _, path := range []string{"/api/maps/afghanistan-2021/state", "/maps/afghanistan-2021", "/embed/afghanistan-2021"} {
			t.Run(path+"/"+bad, func(t *testing.T) {
				rec := get(t, h, path+"?date=2021-08-15&compare="+bad)
				if rec.Code != http.StatusBadRequest {
					t.Fatalf("%d, want 400", rec.Code)
				}
				for _, want := range []string{"YYYY-MM-DD", "2021-08-01 to 2021-09-15", "compare"} {
					if !strings.Contains(rec.Body.String(), want) {
						t.Errorf("the message does not name %q: %s", want, rec.Body)
					}
				}
			})
		}
	}
}

// TestComparePageRendered: with compare, the map page and the embed list what changed and
// the legend's deltas without JavaScript, and the links carry the comparison; without, the
// list and deltas are there for the script, hidden.
func TestComparePageRendered(t *testing.T) {
	h := newTestServer(t).h
	for _, path := range []string{"/maps/afghanistan-2021", "/embed/afghanistan-2021"} {
		t.Run(path, func(t *testing.T) {
			doc := parseHTML(t, get(t, h, path+"?date=2021-08-15&compare=2021-08-14"))
			section := doc.Find(`[data-testid="compare"]`)
			if section.Length() != 1 || section.AttrOr("hidden", "none") != "none" {
				t.Fatalf("the comparison is missing or hidden: %d", section.Length())
			}
			if got := doc.Find(`[data-testid="compare-date"]`).Text(); !strings.Contains(got, "14 August 2021") {
				t.Errorf("compare date = %q", got)
			}
			kabul := doc.Find(`#compare-list li[data-region="AF-KAB"]`)
			if got := strings.Join(strings.Fields(kabul.Text()), " "); got != "Kabul: Islamic Republic of Afghanistan → Taliban" {
				t.Errorf("Kabul's row = %q", got)
			}
			if doc.Find(`#compare-list li[data-region="kabul"][data-place]`).Length() != 1 {
				t.Errorf("the place Kabul is not listed as a place")
			}
			// Every row but a claim confirmed (Paktia: Taliban, claimed → Taliban) is a
			// region the Taliban took that day.
			n := 0
			doc.Find(`#compare-list li:not([data-place])`).Each(func(_ int, s *goquery.Selection) {
				if !strings.Contains(strings.Join(strings.Fields(s.Text()), " "), ": Taliban") {
					n++
				}
			})
			if got, want := doc.Find(`[data-testid="delta-taliban"]`).Text(), fmt.Sprintf("+%d", n); got != want {
				t.Errorf("Taliban's delta = %q, want %q (%d regions changed to the Taliban)", got, want, n)
			}
			if got := doc.Find(`[data-testid="delta-resistance"]`).Text(); got != "±0" {
				t.Errorf("resistance's delta = %q, want ±0", got)
			}
			if got := doc.Find(`#compare-input`).AttrOr("value", ""); got != "2021-08-14" {
				t.Errorf("the form's compare = %q, want 2021-08-14", got)
			}
		})
	}
	doc := parseHTML(t, get(t, h, "/maps/afghanistan-2021?date=2021-08-15&compare=2021-08-14"))
	if got := doc.Find("#share-link").AttrOr("href", ""); got != "/maps/afghanistan-2021?date=2021-08-15&compare=2021-08-14" {
		t.Errorf("share link = %q", got)
	}
	if got := doc.Find("#embed-code").AttrOr("data-iframe-pinned", ""); !strings.Contains(got, "?date=2021-08-15&compare=2021-08-14") {
		t.Errorf("pinned iframe code = %q, without the comparison", got)
	}
	if got := doc.Find("#download-gif").AttrOr("href", ""); got != "/maps/afghanistan-2021/2021-08-01_2021-08-15.gif" {
		t.Errorf("GIF link = %q", got)
	}
	var script mapScript
	if err := json.Unmarshal([]byte(doc.Find("script#map-data").Text()), &script); err != nil {
		t.Fatal(err)
	}
	if script.Compare != "2021-08-14" {
		t.Errorf("map-data's compare = %q", script.Compare)
	}

	plain := parseHTML(t, get(t, h, "/maps/afghanistan-2021?date=2021-08-15"))
	if _, hidden := plain.Find(`[data-testid="compare"]`).Attr("hidden"); !hidden {
		t.Errorf("without compare, the comparison shows")
	}
	if _, hidden := plain.Find(`[data-testid="delta-taliban"]`).Attr("hidden"); !hidden {
		t.Errorf("without compare, the deltas show")
	}
	if got := plain.Find("#share-link").AttrOr("href", ""); got != "/maps/afghanistan-2021?date=2021-08-15" {
		t.Errorf("share link without compare = %q", got)
	}
}

// TestDeltaLabelRules writes compare.json's deltas as the legend shows them.
func TestDeltaLabelRules(t *testing.T) {
	var rules struct {
		DeltaLabels []struct {
			N     int    `json:"n"`
			Label string `json:"label"`
		} `json:"deltaLabels"`
	}
	readRules(t, "compare", &rules)
	if len(rules.DeltaLabels) == 0 {
		t.Fatal("compare.json has no deltaLabels")
	}
	for _, c := range rules.DeltaLabels {
		if got := formatDelta(c.N); got != c.Label {
			t.Errorf("formatDelta(%d) = %q, want %q", c.N, got, c.Label)
		}
	}
}
