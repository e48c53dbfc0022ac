package web

import (
	"io/fs"
	"mime"
	"net/http"
	"path"

	"github.com/labstack/echo/v4"
)

// staticFile serves GET /static/*: the browser assets embedded in the binary.
func (s *Server) staticFile(c echo.Context) error {
	name := path.Clean(c.Param("*"))
	if !fs.ValidPath(name) || name == "." {
		return echo.ErrNotFound
	}
	if info, err := fs.Stat(s.static, name); err != nil || info.IsDir() {
		return echo.ErrNotFound
	}
	body, err := fs.ReadFile(s.static, name)
	if err != nil {
		return err
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = http.DetectContentType(body)
	}
	return writeCached(c, ctype, "public, max-age=300", body)
}

// healthz serves GET /healthz for load balancers and uptime checks.
func (s *Server) healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok")
}
