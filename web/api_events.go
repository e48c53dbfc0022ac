package web

import (
	"context"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// eventStore is what the region page, the map page and the events API read of events.
type eventStore interface {
	Event(ctx context.Context, slug string, eventID int64) (data.Event, error)
	Events(ctx context.Context, slug string) ([]data.Event, error)
	EventsBetween(ctx context.Context, slug, from, to string) ([]data.Event, error)
	Region(ctx context.Context, slug, regionID string) (data.Region, error)
	RegionEvents(ctx context.Context, slug, regionID string) ([]data.Event, error)
}

// apiEvents serves GET /api/maps/{slug}/events: every live event, sorted by date; with
// ?region=ID, that region's only (what a large map's page asks for when a reader opens a
// region: its page has no sources, see inlineEventsMax); with ?date=D, the live events
// effective on D (what changed that day, which a large map's page asks for as the slider
// moves).
func (s *Server) apiEvents(c echo.Context) error {
	m, err := s.mapParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if c.QueryParams().Has("date") {
		if c.QueryParams().Has("region") {
			return data.Invalidf("ask for ?region=ID or ?date=YYYY-MM-DD, not both")
		}
		date := c.QueryParam("date")
		if date == "" || data.CheckDate(date) != nil || date < m.Start || date > m.End {
			return data.Invalidf("date %q: want a date in the form YYYY-MM-DD from %s to %s", date, m.Start, m.End)
		}
		events, err := s.eventsOn(ctx, m, date)
		if err != nil {
			return err
		}
		return writeJSON(c, cacheShort, events)
	}
	if !c.QueryParams().Has("region") {
		events, err := s.events.Events(ctx, m.Slug)
		if err != nil {
			return err
		}
		return writeJSON(c, cacheShort, events)
	}
	id := c.QueryParam("region")
	if _, err := s.regionOrPlace(ctx, m.Slug, id); err != nil {
		return err
	}
	all, err := s.events.RegionEvents(ctx, m.Slug, id)
	if err != nil {
		return err
	}
	events := []data.Event{}
	for _, e := range all {
		if e.Live() {
			events = append(events, e)
		}
	}
	return writeJSON(c, cacheShort, events)
}
