package data

import (
	"context"
	"testing"
	"time"
)

// TestShiftsAgreeWithState holds Shifts to State on the golden map of state.json (events
// before the start, after the end, two on one day, claims confirmed and withdrawn): at every
// date of the map's range, the shift in force is the state's holding, and no two shifts in a
// row are the same holding.
func TestShiftsAgreeWithState(t *testing.T) {
	ctx := context.Background()
	s, m, rules := goldenStateMap(t)
	shifts, err := s.Shifts(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string][]Shift{}
	for _, rs := range shifts {
		if len(rs.Shifts) == 0 || rs.Shifts[0].Date != m.Start {
			t.Fatalf("%s's shifts %v do not begin at the map's start %s", rs.ID, rs.Shifts, m.Start)
		}
		for i := 1; i < len(rs.Shifts); i++ {
			a, b := rs.Shifts[i-1], rs.Shifts[i]
			if b.Date <= a.Date || (a.Faction == b.Faction && a.Claimed == b.Claimed) {
				t.Errorf("%s: shift %v after %v is not a later change", rs.ID, b, a)
			}
		}
		byID[rs.ID] = rs.Shifts
	}
	start, _ := time.Parse(DateLayout, m.Start)
	days := 0
	for d := start; d.Format(DateLayout) <= m.End; d = d.AddDate(0, 0, 1) {
		date := d.Format(DateLayout)
		st, err := s.State(ctx, m, date)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range st.Holdings {
			var in Shift
			for _, sh := range byID[h.Region.ID] {
				if sh.Date <= date {
					in = sh
				}
			}
			if in.Faction != h.Faction || in.Claimed != h.Claimed() {
				t.Errorf("%s at %s: shift %+v, state %s claimed %t", h.Region.ID, date, in, h.Faction, h.Claimed())
			}
		}
		days++
	}
	if days < 2 || len(byID) != len(rules.Map.Regions) {
		t.Fatalf("checked %d days of %d regions, want the golden map's %d", days, len(byID), len(rules.Map.Regions))
	}
}
