package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
)

// viewer is who reads a page, for the header every page has: the signed-in editor's name
// and sign-out form, or a link to sign in that comes back to the page.
type viewer struct {
	// Name is the signed-in editor's, "" for a reader.
	Name string
	// CSRF is the token the sign-out form carries ("" on pages sent for a form post, which
	// show no sign-out button).
	CSRF string
	// SignIn is the link to sign in and come back; "" on the sign-in page itself.
	SignIn string
	// Admin: the editor is an admin, whose header links to the admin pages.
	Admin bool
}

type viewerKey struct{}

// withViewer puts the page's viewer in the request's context for the layout. A reader
// without a session cookie costs nothing; an editor costs the session lookup that
// requireEditor and the pages' own editor links make anyway, once per request. An editor's
// page gets its sign-out token from the CSRF middleware, as editor pages do: a browser that
// sends Sec-Fetch-Site is checked by that header and has no token cookie at all.
func (s *Server) withViewer(next echo.HandlerFunc) echo.HandlerFunc {
	withToken := csrf()(func(c echo.Context) error { return s.serveViewer(c, next, csrfToken(c)) })
	return func(c echo.Context) error {
		if m := c.Request().Method; m == http.MethodGet || m == http.MethodHead {
			if _, ok := s.currentUser(c); ok {
				return withToken(c)
			}
		}
		return s.serveViewer(c, next, "")
	}
}

// serveViewer serves the page with its viewer, whose sign-out form carries token.
func (s *Server) serveViewer(c echo.Context, next echo.HandlerFunc, token string) error {
	var v viewer
	if u, ok := s.currentUser(c); ok {
		v.Name, v.CSRF, v.Admin = u.Name, token, u.Admin()
	} else if c.Path() != "/login" {
		v.SignIn = "/login?next=" + url.QueryEscape(c.Request().URL.RequestURI())
	}
	r := c.Request()
	c.SetRequest(r.WithContext(context.WithValue(r.Context(), viewerKey{}, v)))
	return next(c)
}

// viewerOf is the page's viewer; the zero viewer (no header links) outside the page routes.
func viewerOf(ctx context.Context) viewer {
	v, _ := ctx.Value(viewerKey{}).(viewer)
	return v
}

// headerEditor is the signed-in editor the header names: the page's own, or the viewer;
// an admin's header links to the admin pages on every page.
func headerEditor(ctx context.Context, meta pageMeta) *editorMeta {
	v := viewerOf(ctx)
	ed := meta.Editor
	if ed == nil {
		if v.Name == "" {
			return nil
		}
		ed = &editorMeta{Name: v.Name, CSRF: v.CSRF}
	}
	if v.Admin && !ed.Admin {
		with := *ed
		with.Admin = true
		ed = &with
	}
	return ed
}
