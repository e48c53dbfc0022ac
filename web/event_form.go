package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// eventFormView is the change form, blank or with an editor's input and its problems.
type eventFormView struct {
	Map     *data.Map
	Editor  *editorMeta
	Regions []data.Region
	Values  eventValues
	// Errors holds a message per field name; "" is for the form as a whole.
	Errors         map[string]string
	Preview        string
	Correcting     *data.Event
	CorrectingText string
	Script         mapScript
}

// eventValues are the form's fields as the editor typed them.
type eventValues struct {
	Region, Faction, Date, Source, Note, Confidence string
	Supersedes                                      int64
}

func (v eventValues) event() data.Event {
	return data.Event{Region: v.Region, Faction: v.Faction, Date: v.Date, Source: v.Source, Note: v.Note, Confidence: v.Confidence}
}

// eventNew serves GET /maps/{slug}/edit: the change form, or with ?event=ID the form to
// correct that event, filled with it.
func (s *Server) eventNew(c echo.Context) error {
	m, err := s.mapParam(c)
	if err != nil {
		return err
	}
	vals := eventValues{Date: m.DefaultDate, Confidence: data.Confirmed, Region: c.QueryParam("region")}
	if raw := c.QueryParam("event"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return data.Invalidf("event %q is not an event id", raw)
		}
		e, err := s.edits.Event(c.Request().Context(), m.Slug, id)
		if err != nil {
			return err
		}
		if !e.Live() {
			return data.Invalidf("event %d is already retracted or corrected; correct its latest revision instead", id)
		}
		vals = eventValues{Region: e.Region, Faction: e.Faction, Date: e.Date, Source: e.Source, Note: e.Note,
			Confidence: e.Confidence, Supersedes: e.ID}
	}
	if d := c.QueryParam("date"); d != "" && vals.Supersedes == 0 {
		if vals.Date, err = m.ParseDate(d); err != nil {
			return err
		}
	}
	v, err := s.newEventFormView(c, m, vals, nil)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, eventFormPage(v))
}

// newEventFormView gathers what the form shows: regions, the map at the form's date, the
// event being corrected, and a preview of the change when the input is valid.
func (s *Server) newEventFormView(c echo.Context, m *data.Map, vals eventValues, errs map[string]string) (eventFormView, error) {
	ctx := c.Request().Context()
	u, _ := s.currentUser(c)
	v := eventFormView{Map: m, Editor: &editorMeta{Name: u.Name, CSRF: csrfToken(c)}, Values: vals, Errors: errs}
	regions, err := s.edits.Regions(ctx, m.Slug)
	if err != nil {
		return v, err
	}
	v.Regions = regions
	date := m.DefaultDate
	if d, err := m.ParseDate(vals.Date); err == nil {
		date = d
	}
	st, err := s.edits.State(ctx, m, date)
	if err != nil {
		return v, err
	}
	events, timelineURL, err := s.pageEvents(ctx, m)
	if err != nil {
		return v, err
	}
	v.Script = newMapView(m, st, events).Script
	v.Script.Timeline = timelineURL
	if v.Script.GeoJSON, err = s.regionsURL(c, m.Slug); err != nil {
		return v, err
	}
	if vals.Supersedes != 0 {
		// An event that does not exist is the editor's mistake, which the form's message
		// names; the form is still shown, with the input kept.
		e, err := s.edits.Event(ctx, m.Slug, vals.Supersedes)
		switch {
		case err == nil:
			v.Correcting = &e
			v.CorrectingText = describeEvent(m, regionName(regions, e.Region), e)
		case !errors.Is(err, data.ErrNotFound):
			return v, err
		}
	}
	if len(errs) == 0 && vals.Region != "" && vals.Faction != "" {
		v.Preview, err = s.preview(ctx, m, regions, vals.event(), st)
		if err != nil {
			return v, err
		}
	}
	return v, nil
}

// preview says what recording e does, from the state at its date:
// "Maidan Wardak: Islamic Republic of Afghanistan → Taliban from 2021-08-15 (was Islamic
// Republic of Afghanistan since 2021-08-01)".
func (s *Server) preview(ctx context.Context, m *data.Map, regions []data.Region, e data.Event, st data.State) (string, error) {
	if st.Date != e.Date {
		var err error
		if st, err = s.edits.State(ctx, m, e.Date); err != nil {
			return "", err
		}
	}
	for _, h := range st.Holdings {
		if h.Region.ID != e.Region {
			continue
		}
		return previewText(m, h.Region.Name, h.Faction, h.Since, e), nil
	}
	return "", nil
}

// previewText is the preview's sentence for recording e in the region named region, which
// faction held has held since since. static/model/preview.js (describeChange) writes the
// same sentence in the browser as the editor types; golden cases:
// testdata/rules/preview.json.
func previewText(m *data.Map, region, held, since string, e data.Event) string {
	text := fmt.Sprintf("%s: %s → %s from %s (was %s since %s)", region, factionName(m, held),
		factionName(m, e.Faction), e.Date, factionName(m, held), since)
	if e.Confidence == data.Claimed {
		text += ", marked as a claim"
	}
	return text + "."
}

// describeEvent is one line about an event: "Balkh → Taliban from 2021-08-14 (claimed), source example.org".
func describeEvent(m *data.Map, region string, e data.Event) string {
	text := fmt.Sprintf("%s → %s from %s", region, factionName(m, e.Faction), e.Date)
	if e.Confidence == data.Claimed {
		text += " (claimed)"
	}
	return text + ", source " + e.Source
}

func factionName(m *data.Map, id string) string {
	if f, ok := m.Faction(id); ok {
		return f.Name
	}
	return id
}

func regionName(regions []data.Region, id string) string {
	for _, r := range regions {
		if r.ID == id {
			return r.Name
		}
	}
	return id
}

// invalid is the aria-invalid value of a field.
func invalid(errs map[string]string, field string) string {
	if errs[field] != "" {
		return "true"
	}
	return "false"
}
