package web

import (
	"net/http"
	"testing"
)

// seriesAt returns the built-in series' point on date and a faction's split there.
func seriesAt(t *testing.T, b apiSeriesBody, date, faction string) [3][2]int64 {
	t.Helper()
	f := -1
	for i, id := range b.Factions {
		if id == faction {
			f = i
		}
	}
	if f < 0 {
		t.Fatalf("no faction %q in %v", faction, b.Factions)
	}
	for _, p := range b.Points {
		if p.Date == date {
			var pop [2]int64
			if p.Population != nil {
				pop = p.Population[f]
			}
			return [3][2]int64{p.Regions[f], p.AreaKm2[f], pop}
		}
	}
	t.Fatalf("no point on %s", date)
	return [3][2]int64{}
}

// TestSeriesAPI reads the built-in map's series: on 14 August 2021 the Taliban held 21
// provinces confirmed and 2 more on claims (Faryab, Paktia); on the 15th Kabul fell.
func TestSeriesAPI(t *testing.T) {
	h := newTestServer(t).h
	rec := get(t, h, "/api/maps/afghanistan-2021/series")
	if rec.Code != http.StatusOK {
		t.Fatalf("series: %d %s", rec.Code, rec.Body)
	}
	var b apiSeriesBody
	decodeJSON(t, rec.Body, &b)
	if b.Regions != 34 {
		t.Errorf("regions = %d, want 34", b.Regions)
	}
	if b.AreaKm2 < 600_000 || b.AreaKm2 > 680_000 {
		t.Errorf("area = %d km², want Afghanistan's, about 650,000", b.AreaKm2)
	}
	if b.Points[0].Date != "2021-08-01" {
		t.Errorf("first point on %s, want the start, 2021-08-01", b.Points[0].Date)
	}
	tests := []struct {
		date, faction string
		regions       [2]int64
	}{
		{"2021-08-01", "government", [2]int64{34, 0}},
		{"2021-08-13", "taliban", [2]int64{18, 0}},
		{"2021-08-14", "taliban", [2]int64{21, 2}},
		{"2021-08-14", "government", [2]int64{11, 0}},
	}
	for _, tt := range tests {
		if got := seriesAt(t, b, tt.date, tt.faction)[0]; got != tt.regions {
			t.Errorf("%s on %s: %v regions [confirmed, claimed], want %v", tt.faction, tt.date, got, tt.regions)
		}
	}
	// Kabul changed on the 15th: the Taliban's confirmed count grows by it, and the state
	// documents of the 14th and the 15th say so.
	if d14, d15 := seriesAt(t, b, "2021-08-14", "taliban")[0], seriesAt(t, b, "2021-08-15", "taliban")[0]; d15[0] <= d14[0] {
		t.Errorf("taliban confirmed %d on the 14th, %d on the 15th: want more", d14[0], d15[0])
	}
	for date, want := range map[string]string{"2021-08-14": "government", "2021-08-15": "taliban"} {
		var st apiStateBody
		decodeJSON(t, get(t, h, "/api/maps/afghanistan-2021/state?date="+date).Body, &st)
		if st.Regions["AF-KAB"] != want {
			t.Errorf("Kabul on %s held by %q, want %q", date, st.Regions["AF-KAB"], want)
		}
	}
	// Areas: the 14th's Taliban area is some but not all of the map.
	if a := seriesAt(t, b, "2021-08-14", "taliban")[1]; a[0] <= 0 || a[1] <= 0 || a[0]+a[1] >= b.AreaKm2 {
		t.Errorf("taliban area on the 14th %v km² of %d", a, b.AreaKm2)
	}

	if again := get(t, h, "/api/maps/afghanistan-2021/series", "If-None-Match", rec.Header().Get("ETag")); again.Code != http.StatusNotModified {
		t.Errorf("series with its ETag: %d, want 304", again.Code)
	}
	if rec := get(t, h, "/api/maps/no-such-map/series"); rec.Code != http.StatusNotFound {
		t.Errorf("series of an unknown map: %d, want 404", rec.Code)
	}
}
