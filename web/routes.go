package web

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// routes lists every route of the server, so that a URL leads to a handler name and the
// handler name to the file of that name.
func (s *Server) routes(e *echo.Echo) {
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: 301, Skipper: escapedSlashAtEnd}))
	e.Use(chain(
		s.metrics.observe, // nil without --metrics-addr: then it adds nothing
		s.logRequests(),
		s.recoverPanics(),
		securityHeaders,
		s.withAssets,
		// Forms are small; a larger body is an attack or a mistake, refused with 413.
		middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: maxBody, Skipper: withoutBody}),
		middleware.GzipWithConfig(middleware.GzipConfig{Skipper: skipGzip}),
	))

	// Reader pages.
	e.GET("/", s.mapList)
	e.GET("/maps/:slug", s.mapShow)
	e.GET("/maps/:slug/regions/:id", s.regionShow)

	// Embedding and sharing.
	e.GET("/embed/:slug", s.embedShow)
	e.GET("/oembed", s.oembed)
	e.GET("/maps/:slug/:image", s.mapImage) // {D}.svg and {D}.png

	// Editors: every write needs a session and passes the CSRF check.
	e.GET("/login", s.loginShow, csrf())
	e.POST("/login", s.loginSubmit, csrf())
	e.POST("/logout", s.logout, csrf())
	e.GET("/maps/:slug/edit", s.eventNew, s.requireEditor, csrf())
	e.POST("/maps/:slug/events", s.eventCreate, s.requireEditor, csrf())
	e.GET("/maps/:slug/events/:id/retract", s.eventRetractForm, s.requireEditor, csrf())
	e.POST("/maps/:slug/events/:id/retract", s.eventRetract, s.requireEditor, csrf())
	e.GET("/maps/:slug/changes", s.changeList)
	e.GET("/maps/:slug/changes.atom", s.changeFeed)

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
	api.GET("/maps/:slug/timeline", s.apiTimeline)
	api.GET("/maps/:slug/state", s.apiState)
	api.GET("/maps/:slug/state.geojson", s.apiStateGeoJSON)
	api.GET("/maps/:slug/state.csv", s.apiStateCSV)

	// Browser assets and health.
	e.GET("/static/*", s.staticFile)
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
}
