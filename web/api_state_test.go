package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// TestStateDocumentIsWhatEncodingJSONWrites checks the state API's own encoder against
// encoding/json, byte for byte, with ids that need escaping.
func TestStateDocumentIsWhatEncodingJSONWrites(t *testing.T) {
	m := &data.Map{Factions: []data.Faction{{ID: "gov"}, {ID: "reb"}, {ID: "contested"}}}
	tests := []struct {
		name string
		h    data.Holders
	}{
		{"empty", data.Holders{}},
		{"plain", data.Holders{Regions: []string{"AF-BAL", "AF-KAB", "R0001"}, Factions: []string{"gov", "reb", "gov"}}},
		{"escapes", data.Holders{
			Regions:  []string{"\"quoted\"", "<b>&amp;", "back\\slash", "tab\there", "é", "\u2028", "\xff"},
			Factions: []string{"gov", "reb", "gov", "reb", "gov", "reb", "gov"},
		}},
		{"faction_not_of_the_map", data.Holders{Regions: []string{"a", "b"}, Factions: []string{"gov", "zz-old"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			regions := map[string]string{}
			counts := map[string]int{"gov": 0, "reb": 0, "contested": 0}
			for i, id := range tt.h.Regions {
				regions[id] = tt.h.Factions[i]
				counts[tt.h.Factions[i]]++
			}
			want, err := json.Marshal(apiStateBody{Date: "2021-08-14", Regions: regions, Counts: counts})
			if err != nil {
				t.Fatal(err)
			}
			if got := appendState(nil, "2021-08-14", m, tt.h); string(got) != string(want) {
				t.Errorf("appendState:\n got %s\nwant %s", got, want)
			}
		})
	}
}

// stateOf reads who holds region at date from the state API.
func stateOf(t *testing.T, h http.Handler, date, region string) string {
	t.Helper()
	rec := get(t, h, "/api/maps/afghanistan-2021/state?date="+date)
	if rec.Code != http.StatusOK {
		t.Fatalf("state at %s: %d %s", date, rec.Code, rec.Body)
	}
	var st apiStateBody
	decodeJSON(t, rec.Body, &st)
	return st.Regions[region]
}

// TestStateFollowsAReplacingImport replaces the map with one of as many events, so that
// the new map's revision would equal the old one's if revisions started over: the state
// documents kept for the old map must not answer for the new one.
func TestStateFollowsAReplacingImport(t *testing.T) {
	ctx := context.Background()
	srv := newTestServer(t)
	store, h := srv.store, srv.h
	if got := stateOf(t, h, "2021-09-15", "AF-BAL"); got != "taliban" {
		t.Fatalf("Balkh on 15 September: %s, want taliban", got)
	}
	f, err := data.Builtin("afghanistan-2021")
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for i := range f.Events {
		if f.Events[i].Region == "AF-BAL" && f.Events[i].Faction == "taliban" {
			f.Events[i].Faction = "resistance"
			changed++
		}
	}
	if changed == 0 {
		t.Fatal("the built-in map has no Taliban event in Balkh to change")
	}
	if err := store.Import(ctx, f, "test", true); err != nil {
		t.Fatal(err)
	}
	if got := stateOf(t, h, "2021-09-15", "AF-BAL"); got != "resistance" {
		t.Errorf("Balkh on 15 September after the map was replaced: %s, want resistance", got)
	}
}

// TestStateSeesAnotherProcess writes through a second Store on the same file, as
// `frontline import events` does while the server runs: the server's state documents must
// follow within stateRecheck, and at once for its own writes.
func TestStateSeesAnotherProcess(t *testing.T) {
	ctx := context.Background()
	srv := newTestServer(t)
	server, h := srv.store, srv.h
	if got := stateOf(t, h, "2021-08-14", "AF-WAR"); got != "government" {
		t.Fatalf("Maidan Wardak on 14 August: %s", got)
	}

	other, err := data.Open(ctx, srv.file.path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	e := data.Event{Region: "AF-WAR", Faction: "taliban", Date: "2021-08-14", Source: "https://example.org/a", Confidence: data.Confirmed}
	if err := other.Record(ctx, "afghanistan-2021", &e, "other process", 0); err != nil {
		t.Fatal(err)
	}
	recorded := time.Now()
	for stateOf(t, h, "2021-08-14", "AF-WAR") != "taliban" {
		if time.Since(recorded) > stateRecheck+time.Second {
			t.Fatalf("another process's change was not served %s after it was made", time.Since(recorded))
		}
		time.Sleep(20 * time.Millisecond)
	}

	// This server's own writes show at once.
	e = data.Event{Region: "AF-WAR", Faction: "resistance", Date: "2021-08-14", Source: "https://example.org/b", Confidence: data.Confirmed}
	if err := server.Record(ctx, "afghanistan-2021", &e, "editor", 0); err != nil {
		t.Fatal(err)
	}
	if got := stateOf(t, h, "2021-08-14", "AF-WAR"); got != "resistance" {
		t.Errorf("right after this server's own write: %s, want resistance", got)
	}
	if diff := cmp.Diff("resistance", stateOf(t, h, "2021-08-14", "AF-WAR")); diff != "" {
		t.Error(diff)
	}
}

// TestDateQueryIsWhatQueryParamReads checks the state endpoint's reading of the date
// parameter against echo's c.QueryParam, which parses the whole query.
func TestDateQueryIsWhatQueryParamReads(t *testing.T) {
	e := echo.New()
	for _, raw := range []string{"", "date=2021-08-14", "x=1&date=2021-08-14", "date=a&date=b", "date", "date=", "dat=1",
		"date=2021%2D08%2D14", "d%61te=2021-08-14", "date=a;b", "x=1;date=b", "date=a+b", "&&date=x&", "x=date=y", "date=x=y", "=&date"} {
		c := e.NewContext(httptest.NewRequest(http.MethodGet, "/api/maps/m/state?"+raw, nil), httptest.NewRecorder())
		got := dateQuery(c)
		if want := c.QueryParam("date"); got != want {
			t.Errorf("?%s: dateQuery %q, QueryParam %q", raw, got, want)
		}
	}
}
