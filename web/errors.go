package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// handleError is the one place where errors become responses: JSON under /api, a friendly
// page elsewhere. Only server faults (5xx) are logged, and their details never reach the client.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := classify(err)
	if status >= 500 {
		s.log.ErrorContext(c.Request().Context(), "request failed", "err", err,
			"req_id", requestID(c), "uri", c.Request().RequestURI)
	}
	if strings.HasPrefix(c.Request().URL.Path, "/embed/") {
		// An embed's error (a bad date in an article's iframe) shows in the article, not as
		// the browser's refusal to frame it.
		h := c.Response().Header()
		h.Set("Content-Security-Policy", embedCSP)
		h.Del("X-Frame-Options")
	}
	var werr error
	switch {
	case c.Request().Method == http.MethodHead:
		werr = c.NoContent(status)
	case strings.HasPrefix(c.Request().URL.Path, "/api/"):
		werr = c.JSON(status, map[string]string{"error": msg})
	default:
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
