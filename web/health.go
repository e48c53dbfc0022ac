package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// readyTimeout bounds each readiness check: a probe that hangs is as bad as one that fails.
const readyTimeout = 2 * time.Second

// readyz serves GET /readyz: 200 when every check the operator configured passes (the
// database takes writes; with --replica, replication is current), else 503 naming each
// failure, so that a load balancer sends readers elsewhere and a person reading it knows
// why. /healthz says only that the process answers.
func (s *Server) readyz(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	var failed []string
	for _, nc := range s.ready {
		ctx, cancel := context.WithTimeout(c.Request().Context(), readyTimeout)
		err := nc.check(ctx)
		cancel()
		if err != nil {
			failed = append(failed, nc.name+": "+err.Error())
		}
	}
	if len(failed) > 0 {
		s.log.WarnContext(c.Request().Context(), "not ready", "failed", failed)
		return c.String(http.StatusServiceUnavailable, "not ready\n"+strings.Join(failed, "\n")+"\n")
	}
	return c.String(http.StatusOK, "ready\n")
}
