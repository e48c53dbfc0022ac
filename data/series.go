package data

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb/geojson"

	"github.com/frontline-maps/frontline/geo"
)

// Series is how much each faction held on the map's start and on every later date, up to
// its end, on which an event took effect: the chart of control over time and the summary's
// "+2 since 13 August" read it. Golden cases: testdata/rules/series.json.
type Series struct {
	// Revision is the map's revision the series was computed from.
	Revision int64
	// Factions are the map's faction ids in display order; every Split list follows it.
	Factions []string
	// Regions, AreaKm2 and Population are the whole map's: the number of regions, their area
	// and the population of those that carry one (0: none does, and the points carry none).
	Regions, AreaKm2, Population int64
	Points                       []SeriesPoint
}

// Split is what one faction held, confirmed and on a claim (an event of confidence
// claimed).
type Split struct {
	Confirmed, Claimed int64
}

// Held is what a faction held in all, confirmed or claimed.
func (s Split) Held() int64 { return s.Confirmed + s.Claimed }

// SeriesPoint is what each faction held on one date: Regions[i] is the number of regions
// Series.Factions[i] held, AreaKm2[i] their area (rounded to whole km²), Population[i] their
// population (nil for a map without populations).
type SeriesPoint struct {
	Date                         string
	Regions, AreaKm2, Population []Split
}

// seriesCache is a timeline's series, computed at most once: a timeline is one revision.
type seriesCache struct {
	mu  sync.Mutex
	key string
	s   *Series
}

// regionMeasures are the regions' areas in m² (tl.regions' order; 0 for places), read once
// per map import and shared by the timelines of later revisions, which keep the regions.
type regionMeasures struct {
	mu    sync.Mutex
	areas []int64 // nil until read
}

// Series returns the map's series at its current revision, computed once per revision (and
// map settings: the factions' order, the initial faction, the range).
func (s *Store) Series(ctx context.Context, m *Map) (*Series, error) {
	tl, mapID, err := s.timeline(ctx, m.Slug)
	if err != nil {
		return nil, err
	}
	areas, err := s.regionAreas(ctx, tl, mapID, m.Slug)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(m.Factions))
	for i, f := range m.Factions {
		ids[i] = f.ID
	}
	key := strings.Join(append([]string{m.Start, m.End, m.Initial}, ids...), "\x00")
	tl.series.mu.Lock()
	defer tl.series.mu.Unlock()
	if tl.series.s == nil || tl.series.key != key {
		tl.series.s, tl.series.key = tl.seriesOf(m, areas), key
	}
	return tl.series.s, nil
}

// regionAreas returns the area of each of tl's regions in m², read from their geometry the
// first time a timeline of this import asks.
func (s *Store) regionAreas(ctx context.Context, tl *timeline, mapID int64, slug string) ([]int64, error) {
	rm := tl.measures
	rm.mu.Lock()
	defer rm.mu.Unlock()
	if rm.areas == nil {
		// Kept only when read in full: a cancelled request leaves it for the next.
		areas, err := s.readAreas(ctx, tl, mapID, slug)
		if err != nil {
			return nil, err
		}
		rm.areas = areas
	}
	return rm.areas, nil
}

func (s *Store) readAreas(ctx context.Context, tl *timeline, mapID int64, slug string) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, geometry FROM regions WHERE map_id = ? AND place = 0`, mapID)
	if err != nil {
		return nil, fmt.Errorf("areas of %q: %w", slug, err)
	}
	defer rows.Close()
	areas := make([]int64, len(tl.regions))
	for rows.Next() {
		var id, raw string
		if err := rows.Scan(&id, &raw); err != nil {
			return nil, fmt.Errorf("areas of %q: %w", slug, err)
		}
		g, err := geojson.UnmarshalGeometry([]byte(raw))
		if err != nil {
			return nil, fmt.Errorf("shape of region %q of %q: %w", id, slug, err)
		}
		if i, ok := tl.regionIndex(id); ok {
			areas[i] = int64(math.Round(geo.AreaKm2(g.Geometry()) * 1e6))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("areas of %q: %w", slug, err)
	}
	return areas, nil
}

// holding is who holds a region and how: a faction's display index (-1: one the map does
// not list, counted in no faction's column) and whether on a claim.
type holding struct {
	faction int32
	claimed bool
}

// shift is a region passing from one holding to another on a day.
type shift struct {
	day      int32
	region   int32
	from, to holding
}

// seriesOf computes the series by one sweep over the events in order of date: each region
// holds the map's initial faction (confirmed) until its first event; of the events of one
// region on one day, the last recorded is the one in force (the rule of State).
func (tl *timeline) seriesOf(m *Map, areas []int64) *Series {
	display := make(map[string]int32, len(m.Factions))
	out := &Series{Revision: tl.revision, Factions: make([]string, len(m.Factions))}
	for i, f := range m.Factions {
		display[f.ID] = int32(i)
		out.Factions[i] = f.ID
	}
	index := func(f string) int32 {
		if i, ok := display[f]; ok {
			return i
		}
		return -1
	}
	initial := holding{faction: index(m.Initial)}
	events := make([]int32, len(tl.factions)) // timeline faction -> display index
	for i, f := range tl.factions {
		events[i] = index(f)
	}

	start, end := dayOf(m.Start), dayOf(m.End)
	var areaM2 int64
	shifts := make([]shift, 0, len(tl.events))
	for r, reg := range tl.regions {
		if reg.Place {
			continue
		}
		out.Regions++
		areaM2 += areas[r]
		out.Population += reg.Population
		prev := initial
		evs := tl.events[tl.starts[r]:tl.starts[r+1]]
		for k, e := range evs {
			if k+1 < len(evs) && evs[k+1].day == e.day {
				continue // a later event of the same day is in force
			}
			if e.day > end {
				break
			}
			next := holding{faction: events[e.faction], claimed: e.claimed}
			shifts = append(shifts, shift{day: max(e.day, start), region: int32(r), from: prev, to: next})
			prev = next
		}
	}
	out.AreaKm2 = roundKm2(areaM2)
	// A counting sort by day: linear in the events, and stable, so a region's shifts on the
	// start day (events before it, folded) stay in order.
	shifts = sortByDay(shifts, start, end)

	n := len(m.Factions)
	regions, area, population := make([]Split, n), make([]Split, n), make([]Split, n)
	// Areas add up in m², exactly, and are rounded once per point.
	if initial.faction >= 0 {
		regions[initial.faction].Confirmed = out.Regions
		area[initial.faction].Confirmed = areaM2
		population[initial.faction].Confirmed = out.Population
	}
	add := func(h holding, r int32, sign int64) {
		if h.faction < 0 {
			return
		}
		f := &regions[h.faction]
		a := &area[h.faction]
		p := &population[h.faction]
		pop := tl.regions[r].Population
		if h.claimed {
			f.Claimed += sign
			a.Claimed += sign * areas[r]
			p.Claimed += sign * pop
		} else {
			f.Confirmed += sign
			a.Confirmed += sign * areas[r]
			p.Confirmed += sign * pop
		}
	}
	emit := func(day int32) {
		pt := SeriesPoint{Date: dateOfDay(day), Regions: slices.Clone(regions), AreaKm2: make([]Split, n)}
		for i, a := range area {
			pt.AreaKm2[i] = Split{Confirmed: roundKm2(a.Confirmed), Claimed: roundKm2(a.Claimed)}
		}
		if out.Population > 0 {
			pt.Population = slices.Clone(population)
		}
		out.Points = append(out.Points, pt)
	}
	i := 0
	for i < len(shifts) && shifts[i].day == start {
		add(shifts[i].from, shifts[i].region, -1)
		add(shifts[i].to, shifts[i].region, 1)
		i++
	}
	emit(start)
	for i < len(shifts) {
		day := shifts[i].day
		for i < len(shifts) && shifts[i].day == day {
			add(shifts[i].from, shifts[i].region, -1)
			add(shifts[i].to, shifts[i].region, 1)
			i++
		}
		emit(day)
	}
	return out
}

// sortByDay returns shifts, dated start..end, in order of day, keeping the order of each
// day's.
func sortByDay(shifts []shift, start, end int32) []shift {
	if end < start {
		return shifts
	}
	at := make([]int, end-start+2)
	for _, s := range shifts {
		at[s.day-start+1]++
	}
	for d := 1; d < len(at); d++ {
		at[d] += at[d-1]
	}
	out := make([]shift, len(shifts))
	for _, s := range shifts {
		out[at[s.day-start]] = s
		at[s.day-start]++
	}
	return out
}

// roundKm2 turns m² into whole km².
func roundKm2(m2 int64) int64 { return (m2 + 500_000) / 1_000_000 }

// dateOfDay is dayOf's inverse: YYYY-MM-DD of days since 1970-01-01.
func dateOfDay(day int32) string {
	return time.Unix(int64(day)*86400, 0).UTC().Format(DateLayout)
}
