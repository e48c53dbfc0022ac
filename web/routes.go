package web

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// routes lists every route of the server, so that a URL leads to a handler name and the
// handler name to the file of that name. Routes are grouped by how they answer (headers,
// errors, compression, caching), each group with its middleware: nothing below chooses what
// to do by looking at the URL.
func (s *Server) routes(e *echo.Echo) {
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: 301, Skipper: escapedSlashAtEnd}))
	// Every request: its id and log line, a panic turned into a 500 (here for routes added
	// outside the groups, as tests do), and a bound on bodies: forms are small; a larger
	// body is an attack or a mistake, refused with 413.
	e.Use(chain(
		s.metrics.observe, // nil without --metrics-addr: then it adds nothing
		s.logRequests(),
		s.recoverPanics(),
		middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: maxBody, Skipper: func(c echo.Context) bool {
			return withoutBody(c) || uploads[c.Request().Method+" "+c.Path()]
		}}),
	))
	// Pages are rendered for each request and gzipped as they are written. What the other
	// groups send is cacheable and gzipped by body.write, and must not be again.
	gzip := middleware.Gzip()

	// Reader pages.
	pages := s.group(e, "", pageAnswers, s.withAssets, s.withLang, withTheme, s.withViewer, gzip)
	pages.GET("/", s.mapList)
	pages.GET("/maps/:slug", s.mapShow)
	pages.GET("/maps/:slug/regions/:id", s.regionShow)
	pages.GET("/maps/:slug/places/:id", s.placeShow)
	pages.GET("/maps/:slug/changes", s.changeList)
	pages.GET("/oembed", s.oembed)

	// Editors: every write needs a session and passes the CSRF check; every route under a
	// map needs the grant of that map (requireGrant), an admin's role or an editor's grant.
	pages.GET("/login", s.loginShow, csrf())
	pages.POST("/login", s.loginSubmit, csrf())
	pages.POST("/logout", s.logout, csrf())
	pages.GET("/maps/:slug/edit", s.eventNew, s.requireGrant, csrf())
	pages.POST("/maps/:slug/events", s.eventCreate, s.requireGrant, csrf())
	pages.GET("/maps/:slug/events/:id/retract", s.eventRetractForm, s.requireGrant, csrf())
	pages.POST("/maps/:slug/events/:id/retract", s.eventRetract, s.requireGrant, csrf())
	pages.GET("/maps/:slug/events/import", s.eventImportForm, s.requireGrant, csrf())
	pages.POST("/maps/:slug/events/import", s.eventImport, s.requireGrant, importBodyLimit, csrf())

	// Admins: users and maps.
	pages.GET("/admin/users", s.adminUsers, s.requireAdmin, csrf())
	pages.POST("/admin/users", s.adminUserCreate, s.requireAdmin, csrf())
	pages.POST("/admin/users/:name/password", s.adminUserPassword, s.requireAdmin, csrf())
	pages.POST("/admin/users/:name/grants", s.adminUserGrants, s.requireAdmin, csrf())
	pages.POST("/admin/users/:name/disable", s.adminUserDisable, s.requireAdmin, csrf())
	pages.GET("/admin/maps", s.adminMapList, s.requireAdmin, csrf())
	pages.POST("/admin/maps", s.adminMapUpload, s.requireAdmin, middleware.BodyLimit(maxUploadText), csrf())
	pages.POST("/admin/maps/:slug", s.adminMapUpdate, s.requireAdmin, csrf())
	pages.POST("/admin/maps/:slug/archive", s.adminMapArchive, s.requireAdmin, csrf())

	// Files beside the pages, cacheable: the map drawn at a date ({D}.svg and {D}.png, for
	// social cards, readers without JavaScript and print), animated over a period
	// ({D1}_{D2}.gif, for social posts where an embed cannot go) and the changes feed.
	files := s.group(e, "", pageAnswers, s.withAssets, s.withLang)
	files.GET("/maps/:slug/:image", s.mapImage)
	files.GET("/maps/:slug/changes.atom", s.changeFeed)

	// The embed page, which any site may frame, its errors included; cacheable.
	embed := s.group(e, "/embed", embedAnswers, s.withAssets, s.withLang, withTheme).catchAll()
	embed.GET("/:slug", s.embedShow)

	// JSON and data API: readable from any origin; errors are JSON, unknown paths included.
	api := s.group(e, "/api", apiAnswers, middleware.CORSWithConfig(middleware.CORSConfig{
		AllowOrigins:  []string{"*"},
		AllowMethods:  []string{"GET", "HEAD"},
		ExposeHeaders: []string{"ETag"},
	})).catchAll()
	api.GET("/maps", s.apiMapList)
	api.GET("/maps/:slug", s.apiMapShow)
	api.GET("/maps/:slug/regions.geojson", s.apiRegions)
	api.GET("/maps/:slug/shapes", s.apiShapes)
	api.GET("/maps/:slug/places.geojson", s.apiPlaces)
	api.GET("/maps/:slug/context.geojson", s.apiContext)
	api.GET("/maps/:slug/events", s.apiEvents)
	api.GET("/maps/:slug/timeline", s.apiTimeline)
	api.GET("/maps/:slug/series", s.apiSeries)
	api.GET("/maps/:slug/state", s.apiState)
	api.GET("/maps/:slug/state.geojson", s.apiStateGeoJSON)
	api.GET("/maps/:slug/state.csv", s.apiStateCSV)

	// Browser assets and health.
	assets := s.group(e, "", assetAnswers, s.withAssets)
	assets.GET("/static/*", s.staticFile)
	assets.GET("/healthz", s.healthz)
	assets.GET("/readyz", s.readyz)
}

// uploads are the routes that take a file (a spreadsheet, a zipped map folder), larger than
// a form: each sets its own body limit instead of maxBody.
var uploads = map[string]bool{"POST /maps/:slug/events/import": true, "POST /admin/maps": true}

// group is a set of routes that answer alike: a's headers and errors, and the group's
// middleware. It composes each route's handler with the middleware once, when the route is
// added: echo's own groups compose theirs again for every request, a closure per
// middleware, on the way to the hottest endpoint.
type group struct {
	g  *echo.Group
	mw []echo.MiddlewareFunc
}

// group starts a group of routes under prefix. Panics are recovered inside the group's
// middleware, so that a panic's 500 is answered the group's way too.
func (s *Server) group(e *echo.Echo, prefix string, a *answers, mw ...echo.MiddlewareFunc) *group {
	return &group{g: e.Group(prefix), mw: append([]echo.MiddlewareFunc{a.middleware, s.recoverPanics()}, mw...)}
}

// GET adds a GET route, with the route's own middleware (run after the group's).
func (g *group) GET(path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	g.g.GET(path, g.compose(h, mw))
}

// POST adds a POST route, as GET does.
func (g *group) POST(path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	g.g.POST(path, g.compose(h, mw))
}

// catchAll answers the paths under the group's prefix that no route of it matches (and
// methods its routes do not take, which then are not found either) through the group's
// middleware, so with the group's headers and errors.
func (g *group) catchAll() *group {
	notFound := g.compose(echo.NotFoundHandler, nil)
	g.g.RouteNotFound("", notFound)
	g.g.RouteNotFound("/*", notFound)
	return g
}

func (g *group) compose(h echo.HandlerFunc, route []echo.MiddlewareFunc) echo.HandlerFunc {
	for i := len(route) - 1; i >= 0; i-- {
		h = route[i](h)
	}
	for i := len(g.mw) - 1; i >= 0; i-- {
		h = g.mw[i](h)
	}
	return h
}
