package data

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// TestStateSeesWritesFromAnotherProcess writes through a second Store on the same file, as
// `frontline import events` does while the server runs: the first Store's cached timeline
// must notice.
func TestStateSeesWritesFromAnotherProcess(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	a := openStoreAt(t, path)
	m := importTest(t, a, "")
	if got := holder(t, a, m, "R1", "2021-01-20"); got != "gov" {
		t.Fatalf("before: %s", got)
	}
	b := openStoreAt(t, path)
	e := Event{Region: "R1", Faction: "reb", Date: "2021-01-15", Source: "https://example.org/b", Confidence: Confirmed}
	if err := b.Record(ctx, "test", &e, "other process", 0); err != nil {
		t.Fatal(err)
	}
	if got := holder(t, a, m, "R1", "2021-01-20"); got != "reb" {
		t.Errorf("after another process's write: R1 held by %s, want reb", got)
	}
	h, err := a.Holders(ctx, m, "2021-01-20")
	if err != nil {
		t.Fatal(err)
	}
	if holders := holderMap(h); holders["R1"] != "reb" || holders["R0"] != "gov" {
		t.Errorf("Holders = %v", holders)
	}
}

// TestHoldersMatchesState checks the fast path against the full state on every date.
func TestHoldersMatchesState(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	m := importTest(t, s, "R0,reb,2021-01-05,https://example.org/1,,\nR0,gov,2021-01-05,https://example.org/2,,claimed\nR2,reb,2021-01-31,https://example.org/3,,\nR1,reb,2021-01-01,https://example.org/4,,\n")
	for d := 1; d <= 31; d++ {
		date := "2021-01-" + string(rune('0'+d/10)) + string(rune('0'+d%10))
		st, err := s.State(ctx, m, date)
		if err != nil {
			t.Fatal(err)
		}
		h, err := s.Holders(ctx, m, date)
		if err != nil {
			t.Fatal(err)
		}
		if h.Revision != st.Revision {
			t.Errorf("%s: revisions differ: %d and %d", date, h.Revision, st.Revision)
		}
		if !slices.IsSorted(h.Regions) || len(h.Regions) != len(st.Holdings) {
			t.Errorf("%s: Holders lists regions %v, want every region sorted by id", date, h.Regions)
		}
		holders := holderMap(h)
		for _, h := range st.Holdings {
			if holders[h.Region.ID] != h.Faction {
				t.Errorf("%s: %s is %s in State but %s in Holders", date, h.Region.ID, h.Faction, holders[h.Region.ID])
			}
			// HoldingOf, the history page's, by the same rule: faction, since, event, claim.
			one, err := s.HoldingOf(ctx, m, h.Region.ID, date)
			if err != nil {
				t.Fatal(err)
			}
			if one.Faction != h.Faction || one.Since != h.Since || one.Claimed() != h.Claimed() || (one.Event == nil) != (h.Event == nil) || (one.Event != nil && one.Event.ID != h.Event.ID) {
				t.Errorf("%s: %s is %+v in State but %+v in HoldingOf", date, h.Region.ID, h, one)
			}
		}
	}
	if _, err := s.HoldingOf(ctx, m, "R9", "2021-01-05"); !errors.Is(err, ErrNotFound) {
		t.Errorf("HoldingOf a region the map lacks: %v, want ErrNotFound", err)
	}
}

// holderMap returns Holders as a map from region id to faction.
func holderMap(h Holders) map[string]string {
	m := make(map[string]string, len(h.Regions))
	for i, id := range h.Regions {
		m[id] = h.Factions[i]
	}
	return m
}

// timelineFolder is the test map with five regions and a third faction, neu, which no
// imported event uses, so that an edit can bring a faction the timeline has not seen.
func timelineFolder(rows string) fstest.MapFS {
	fsys := testFolder("region,faction,date,source,note,confidence\n" + rows)
	fsys["map.json"] = &fstest.MapFile{Data: []byte(strings.Replace(testMapJSON,
		`{"id": "reb"`, `{"id": "neu", "name": "Neutral", "color": "#888888"}, {"id": "reb"`, 1))}
	fsys["regions.geojson"] = &fstest.MapFile{Data: []byte(squares(5))}
	return fsys
}

// openTimelineTest opens a database file holding the timeline test map, and a second Store
// on the same file that stands for another process.
func openTimelineTest(t *testing.T, rows string) (s, other *Store, m *Map) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "timeline.db")
	s = openStoreAt(t, path)
	f, err := LoadFolder(timelineFolder(rows))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Import(ctx, f, "test", false); err != nil {
		t.Fatal(err)
	}
	if m, err = s.Map(ctx, "test"); err != nil {
		t.Fatal(err)
	}
	return s, openStoreAt(t, path), m
}

// checkTimeline compares s's cached timeline of m, brought up to date, with one loaded in
// full, and State and Holders at several dates with those of a Store that loads in full.
func checkTimeline(t *testing.T, s *Store, m *Map) {
	t.Helper()
	ctx := context.Background()
	got, id, err := s.timeline(ctx, m.Slug)
	if err != nil {
		t.Fatal(err)
	}
	want, err := s.loadTimeline(ctx, id, m.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(resolveTimeline(want), resolveTimeline(got)); diff != "" {
		t.Fatalf("updated timeline differs from a full load (-full +updated):\n%s", diff)
	}
	// The timelines agree; these check what readers see, against a Store whose cache holds
	// nothing, so that it loads in full.
	fresh := &Store{db: s.db, timelines: timelines{maps: map[int64]*timeline{}}}
	for _, date := range []string{"2021-01-01", "2021-01-02", "2021-01-09", "2021-01-10", "2021-01-20", "2021-01-31"} {
		gh, err := s.Holders(ctx, m, date)
		if err != nil {
			t.Fatal(err)
		}
		fresh.timelines.maps = map[int64]*timeline{}
		wh, err := fresh.Holders(ctx, m, date)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wh, gh); diff != "" {
			t.Fatalf("Holders at %s (-full +updated):\n%s", date, diff)
		}
		gs, err := s.State(ctx, m, date)
		if err != nil {
			t.Fatal(err)
		}
		fresh.timelines.maps = map[int64]*timeline{}
		ws, err := fresh.State(ctx, m, date)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(ws, gs); diff != "" {
			t.Fatalf("State at %s (-full +updated):\n%s", date, diff)
		}
	}
}

// resolvedTimeline is a timeline with faction names for indexes, which a full load and an
// update may number differently.
type resolvedTimeline struct {
	Revision, LastID int64
	Regions          []Region
	ByID             []int32
	Events           [][]resolvedEvent // per region
}

type resolvedEvent struct {
	ID      int64
	Day     int32
	Faction string
	Claimed bool
}

func resolveTimeline(tl *timeline) resolvedTimeline {
	r := resolvedTimeline{Revision: tl.revision, LastID: tl.lastID, Regions: tl.regions, ByID: tl.byID}
	for i := range tl.regions {
		events := []resolvedEvent{}
		for _, e := range tl.events[tl.starts[i]:tl.starts[i+1]] {
			events = append(events, resolvedEvent{e.id, e.day, tl.factions[e.faction], e.claimed})
		}
		r.Events = append(r.Events, events)
	}
	return r
}

// timelineCounts returns how many full loads and updates s's timelines have made.
func timelineCounts(s *Store) (loads, updates int) {
	s.timelines.mu.Lock()
	defer s.timelines.mu.Unlock()
	return s.timelines.loads, s.timelines.updates
}

// TestTimelineUpdate edits a map whose timeline is cached and checks that the next read
// updates it (or, when it cannot, loads it in full) to what a full load gives.
func TestTimelineUpdate(t *testing.T) {
	const imported = "R0,reb,2021-01-05,https://example.org/1,,\n" +
		"R0,gov,2021-01-05,https://example.org/2,,claimed\n" +
		"R1,reb,2021-01-01,https://example.org/3,,\n" +
		"R2,reb,2021-01-20,https://example.org/4,,\n" +
		"R2,gov,2021-01-25,https://example.org/5,,\n"
	type step func(t *testing.T, s, other *Store)
	record := func(region, faction, date string, supersedes int64) step {
		return func(t *testing.T, s, _ *Store) {
			t.Helper()
			recordEvent(t, s, region, faction, date, supersedes)
		}
	}
	retract := func(id int64) step {
		return func(t *testing.T, s, _ *Store) {
			t.Helper()
			if err := s.Retract(context.Background(), "test", id, "test", "wrong"); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Imported events have ids 1 to 5 in the order above; recorded ones follow.
	tests := []struct {
		name   string
		before []step // made before the timeline is cached
		steps  []step
		load   bool // the update cannot be made: the next read loads in full
	}{
		{name: "record_in_a_region_without_events", steps: []step{record("R3", "reb", "2021-01-10", 0)}},
		{name: "record_on_the_first_day", steps: []step{record("R3", "reb", "2021-01-01", 0)}},
		{name: "record_before_the_first_event", steps: []step{record("R2", "gov", "2021-01-02", 0)}},
		{name: "record_between_events", steps: []step{record("R2", "reb", "2021-01-22", 0)}},
		{name: "record_after_the_last_event", steps: []step{record("R2", "reb", "2021-01-31", 0)}},
		{name: "record_on_a_day_with_events_wins_it", steps: []step{record("R0", "reb", "2021-01-05", 0)}},
		{name: "record_a_faction_the_timeline_has_not_seen", steps: []step{record("R4", "neu", "2021-01-09", 0)}},
		{name: "supersede", steps: []step{record("R2", "reb", "2021-01-21", 4)}},
		{name: "supersede_moving_the_date_earlier", steps: []step{record("R2", "neu", "2021-01-01", 5)}},
		{name: "retract", steps: []step{retract(2)}},
		{name: "retract_every_event_of_a_region", steps: []step{retract(4), retract(5)}},
		{name: "record_then_retract", steps: []step{record("R4", "reb", "2021-01-09", 0), retract(6)}},
		{name: "record_then_supersede_it", steps: []step{record("R4", "reb", "2021-01-09", 0), record("R4", "neu", "2021-01-09", 6)}},
		{name: "edits_in_several_regions", steps: []step{
			record("R4", "reb", "2021-01-09", 0), retract(3), record("R0", "neu", "2021-01-05", 1), record("R1", "gov", "2021-01-01", 0)}},
		{name: "record_by_another_process", steps: []step{func(t *testing.T, _, other *Store) {
			recordEvent(t, other, "R1", "gov", "2021-01-15", 0)
		}}},
		{name: "retract_by_another_process", steps: []step{func(t *testing.T, _, other *Store) {
			if err := other.Retract(context.Background(), "test", 1, "other", "wrong"); err != nil {
				t.Fatal(err)
			}
		}}},
		{name: "import_events_by_another_process", steps: []step{func(t *testing.T, _, other *Store) {
			appendEvents(t, other, 50)
		}}},
		{name: "large_import_loads_in_full", load: true, steps: []step{func(t *testing.T, _, other *Store) {
			appendEvents(t, other, int(maxUpdate(5))+1)
		}}},
		{name: "replaced_map_loads_in_full", load: true, steps: []step{func(t *testing.T, _, other *Store) {
			f, err := LoadFolder(timelineFolder("R1,neu,2021-01-03,https://example.org/9,,\n"))
			if err != nil {
				t.Fatal(err)
			}
			if err := other.Import(context.Background(), f, "test", true); err != nil {
				t.Fatal(err)
			}
		}}},
		{name: "update_of_an_ended_event_loads_in_full", load: true, steps: []step{retract(1), func(t *testing.T, s, _ *Store) {
			// Not something Frontline does, but a revision that no change row explains.
			if _, err := s.db.Exec(`UPDATE events SET retracted_at = retracted_at WHERE id = 1`); err != nil {
				t.Fatal(err)
			}
		}}},
		{name: "ended_event_the_timeline_lacks_loads_in_full", load: true, before: []step{retract(1)}, steps: []step{func(t *testing.T, s, _ *Store) {
			// As above: the counts agree, but event 1 left the timeline before.
			if _, err := s.db.Exec(`UPDATE maps SET revision = revision + 1;
				UPDATE events SET ended_revision = (SELECT revision FROM maps) WHERE id = 1`); err != nil {
				t.Fatal(err)
			}
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, other, m := openTimelineTest(t, imported)
			for _, step := range tt.before {
				step(t, s, other)
			}
			if _, err := s.Holders(context.Background(), m, m.DefaultDate); err != nil {
				t.Fatal(err)
			}
			for _, step := range tt.steps {
				step(t, s, other)
			}
			loads, updates := timelineCounts(s)
			if _, _, err := s.timeline(context.Background(), m.Slug); err != nil {
				t.Fatal(err)
			}
			loads2, updates2 := timelineCounts(s)
			if tt.load && loads2 != loads+1 {
				t.Errorf("loads %d then %d, updates %d then %d: want a full load", loads, loads2, updates, updates2)
			}
			if !tt.load && updates2 != updates+1 {
				t.Errorf("loads %d then %d, updates %d then %d: want an update", loads, loads2, updates, updates2)
			}
			checkTimeline(t, s, m)
		})
	}
}

// recordEvent records an event through s with a source unique to it.
func recordEvent(t *testing.T, s *Store, region, faction, date string, supersedes int64) int64 {
	t.Helper()
	sources++
	e := Event{Region: region, Faction: faction, Date: date, Source: fmt.Sprintf("https://example.org/e%d", sources), Confidence: Confirmed}
	if sources%3 == 0 {
		e.Confidence = Claimed
	}
	if err := s.Record(context.Background(), "test", &e, "test", supersedes); err != nil {
		t.Fatal(err)
	}
	return e.ID
}

// sources numbers the events tests record, so that none is refused as a duplicate.
var sources int

// appendEvents appends n events through s, as `frontline import events` does.
func appendEvents(t *testing.T, s *Store, n int) {
	t.Helper()
	events := make([]Event, n)
	for i := range events {
		sources++
		events[i] = Event{Region: fmt.Sprintf("R%d", i%5), Faction: []string{"gov", "reb", "neu"}[i%3],
			Date: fmt.Sprintf("2021-01-%02d", 1+i%31), Source: fmt.Sprintf("https://example.org/a%d", sources), Confidence: Confirmed}
	}
	if err := s.AppendEvents(context.Background(), "test", events, "import", nil); err != nil {
		t.Fatal(err)
	}
}

// TestTimelineUpdateRandom applies random edits, one to a few between reads, through this
// Store and another on the same file, and checks after each read that the updated timeline
// is the one a full load gives.
func TestTimelineUpdateRandom(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint("seed_", seed), func(t *testing.T) {
			ctx := context.Background()
			rng := rand.New(rand.NewPCG(seed, seed))
			s, other, m := openTimelineTest(t, "R0,reb,2021-01-05,https://example.org/1,,\n")
			checkTimeline(t, s, m)
			// Few dates, so that days with several events are common.
			dates := []string{"2021-01-01", "2021-01-02", "2021-01-10", "2021-01-11", "2021-01-31"}
			factions := []string{"gov", "reb", "neu"}
			for step := range 60 {
				for range 1 + rng.IntN(3) {
					w := s
					if rng.IntN(4) == 0 {
						w = other
					}
					events, err := w.Events(ctx, "test") // the live ones
					if err != nil {
						t.Fatal(err)
					}
					switch op := rng.IntN(10); {
					case op < 5 || len(events) == 0:
						recordEvent(t, w, fmt.Sprintf("R%d", rng.IntN(5)), factions[rng.IntN(3)], dates[rng.IntN(len(dates))], 0)
					case op < 8:
						e := events[rng.IntN(len(events))]
						recordEvent(t, w, e.Region, factions[rng.IntN(3)], dates[rng.IntN(len(dates))], e.ID)
					default:
						if err := w.Retract(ctx, "test", events[rng.IntN(len(events))].ID, "test", "wrong"); err != nil {
							t.Fatal(err)
						}
					}
				}
				loads, _ := timelineCounts(s)
				checkTimeline(t, s, m)
				if after, _ := timelineCounts(s); after != loads {
					t.Fatalf("step %d: loaded in full, want an update", step)
				}
			}
		})
	}
}

// TestTimelineUpdateQueryPlans checks that an update reads only what changed: the events
// recorded since by a range of ids, and those ended since through their index, never a walk
// over all of a map's events.
func TestTimelineUpdateQueryPlans(t *testing.T) {
	s := openTestStore(t)
	tests := []struct{ query, want string }{
		{`SELECT id FROM events WHERE id > 10 AND +map_id = 1`, "USING INTEGER PRIMARY KEY (rowid>?)"},
		{`SELECT id, region_id FROM events WHERE map_id = 1 AND ended_revision > 10`, "USING INDEX events_ended_revision (map_id=? AND ended_revision>?)"},
	}
	for _, tt := range tests {
		rows, err := s.db.Query(`EXPLAIN QUERY PLAN ` + tt.query)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if len(plan) != 1 || !strings.Contains(plan[0], tt.want) {
			t.Errorf("%s: plan %q, want one step %s", tt.query, plan, tt.want)
		}
	}
}

// TestTimelineUpdateWhileReading reads the state from several goroutines while edits are
// made: run with -race, it shows an update leaves alone the timeline readers hold.
func TestTimelineUpdateWhileReading(t *testing.T) {
	ctx := context.Background()
	s, _, m := openTimelineTest(t, "R0,reb,2021-01-05,https://example.org/1,,\n")
	done := make(chan struct{})
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				if _, err := s.Holders(ctx, m, "2021-01-10"); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := range 40 {
		recordEvent(t, s, fmt.Sprintf("R%d", i%5), []string{"gov", "reb", "neu"}[i%3], "2021-01-10", 0)
	}
	close(done)
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	checkTimeline(t, s, m)
}
