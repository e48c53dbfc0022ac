package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// editStore is what the change and retract forms read and write.
type editStore interface {
	Regions(ctx context.Context, slug string) ([]data.Region, error)
	Places(ctx context.Context, slug string) ([]data.Region, error)
	Region(ctx context.Context, slug, regionID string) (data.Region, error)
	Event(ctx context.Context, slug string, eventID int64) (data.Event, error)
	Batch(ctx context.Context, slug string, eventID int64) ([]data.Event, error)
	State(ctx context.Context, m *data.Map, date string) (data.State, error)
	Record(ctx context.Context, slug string, e *data.Event, author string, supersedes int64) error
	AppendEvents(ctx context.Context, slug string, events []data.Event, author string, progress data.Progress) error
	Retract(ctx context.Context, slug string, eventID int64, author, reason string) error
	RetractBatch(ctx context.Context, slug string, eventID int64, author, reason string) (int, error)
}

// eventCreate serves POST /maps/{slug}/events: record a change of one or more regions
// (region repeated: one event each, sharing the other fields, in one transaction), or, with
// supersedes, a correction of an event. With intent=preview it only shows what the change
// would do; with intent=another it goes back to a blank form that keeps the faction, date,
// source and confidence. Bad input shows the form again with the editor's input and a
// message per field (422), and stores nothing.
func (s *Server) eventCreate(c echo.Context) error {
	ctx := c.Request().Context()
	m, err := s.pageMapParam(c)
	if err != nil {
		return err
	}
	// FormValue parses the form, leaving out a body it cannot read: then the fields are
	// missing, and the form says which are required.
	c.FormValue("region")
	form := c.Request().Form
	vals := eventValues{
		Regions: chosenRegions(form["region"]), Faction: form.Get("faction"), Date: form.Get("date"),
		Source: form.Get("source"), Note: form.Get("note"), Confidence: form.Get("confidence"),
	}
	errs := map[string]string{}
	if raw := strings.TrimSpace(form.Get("supersedes")); raw != "" {
		if vals.Supersedes, err = strconv.ParseInt(raw, 10, 64); err != nil || vals.Supersedes <= 0 {
			vals.Supersedes = 0
			errs[""] = t(ctx, "ErrorCorrectID")
		}
	}
	if vals.Supersedes != 0 && len(vals.Regions) > 1 {
		errs["region"] = t(ctx, "ErrorCorrectOne")
	}
	// A change names regions or places (the contract's events.csv region column): both are
	// known, and named in messages.
	regions, err := s.regionsAndPlaces(ctx, m.Slug)
	if err != nil {
		return err
	}
	known := make(map[string]bool, len(regions))
	for _, r := range regions {
		known[r.ID] = true
	}
	events, checked := checkEvents(ctx, m, func(id string) bool { return known[id] }, vals, errs)
	// Keep the editor's input as typed, but with whitespace trimmed as it will be stored.
	vals.Faction, vals.Date, vals.Source, vals.Note, vals.Confidence = checked.Faction, checked.Date, checked.Source, checked.Note, checked.Confidence

	intent := form.Get("intent")
	if len(errs) == 0 && intent != "preview" {
		u, _ := s.currentUser(c)
		err := s.record(ctx, m.Slug, events, u.Name, vals.Supersedes, regions)
		var invalid *data.InvalidError
		switch {
		case err == nil:
			e := events[0]
			s.log.InfoContext(ctx, "events recorded", "map", m.Slug, "first", e.ID, "regions", len(events),
				"faction", e.Faction, "date", e.Date, "author", u.Name, "supersedes", vals.Supersedes)
			recorded := strconv.FormatInt(e.ID, 10)
			if intent == "another" {
				q := url.Values{"faction": {e.Faction}, "date": {e.Date}, "source": {e.Source}, "confidence": {e.Confidence}, "recorded": {recorded}}
				return seeOther(c, mapURL(m.Slug)+"/edit?"+q.Encode())
			}
			return seeOther(c, mapURL(m.Slug)+"?date="+e.Date+"&recorded="+recorded)
		case errors.As(err, &invalid), errors.Is(err, data.ErrConflict):
			errs[""] = formMessage(ctx, err)
		default:
			return err
		}
	}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	v, err := s.newEventFormView(c, m, vals, errs)
	if err != nil {
		return err
	}
	return render(c, status, eventFormPage(v))
}

// regionsAndPlaces are a map's regions then its places: what a change may name.
func (s *Server) regionsAndPlaces(ctx context.Context, slug string) ([]data.Region, error) {
	names, err := subjectsOf(ctx, s.edits, slug)
	return names.all(), err
}

// maxRegionsPerChange bounds the regions of one change: a form, not a bulk import, which
// the spreadsheet import is for.
const maxRegionsPerChange = 500

// chosenRegions are the region fields of a form, trimmed, without blanks or repeats, in the
// order chosen.
func chosenRegions(raw []string) []string {
	var ids []string
	for _, r := range raw {
		if r = strings.TrimSpace(r); r != "" && !slices.Contains(ids, r) {
			ids = append(ids, r)
		}
	}
	return ids
}

// checkEvents checks the event the form records for each region chosen, adding a message
// per field to errs in the page's language, and returns the events and one of them as
// checked (trimmed), to show the form again with.
func checkEvents(ctx context.Context, m *data.Map, hasRegion func(string) bool, vals eventValues, errs map[string]string) ([]data.Event, data.Event) {
	loc := locOf(ctx)
	if len(vals.Regions) > maxRegionsPerChange {
		errs["region"] = loc.Problem(data.P("ChangeTooMany", "max", maxRegionsPerChange))
		return nil, vals.event("")
	}
	ids := vals.Regions
	if len(ids) == 0 {
		ids = []string{""} // checked for its other fields, and for the missing region
	}
	var events []data.Event
	var unknown []string
	for _, id := range ids {
		e := vals.event(id)
		for field, p := range data.CheckEvent(m, hasRegion, &e) {
			if field == "region" && id != "" && p.ID == "EventRegionUnknown" {
				unknown = append(unknown, strconv.Quote(id))
				continue
			}
			if errs[field] == "" {
				errs[field] = loc.Problem(p)
			}
		}
		events = append(events, e)
	}
	if len(unknown) > 0 && errs["region"] == "" {
		errs["region"] = loc.Problem(data.P("ChangeNotRegions", "regions", strings.Join(unknown, ", ")))
		if len(unknown) == 1 {
			errs["region"] = loc.Problem(data.P("ChangeNotRegion", "region", unknown[0]))
		}
	}
	return events, events[0]
}

// record stores the events of one change: one alone (perhaps a correction) as Record does,
// several in one transaction. A change already recorded is named by its region.
func (s *Server) record(ctx context.Context, slug string, events []data.Event, author string, supersedes int64, regions []data.Region) error {
	if len(events) == 1 {
		return s.edits.Record(ctx, slug, &events[0], author, supersedes)
	}
	err := s.edits.AppendEvents(ctx, slug, events, author, nil)
	var dup *data.DuplicateError
	if errors.As(err, &dup) {
		var list data.Problem
		for k, i := range dup.Index {
			item := data.P("ChangeRecordedItem", "region", regionName(regions, events[i].Region), "id", int(dup.Existing[k]))
			if k == 0 {
				list = item
			} else {
				list = data.P("ProblemList", "list", list, "next", item)
			}
		}
		return invalidWords(data.P("ChangeRecordedFor", "regions", list))
	}
	return err
}

// formMessage is the message of a store error that the editor can act on.
func formMessage(ctx context.Context, err error) string {
	var invalid *data.InvalidError
	if errors.As(err, &invalid) {
		return locOf(ctx).Invalid(invalid)
	}
	var conflict *data.ConflictError
	if errors.As(err, &conflict) {
		return conflict.Msg
	}
	return err.Error()
}
