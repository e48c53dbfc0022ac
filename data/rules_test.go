package data

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// stateRules is testdata/rules/state.json, the golden cases of the contract's "State at date
// D", which static/test/rules.test.js runs against the browser's timeline too.
type stateRules struct {
	Map struct {
		Start    string       `json:"start"`
		End      string       `json:"end"`
		Initial  string       `json:"initial"`
		Factions []Faction    `json:"factions"`
		Regions  []ruleRegion `json:"regions"`
	} `json:"map"`
	Events []Event `json:"events"` // in recording order
	Cases  []struct {
		Name    string                `json:"name"`
		Date    string                `json:"date"`
		Holders map[string]ruleHolder `json:"holders"`
		Counts  map[string]int        `json:"counts"`
	} `json:"cases"`
}

// ruleRegion is a region of a golden map; series.json's carry populations.
type ruleRegion struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Population int64  `json:"population"`
}

type ruleHolder struct {
	Faction string `json:"faction"`
	Since   string `json:"since"`
	Claimed bool   `json:"claimed"`
}

// TestStateRules stores the golden map, its events recorded in the file's order, and checks
// the state, the fast path's holders and the counts at every date of the cases.
func TestStateRules(t *testing.T) {
	ctx := context.Background()
	s, m, rules := goldenStateMap(t)

	for _, c := range rules.Cases {
		t.Run(c.Name, func(t *testing.T) {
			st, err := s.State(ctx, m, c.Date)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]ruleHolder{}
			for _, h := range st.Holdings {
				got[h.Region.ID] = ruleHolder{Faction: h.Faction, Since: h.Since, Claimed: h.Claimed()}
			}
			if diff := cmp.Diff(c.Holders, got); diff != "" {
				t.Errorf("State at %s (-want +got):\n%s", c.Date, diff)
			}
			if diff := cmp.Diff(c.Counts, st.Counts(m)); diff != "" {
				t.Errorf("Counts at %s (-want +got):\n%s", c.Date, diff)
			}
			holders, err := s.Holders(ctx, m, c.Date)
			if err != nil {
				t.Fatal(err)
			}
			fast := map[string]string{}
			for i, id := range holders.Regions {
				fast[id] = holders.Factions[i]
			}
			want := map[string]string{}
			for id, h := range c.Holders {
				want[id] = h.Faction
			}
			if diff := cmp.Diff(want, fast); diff != "" {
				t.Errorf("Holders at %s (-want +got):\n%s", c.Date, diff)
			}
		})
	}
}

// importRulesMap imports the golden map with its events in recording order. The cases
// include events dated before the map's start and after its end, which an import refuses,
// as an editor narrowing a map's dates leaves them: the map is imported over a range that
// holds every event, then narrowed to the golden range.
func importRulesMap(t *testing.T, s *Store, rules stateRules) *Map {
	t.Helper()
	ctx := context.Background()
	start, end := rules.Map.Start, rules.Map.End
	for _, e := range rules.Events {
		start, end = min(start, e.Date), max(end, e.Date)
	}
	m := Map{Slug: "rules", Title: "Golden rules", Start: start, End: end, DefaultDate: start,
		Initial: rules.Map.Initial, NameProperty: "name", Factions: rules.Map.Factions}
	mapJSON, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var features []string
	for i, r := range rules.Map.Regions {
		pop := ""
		if r.Population > 0 {
			pop = fmt.Sprintf(`,"population":%d`, r.Population)
		}
		features = append(features, fmt.Sprintf(`{"type":"Feature","id":%q,"properties":{"name":%q%s},
			"geometry":{"type":"Polygon","coordinates":[[[%d,0],[%d,0],[%d,1],[%d,1],[%d,0]]]}}`, r.ID, r.Name, pop, i, i+1, i+1, i, i))
	}
	csv := []string{"region,faction,date,source,note,confidence"}
	for _, e := range rules.Events {
		csv = append(csv, strings.Join([]string{e.Region, e.Faction, e.Date, "https://example.org/source", "", e.Confidence}, ","))
	}
	f, err := LoadFolder(fstest.MapFS{
		"map.json":        {Data: mapJSON},
		"regions.geojson": {Data: []byte(`{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`)},
		"events.csv":      {Data: []byte(strings.Join(csv, "\n") + "\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Import(ctx, f, "test", false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE maps SET start_date = ?, end_date = ?, default_date = ? WHERE slug = ?`,
		rules.Map.Start, rules.Map.End, rules.Map.Start, m.Slug); err != nil {
		t.Fatal(err)
	}
	stored, err := s.Map(ctx, m.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Start != rules.Map.Start || stored.End != rules.Map.End {
		t.Fatalf("the map's range is %s..%s after narrowing, want %s..%s", stored.Start, stored.End, rules.Map.Start, rules.Map.End)
	}
	return stored
}

// compareRules is testdata/rules/compare.json, the golden cases of the contract's
// ?compare=D0, which web/rules_test.go and static/test/rules.test.js check too.
type compareRules struct {
	Map    json.RawMessage `json:"map"`
	Events []Event         `json:"events"`
	Cases  []struct {
		Name    string         `json:"name"`
		From    string         `json:"from"`
		To      string         `json:"to"`
		Regions []Difference   `json:"regions"`
		Deltas  map[string]int `json:"deltas"`
	} `json:"cases"`
}

// TestCompareRules stores compare.json's map and events and checks the store's Compare
// between the dates of every case.
func TestCompareRules(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "rules", "compare.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rules compareRules
	if err := json.Unmarshal(raw, &rules); err != nil {
		t.Fatalf("compare.json: %v", err)
	}
	state := stateRules{Events: rules.Events}
	if err := json.Unmarshal(rules.Map, &state.Map); err != nil {
		t.Fatalf("compare.json map: %v", err)
	}
	s := openTestStore(t)
	m := importRulesMap(t, s, state)
	for _, c := range rules.Cases {
		t.Run(c.Name, func(t *testing.T) {
			d, err := s.Compare(context.Background(), m, c.From, c.To)
			if err != nil {
				t.Fatal(err)
			}
			if d.From != c.From || d.To != c.To {
				t.Errorf("Compare's dates are %s to %s, want %s to %s", d.From, d.To, c.From, c.To)
			}
			if diff := cmp.Diff(c.Regions, d.Regions, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("regions changed (-want +got):\n%s", diff)
			}
			if len(d.Places) != 0 {
				t.Errorf("places changed on a map without places: %+v", d.Places)
			}
			if diff := cmp.Diff(c.Deltas, d.Deltas); diff != "" {
				t.Errorf("deltas (-want +got):\n%s", diff)
			}
		})
	}
}

// goldenStateMap is state.json's map stored in a new store, with the file's cases.
func goldenStateMap(t *testing.T) (*Store, *Map, stateRules) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "rules", "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rules stateRules
	if err := json.Unmarshal(raw, &rules); err != nil {
		t.Fatalf("state.json: %v", err)
	}
	s := openTestStore(t)
	return s, importRulesMap(t, s, rules), rules
}
