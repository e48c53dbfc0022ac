package web

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/frontline-maps/frontline/data"
)

// TestEventsOnADate asks the events API what changed on a day of the built-in map: the live
// events dated on it, and a clear 400 for any date it cannot answer.
func TestEventsOnADate(t *testing.T) {
	h := newTestServer(t).h
	const base = "/api/maps/afghanistan-2021/events"
	ok := []struct {
		name, date string
		want       []string // regions, in recording order
	}{
		{"Kabul fell on 15 August", "2021-08-15", nil},
		{"a quiet day", "2021-08-20", []string{}},
		{"the first day, with nothing before it", "2021-08-01", []string{}},
	}
	for _, c := range ok {
		t.Run(c.name, func(t *testing.T) {
			rec := get(t, h, base+"?date="+c.date)
			if rec.Code != 200 {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			var events []data.Event
			decodeJSON(t, rec.Body, &events)
			regions := []string{}
			for _, e := range events {
				if e.Date != c.date {
					t.Errorf("event %d of %s is dated %s", e.ID, e.Region, e.Date)
				}
				regions = append(regions, e.Region)
			}
			if c.want == nil { // Kabul's day: Kabul among others
				if !strings.Contains(strings.Join(regions, " "), "AF-KAB") {
					t.Errorf("events on %s: %v, want AF-KAB among them", c.date, regions)
				}
				return
			}
			if strings.Join(regions, " ") != strings.Join(c.want, " ") {
				t.Errorf("events on %s: %v, want %v", c.date, regions, c.want)
			}
		})
	}
	bad := []struct{ name, query, want string }{
		{"not a date", "?date=15-08-2021", "YYYY-MM-DD from 2021-08-01 to 2021-09-15"},
		{"no such day", "?date=2021-02-30", "YYYY-MM-DD from 2021-08-01 to 2021-09-15"},
		{"empty", "?date=", "YYYY-MM-DD from 2021-08-01 to 2021-09-15"},
		{"before the start", "?date=2021-07-31", "from 2021-08-01 to 2021-09-15"},
		{"after the end", "?date=2021-09-16", "from 2021-08-01 to 2021-09-15"},
		{"with a region too", "?date=2021-08-15&region=AF-KAB", "not both"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			rec := get(t, h, base+c.query)
			var body struct{ Error string }
			_ = json.Unmarshal(rec.Body.Bytes(), &body)
			if rec.Code != 400 || !strings.Contains(body.Error, c.want) {
				t.Errorf("%s: %d %q, want 400 saying %q", c.query, rec.Code, body.Error, c.want)
			}
		})
	}
}

// TestChangeListRendered checks the what-changed list that the map page and the embed render
// for readers without JavaScript: Kabul from the Republic to the Taliban on 15 August,
// confirmed, with its source and its note's first line; "nothing changed" on a quiet day.
func TestChangeListRendered(t *testing.T) {
	h := newTestServer(t).h
	for _, page := range []string{"/maps/afghanistan-2021", "/embed/afghanistan-2021"} {
		t.Run(page, func(t *testing.T) {
			doc := parseHTML(t, get(t, h, page+"?date=2021-08-15"))
			list := doc.Find(`[data-testid="changes"]`)
			if got := list.AttrOr("data-date", ""); got != "2021-08-15" {
				t.Errorf("the list is of %q, want 2021-08-15", got)
			}
			if got := strings.TrimSpace(list.Find(".changes-date").Text()); got != "15 August 2021" {
				t.Errorf("the list's heading says %q", got)
			}
			kabul := list.Find(`.changes-list li[data-region="AF-KAB"]`)
			if kabul.Length() != 1 {
				t.Fatalf("%d rows for Kabul on 15 August, want 1", kabul.Length())
			}
			got := []string{
				kabul.Find(".change-name").Text(), kabul.Find(".change-name").AttrOr("href", ""),
				kabul.Find(".change-from").AttrOr("data-faction", ""), kabul.Find(".change-to").AttrOr("data-faction", ""),
				kabul.Find(".change-confirmed:not([hidden])").Text(), kabul.Find(".change-source").AttrOr("href", ""),
			}
			want := []string{"Kabul", "/maps/afghanistan-2021/regions/AF-KAB", "government", "taliban", "confirmed", "https://en.wikipedia.org/wiki/Fall_of_Kabul_(2021)"}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("Kabul's row: %q, want %q", got, want)
			}
			if note := kabul.Find(".change-note").Text(); !strings.HasPrefix(note, "Taliban fighters entered Kabul") || strings.Contains(note, "\n") {
				t.Errorf("Kabul's note %q, want the note's first line", note)
			}
			// Paktia's claim of the 14th confirmed on the 15th: the holder once, not "Taliban →
			// Taliban"; Kabul's change names both.
			paktia := list.Find(`.changes-list li[data-region="AF-PIA"]`)
			if paktia.Find(".change-was[hidden]").Length() != 1 || paktia.Find(".change-to").AttrOr("data-faction", "") != "taliban" {
				t.Errorf("Paktia's row, a claim confirmed: the holder before shows, or the holder is not the Taliban")
			}
			if kabul.Find(".change-was[hidden]").Length() != 0 {
				t.Error("Kabul's row hides the holder before it")
			}
			if list.Find(".changes-none[hidden]").Length() != 1 {
				t.Error(`"nothing changed" shows on a day with changes`)
			}
			quiet := parseHTML(t, get(t, h, page+"?date=2021-08-20")).Find(`[data-testid="changes"]`)
			if n := quiet.Find(".changes-list li").Length(); n != 0 || quiet.Find(".changes-none:not([hidden])").Length() != 1 {
				t.Errorf("on a quiet day: %d rows, and \"nothing changed\" shown %d times, want 0 and 1", n, quiet.Find(".changes-none:not([hidden])").Length())
			}
		})
	}
}
