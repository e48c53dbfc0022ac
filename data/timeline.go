package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// timeline is one revision of a map's live events, held in memory in the compact form the
// state at a date needs: per region, its events sorted by date and recording order. The
// state at any date is then one binary search per region, with no query per region.
type timeline struct {
	revision int64
	regions  []Region // in state order: by name, then id
	// events[starts[i]:starts[i+1]] are the events of regions[i].
	starts   []int
	events   []tlEvent
	factions []string // tlEvent.faction indexes this
	// byID lists the indexes into regions in byte order of the regions' ids, the order of
	// Holders.
	byID []int32
}

type tlEvent struct {
	id      int64
	day     int32 // days since 1970-01-01
	faction uint16
	claimed bool
}

// timelines caches the latest timeline of each map, by map id.
type timelines struct {
	mu   sync.Mutex
	maps map[int64]*timeline
}

// dayOf turns a valid YYYY-MM-DD date into days since 1970-01-01.
func dayOf(date string) int32 {
	t, _ := time.Parse(DateLayout, date)
	return int32(t.Unix() / 86400)
}

// mapRevision returns a map's id and revision.
func mapRevision(ctx context.Context, q querier, slug string) (id, revision int64, err error) {
	err = q.QueryRowContext(ctx, `SELECT id, revision FROM maps WHERE slug = ?`, slug).Scan(&id, &revision)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, fmt.Errorf("map %q: %w", slug, ErrNotFound)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("find map %q: %w", slug, err)
	}
	return id, revision, nil
}

// Revision returns a number that changes whenever any event of the map changes, including
// changes made by another process on the same database.
func (s *Store) Revision(ctx context.Context, slug string) (int64, error) {
	_, rev, err := mapRevision(ctx, s.db, slug)
	return rev, err
}

// timeline returns the map's timeline at its current revision, loading it when the cached
// one is older.
func (s *Store) timeline(ctx context.Context, slug string) (*timeline, int64, error) {
	id, rev, err := mapRevision(ctx, s.db, slug)
	if err != nil {
		return nil, 0, err
	}
	s.timelines.mu.Lock()
	defer s.timelines.mu.Unlock()
	if tl := s.timelines.maps[id]; tl != nil && tl.revision == rev {
		return tl, id, nil
	}
	tl, err := s.loadTimeline(ctx, id, slug)
	if err != nil {
		return nil, 0, err
	}
	s.timelines.maps[id] = tl
	return tl, id, nil
}

// loadTimeline reads a map's regions and live events in one read transaction, so the
// revision it records matches what it read.
func (s *Store) loadTimeline(ctx context.Context, mapID int64, slug string) (*timeline, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("load timeline of %q: %w", slug, err)
	}
	defer tx.Rollback()
	tl := &timeline{}
	if err := tx.QueryRowContext(ctx, `SELECT revision FROM maps WHERE id = ?`, mapID).Scan(&tl.revision); err != nil {
		return nil, fmt.Errorf("load timeline of %q: %w", slug, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, name, capital, population FROM regions WHERE map_id = ? ORDER BY name, id`, mapID)
	if err != nil {
		return nil, fmt.Errorf("load regions of %q: %w", slug, err)
	}
	index := map[string]int{}
	for rows.Next() {
		var r Region
		if err := rows.Scan(&r.ID, &r.Name, &r.Capital, &r.Population); err != nil {
			rows.Close()
			return nil, fmt.Errorf("load regions of %q: %w", slug, err)
		}
		index[r.ID] = len(tl.regions)
		tl.regions = append(tl.regions, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load regions of %q: %w", slug, err)
	}

	rows, err = tx.QueryContext(ctx, `SELECT id, region_id, faction_id, date, confidence FROM events
		WHERE map_id = ? AND `+live+` ORDER BY region_id, date, id`, mapID)
	if err != nil {
		return nil, fmt.Errorf("load events of %q: %w", slug, err)
	}
	defer rows.Close()
	type regionEvent struct {
		region int
		tlEvent
	}
	var all []regionEvent
	factionIndex := map[string]uint16{}
	for rows.Next() {
		var e regionEvent
		var region, faction, date, confidence string
		if err := rows.Scan(&e.id, &region, &faction, &date, &confidence); err != nil {
			return nil, fmt.Errorf("load events of %q: %w", slug, err)
		}
		fi, ok := factionIndex[faction]
		if !ok {
			fi = uint16(len(tl.factions))
			factionIndex[faction] = fi
			tl.factions = append(tl.factions, faction)
		}
		e.region, e.day, e.faction, e.claimed = index[region], dayOf(date), fi, confidence == Claimed
		all = append(all, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load events of %q: %w", slug, err)
	}
	// The query sorts by region id; the timeline wants the regions' state order.
	sort.SliceStable(all, func(i, j int) bool { return all[i].region < all[j].region })
	tl.starts = make([]int, len(tl.regions)+1)
	tl.events = make([]tlEvent, len(all))
	for i, e := range all {
		tl.events[i] = e.tlEvent
		tl.starts[e.region+1]++
	}
	for i := 1; i < len(tl.starts); i++ {
		tl.starts[i] += tl.starts[i-1]
	}
	tl.byID = make([]int32, len(tl.regions))
	for i := range tl.byID {
		tl.byID[i] = int32(i)
	}
	slices.SortFunc(tl.byID, func(a, b int32) int { return strings.Compare(tl.regions[a].ID, tl.regions[b].ID) })
	return tl, nil
}

// holder returns the index into tl.events of region i's event in force on day, or -1.
func (tl *timeline) holder(i int, day int32) int {
	// Binary search for the first event after day; the one before it, if any, is in force.
	// Written out rather than with sort.Search: this runs once per region per state.
	lo, hi := tl.starts[i], tl.starts[i+1]
	first := lo
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if tl.events[mid].day > day {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if lo == first {
		return -1
	}
	return lo - 1
}

// Holders is who holds each region of a map at a date: Factions[i] holds Regions[i], with
// the regions in byte order of their ids (the order of a JSON object's sorted keys).
type Holders struct {
	Regions, Factions []string
	// Revision is the map's revision the holders were computed from.
	Revision int64
}

// Holders returns who holds each region of a map at date (validated by the caller). It reads
// no event details, so it is the fast path for the state API.
func (s *Store) Holders(ctx context.Context, m *Map, date string) (Holders, error) {
	tl, _, err := s.timeline(ctx, m.Slug)
	if err != nil {
		return Holders{}, err
	}
	day := dayOf(date)
	h := Holders{Revision: tl.revision, Regions: make([]string, len(tl.byID)), Factions: make([]string, len(tl.byID))}
	for k, i := range tl.byID {
		h.Regions[k] = tl.regions[i].ID
		if e := tl.holder(int(i), day); e >= 0 {
			h.Factions[k] = tl.factions[tl.events[e].faction]
		} else {
			h.Factions[k] = m.Initial
		}
	}
	return h, nil
}

// State returns who holds each region of a map at date, which the caller has validated: the
// faction of the region's latest live event on or before date (on one date, the
// later-recorded event wins), or the map's initial faction since its start when there is
// none. Each holding carries its event in full.
func (s *Store) State(ctx context.Context, m *Map, date string) (State, error) {
	tl, _, err := s.timeline(ctx, m.Slug)
	if err != nil {
		return State{}, err
	}
	day := dayOf(date)
	st := State{Date: date, Revision: tl.revision, Holdings: make([]Holding, len(tl.regions))}
	var ids []int64
	for i, r := range tl.regions {
		h := &st.Holdings[i]
		h.Region = r
		if k := tl.holder(i, day); k >= 0 {
			h.Faction = tl.factions[tl.events[k].faction]
			h.Event = &Event{ID: tl.events[k].id}
			ids = append(ids, tl.events[k].id)
		} else {
			h.Faction, h.Since = m.Initial, m.Start
		}
	}
	details, err := s.eventsByID(ctx, ids)
	if err != nil {
		return State{}, fmt.Errorf("state of %q at %s: %w", m.Slug, date, err)
	}
	for i := range st.Holdings {
		h := &st.Holdings[i]
		if h.Event == nil {
			continue
		}
		e, ok := details[h.Event.ID]
		if !ok {
			// Changed since the timeline was read (a write raced this read): the next
			// request sees the new revision.
			return State{}, fmt.Errorf("state of %q at %s: event %d vanished: %w", m.Slug, date, h.Event.ID, ErrConflict)
		}
		h.Event, h.Since = &e, e.Date
	}
	return st, nil
}

// eventsByID reads the events with the given ids, in batches that stay under SQLite's
// limit on parameters.
func (s *Store) eventsByID(ctx context.Context, ids []int64) (map[int64]Event, error) {
	const batch = 500
	out := make(map[int64]Event, len(ids))
	for len(ids) > 0 {
		n := min(batch, len(ids))
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		ids = ids[n:]
		events, err := s.queryEvents(ctx, `SELECT `+eventColumns+` FROM events e WHERE e.id IN (`+
			strings.TrimSuffix(strings.Repeat("?,", n), ",")+`)`, args...)
		if err != nil {
			return nil, err
		}
		for _, e := range events {
			out[e.ID] = e
		}
	}
	return out, nil
}
