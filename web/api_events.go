package web

import "github.com/labstack/echo/v4"

// apiEvents serves GET /api/maps/{slug}/events: every live event, sorted by date.
func (s *Server) apiEvents(c echo.Context) error {
	m, err := s.mapParam(c)
	if err != nil {
		return err
	}
	events, err := s.store.Events(c.Request().Context(), m.Slug)
	if err != nil {
		return err
	}
	return writeJSON(c, cacheShort, events)
}
