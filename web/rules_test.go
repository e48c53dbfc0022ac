package web

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/web/i18n"
)

// orDefault is s, or def when s is empty: a golden case's language or calendar.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// The golden cases of testdata/rules, which static/test/rules.test.js runs against the
// browser's modules too: a case failing on either side fails CI. data/rules_test.go checks
// state.json against the store, TestStateAPIRules against the state API.

// readRules decodes testdata/rules/NAME.json into v.
func readRules(t *testing.T, name string, v any) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "rules", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s.json: %v", name, err)
	}
}

func TestDateLabelRules(t *testing.T) {
	var rules struct {
		Formats map[string]i18n.DateFormat `json:"formats"`
		Cases   []struct {
			Lang     string  `json:"lang"`
			Calendar string  `json:"calendar"`
			Date     string  `json:"date"`
			Label    *string `json:"label"`
		} `json:"cases"`
	}
	readRules(t, "dates", &rules)
	cat := i18n.MustNew(slog.New(slog.DiscardHandler))
	// The formats the browser is handed are the server's.
	for _, lang := range i18n.Langs {
		for _, cal := range i18n.Calendars {
			if diff := cmp.Diff(rules.Formats[lang+"/"+cal], cat.For(lang).Dates(cal)); diff != "" {
				t.Errorf("dates.json's format %s/%s is not the server's (-json +server):\n%s", lang, cal, diff)
			}
		}
	}
	for _, c := range rules.Cases {
		lang, cal := orDefault(c.Lang, "en"), orDefault(c.Calendar, "gregorian")
		t.Run(lang+"/"+cal+"/"+c.Date, func(t *testing.T) {
			got, err := formatDateLabel(cat.For(lang).Dates(cal), c.Date)
			switch {
			case c.Label == nil && err == nil:
				t.Errorf("formatDateLabel(%q) = %q, want it refused", c.Date, got)
			case c.Label != nil && err != nil:
				t.Errorf("formatDateLabel(%q): %v, want %q", c.Date, err, *c.Label)
			case c.Label != nil && got != *c.Label:
				t.Errorf("formatDateLabel(%q) = %q, want %q", c.Date, got, *c.Label)
			}
		})
	}
}

func TestSummaryRules(t *testing.T) {
	var rules struct {
		Templates       map[string]string `json:"templates"`
		ClaimsTemplates map[string]string `json:"claimsTemplates"`
		SinceTemplates  map[string]string `json:"sinceTemplates"`
		Cases           []struct {
			Name     string         `json:"name"`
			Lang     string         `json:"lang"`
			Factions []data.Faction `json:"factions"`
			Counts   map[string]int `json:"counts"`
			Claimed  map[string]int `json:"claimed"`
			Total    int            `json:"total"`
			Label    string         `json:"label"`
			Before   *summaryBefore `json:"before"`
			Want     string         `json:"want"`
		} `json:"cases"`
	}
	readRules(t, "summary", &rules)
	cat := i18n.MustNew(slog.New(slog.DiscardHandler))
	for _, lang := range i18n.Langs {
		loc := cat.For(lang)
		for _, tt := range []struct {
			name   string
			golden map[string]string
			id     string
		}{{"template", rules.Templates, "Summary"}, {"claimsTemplate", rules.ClaimsTemplates, "SummaryClaims"}, {"sinceTemplate", rules.SinceTemplates, "SummarySince"}} {
			if got := loc.T(tt.id); tt.golden[lang] != got {
				t.Errorf("summary.json's %s in %s is %q, the server's %q", tt.name, lang, tt.golden[lang], got)
			}
		}
	}
	for _, c := range rules.Cases {
		t.Run(c.Name, func(t *testing.T) {
			var legend []legendItem
			for _, f := range c.Factions {
				legend = append(legend, legendItem{Faction: f, Count: c.Counts[f.ID], Claimed: c.Claimed[f.ID]})
			}
			labels := newScriptLabels(cat.For(orDefault(c.Lang, "en")), "")
			if got := summary(labels, legend, c.Total, c.Label, c.Before); got != c.Want {
				t.Errorf("summary = %q, want %q", got, c.Want)
			}
		})
	}
}

func TestPreviewRules(t *testing.T) {
	var rules struct {
		Words    previewWords   `json:"words"`
		Factions []data.Faction `json:"factions"`
		Cases    []struct {
			Name   string `json:"name"`
			Region string `json:"region"`
			Held   struct {
				Faction string `json:"faction"`
				Since   string `json:"since"`
			} `json:"held"`
			Corrects *data.Event `json:"corrects"`
			Change   data.Event  `json:"change"`
			Want     string      `json:"want"`
		} `json:"cases"`
		Summaries []struct {
			Name             string `json:"name"`
			Total, Unchanged int
			Want             string `json:"want"`
		} `json:"summaries"`
	}
	readRules(t, "preview", &rules)
	m := &data.Map{Factions: rules.Factions}
	for _, c := range rules.Cases {
		t.Run(c.Name, func(t *testing.T) {
			if got := previewText(&rules.Words, m, c.Region, c.Held.Faction, c.Held.Since, c.Change, c.Corrects); got != c.Want {
				t.Errorf("preview = %q, want %q", got, c.Want)
			}
		})
	}
	for _, c := range rules.Summaries {
		t.Run("summary/"+c.Name, func(t *testing.T) {
			if got := previewSummary(&rules.Words, c.Total, c.Unchanged); got != c.Want {
				t.Errorf("summary = %q, want %q", got, c.Want)
			}
		})
	}
}

type linkRules struct {
	Placeholder string `json:"placeholder"`
	Cases       []struct {
		Name      string   `json:"name"`
		Base      string   `json:"base"`
		Slug      string   `json:"slug"`
		Lang      string   `json:"lang"`
		Title     string   `json:"title"`
		Theme     string   `json:"theme"`
		Date      string   `json:"date"`
		Compare   string   `json:"compare"`
		Start     string   `json:"start"`
		Templates mapLinks `json:"templates"`
		Want      mapLinks `json:"want"`
	} `json:"cases"`
}

func TestLinkRules(t *testing.T) {
	var rules linkRules
	readRules(t, "links", &rules)
	if rules.Placeholder != datePlaceholder {
		t.Errorf("links.json's placeholder is %q, the server's %q", rules.Placeholder, datePlaceholder)
	}
	for _, c := range rules.Cases {
		t.Run(c.Name, func(t *testing.T) {
			links := newMapLinks(c.Base, &data.Map{Slug: c.Slug, Title: c.Title, Start: c.Start}, c.Lang, c.Theme)
			if diff := cmp.Diff(c.Templates, links); diff != "" {
				t.Errorf("templates (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.Want, links.at(c.Date, c.Compare)); diff != "" {
				t.Errorf("links at %s (-want +got):\n%s", c.Date, diff)
			}
		})
	}
}

// TestMapPageLinksFromTemplates reads the built-in map's page, as an editor, who also sees
// the link to the change form: what it renders at a date is links.json's first case, and
// what it hands the browser are that case's templates.
func TestMapPageLinksFromTemplates(t *testing.T) {
	var rules linkRules
	readRules(t, "links", &rules)
	c := rules.Cases[0]
	if c.Slug != "afghanistan-2021" || c.Base != "http://example.com" {
		t.Fatalf("links.json's first case is %s on %s, want the built-in map on httptest's http://example.com", c.Slug, c.Base)
	}
	editor := newClient(t, newTestServer(t, withEditor("alice")).h)
	editor.signIn()
	doc := parseHTML(t, editor.get("/maps/afghanistan-2021?date="+c.Date))
	attr := func(sel, name string) string {
		v, ok := doc.Find(sel).Attr(name)
		if !ok {
			t.Errorf("%s has no %s", sel, name)
		}
		return v
	}
	rendered := mapLinks{
		Page: attr("#share-link", "href"), GeoJSON: attr("#download-geojson", "href"), CSV: attr("#download-csv", "href"),
		PNG: attr("#download-png", "href"), SVG: attr("#download-svg", "href"), GIF: attr("#download-gif", "href"),
		Embed:        attr("#embed-preview", "data-src"),
		Edit:         attr(`[data-testid="edit-link"]`, "href"),
		IframePinned: attr("#embed-code", "data-iframe-pinned"), PymPinned: attr("#embed-code", "data-pym-pinned"),
	}
	if diff := cmp.Diff(c.Want, rendered); diff != "" {
		t.Errorf("links rendered at %s (-want +got):\n%s", c.Date, diff)
	}
	templates := mapLinks{
		GeoJSON: attr("#download-geojson", "data-href-template"), CSV: attr("#download-csv", "data-href-template"),
		PNG: attr("#download-png", "data-href-template"), SVG: attr("#download-svg", "data-href-template"),
		GIF:   attr("#download-gif", "data-href-template"),
		Embed: attr("#embed-preview", "data-src-template"), Edit: attr(`[data-testid="edit-link"]`, "data-href-template"),
		IframePinned: attr("#embed-code", "data-iframe-template"),
		PymPinned:    attr("#embed-code", "data-pym-template"),
	}
	var script mapScript
	if err := json.Unmarshal([]byte(doc.Find("script#map-data").Text()), &script); err != nil {
		t.Fatalf("map-data: %v", err)
	}
	if script.Links == nil {
		t.Fatal("map-data has no links")
	}
	templates.Page = script.Links.Page
	if diff := cmp.Diff(c.Templates, templates); diff != "" {
		t.Errorf("templates in the page's attributes and map-data's links (-want +got):\n%s", diff)
	}
	l := c.Templates
	want := scriptLinks{Page: l.Page, GeoJSON: l.GeoJSON, CSV: l.CSV, PNG: l.PNG, SVG: l.SVG, Embed: l.Embed, Edit: l.Edit}
	if diff := cmp.Diff(want, *script.Links); diff != "" {
		t.Errorf("templates in map-data (-want +got):\n%s", diff)
	}
	loc := i18n.MustNew(slog.New(slog.DiscardHandler)).For("en")
	for _, tt := range []struct{ got, id string }{{script.Labels.Summary, "Summary"}, {script.Labels.SummaryClaims, "SummaryClaims"}, {script.Labels.SummarySince, "SummarySince"}} {
		if want := loc.T(tt.id); tt.got != want {
			t.Errorf("map-data labels' %s = %q, want %q", tt.id, tt.got, want)
		}
	}
}

// TestStateAPIRules serves state.json's map and reads the state API at every date of its
// cases: the regions and counts of the contract's state document, counted by the API's own
// encoder (appendState). The API shows no "since", so the map is imported over a range that
// holds every event (an import refuses events outside it) and the cases' dates lie inside.
func TestStateAPIRules(t *testing.T) {
	var rules struct {
		Map struct {
			Initial  string         `json:"initial"`
			Factions []data.Faction `json:"factions"`
			Regions  []struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			} `json:"regions"`
		} `json:"map"`
		Events []data.Event `json:"events"`
		Cases  []struct {
			Name    string `json:"name"`
			Date    string `json:"date"`
			Holders map[string]struct {
				Faction string `json:"faction"`
			} `json:"holders"`
			Counts map[string]int `json:"counts"`
		} `json:"cases"`
	}
	readRules(t, "state", &rules)
	start, end := rules.Cases[0].Date, rules.Cases[0].Date
	for _, e := range rules.Events {
		start, end = min(start, e.Date), max(end, e.Date)
	}
	mapJSON, err := json.Marshal(data.Map{Slug: "rules", Title: "Golden rules", Start: start, End: end, DefaultDate: start,
		Initial: rules.Map.Initial, NameProperty: "name", Factions: rules.Map.Factions})
	if err != nil {
		t.Fatal(err)
	}
	var features []string
	for i, r := range rules.Map.Regions {
		features = append(features, fmt.Sprintf(`{"type":"Feature","id":%q,"properties":{"name":%q},
			"geometry":{"type":"Polygon","coordinates":[[[%d,0],[%d,0],[%d,1],[%d,1],[%d,0]]]}}`, r.ID, r.Name, i, i+1, i+1, i, i))
	}
	csv := []string{"region,faction,date,source,note,confidence"}
	for _, e := range rules.Events { // in recording order
		csv = append(csv, strings.Join([]string{e.Region, e.Faction, e.Date, "https://example.org/source", "", e.Confidence}, ","))
	}
	h := newTestServer(t, withMaps(fstest.MapFS{
		"map.json":        {Data: mapJSON},
		"regions.geojson": {Data: []byte(`{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`)},
		"events.csv":      {Data: []byte(strings.Join(csv, "\n") + "\n")},
	})).h
	for _, c := range rules.Cases {
		t.Run(c.Name, func(t *testing.T) {
			rec := get(t, h, "/api/maps/rules/state?date="+c.Date)
			if rec.Code != http.StatusOK {
				t.Fatalf("state at %s: %d %s", c.Date, rec.Code, rec.Body)
			}
			var got apiStateBody
			decodeJSON(t, rec.Body, &got)
			want := apiStateBody{Date: c.Date, Regions: map[string]string{}, Counts: c.Counts}
			for id, holder := range c.Holders {
				want.Regions[id] = holder.Faction
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("state document (-want +got):\n%s", diff)
			}
		})
	}
}

func TestChangesRules(t *testing.T) {
	var rules struct {
		Cases []struct {
			Name    string            `json:"name"`
			Max     int               `json:"max"`
			Initial string            `json:"initial"`
			Before  map[string]string `json:"before"`
			Events  []data.Event      `json:"events"`
			Want    struct {
				Items []dayChangeRow `json:"items"`
				More  int            `json:"more"`
			} `json:"want"`
		} `json:"cases"`
	}
	readRules(t, "changes", &rules)
	for _, c := range rules.Cases {
		t.Run(c.Name, func(t *testing.T) {
			items, more := changesOfDay(c.Events, func(id string) string {
				if f, ok := c.Before[id]; ok {
					return f
				}
				return c.Initial
			}, c.Max)
			if items == nil {
				items = []dayChangeRow{}
			}
			if diff := cmp.Diff(c.Want.Items, items); diff != "" {
				t.Errorf("items (-want +got):\n%s", diff)
			}
			if more != c.Want.More {
				t.Errorf("more = %d, want %d", more, c.Want.More)
			}
		})
	}
}

// TestPreviewWordsAreTheCatalogues: the golden cases' words are English's, as the change
// form hands them to the browser, so the cases test the sentences a reader sees.
func TestPreviewWordsAreTheCatalogues(t *testing.T) {
	var rules struct {
		Words previewWords `json:"words"`
	}
	readRules(t, "preview", &rules)
	want := newPreviewWords(english().loc)
	want.Remove = ""
	if diff := cmp.Diff(want, &rules.Words); diff != "" {
		t.Errorf("preview.json's words differ from active.en.toml's (-catalogue +golden):\n%s", diff)
	}
}
