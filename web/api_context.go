package web

import "github.com/labstack/echo/v4"

// apiContext serves GET /api/maps/{slug}/context.geojson: the land around the map, drawn
// quietly under its regions (geo.MarshalContext: "part" is "land" to fill or "lines" to
// stroke), an empty collection for a map without it.
func (s *Server) apiContext(c echo.Context) error {
	m, err := s.mapParam(c)
	if err != nil {
		return err
	}
	raw, err := s.shapes.ContextGeoJSON(c.Request().Context(), m.Slug)
	if err != nil {
		return err
	}
	return writeFresh(c, "application/geo+json", cacheShort, raw)
}
