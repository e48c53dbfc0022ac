package data

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// testPlaces are two places of the test map: a capital inside R0 and a town inside R2.
const testPlaces = `{"type":"FeatureCollection","features":[
	{"type":"Feature","id":"P-CAP","properties":{"name":"Capital City","kind":"capital","population":120000},"geometry":{"type":"Point","coordinates":[0.5,0.5]}},
	{"type":"Feature","id":"P-TOWN","properties":{"name":"Hill Town","kind":"town"},"geometry":{"type":"Point","coordinates":[2.5,0.5]}}]}`

// placesFolder is the test folder with testPlaces and events naming places by id and by name.
func placesFolder() fstest.MapFS {
	fsys := testFolder("region,faction,date,source,note,confidence\n" +
		"R0,reb,2021-01-05,https://example.org/r0,,\n" +
		"P-CAP,reb,2021-01-12,https://example.org/cap,,\n" +
		"Hill Town,reb,2021-01-03,https://example.org/town,,claimed\n")
	fsys[PlacesFile] = &fstest.MapFile{Data: []byte(testPlaces)}
	return fsys
}

func TestPlacesHoldFactionsAsRegionsDo(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	f, err := LoadFolder(placesFolder())
	if err != nil {
		t.Fatal(err)
	}
	sum, err := s.ImportFolder(ctx, f, ImportOptions{Author: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Regions != 3 || sum.Places != 2 || sum.Events != 3 {
		t.Errorf("summary: %d regions, %d places, %d events; want 3, 2, 3", sum.Regions, sum.Places, sum.Events)
	}
	m, err := s.Map(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		date         string
		places       []string
		regionCounts map[string]int
	}{
		{"2021-01-02", []string{"P-CAP gov", "P-TOWN gov"}, map[string]int{"gov": 3, "reb": 0}},
		{"2021-01-03", []string{"P-CAP gov", "P-TOWN reb claimed"}, map[string]int{"gov": 3, "reb": 0}},
		{"2021-01-12", []string{"P-CAP reb", "P-TOWN reb claimed"}, map[string]int{"gov": 2, "reb": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			st, err := s.State(ctx, m, tt.date)
			if err != nil {
				t.Fatal(err)
			}
			if p := st.Places[0].Region; p.Point != [2]float64{0.5, 0.5} || p.Kind != "capital" {
				t.Errorf("the state's first place: %+v", p)
			}
			var got []string
			for _, h := range st.Places {
				got = append(got, strings.TrimSpace(h.Region.ID+" "+h.Faction+" "+map[bool]string{true: "claimed"}[h.Claimed()]))
			}
			if diff := cmp.Diff(tt.places, got); diff != "" {
				t.Errorf("places (-want +got):\n%s", diff)
			}
			if len(st.Holdings) != 3 {
				t.Errorf("%d region holdings, want the 3 regions alone", len(st.Holdings))
			}
			if diff := cmp.Diff(tt.regionCounts, st.Counts(m)); diff != "" {
				t.Errorf("counts are of regions only (-want +got):\n%s", diff)
			}
			h, err := s.Holders(ctx, m, tt.date)
			if err != nil {
				t.Fatal(err)
			}
			var fromHolders []string
			for i, id := range h.Places {
				fromHolders = append(fromHolders, id+" "+h.PlaceFactions[i])
			}
			var want []string
			for _, p := range tt.places {
				want = append(want, strings.TrimSuffix(p, " claimed"))
			}
			if diff := cmp.Diff(want, fromHolders); diff != "" || len(h.Regions) != 3 {
				t.Errorf("holders: %d regions, places (-want +got):\n%s", len(h.Regions), diff)
			}
		})
	}

	regions, err := s.Regions(ctx, "test")
	if err != nil || len(regions) != 3 {
		t.Errorf("Regions: %d, %v; want the 3 regions without the places", len(regions), err)
	}
	places, err := s.Places(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	wantPlaces := []Region{
		{ID: "P-CAP", Name: "Capital City", Population: 120000, Place: true, Kind: "capital", Point: [2]float64{0.5, 0.5}},
		{ID: "P-TOWN", Name: "Hill Town", Place: true, Kind: "town", Point: [2]float64{2.5, 0.5}},
	}
	if diff := cmp.Diff(wantPlaces, places); diff != "" {
		t.Errorf("places (-want +got):\n%s", diff)
	}
	if _, err := s.Region(ctx, "test", "P-CAP"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Region(P-CAP) = %v, want ErrNotFound: a place is not a region", err)
	}
	if _, err := s.Place(ctx, "test", "R0"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Place(R0) = %v, want ErrNotFound: a region is not a place", err)
	}
	gj, err := s.PlacesGeoJSON(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(gj), `"id":"P-CAP","properties":{"name":"Capital City","kind":"capital","population":120000},"geometry":{"type":"Point","coordinates":[0.5,0.5]}`) {
		t.Errorf("places GeoJSON:\n%s", gj)
	}
	if rg, _ := s.RegionsGeoJSON(ctx, "test"); strings.Contains(string(rg), "P-CAP") {
		t.Errorf("the regions' GeoJSON holds a place:\n%s", rg)
	}
}

func TestPlacesRoundTripThroughExport(t *testing.T) {
	ctx := context.Background()
	a, b := openTestStore(t), openTestStore(t)
	f, err := LoadFolder(placesFolder())
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Import(ctx, f, "test", false); err != nil {
		t.Fatal(err)
	}
	files := exportAndReimport(t, a, b, "test")
	if _, ok := files[PlacesFile]; !ok {
		t.Fatalf("the export has no %s: %v", PlacesFile, files)
	}
	sameMap(t, a, b, "test")
	if places, _ := b.Places(ctx, "test"); len(places) != 2 {
		t.Errorf("reimported %d places, want 2", len(places))
	}
}

func TestPlacesRefusedByFeatureIndex(t *testing.T) {
	point := func(id string, lon, lat string) string {
		return `{"type":"Feature","id":"` + id + `","properties":{"name":"` + id + `"},"geometry":{"type":"Point","coordinates":[` + lon + `,` + lat + `]}}`
	}
	fc := func(features ...string) string {
		return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
	}
	tests := []struct {
		name, places string
		want         []string
	}{
		{"not a point", fc(point("A", "1", "1"), `{"type":"Feature","id":"B","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}`),
			[]string{`places.geojson: feature 1: place "B" is a Polygon; only Point features are places`}},
		{"id shared with a region", fc(point("A", "1", "1"), point("R1", "1", "1")),
			[]string{`places.geojson: feature 1: id "R1" is also a region's`}},
		{"duplicate place id", fc(point("A", "1", "1"), point("A", "2", "1")),
			[]string{`places.geojson: feature 1: duplicate id "A" (also feature 0)`}},
		{"latitude out of range", fc(point("A", "65", "95")),
			[]string{`places.geojson: feature 0: place "A": position [65, 95] is out of range`}},
		{"several at once", fc(point("R0", "1", "1"), point("B", "200", "1")),
			[]string{`feature 0: id "R0"`, `feature 1: place "B": position [200, 1]`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := testFolder("")
			fsys[PlacesFile] = &fstest.MapFile{Data: []byte(tt.places)}
			s := openTestStore(t)
			f, err := LoadFolder(fsys)
			if err == nil {
				err = s.Import(context.Background(), f, "test", false)
			}
			var invalid *InvalidError
			if !errors.As(err, &invalid) {
				t.Fatalf("err = %v, want an *InvalidError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if _, err := s.Map(context.Background(), "test"); !errors.Is(err, ErrNotFound) {
				t.Errorf("the map was imported: %v", err)
			}
		})
	}
}

// The built-in map's places tell the story of 14 and 15 August 2021: Mazar-i-Sharif and
// Pul-e-Alam had fallen by the 14th while the government held Kabul, which fell on the 15th.
func TestBuiltinPlacesOnTheFallOfKabul(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t, withBuiltins())
	m, err := s.Map(ctx, "afghanistan-2021")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		date string
		want map[string]string
	}{
		{"2021-08-13", map[string]string{"mazar-i-sharif": "government", "pul-e-alam": "taliban", "kabul": "government", "herat": "taliban", "kandahar": "taliban"}},
		{"2021-08-14", map[string]string{"mazar-i-sharif": "taliban", "pul-e-alam": "taliban", "kabul": "government", "char-asyab": "taliban", "maidan-shahr": "government"}},
		{"2021-08-15", map[string]string{"mazar-i-sharif": "taliban", "kabul": "taliban", "maidan-shahr": "taliban", "jalalabad": "taliban"}},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			st, err := s.State(ctx, m, tt.date)
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Places) != 35 {
				t.Errorf("%d places, want the 34 capitals and Char Asyab", len(st.Places))
			}
			got := map[string]string{}
			for _, h := range st.Places {
				if _, ok := tt.want[h.Region.ID]; ok {
					got[h.Region.ID] = h.Faction
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("holders (-want +got):\n%s", diff)
			}
		})
	}
}
