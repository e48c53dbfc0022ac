package web

import (
	"net/url"

	"github.com/labstack/echo/v4"
)

// apiRegions serves GET /api/maps/{slug}/regions.geojson. Pages link to it with ?v= naming
// the map's version: that URL never changes content, so browsers and CDNs keep it for good.
func (s *Server) apiRegions(c echo.Context) error {
	slug, err := param(c, "slug")
	if err != nil {
		return err
	}
	raw, version, err := s.mapCache.geojsonOf(c.Request().Context(), s.shapes, slug)
	if err != nil {
		return err
	}
	// Hashed and gzipped once per version of the map, not per request.
	b, err := s.compressed.get("regions/"+slug, version, func() (*body, error) {
		return keptBody("application/geo+json", raw), nil
	})
	if err != nil {
		return err
	}
	cache := cacheLong
	if c.QueryParam("v") == versionTag(version) {
		cache = cacheImmutable
	}
	return b.write(c, cache)
}

// useShapes points a page's script at the map's regions at their current version
// (regions.geojson, and for the canvas layer the projected shapes, which it reads instead:
// apiShapes) and says how it draws them across the antimeridian (mapScript.WrapCentre).
func (s *Server) useShapes(c echo.Context, script *mapScript, slug string) error {
	version, err := s.shapes.MapVersion(c.Request().Context(), slug)
	if err != nil {
		return err
	}
	span, err := s.mapCache.spanOf(c.Request().Context(), s.shapes, slug)
	if err != nil {
		return err
	}
	script.GeoJSON, script.WrapCentre = "/api/maps/"+url.PathEscape(slug)+"/regions.geojson?v="+versionTag(version), wrapCentre(span)
	script.Shapes = ""
	if script.Renderer == "canvas" {
		script.Shapes = shapesURL(slug, version)
	}
	return nil
}
