package web

import (
	"log/slog"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// contentSecurityPolicy allows scripts only from this server: the page's data travels in a
// JSON block, which browsers never execute. Styles may be inline because the server colours
// legend swatches with style attributes and Leaflet positions its panes with them.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"

// The values of the headers every response carries, built once: setting them by their
// canonical keys costs no allocation per request. Sharing is safe: a handler that changes
// one replaces the slice (Set) or appends to a full one, which copies it.
var (
	cspHeader            = []string{contentSecurityPolicy}
	nosniffHeader        = []string{"nosniff"}
	referrerPolicyHeader = []string{"strict-origin-when-cross-origin"}
	frameOptionsHeader   = []string{"SAMEORIGIN"}
)

// securityHeaders sets the headers every response carries.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h["Content-Security-Policy"] = cspHeader
		h["X-Content-Type-Options"] = nosniffHeader
		h["Referrer-Policy"] = referrerPolicyHeader
		h["X-Frame-Options"] = frameOptionsHeader
		return next(c)
	}
}

// logRequests logs one structured line per request, with its id.
func (s *Server) logRequests() echo.MiddlewareFunc {
	// The group is the logger's rather than each line's: the same output ("req.id=..."),
	// without building the group for every request.
	log := s.log.WithGroup("req")
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogMethod: true, LogURI: true, LogStatus: true, LogLatency: true, LogRequestID: true,
		HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			log.LogAttrs(c.Request().Context(), level, "request", slog.String("id", v.RequestID), slog.String("method", v.Method),
				slog.String("uri", v.URI), slog.Int("status", v.Status), slog.Duration("latency", v.Latency))
			return nil
		},
	})
}

// maxBody bounds request bodies: the largest form, a change with a 2,000-character note,
// is a few kilobytes.
const maxBody = "64K"

// skipGzip leaves alone what is already compressed: pictures, and what the handlers keep
// gzipped (the state documents, the browser assets, the regions' GeoJSON).
func skipGzip(c echo.Context) bool {
	switch c.Path() {
	case "/api/maps/:slug/state", "/static/*", "/api/maps/:slug/regions.geojson", "/api/maps/:slug/timeline":
		return true
	}
	return strings.HasSuffix(c.Request().URL.Path, ".png")
}

// recoverPanics turns a panic in a handler into a 500 through the error handler, logged
// with its stack, and keeps the server up.
func (s *Server) recoverPanics() echo.MiddlewareFunc {
	return middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			s.log.ErrorContext(c.Request().Context(), "panic in handler", "err", err, "uri", c.Request().RequestURI,
				"req_id", c.Response().Header().Get(echo.HeaderXRequestID), "stack", string(stack))
			return err
		},
	})
}

// escapedSlashAtEnd spares a path whose last segment ends in an escaped "/" (a region id
// such as "north/", written north%2F) from the trailing-slash redirect: the slash is part
// of the id, not of the path.
func escapedSlashAtEnd(c echo.Context) bool {
	raw := c.Request().URL.RawPath
	return raw != "" && !strings.HasSuffix(raw, "/")
}
