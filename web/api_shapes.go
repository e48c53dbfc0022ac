package web

import (
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/geo"
)

// apiShapes serves GET /api/maps/{slug}/shapes: the map's regions projected for the canvas
// layer (geo.ProjectedShapes), which a large map's page reads rather than regions.geojson.
// Pages link to it with ?v= naming the map's version and the format (shapesTag).
func (s *Server) apiShapes(c echo.Context) error {
	slug, err := param(c, "slug")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	display, version, err := s.mapCache.geojsonOf(ctx, s.shapes, slug)
	if err != nil {
		return err
	}
	// Projected and gzipped once per version of the map, not per request.
	b, err := s.compressed.get("shapes/"+slug, version, func() (*body, error) {
		span, err := s.mapCache.spanOf(ctx, s.shapes, slug)
		if err != nil {
			return nil, err
		}
		raw, err := geo.ProjectedShapes(display, span)
		if err != nil {
			return nil, err
		}
		return keptBody("application/octet-stream", raw), nil
	})
	if err != nil {
		return err
	}
	cache := cacheLong
	if c.QueryParam("v") == shapesTag(version) {
		cache = cacheImmutable
	}
	return b.write(c, cache)
}

// shapesURL is the address of a map's projected shapes at its version.
func shapesURL(slug, version string) string {
	return "/api/maps/" + url.PathEscape(slug) + "/shapes?v=" + shapesTag(version)
}

// shapesTag names the map's version and the shapes' format (geo.ProjectedFormat): a new
// layout is a new URL, not bytes a browser kept under the old one read by a new script.
func shapesTag(version string) string {
	return versionTag(version + "\x00" + geo.ProjectedFormat)
}
