package web

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// routes lists every route of the server, so that a URL leads to a handler name and the
// handler name to the file of that name.
func (s *Server) routes(e *echo.Echo) {
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: 301}))
	e.Use(middleware.RequestID())
	e.Use(s.logRequests())
	e.Use(middleware.Recover())
	e.Use(securityHeaders)

	// Reader pages.
	e.GET("/", s.mapList)
	e.GET("/maps/:slug", s.mapShow)
	e.GET("/maps/:slug/regions/:id", s.regionShow)

	// JSON and data API: readable from any origin.
	api := e.Group("/api", middleware.CORSWithConfig(middleware.CORSConfig{
		AllowOrigins:  []string{"*"},
		AllowMethods:  []string{"GET", "HEAD"},
		ExposeHeaders: []string{"ETag"},
	}))
	api.GET("/maps", s.apiMapList)
	api.GET("/maps/:slug", s.apiMapShow)
	api.GET("/maps/:slug/regions.geojson", s.apiRegions)
	api.GET("/maps/:slug/events", s.apiEvents)
	api.GET("/maps/:slug/state", s.apiState)

	// Browser assets and health.
	e.GET("/static/*", s.staticFile)
	e.GET("/healthz", s.healthz)
}
