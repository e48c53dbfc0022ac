package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// editStore is what the change and retract forms read and write.
type editStore interface {
	Regions(ctx context.Context, slug string) ([]data.Region, error)
	Region(ctx context.Context, slug, regionID string) (data.Region, error)
	Event(ctx context.Context, slug string, eventID int64) (data.Event, error)
	State(ctx context.Context, m *data.Map, date string) (data.State, error)
	Record(ctx context.Context, slug string, e *data.Event, author string, supersedes int64) error
	Retract(ctx context.Context, slug string, eventID int64, author, reason string) error
}

// eventCreate serves POST /maps/{slug}/events: record a change (or, with supersedes, a
// correction of an event). With intent=preview it only shows what the change would do.
// Bad input shows the form again with the editor's input and a message per field (422),
// and stores nothing.
func (s *Server) eventCreate(c echo.Context) error {
	ctx := c.Request().Context()
	m, err := s.mapParam(c)
	if err != nil {
		return err
	}
	vals := eventValues{
		Region: c.FormValue("region"), Faction: c.FormValue("faction"), Date: c.FormValue("date"),
		Source: c.FormValue("source"), Note: c.FormValue("note"), Confidence: c.FormValue("confidence"),
	}
	errs := map[string]string{}
	if raw := strings.TrimSpace(c.FormValue("supersedes")); raw != "" {
		if vals.Supersedes, err = strconv.ParseInt(raw, 10, 64); err != nil || vals.Supersedes <= 0 {
			vals.Supersedes = 0
			errs[""] = "The event to correct is not a valid event id."
		}
	}
	regions, err := s.edits.Regions(ctx, m.Slug)
	if err != nil {
		return err
	}
	known := make(map[string]bool, len(regions))
	for _, r := range regions {
		known[r.ID] = true
	}
	e := vals.event()
	for field, msg := range data.CheckEvent(m, func(id string) bool { return known[id] }, &e) {
		errs[field] = msg
	}
	// Keep the editor's input as typed, but with whitespace trimmed as it will be stored.
	vals = eventValues{Region: e.Region, Faction: e.Faction, Date: e.Date, Source: e.Source, Note: e.Note,
		Confidence: e.Confidence, Supersedes: vals.Supersedes}

	if len(errs) == 0 && c.FormValue("intent") != "preview" {
		u, _ := s.currentUser(c)
		err := s.edits.Record(ctx, m.Slug, &e, u.Name, vals.Supersedes)
		var invalid *data.InvalidError
		switch {
		case err == nil:
			s.log.InfoContext(ctx, "event recorded", "map", m.Slug, "event", e.ID, "region", e.Region,
				"faction", e.Faction, "date", e.Date, "author", u.Name, "supersedes", vals.Supersedes)
			return c.Redirect(http.StatusSeeOther, mapURL(m.Slug)+"?date="+e.Date+"&recorded="+strconv.FormatInt(e.ID, 10))
		case errors.As(err, &invalid), errors.Is(err, data.ErrConflict):
			errs[""] = formMessage(err)
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

// formMessage is the message of a store error that the editor can act on.
func formMessage(err error) string {
	var invalid *data.InvalidError
	if errors.As(err, &invalid) {
		return invalid.Msg
	}
	var conflict *data.ConflictError
	if errors.As(err, &conflict) {
		return conflict.Msg
	}
	return err.Error()
}
