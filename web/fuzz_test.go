package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/frontline-maps/frontline/data"
)

// signInCookies signs alice in through the real form and returns her session and CSRF
// cookies, for tests that send requests of their own.
func signInCookies(tb testing.TB, h http.Handler) (session, token *http.Cookie) {
	tb.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/login", nil))
	for _, ck := range rec.Result().Cookies() {
		if ck.Name == "frontline_csrf" {
			token = ck
		}
	}
	if token == nil {
		tb.Fatal("no CSRF cookie from /login")
	}
	rec = send(h, http.MethodPost, "/login", url.Values{"_csrf": {token.Value}, "username": {"alice"}, "password": {editorPassword}}, []*http.Cookie{token})
	for _, ck := range rec.Result().Cookies() {
		if ck.Name == sessionCookie {
			session = ck
		}
	}
	if rec.Code != http.StatusSeeOther || session == nil {
		tb.Fatalf("sign-in: status %d", rec.Code)
	}
	return session, token
}

// eventsState is what any write to the events table changes: how many there are, the last
// id, and how many are retracted or superseded.
func (f *dbFile) eventsState(tb testing.TB) string {
	tb.Helper()
	var n, last, retracted, superseded int64
	if err := f.db.QueryRow(`SELECT count(*), coalesce(max(id), 0), count(retracted_at), count(superseded_by) FROM events`).
		Scan(&n, &last, &retracted, &superseded); err != nil {
		tb.Fatal(err)
	}
	return strconv.FormatInt(n, 10) + "/" + strconv.FormatInt(last, 10) + "/" + strconv.FormatInt(retracted, 10) + "/" + strconv.FormatInt(superseded, 10)
}

// FuzzEventForm posts arbitrary change forms through the whole handler as a signed-in
// editor. Never a server fault; a refusal (422) stores nothing; an acceptance (303) stores
// exactly the checked, trimmed input, readable at once.
func FuzzEventForm(f *testing.F) {
	f.Add("AF-WAR", "taliban", "2021-08-14", "https://example.org/report", "Maidan Shahr fell", "confirmed", "")
	f.Add(" AF-KAB ", "resistance", "2021-09-15", "http://example.org/?q=<script>", "<script>alert(1)</script>", "claimed", "")
	f.Add("AF-WAR", "taliban", "2021-08-13", "https://example.org/fix", "correction", "", "1")
	f.Add("AF-XXX", "army", "2021-02-30", "javascript:alert(1)", strings.Repeat("n", data.MaxNoteLen+1), "rumour", "abc")
	f.Add("AF-\xff", "taliban\x00", "2021-08-14 ", "https://", "caf\xe9", "CLAIMED", "-1")
	f.Add("", "", "", "", "", "", "99999999999999999999")
	lab := newTestServer(f, withEditor("alice"))
	session, token := signInCookies(f, lab.h)
	m, err := lab.store.Map(context.Background(), "afghanistan-2021")
	if err != nil {
		f.Fatal(err)
	}
	regions, _ := lab.store.Regions(context.Background(), "afghanistan-2021")
	known := map[string]bool{}
	for _, r := range regions {
		known[r.ID] = true
	}
	f.Fuzz(func(t *testing.T, region, faction, date, source, note, confidence, supersedes string) {
		form := url.Values{"_csrf": {token.Value}, "region": {region}, "faction": {faction}, "date": {date}, "source": {source},
			"note": {note}, "confidence": {confidence}, "supersedes": {supersedes}, "intent": {"save"}}
		before := lab.file.eventsState(t)
		rec := send(lab.h, http.MethodPost, "/maps/afghanistan-2021/events", form, []*http.Cookie{session, token})
		after := lab.file.eventsState(t)
		switch rec.Code {
		case http.StatusSeeOther:
			loc, err := url.Parse(rec.Header().Get("Location"))
			if err != nil {
				t.Fatalf("Location %q: %v", rec.Header().Get("Location"), err)
			}
			id, err := strconv.ParseInt(loc.Query().Get("recorded"), 10, 64)
			if err != nil {
				t.Fatalf("Location %q names no event", loc)
			}
			stored, err := lab.store.Event(context.Background(), "afghanistan-2021", id)
			if err != nil {
				t.Fatalf("the acknowledged event %d cannot be read: %v", id, err)
			}
			want := data.Event{Region: region, Faction: faction, Date: date, Source: source, Note: note, Confidence: confidence}
			if problems := data.CheckEvent(m, func(id string) bool { return known[id] }, &want); len(problems) > 0 {
				t.Fatalf("stored an event its own check refuses: %v", problems)
			}
			got := data.Event{Region: stored.Region, Faction: stored.Faction, Date: stored.Date, Source: stored.Source, Note: stored.Note, Confidence: stored.Confidence}
			if got != want || stored.Author != "alice" || !stored.Live() {
				t.Errorf("stored %+v, want %+v by alice, live", stored, want)
			}
			if after == before {
				t.Error("acknowledged, yet the events table is unchanged")
			}
		case http.StatusUnprocessableEntity:
			if after != before {
				t.Errorf("refused, yet the events changed: %s to %s", before, after)
			}
			if msg := errorMessage(t, rec); msg == "" {
				t.Error("refused without a message")
			}
		case http.StatusRequestEntityTooLarge:
			if len(form.Encode()) <= 64<<10 {
				t.Errorf("413 for a %d-byte form", len(form.Encode()))
			}
			if after != before {
				t.Error("refused, yet the events changed")
			}
		default:
			t.Fatalf("status %d; body %.400s", rec.Code, rec.Body)
		}
	})
}
