package web

import (
	"context"
	"strings"
	"time"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/web/i18n"
)

// changesMax is how many of a day's events the what-changed list shows, on the server and,
// from the page data, in the browser (static/ui/changes.js); the rest are counted. A large
// map's busiest day has thousands.
const changesMax = 40

// dayChanges is what changed on one date: the live events effective on it, as the map page
// and the embed list them beside the legend.
type dayChanges struct {
	Date, DateLabel string
	Items           []changeItem
	// More counts the events beyond changesMax.
	More int
}

// changeItem is one event of the list: where, from which holder to which, how sure, and why.
type changeItem struct {
	ID, Name, URL string
	From, To      data.Faction
	Claimed       bool
	Source        string
	// Note is the first line of the event's note.
	Note string
}

// effectiveOn is the span of event dates effective on date, both included: the date itself,
// and on the map's first day every date before it too, as those events take effect then (the
// slider's ticks count them there as well).
func effectiveOn(m *data.Map, date string) (from, to string) {
	if date == m.Start {
		return "", date
	}
	return date, date
}

// eventsOn returns the live events effective on date.
func (s *Server) eventsOn(ctx context.Context, m *data.Map, date string) ([]data.Event, error) {
	from, to := effectiveOn(m, date)
	return s.events.EventsBetween(ctx, m.Slug, from, to)
}

// changesOn lists what changed on st's date, read from the store.
func (s *Server) changesOn(ctx context.Context, f i18n.DateFormat, m *data.Map, st data.State) (dayChanges, error) {
	events, err := s.eventsOn(ctx, m, st.Date)
	if err != nil || len(events) == 0 {
		return newDayChanges(f, m, st, nil, nil), err
	}
	prev, err := stateBefore(ctx, s.maps, m, st.Date)
	if err != nil {
		return dayChanges{}, err
	}
	return newDayChanges(f, m, st, events, prev), nil
}

// stateBefore is the state the day before date, or nil on the map's first day.
func stateBefore(ctx context.Context, store interface {
	State(ctx context.Context, m *data.Map, date string) (data.State, error)
}, m *data.Map, date string) (*data.State, error) {
	if date <= m.Start {
		return nil, nil
	}
	day, _ := time.Parse(data.DateLayout, date)
	prev, err := store.State(ctx, m, day.AddDate(0, 0, -1).Format(data.DateLayout))
	return &prev, err
}

// newDayChanges lists events, the live events effective on st's date, each with the holder
// before it: in prev, the state the day before (nil on the map's first day: the initial), or
// the same day's earlier event for the same region.
func newDayChanges(f i18n.DateFormat, m *data.Map, st data.State, events []data.Event, prev *data.State) dayChanges {
	c := dayChanges{Date: st.Date, DateLabel: dateLabel(f, st.Date)}
	before := map[string]string{} // region or place id -> holder the day before
	if prev != nil {
		for _, hs := range [][]data.Holding{prev.Holdings, prev.Places} {
			for _, h := range hs {
				before[h.Region.ID] = h.Faction
			}
		}
	}
	type where struct{ name, url string }
	places := make(map[string]where, len(st.Holdings)+len(st.Places))
	for _, h := range st.Holdings {
		places[h.Region.ID] = where{h.Region.Name, regionURL(m.Slug, h.Region.ID)}
	}
	for _, h := range st.Places {
		places[h.Region.ID] = where{h.Region.Name, placeURL(m.Slug, h.Region.ID)}
	}
	rows, more := changesOfDay(events, func(id string) string {
		if f, ok := before[id]; ok {
			return f
		}
		return m.Initial
	}, changesMax)
	c.More = more
	for _, r := range rows {
		w, ok := places[r.ID]
		if !ok { // an event about a region with no shape: named by its id
			w = where{r.ID, regionURL(m.Slug, r.ID)}
		}
		fromF, _ := m.Faction(r.From)
		toF, _ := m.Faction(r.To)
		c.Items = append(c.Items, changeItem{ID: r.ID, Name: w.name, URL: w.url, From: fromF, To: toF,
			Claimed: r.Claimed, Source: r.Source, Note: r.Note})
	}
	return c
}

// dayChangeRow is one event of a day's list, by ids: the rule's result, which
// static/model/changes.js computes alike in the browser.
type dayChangeRow struct {
	ID      string `json:"id"`
	From    string `json:"from"`
	To      string `json:"to"`
	Claimed bool   `json:"claimed"`
	Source  string `json:"source"`
	Note    string `json:"note"`
}

// changesOfDay is the rule of the what-changed list: a day's events in recording order, the
// first max of them, each from the holder before it (before(id), the holder the day before,
// for a region's first event of the day; its previous event's faction for the next) to its
// faction, with the first line of its note; more counts the rest. Golden cases:
// testdata/rules/changes.json.
func changesOfDay(events []data.Event, before func(id string) string, max int) (rows []dayChangeRow, more int) {
	latest := map[string]string{}
	for _, e := range events {
		from, ok := latest[e.Region]
		if !ok {
			from = before(e.Region)
		}
		latest[e.Region] = e.Faction
		if len(rows) == max {
			more++
			continue
		}
		note, _, _ := strings.Cut(e.Note, "\n")
		rows = append(rows, dayChangeRow{ID: e.Region, From: from, To: e.Faction, Claimed: e.Confidence == "claimed",
			Source: e.Source, Note: strings.TrimSpace(note)})
	}
	return rows, more
}
