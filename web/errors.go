package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/web/i18n"
)

// handleError is the one place where errors become responses: as the group of the route
// that failed answers (JSON from the API, a page any site may frame from the embed), a
// friendly page otherwise. Only server faults (5xx) are logged, and their details never
// reach the client.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	ctx := c.Request().Context()
	status, msg, translated := classify(ctx, err)
	if status >= 500 {
		s.log.ErrorContext(c.Request().Context(), "request failed", "err", err,
			"req_id", requestID(c), "uri", c.Request().RequestURI)
	}
	if status == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", "5")
	}
	a := answersOf(err)
	// A request no route took has none of its headers yet; a handler may have changed them.
	a.setHeaders(c)
	var werr error
	switch {
	case c.Request().Method == http.MethodHead:
		werr = c.NoContent(status)
	case a.json:
		werr = c.JSON(status, map[string]string{"error": msg})
	default:
		if _, ok := c.Request().Context().Value(assetsKey{}).(assetHashes); !ok {
			s.putAssets(c)
		}
		v := errorView(ctx, status, msg, translated)
		// A map's page asked with a bad date or comparison (a link made before the map's
		// dates changed, a typo) leads to the map as it opens, not only to the list.
		if slug := c.Param("slug"); status == http.StatusBadRequest && slug != "" && strings.HasPrefix(c.Path(), "/maps/:slug") {
			v.MapURL = mapURL(slug) + langQuery(ctx, "?")
		}
		if nm := (*notOnMapError)(nil); errors.As(err, &nm) {
			v.MapURL, v.Near = mapURL(nm.slug)+langQuery(ctx, "?"), nm.near
		}
		werr = render(c, status, errorPage(v))
	}
	if werr != nil {
		s.log.Error("write error response", "err", werr)
	}
}

// wordsError is an error whose message is a catalogue's (web/i18n), so the error page says
// it in the page's language; its Error is the English, for logs and the API.
type wordsError struct {
	status int
	id     string
	// pairs fill the message's placeholders, as name, value pairs.
	pairs []string
}

// errWords is an error answered with status and message id, filled from pairs.
func errWords(status int, id string, pairs ...string) error {
	return &wordsError{status: status, id: id, pairs: pairs}
}

func (e *wordsError) Error() string { return fillTemplate(english().loc.T(e.id), e.pairs...) }

// invalidWords is an input error of web's own (a problem whose messages only the catalogues
// hold, not data.ProblemEnglish): a page says it in its language, the logs in English.
func invalidWords(p data.Problem) error {
	return &data.InvalidError{Msg: english().loc.Problem(p), Problems: []data.Problem{p}}
}

// notOnMapError is a history page of a map that exists, asked for a region or place the map
// does not have: its page says so in the reader's language and leads to the map and to the
// regions and places named nearest to what was asked.
type notOnMapError struct {
	slug, id, title string
	near            []subjectLink
}

func (e *notOnMapError) Error() string {
	return fillTemplate(english().loc.T("NotOnMap"), "id", e.id, "map", e.title)
}

// classify maps an error to a status and a message fit to show the client, in ctx's
// language when translated; the other messages (data's validation, naming the values given
// and the valid ones) are English.
func classify(ctx context.Context, err error) (status int, msg string, translated bool) {
	var invalid *data.InvalidError
	var he *echo.HTTPError
	var conflict *data.ConflictError
	var words *wordsError
	var notOnMap *notOnMapError
	switch {
	case data.IsBusy(err):
		// A write that waited its bounded turn (the busy timeout) behind a long one, such
		// as a large import: not a fault, and nothing was saved.
		return http.StatusServiceUnavailable, t(ctx, "ErrorBusy"), true
	case errors.As(err, &words):
		return words.status, tf(ctx, words.id, words.pairs...), true
	case errors.As(err, &notOnMap):
		return http.StatusNotFound, tf(ctx, "NotOnMap", "id", notOnMap.id, "map", notOnMap.title), true
	case errors.As(err, &conflict):
		return http.StatusConflict, conflict.Msg, false
	case errors.As(err, &invalid):
		return http.StatusBadRequest, locOf(ctx).Invalid(invalid), len(invalid.Problems) > 0
	case errors.Is(err, data.ErrNotFound):
		return http.StatusNotFound, err.Error(), false
	case errors.As(err, &he):
		return he.Code, fmt.Sprint(he.Message), false
	}
	return http.StatusInternalServerError, t(ctx, "ErrorInternal"), true
}

// errorTitles are the error pages' titles by status; ErrorTitleOther for the rest.
var errorTitles = map[int]string{400: "ErrorTitle400", 401: "ErrorTitle401", 403: "ErrorTitle403", 404: "ErrorTitle404", 405: "ErrorTitle405",
	409: "ErrorTitle409", 413: "ErrorTitle413", 422: "ErrorTitle422", 429: "ErrorTitle429", 500: "ErrorTitle500", 503: "ErrorTitle503"}

// errorPageView is an error page: its title and message in the page's language, and, for a
// message the catalogues do not hold (data's, naming the values given), that message in
// English, marked as such for screen readers and translating browsers.
type errorPageView struct {
	Status int
	// MapURL is the map the failed page was of, opened at its default date ("" for none).
	MapURL string
	// Near are the regions and places named nearest to the one a history page was asked
	// for, which the map does not have.
	Near            []subjectLink
	Title, Message  string
	Detail          string
	DetailNotInPage bool
}

func errorView(ctx context.Context, status int, msg string, translated bool) errorPageView {
	id, ok := errorTitles[status]
	if !ok {
		id = "ErrorTitleOther"
	}
	v := errorPageView{Status: status, Title: t(ctx, id)}
	switch {
	case translated:
		v.Message = msg
	case status == http.StatusNotFound:
		v.Message, v.Detail = t(ctx, "ErrorNotFound"), msg
	default:
		v.Detail = msg
	}
	if v.Detail == http.StatusText(status) && ok {
		// echo's own words for a status, which the title says in the page's language.
		v.Detail = ""
		if v.Message == "" {
			v.Message = v.Title
		}
	}
	v.DetailNotInPage = v.Detail != "" && htmlLang(ctx) != i18n.Default
	return v
}
