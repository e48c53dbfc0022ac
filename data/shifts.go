package data

import (
	"context"
	"fmt"
)

// Shift is a holding from a date on: who holds a region or a place, and whether on a claim.
type Shift struct {
	Date    string
	Faction string
	Claimed bool
}

// RegionShifts are one region's or place's holdings as they change over a map's range.
type RegionShifts struct {
	ID    string
	Place bool
	// Shifts begin with the holding at the map's start, then one on every date within the
	// map's range on which the holding changes.
	Shifts []Shift
}

// Shifts returns every region's and place's holdings over m's range, in state order (State's
// Holdings, then its Places, as they interleave in the map): the holding at the start and at
// every date it changes, each by State's rule (the latest live event on or before the date,
// the later-recorded on one date; the map's initial faction without one). A page draws any
// date of its map from them without asking State for each (web's early map).
func (s *Store) Shifts(ctx context.Context, m *Map) ([]RegionShifts, error) {
	tl, _, err := s.timeline(ctx, m.Slug)
	if err != nil {
		return nil, fmt.Errorf("shifts of %q: %w", m.Slug, err)
	}
	start, end := dayOf(m.Start), dayOf(m.End)
	holding := func(i int, day int32) (string, bool) {
		if k := tl.holder(i, day); k >= 0 {
			e := tl.events[k]
			return tl.factions[e.faction], e.claimed
		}
		return m.Initial, false
	}
	out := make([]RegionShifts, len(tl.regions))
	for i, r := range tl.regions {
		faction, claimed := holding(i, start)
		rs := RegionShifts{ID: r.ID, Place: r.Place, Shifts: []Shift{{Date: m.Start, Faction: faction, Claimed: claimed}}}
		for k := tl.starts[i]; k < tl.starts[i+1]; k++ {
			day := tl.events[k].day
			if day <= start || day > end || (k > tl.starts[i] && tl.events[k-1].day == day) {
				continue // before the range (in the first shift), after it, or a day seen already
			}
			f, c := holding(i, day)
			if last := rs.Shifts[len(rs.Shifts)-1]; last.Faction != f || last.Claimed != c {
				rs.Shifts = append(rs.Shifts, Shift{Date: dateOfDay(day), Faction: f, Claimed: c})
			}
		}
		out[i] = rs
	}
	return out, nil
}
