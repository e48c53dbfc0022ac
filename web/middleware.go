package web

import (
	"crypto/rand"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// contentSecurityPolicy allows scripts only from this server: the page's data travels in a
// JSON block, which browsers never execute. Styles may be inline because the server colours
// legend swatches with style attributes and Leaflet positions its panes with them.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"

// apiContentSecurityPolicy is the policy of the data API's responses, which are never
// documents: nothing may load from them and nothing may frame them (the OWASP advice for
// APIs). X-Frame-Options and Referrer-Policy, which act only on documents, are left off:
// with CORS and caching headers an API response would otherwise carry over a dozen, and the
// state endpoint's requests per second are the issue 5 goal (docs/benchmarks.md).
const apiContentSecurityPolicy = "default-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

// The values of the headers every response carries, built once: setting them by their
// canonical keys costs no allocation per request. Sharing is safe: a handler that changes
// one replaces the slice (Set) or appends to a full one, which copies it.
var (
	cspHeader            = []string{contentSecurityPolicy}
	apiCSPHeader         = []string{apiContentSecurityPolicy}
	nosniffHeader        = []string{"nosniff"}
	referrerPolicyHeader = []string{"strict-origin-when-cross-origin"}
	frameOptionsHeader   = []string{"SAMEORIGIN"}
)

// securityHeaders sets the headers every response carries.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		if strings.HasPrefix(c.Request().URL.Path, "/api/") {
			h["Content-Security-Policy"] = apiCSPHeader
			h["X-Content-Type-Options"] = nosniffHeader
			return next(c)
		}
		h["Content-Security-Policy"] = cspHeader
		h["X-Content-Type-Options"] = nosniffHeader
		h["Referrer-Policy"] = referrerPolicyHeader
		h["X-Frame-Options"] = frameOptionsHeader
		return next(c)
	}
}

// logRequests gives each request an id (the X-Request-Id it came with, so that a proxy's
// id carries through, taken as given as echo's RequestID took it, or a new one), sends it
// back on pages and errors, and logs one structured line per request once the error
// handler has answered any error. The line is written to the server's log as it is; buffering it
// is the log writer's business (`frontline serve` flushes every second).
func (s *Server) logRequests() echo.MiddlewareFunc {
	// The group is the handler's rather than each line's: the same output ("req.id=..."),
	// without building the group for every request. The line goes to the handler directly:
	// slog.Logger would also look up its caller, which a text line never shows, and read
	// the clock once more.
	log := s.log.WithGroup("req").Handler()
	ids := newRequestIDs()
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			req, res := c.Request(), c.Response()
			id := req.Header.Get(echo.HeaderXRequestID)
			if id == "" {
				id = ids.next()
				// Where the error and panic logs find it (requestID), on answers that carry none.
				req.Header[echo.HeaderXRequestID] = []string{id}
			}
			// A data API answer that succeeds is the same for every reader and kept by caches,
			// which would hand one request's id to all of them: it carries none (its log line
			// has it). Pages and every error answer carry theirs.
			api := strings.HasPrefix(req.URL.Path, "/api/")
			if !api {
				res.Header()[echo.HeaderXRequestID] = []string{id}
			}
			if err := next(c); err != nil {
				if api && !res.Committed {
					res.Header()[echo.HeaderXRequestID] = []string{id}
				}
				c.Error(err)
			}
			level := slog.LevelInfo
			if res.Status >= 500 {
				level = slog.LevelError
			}
			if ctx := req.Context(); log.Enabled(ctx, level) {
				end := time.Now()
				r := slog.NewRecord(end, level, "request", 0)
				// Five attributes: a record keeps that many without allocating.
				r.AddAttrs(slog.String("id", id), slog.String("method", req.Method), slog.String("uri", req.RequestURI),
					slog.Int("status", res.Status), slog.Duration("latency", end.Sub(start)))
				log.Handle(ctx, r)
			}
			// The error is answered: returning it would have echo answer it a second time.
			return nil
		}
	}
}

// requestIDs makes request ids: a random prefix drawn when the server starts, then a
// count. They are unique among this server's requests and, by the prefix, across restarts,
// which is all a log needs; an id is not a secret, and a count costs far less than
// echo's default of 32 characters from crypto/rand per request.
type requestIDs struct {
	prefix string
	n      atomic.Uint64
}

func newRequestIDs() *requestIDs {
	return &requestIDs{prefix: rand.Text()[:10] + "-"}
}

func (r *requestIDs) next() string {
	var b [32]byte
	return string(strconv.AppendUint(append(b[:0], r.prefix...), r.n.Add(1), 36))
}

// chain composes middleware once, when the server starts, around the handler echo's router
// chose for the request. Echo v4 composes what e.Use is given again for every request, a
// new closure per middleware per request; chain returns one middleware that ignores the
// handler it is given, which is always c.Handler(), and so costs nothing per request.
func chain(mw ...echo.MiddlewareFunc) echo.MiddlewareFunc {
	h := func(c echo.Context) error { return c.Handler()(c) }
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return func(echo.HandlerFunc) echo.HandlerFunc { return h }
}

// withoutBody spares the body limit a request that has no body: net/http gives one without
// any (nearly every GET and HEAD) http.NoBody.
func withoutBody(c echo.Context) bool {
	return c.Request().Body == http.NoBody
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
				"req_id", requestID(c), "stack", string(stack))
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

// requestID is the id logRequests gave the request.
func requestID(c echo.Context) string { return c.Request().Header.Get(echo.HeaderXRequestID) }
