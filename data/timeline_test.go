package data

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
)

// TestStateSeesWritesFromAnotherProcess writes through a second Store on the same file, as
// `frontline import events` does while the server runs: the first Store's cached timeline
// must notice.
func TestStateSeesWritesFromAnotherProcess(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	m := importTest(t, a, "")
	if got := holder(t, a, m, "R1", "2021-01-20"); got != "gov" {
		t.Fatalf("before: %s", got)
	}
	b, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
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
		}
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
