package data

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// holder returns who holds region at date.
func holder(t *testing.T, s *Store, m *Map, region, date string) string {
	t.Helper()
	st, err := s.State(context.Background(), m, date)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range st.Holdings {
		if h.Region.ID == region {
			return h.Faction
		}
	}
	t.Fatalf("no region %s", region)
	return ""
}

func TestRecordRetractSupersede(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	m := importTest(t, s, "")
	e := Event{Region: "R0", Faction: "reb", Date: "2021-01-05", Source: "https://example.org/1", Confidence: Confirmed}
	if err := s.Record(ctx, "test", &e, "alice", 0); err != nil {
		t.Fatal(err)
	}
	if got := holder(t, s, m, "R0", "2021-01-06"); got != "reb" {
		t.Fatalf("after recording, R0 held by %s, want reb", got)
	}

	dup := e
	if err := s.Record(ctx, "test", &dup, "bob", 0); err == nil || !strings.Contains(err.Error(), "already recorded") {
		t.Fatalf("duplicate: err = %v", err)
	}

	// A correction moves the date; the old revision stays readable.
	fix := Event{Region: "R0", Faction: "reb", Date: "2021-01-07", Source: "https://example.org/2", Confidence: Claimed}
	if err := s.Record(ctx, "test", &fix, "bob", e.ID); err != nil {
		t.Fatal(err)
	}
	if got := holder(t, s, m, "R0", "2021-01-06"); got != "gov" {
		t.Errorf("after the correction, R0 on 6 Jan held by %s, want gov", got)
	}
	old, err := s.Event(ctx, "test", e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if old.SupersededBy != fix.ID || old.Live() {
		t.Errorf("old event = %+v, want superseded by %d", old, fix.ID)
	}
	if again := (Event{Region: "R0", Faction: "gov", Date: "2021-01-09", Source: "https://example.org/3"}); s.Record(ctx, "test", &again, "carol", e.ID) == nil {
		t.Error("superseding an already superseded event succeeded")
	}

	if err := s.Retract(ctx, "test", fix.ID, "alice", "  "); err == nil {
		t.Error("retraction without a reason succeeded")
	}
	if err := s.Retract(ctx, "test", fix.ID, "alice", "Source withdrew the report"); err != nil {
		t.Fatal(err)
	}
	if got := holder(t, s, m, "R0", "2021-01-31"); got != "gov" {
		t.Errorf("after retraction, R0 held by %s, want gov", got)
	}
	if err := s.Retract(ctx, "test", fix.ID, "bob", "again"); !errors.Is(err, ErrConflict) {
		t.Errorf("second retraction: err = %v, want ErrConflict", err)
	}
	if err := s.Retract(ctx, "test", 9999, "bob", "nothing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("retracting a missing event: err = %v, want ErrNotFound", err)
	}

	history, err := s.RegionEvents(ctx, "test", "R0")
	if err != nil {
		t.Fatal(err)
	}
	if len(history) != 2 || history[1].RetractedBy != "alice" || history[1].RetractReason != "Source withdrew the report" || history[1].Supersedes != e.ID {
		t.Errorf("history = %+v", history)
	}
	live, err := s.Events(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(live) != 0 {
		t.Errorf("%d live events, want 0", len(live))
	}
	changes, err := s.Changes(ctx, "test", 10)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, c := range changes {
		kinds = append(kinds, c.Kind+" by "+c.Author)
	}
	if got, want := strings.Join(kinds, ", "), "retracted by alice, recorded by bob, recorded by alice"; got != want {
		t.Errorf("changes = %s, want %s", got, want)
	}
}

func TestUsersAndSessions(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	for _, bad := range []struct{ name, password string }{
		{"", "long enough password"},
		{"has space", "long enough password"},
		{"alice", "short"},
		{"alice", strings.Repeat("x", 73)},
	} {
		if _, err := s.CreateUser(ctx, bad.name, bad.password); err == nil {
			t.Errorf("CreateUser(%q, %q) succeeded", bad.name, bad.password)
		}
	}
	u, err := s.CreateUser(ctx, "alice", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, "alice", "another good password"); err == nil {
		t.Error("a second alice was created")
	}
	if _, err := s.Authenticate(ctx, "alice", "wrong password!"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("wrong password: err = %v", err)
	}
	if _, err := s.Authenticate(ctx, "mallory", "correct horse battery"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("unknown user: err = %v", err)
	}
	if got, err := s.Authenticate(ctx, "alice", "correct horse battery"); err != nil || got.ID != u.ID {
		t.Fatalf("right password: %+v, %v", got, err)
	}
	token, err := s.CreateSession(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.SessionUser(ctx, token); err != nil || got.Name != "alice" {
		t.Fatalf("SessionUser = %+v, %v", got, err)
	}
	var stored int
	s.db.QueryRow(`SELECT count(*) FROM sessions WHERE token_hash = ?`, token).Scan(&stored)
	if stored != 0 {
		t.Error("the raw session token is stored")
	}
	// An idle session expires.
	if _, err := s.db.Exec(`UPDATE sessions SET last_seen = '2000-01-01T00:00:00Z'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionUser(ctx, token); !errors.Is(err, ErrNotFound) {
		t.Errorf("idle session: err = %v, want ErrNotFound", err)
	}
	token2, _ := s.CreateSession(ctx, u.ID)
	if err := s.DeleteSession(ctx, token2); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionUser(ctx, token2); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted session: err = %v", err)
	}
}

// TestRetractBatch: the events appended in one go are one batch, retracted together with
// one reason; each retraction stays readable, and events recorded apart are left alone.
func TestRetractBatch(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	m := importTest(t, s, "")
	batch := []Event{
		{Region: "R0", Faction: "reb", Date: "2021-01-05", Source: "https://example.org/b", Confidence: Confirmed},
		{Region: "R1", Faction: "reb", Date: "2021-01-05", Source: "https://example.org/b", Confidence: Confirmed},
	}
	if err := s.AppendEvents(ctx, "test", batch, "alice", nil); err != nil {
		t.Fatal(err)
	}
	apart := Event{Region: "R2", Faction: "reb", Date: "2021-01-05", Source: "https://example.org/c", Confidence: Confirmed}
	if err := s.Record(ctx, "test", &apart, "alice", 0); err != nil {
		t.Fatal(err)
	}
	got, err := s.Batch(ctx, "test", batch[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != batch[0].ID || got[1].ID != batch[1].ID {
		t.Fatalf("batch of %d = %+v, want events %d and %d", batch[1].ID, got, batch[0].ID, batch[1].ID)
	}

	for _, tc := range []struct {
		name, reason string
		id           int64
		want         string
	}{
		{"no_reason", "  ", batch[0].ID, "needs a reason"},
		{"unknown_event", "wrong", 999999, "not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := s.RetractBatch(ctx, "test", tc.id, "bob", tc.reason); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
	if n, err := s.RetractBatch(ctx, "test", batch[0].ID, "bob", "wire copy was wrong"); err != nil || n != 2 {
		t.Fatalf("RetractBatch = %d, %v; want 2", n, err)
	}
	for region, want := range map[string]string{"R0": "gov", "R1": "gov", "R2": "reb"} {
		if got := holder(t, s, m, region, "2021-01-06"); got != want {
			t.Errorf("after the batch undo, %s held by %s, want %s", region, got, want)
		}
	}
	for _, e := range batch {
		old, err := s.Event(ctx, "test", e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if old.Live() || old.RetractedBy != "bob" || old.RetractReason != "wire copy was wrong" {
			t.Errorf("event %d after the batch undo = %+v", e.ID, old)
		}
	}
	if _, err := s.RetractBatch(ctx, "test", batch[0].ID, "bob", "again"); !errors.Is(err, ErrConflict) {
		t.Errorf("undoing the batch again: err = %v, want a conflict", err)
	}
}
