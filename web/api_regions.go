package web

import "github.com/labstack/echo/v4"

// apiRegions serves GET /api/maps/{slug}/regions.geojson.
func (s *Server) apiRegions(c echo.Context) error {
	slug, err := param(c, "slug")
	if err != nil {
		return err
	}
	body, err := s.store.RegionsGeoJSON(c.Request().Context(), slug)
	if err != nil {
		return err
	}
	return writeCached(c, "application/geo+json", cacheLong, body)
}
