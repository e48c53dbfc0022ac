package web

import (
	"crypto/rand"
	"errors"
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
// APIs).
const apiContentSecurityPolicy = "default-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

// embedContentSecurityPolicy lets any site frame the embed page; everything else is as
// strict as on other pages.
const embedContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors *"

// answers is how a group of routes answers (see routes): the headers every response
// carries, whether a successful one carries its request id, and whether its errors are JSON
// or a page. The group's middleware sets the headers and marks the errors the group's
// handlers return, so that the error handler answers them the group's way; a request that
// no group's route took (an unknown path, a wrong method) is answered as a page.
type answers struct {
	// headers are set by their canonical keys, with values built once: that costs no
	// allocation per request. Sharing is safe: a handler that changes one replaces the
	// slice (Set) or appends to a full one, which copies it.
	headers []header
	// requestID: successful answers carry their X-Request-Id. A data API answer that
	// succeeds is the same for every reader and kept by caches, which would hand one
	// request's id to all of them: it carries none (its log line has it). Every error
	// answer carries its id (see logRequests).
	requestID bool
	// json: errors are {"error": message}, not a page.
	json bool
	// errors, when set, is how errors are answered instead (with its headers).
	errors *answers
}

type header struct {
	key   string
	value []string
}

var (
	// pageAnswers: HTML pages, framed only by this site.
	pageAnswers = &answers{requestID: true, headers: []header{
		{"Content-Security-Policy", []string{contentSecurityPolicy}},
		{"X-Content-Type-Options", []string{"nosniff"}},
		{"Referrer-Policy", []string{"strict-origin-when-cross-origin"}},
		{"X-Frame-Options", []string{"SAMEORIGIN"}},
	}}
	// embedAnswers: the embed page, which any site may frame. Its errors (a bad date in an
	// article's iframe) show in the article, not as the browser's refusal to frame them.
	embedAnswers = &answers{requestID: true, headers: []header{
		{"Content-Security-Policy", []string{embedContentSecurityPolicy}},
		{"X-Content-Type-Options", []string{"nosniff"}},
		{"Referrer-Policy", []string{"strict-origin-when-cross-origin"}},
	}}
	// apiAnswers: the data API. X-Frame-Options and Referrer-Policy, which act only on
	// documents, are left off: with CORS and caching headers an API response would
	// otherwise carry over a dozen, and the state endpoint's requests per second are the
	// issue 5 goal (docs/benchmarks.md).
	apiAnswers = &answers{json: true, headers: []header{
		{"Content-Security-Policy", []string{apiContentSecurityPolicy}},
		{"X-Content-Type-Options", []string{"nosniff"}},
	}}
	// assetAnswers: the browser's scripts, styles and images, and the health checks. They
	// are files, never documents: like the API's answers they carry only the policy that
	// nothing loads from them or frames them, and no request id (a cache keeps them for
	// good). A map page loads a score of them, so every header is paid for twenty times on
	// the embed's first view (docs/benchmarks.md, embed bytes). Their errors are pages.
	assetAnswers = &answers{errors: pageAnswers, headers: []header{
		{"Content-Security-Policy", []string{apiContentSecurityPolicy}},
		{"X-Content-Type-Options", []string{"nosniff"}},
	}}
)

// middleware sets the headers of a's responses and marks errors as a's.
func (a *answers) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		a.setHeaders(c)
		if err := next(c); err != nil {
			if a.errors != nil {
				return &answeredError{err, a.errors}
			}
			return &answeredError{err, a}
		}
		return nil
	}
}

func (a *answers) setHeaders(c echo.Context) {
	h := c.Response().Header()
	for _, kv := range a.headers {
		h[kv.key] = kv.value
	}
	if a.requestID {
		h[echo.HeaderXRequestID] = c.Request().Header[echo.HeaderXRequestID]
	}
}

// answeredError is an error of a route whose group answers as a says.
type answeredError struct {
	err error
	a   *answers
}

func (e *answeredError) Error() string { return e.err.Error() }
func (e *answeredError) Unwrap() error { return e.err }

// answersOf is how to answer err: as the group of the route that returned it says, or as
// a page.
func answersOf(err error) *answers {
	if ae, ok := errors.AsType[*answeredError](err); ok {
		return ae.a
	}
	return pageAnswers
}

// logRequests gives each request an id (the X-Request-Id it came with, so that a proxy's
// id carries through, taken as given as echo's RequestID took it, or a new one), sends it
// back on every error (on other answers, the group's middleware decides: see answers), and
// logs one structured line per request once the error handler has answered any error. The
// line is written to the server's log as it is; buffering it is the log writer's business
// (`frontline serve` flushes every second).
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
				// Where the groups, and the error and panic logs, find it (requestID).
				req.Header[echo.HeaderXRequestID] = []string{id}
			}
			if err := next(c); err != nil {
				if !res.Committed {
					res.Header()[echo.HeaderXRequestID] = req.Header[echo.HeaderXRequestID]
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

// recoverPanics turns a panic in a handler into a 500 through the error handler, logged
// with its stack, and keeps the server up.
func (s *Server) recoverPanics() echo.MiddlewareFunc {
	return middleware.RecoverWithConfig(middleware.RecoverConfig{
		// The error goes back up, through the group's middleware, which marks it, to
		// logRequests, which hands it to the error handler: answered the group's way.
		DisableErrorHandler: true,
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
