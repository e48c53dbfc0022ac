package data

import (
	"context"
	"maps"
	"slices"
	"time"
)

// Side is who holds a region or place at one of the two dates of a comparison.
type Side struct {
	Faction string `json:"faction"`
	Claimed bool   `json:"claimed"`
}

// Difference is a region or place held differently at the two dates of a comparison: by another
// faction, or by the same one on a claim at one date and confirmed at the other.
type Difference struct {
	ID   string `json:"id"`
	From Side   `json:"from"`
	To   Side   `json:"to"`
}

// Diff is the state at one date compared with the state at another (the contract's
// ?compare=D0): what changed from From to To. From may be after To; the diff still reads
// from From's state to To's, so a later From gives the changes backwards.
type Diff struct {
	From, To string
	// Regions and Places changed, each in byte order of their ids (the state document's).
	Regions, Places []Difference
	// Deltas is each faction's count of regions at To less its count at From, with every
	// faction of the map present (0 when unchanged); places are not counted, as in counts.
	Deltas map[string]int
}

// Compare returns the diff between the map's states at from and to, both validated by the
// caller. Only regions with an event between the two dates can differ, but looking at every
// region costs two binary searches each, which is the state document's own cost.
// Golden cases: testdata/rules/compare.json, which static/model/compare.js passes too.
func (s *Store) Compare(ctx context.Context, m *Map, from, to string) (Diff, error) {
	tl, _, err := s.timeline(ctx, m.Slug)
	if err != nil {
		return Diff{}, err
	}
	d := Diff{From: from, To: to, Deltas: make(map[string]int, len(m.Factions))}
	for _, f := range m.Factions {
		d.Deltas[f.ID] = 0
	}
	a, b := dayOf(from), dayOf(to)
	side := func(i int, day int32) Side {
		if e := tl.holder(i, day); e >= 0 {
			return Side{Faction: tl.factions[tl.events[e].faction], Claimed: tl.events[e].claimed}
		}
		return Side{Faction: m.Initial}
	}
	for _, i := range tl.byID {
		before, after := side(int(i), a), side(int(i), b)
		if before == after {
			continue
		}
		c := Difference{ID: tl.regions[i].ID, From: before, To: after}
		if tl.regions[i].Place {
			d.Places = append(d.Places, c)
			continue
		}
		d.Regions = append(d.Regions, c)
		if before.Faction != after.Faction {
			d.Deltas[before.Faction]--
			d.Deltas[after.Faction]++
		}
	}
	return d, nil
}

// DatesChanged returns the dates after from and on or before to (both validated by the
// caller) on which a live event of the map takes effect, in order, each once: the frames
// of an animation of the period.
func (s *Store) DatesChanged(ctx context.Context, m *Map, from, to string) ([]string, error) {
	tl, _, err := s.timeline(ctx, m.Slug)
	if err != nil {
		return nil, err
	}
	a, b := dayOf(from), dayOf(to)
	seen := map[int32]bool{}
	for _, e := range tl.events {
		if e.day > a && e.day <= b {
			seen[e.day] = true
		}
	}
	days := slices.Sorted(maps.Keys(seen))
	dates := make([]string, len(days))
	for i, d := range days {
		dates[i] = time.Unix(int64(d)*86400, 0).UTC().Format(DateLayout)
	}
	return dates, nil
}
