package web

import (
	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// apiEvents serves GET /api/maps/{slug}/events: every live event, sorted by date; with
// ?region=ID, that region's only (what a large map's page asks for when a reader opens a
// region: its page has no sources, see inlineEventsMax).
func (s *Server) apiEvents(c echo.Context) error {
	m, err := s.mapParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if !c.QueryParams().Has("region") {
		events, err := s.store.Events(ctx, m.Slug)
		if err != nil {
			return err
		}
		return writeJSON(c, cacheShort, events)
	}
	id := c.QueryParam("region")
	if _, err := s.store.Region(ctx, m.Slug, id); err != nil {
		return err
	}
	all, err := s.store.RegionEvents(ctx, m.Slug, id)
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
