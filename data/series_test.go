package data

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"

	"github.com/frontline-maps/frontline/geo"
)

// seriesRules is testdata/rules/series.json: a golden map, its events in recording order and
// the series' points, per faction [confirmed, claimed].
type seriesRules struct {
	stateRules
	Totals struct {
		Regions    int64 `json:"regions"`
		Population int64 `json:"population"`
	} `json:"totals"`
	Points []struct {
		Name       string              `json:"name"`
		Date       string              `json:"date"`
		Regions    map[string][2]int64 `json:"regions"`
		Population map[string][2]int64 `json:"population"`
	} `json:"points"`
}

// readSeriesRules reads series.json.
func readSeriesRules(t *testing.T) seriesRules {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "rules", "series.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rules seriesRules
	if err := json.Unmarshal(raw, &rules); err != nil {
		t.Fatalf("series.json: %v", err)
	}
	return rules
}

// byFaction turns splits in display order into series.json's form.
func byFaction(factions []string, splits []Split) map[string][2]int64 {
	out := map[string][2]int64{}
	for i, s := range splits {
		out[factions[i]] = [2]int64{s.Confirmed, s.Claimed}
	}
	return out
}

func TestSeriesRules(t *testing.T) {
	rules := readSeriesRules(t)
	s := openTestStore(t)
	m := importRulesMap(t, s, rules.stateRules)
	series, err := s.Series(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if series.Regions != rules.Totals.Regions || series.Population != rules.Totals.Population {
		t.Errorf("totals: %d regions, population %d; want %d, %d", series.Regions, series.Population, rules.Totals.Regions, rules.Totals.Population)
	}
	// Every region is a 1° square at the equator, as importRulesMap draws them.
	square := geo.AreaKm2(orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}})
	if want := int64(math.Round(4 * square)); series.AreaKm2 != want {
		t.Errorf("total area %d km², want %d", series.AreaKm2, want)
	}
	var dates []string
	for _, p := range series.Points {
		dates = append(dates, p.Date)
	}
	var want []string
	for _, p := range rules.Points {
		want = append(want, p.Date)
	}
	if diff := cmp.Diff(want, dates); diff != "" {
		t.Fatalf("dates (-want +got):\n%s", diff)
	}
	for i, c := range rules.Points {
		t.Run(c.Name, func(t *testing.T) {
			p := series.Points[i]
			if diff := cmp.Diff(c.Regions, byFaction(series.Factions, p.Regions)); diff != "" {
				t.Errorf("regions on %s (-want +got):\n%s", c.Date, diff)
			}
			if diff := cmp.Diff(c.Population, byFaction(series.Factions, p.Population)); diff != "" {
				t.Errorf("population on %s (-want +got):\n%s", c.Date, diff)
			}
			for f, a := range p.AreaKm2 {
				r := p.Regions[f]
				if math.Abs(float64(a.Confirmed)-float64(r.Confirmed)*square) > 1 || math.Abs(float64(a.Claimed)-float64(r.Claimed)*square) > 1 {
					t.Errorf("%s's area on %s = %+v km², want %+v regions of %.0f km²", series.Factions[f], c.Date, a, r, square)
				}
			}
		})
	}
}

// TestSeriesOncePerRevision: the series is computed once per revision, and again after an
// event is recorded.
func TestSeriesOncePerRevision(t *testing.T) {
	ctx := context.Background()
	rules := readSeriesRules(t)
	s := openTestStore(t)
	m := importRulesMap(t, s, rules.stateRules)
	first, err := s.Series(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.Series(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	if first != again {
		t.Error("the series was computed twice at one revision")
	}
	e := Event{Region: "C", Faction: "con", Date: "2021-03-20", Source: "https://example.org/x", Confidence: Confirmed}
	if err := s.Record(ctx, m.Slug, &e, "test", 0); err != nil {
		t.Fatal(err)
	}
	next, err := s.Series(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	last := next.Points[len(next.Points)-1]
	if next == first || last.Date != "2021-03-20" || last.Regions[2].Confirmed != 1 {
		t.Errorf("after an event on 2021-03-20 the last point is %+v, want con holding 1 region on 2021-03-20", last)
	}
}
