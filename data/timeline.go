package data

import (
	"cmp"
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
	// lastID is the largest event id in the database (of any map) when the timeline was
	// read. Ids only grow, so the events recorded since are those above it (see
	// updateTimeline).
	lastID  int64
	regions []Region // in state order: by name, then id
	// events[starts[i]:starts[i+1]] are the events of regions[i].
	starts   []int
	events   []tlEvent
	factions []string // tlEvent.faction indexes this
	// byID lists the indexes into regions in byte order of the regions' ids, the order of
	// Holders.
	byID []int32
	// measures are the regions' areas, read once per import (see Store.Series); series is
	// this revision's series.
	measures *regionMeasures
	series   seriesCache
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
	// loads and updates count full loads and incremental updates, so tests can tell which
	// path served them.
	loads, updates int
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

// timeline returns the map's timeline at its current revision. When the cached one is older
// it is brought up to date from what changed since, or loaded again in full when that cannot
// be done.
func (s *Store) timeline(ctx context.Context, slug string) (*timeline, int64, error) {
	id, rev, err := mapRevision(ctx, s.db, slug)
	if err != nil {
		return nil, 0, err
	}
	s.timelines.mu.Lock()
	defer s.timelines.mu.Unlock()
	old := s.timelines.maps[id]
	// A revision only grows, so a cached timeline newer than rev (another request updated it
	// while this one waited for the lock) is as current as the caller asked for.
	if old != nil && old.revision >= rev {
		return old, id, nil
	}
	if old != nil {
		tl, ok, err := s.updateTimeline(ctx, old, id, slug)
		if err != nil {
			return nil, 0, err
		}
		if ok {
			s.timelines.maps[id] = tl
			s.timelines.updates++
			return tl, id, nil
		}
	}
	tl, err := s.loadTimeline(ctx, id, slug)
	if err != nil {
		return nil, 0, err
	}
	s.timelines.maps[id] = tl
	s.timelines.loads++
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
	tl := &timeline{measures: &regionMeasures{}}
	if err := tx.QueryRowContext(ctx, `SELECT revision, (SELECT COALESCE(max(id), 0) FROM events) FROM maps WHERE id = ?`,
		mapID).Scan(&tl.revision, &tl.lastID); err != nil {
		return nil, fmt.Errorf("load timeline of %q: %w", slug, err)
	}
	// Regions by name, then the places in their file's order, which says which to label
	// first.
	rows, err := tx.QueryContext(ctx, `SELECT id, name, capital, population, place, kind, CASE WHEN place THEN geometry ELSE '' END
		FROM regions WHERE map_id = ? ORDER BY place, CASE WHEN place THEN position ELSE 0 END, name, id`, mapID)
	if err != nil {
		return nil, fmt.Errorf("load regions of %q: %w", slug, err)
	}
	index := map[string]int{}
	for rows.Next() {
		var r Region
		var point string
		if err := rows.Scan(&r.ID, &r.Name, &r.Capital, &r.Population, &r.Place, &r.Kind, &point); err != nil {
			rows.Close()
			return nil, fmt.Errorf("load regions of %q: %w", slug, err)
		}
		if r.Place {
			// The places' positions travel with their holdings: the pages draw them from
			// the state, with no second read.
			if r.Point, err = pointOf(point); err != nil {
				rows.Close()
				return nil, fmt.Errorf("load place %q of %q: %w", r.ID, slug, err)
			}
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

// maxUpdate is the most changes since its revision that a timeline of n events is updated
// with; past it the map was rewritten wholesale (a large `import events`) and a full load,
// which reads the events in the order the timeline keeps them, is the simpler path.
func maxUpdate(n int) int64 { return int64(n/8 + 1024) }

// change is an event recorded or ended since a timeline's revision, with its region's index.
type change struct {
	region int
	tlEvent
}

// updateTimeline returns old brought up to the map's current revision, reading in one read
// transaction the revision and what changed up to it: the events recorded since (ids above
// old.lastID) and those that stopped being live since (ended_revision above old.revision,
// set by a trigger). Every change bumps the revision once, so when these rows do not add up
// to the revisions elapsed, something else happened (the map was replaced, or a write
// bypassed the usual paths) and ok is false: the caller then loads the timeline in full.
func (s *Store) updateTimeline(ctx context.Context, old *timeline, mapID int64, slug string) (tl *timeline, ok bool, err error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, false, fmt.Errorf("update timeline of %q: %w", slug, err)
	}
	defer tx.Rollback()
	var rev, lastID int64
	if err := tx.QueryRowContext(ctx, `SELECT revision, (SELECT COALESCE(max(id), 0) FROM events) FROM maps WHERE id = ?`,
		mapID).Scan(&rev, &lastID); err != nil {
		return nil, false, fmt.Errorf("update timeline of %q: %w", slug, err)
	}
	elapsed := rev - old.revision
	if elapsed < 1 || elapsed > maxUpdate(len(old.events)) {
		return nil, false, nil
	}
	added, factions, recorded, ok, err := old.recordedSince(ctx, tx, mapID, elapsed)
	if err != nil || !ok {
		return nil, false, err
	}
	removed, ended, ok, err := old.endedSince(ctx, tx, mapID, elapsed)
	if err != nil || !ok {
		return nil, false, err
	}
	if recorded+ended != elapsed {
		return nil, false, nil
	}
	tl, ok = old.with(rev, lastID, factions, added, removed)
	return tl, ok, nil
}

// recordedSince reads the map's events recorded since tl was read, returning the live ones
// as changes, the factions extended by any new one, and how many events it read, live or
// not. ok is false when the events cannot be applied to tl.
func (tl *timeline) recordedSince(ctx context.Context, tx *sql.Tx, mapID, elapsed int64) (added []change, factions []string, recorded int64, ok bool, err error) {
	// The unary + keeps SQLite from using an index on map_id: the rowid range holds just the
	// events recorded since, where an index would walk all of the map's events.
	rows, err := tx.QueryContext(ctx, `SELECT id, region_id, faction_id, date, confidence, `+live+`
		FROM events WHERE id > ? AND +map_id = ?`, tl.lastID, mapID)
	if err != nil {
		return nil, nil, 0, false, fmt.Errorf("read events recorded since revision %d: %w", tl.revision, err)
	}
	defer rows.Close()
	factions = tl.factions
	var factionIndex map[string]uint16
	for rows.Next() {
		var c change
		var region, faction, date, confidence string
		var isLive bool
		if err := rows.Scan(&c.id, &region, &faction, &date, &confidence, &isLive); err != nil {
			return nil, nil, 0, false, fmt.Errorf("read events recorded since revision %d: %w", tl.revision, err)
		}
		if recorded++; recorded > elapsed {
			return nil, nil, 0, false, nil
		}
		if !isLive {
			continue // recorded and ended since: nothing to apply
		}
		if c.region, ok = tl.regionIndex(region); !ok {
			return nil, nil, 0, false, nil
		}
		if factionIndex == nil {
			factionIndex = make(map[string]uint16, len(factions))
			for i, f := range factions {
				factionIndex[f] = uint16(i)
			}
		}
		fi, known := factionIndex[faction]
		if !known {
			fi = uint16(len(factions))
			factionIndex[faction] = fi
			// Clipped, so the append copies: readers of tl may be using its factions.
			factions = append(slices.Clip(factions), faction)
		}
		c.day, c.faction, c.claimed = dayOf(date), fi, confidence == Claimed
		added = append(added, c)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, 0, false, fmt.Errorf("read events recorded since revision %d: %w", tl.revision, err)
	}
	return added, factions, recorded, true, nil
}

// endedSince reads the map's events retracted or superseded since tl was read, returning
// those tl holds as changes to remove (with their region and id) and how many events it
// read. ok is false when the events cannot be removed from tl.
func (tl *timeline) endedSince(ctx context.Context, tx *sql.Tx, mapID, elapsed int64) (removed []change, ended int64, ok bool, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, region_id FROM events WHERE map_id = ? AND ended_revision > ?`, mapID, tl.revision)
	if err != nil {
		return nil, 0, false, fmt.Errorf("read events ended since revision %d: %w", tl.revision, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c change
		var region string
		if err := rows.Scan(&c.id, &region); err != nil {
			return nil, 0, false, fmt.Errorf("read events ended since revision %d: %w", tl.revision, err)
		}
		if ended++; ended > elapsed {
			return nil, 0, false, nil
		}
		if c.id > tl.lastID {
			continue // recorded since too, so never in tl
		}
		if c.region, ok = tl.regionIndex(region); !ok {
			return nil, 0, false, nil
		}
		removed = append(removed, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, false, fmt.Errorf("read events ended since revision %d: %w", tl.revision, err)
	}
	return removed, ended, true, nil
}

// regionIndex returns the index into tl.regions of the region with the given id.
func (tl *timeline) regionIndex(id string) (int, bool) {
	k, ok := slices.BinarySearchFunc(tl.byID, id, func(i int32, id string) int { return strings.Compare(tl.regions[i].ID, id) })
	if !ok {
		return -1, false
	}
	return int(tl.byID[k]), true
}

// with returns a new timeline: tl with the added events in place and the removed ones gone,
// at revision rev. tl itself is left as it is, since readers may be using it; the new one
// shares its regions and byID, which no change touches. ok is false when an event to
// remove is not in tl.
func (tl *timeline) with(rev, lastID int64, factions []string, added, removed []change) (next *timeline, ok bool) {
	// By region, and within one as the full load orders them: by date, then recording order.
	slices.SortFunc(added, func(a, b change) int {
		return cmp.Or(cmp.Compare(a.region, b.region), cmp.Compare(a.day, b.day), cmp.Compare(a.id, b.id))
	})
	slices.SortFunc(removed, func(a, b change) int { return cmp.Or(cmp.Compare(a.region, b.region), cmp.Compare(a.id, b.id)) })
	next = &timeline{
		revision: rev, lastID: lastID, regions: tl.regions, byID: tl.byID, factions: factions, measures: tl.measures,
		starts: make([]int, len(tl.starts)),
		events: make([]tlEvent, 0, len(tl.events)+len(added)-len(removed)),
	}
	copied := 0 // regions before this one are in next
	for len(added) > 0 || len(removed) > 0 {
		r := len(tl.regions)
		if len(added) > 0 {
			r = added[0].region
		}
		if len(removed) > 0 {
			r = min(r, removed[0].region)
		}
		na := 0
		for na < len(added) && added[na].region == r {
			na++
		}
		nr := 0
		for nr < len(removed) && removed[nr].region == r {
			nr++
		}
		next.copyRegions(tl, copied, r)
		next.starts[r] = len(next.events)
		if !next.merge(tl.events[tl.starts[r]:tl.starts[r+1]], added[:na], removed[:nr]) {
			return nil, false
		}
		added, removed, copied = added[na:], removed[nr:], r+1
	}
	next.copyRegions(tl, copied, len(tl.regions))
	next.starts[len(tl.regions)] = len(next.events)
	return next, true
}

// copyRegions appends the events of regions [from, to) of tl, unchanged, to next.
func (next *timeline) copyRegions(tl *timeline, from, to int) {
	shift := len(next.events) - tl.starts[from]
	for i := from; i < to; i++ {
		next.starts[i] = tl.starts[i] + shift
	}
	next.events = append(next.events, tl.events[tl.starts[from]:tl.starts[to]]...)
}

// merge appends one region's events to next: events, sorted, without those in removed
// (sorted by id), merged in order with added (sorted). It reports whether every event to
// remove was there.
func (next *timeline) merge(events []tlEvent, added, removed []change) bool {
	found := 0
	for _, e := range events {
		if _, gone := slices.BinarySearchFunc(removed, e.id, func(c change, id int64) int { return cmp.Compare(c.id, id) }); gone {
			found++
			continue
		}
		for len(added) > 0 && (added[0].day < e.day || added[0].day == e.day && added[0].id < e.id) {
			next.events = append(next.events, added[0].tlEvent)
			added = added[1:]
		}
		next.events = append(next.events, e)
	}
	for _, c := range added {
		next.events = append(next.events, c.tlEvent)
	}
	return found == len(removed)
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
	// PlaceFactions[i] holds Places[i], in the same order.
	Places, PlaceFactions []string
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
	h := Holders{Revision: tl.revision, Regions: make([]string, 0, len(tl.byID)), Factions: make([]string, 0, len(tl.byID))}
	for _, i := range tl.byID {
		faction := m.Initial
		if e := tl.holder(int(i), day); e >= 0 {
			faction = tl.factions[tl.events[e].faction]
		}
		if r := tl.regions[i]; r.Place {
			h.Places, h.PlaceFactions = append(h.Places, r.ID), append(h.PlaceFactions, faction)
		} else {
			h.Regions, h.Factions = append(h.Regions, r.ID), append(h.Factions, faction)
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
	st := State{Date: date, Revision: tl.revision, Holdings: make([]Holding, 0, len(tl.regions))}
	var ids []int64
	for i, r := range tl.regions {
		var h *Holding
		if r.Place {
			st.Places = append(st.Places, Holding{Region: r})
			h = &st.Places[len(st.Places)-1]
		} else {
			st.Holdings = append(st.Holdings, Holding{Region: r})
			h = &st.Holdings[len(st.Holdings)-1]
		}
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
	for i := range len(st.Holdings) + len(st.Places) {
		h := st.holding(i)
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

// HoldingOf is who holds one region or place of a map at date (validated by the caller), by
// the rule of State; its Event carries the id alone (the caller has the region's events in
// full). A region the map does not have is ErrNotFound.
func (s *Store) HoldingOf(ctx context.Context, m *Map, id, date string) (Holding, error) {
	tl, _, err := s.timeline(ctx, m.Slug)
	if err != nil {
		return Holding{}, err
	}
	for i, r := range tl.regions {
		if r.ID != id {
			continue
		}
		h := Holding{Region: r, Faction: m.Initial, Since: m.Start}
		if k := tl.holder(i, dayOf(date)); k >= 0 {
			e := tl.events[k]
			h.Faction = tl.factions[e.faction]
			h.Event = &Event{ID: e.id, Date: dateOfDay(e.day)}
			if e.claimed {
				h.Event.Confidence = Claimed
			} else {
				h.Event.Confidence = Confirmed
			}
			h.Since = h.Event.Date
		}
		return h, nil
	}
	return Holding{}, fmt.Errorf("region %q of map %q: %w", id, m.Slug, ErrNotFound)
}
