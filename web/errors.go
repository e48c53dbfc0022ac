package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// handleError is the one place where errors become responses: as the group of the route
// that failed answers (JSON from the API, a page any site may frame from the embed), a
// friendly page otherwise. Only server faults (5xx) are logged, and their details never
// reach the client.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := classify(err)
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
		werr = render(c, status, errorPage(status, http.StatusText(status), msg))
	}
	if werr != nil {
		s.log.Error("write error response", "err", werr)
	}
}

// classify maps an error to a status and a message fit to show the client.
func classify(err error) (int, string) {
	var invalid *data.InvalidError
	var he *echo.HTTPError
	var conflict *data.ConflictError
	switch {
	case data.IsBusy(err):
		// A write that waited its bounded turn (the busy timeout) behind a long one, such
		// as a large import: not a fault, and nothing was saved.
		return http.StatusServiceUnavailable, "The database is busy with another change, such as a large import. Nothing was saved: go back and send it again in a moment."
	case errors.As(err, &conflict):
		return http.StatusConflict, conflict.Msg
	case errors.As(err, &invalid):
		return http.StatusBadRequest, invalid.Msg
	case errors.Is(err, data.ErrNotFound):
		return http.StatusNotFound, err.Error()
	case errors.As(err, &he):
		return he.Code, fmt.Sprint(he.Message)
	}
	return http.StatusInternalServerError, "Something went wrong on our side. Please try again later."
}
