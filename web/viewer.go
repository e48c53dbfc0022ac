package web

import (
	"context"
	"net/url"

	"github.com/labstack/echo/v4"
)

// viewer is who reads a page, for the header every page has: the signed-in editor's name
// and sign-out form, or a link to sign in that comes back to the page.
type viewer struct {
	// Name is the signed-in editor's, "" for a reader.
	Name string
	// CSRF is the token the sign-out form carries: the one in the browser's cookie, which
	// the CSRF check compares it with ("" before the browser has one).
	CSRF string
	// SignIn is the link to sign in and come back; "" on the sign-in page itself.
	SignIn string
}

type viewerKey struct{}

// withViewer puts the page's viewer in the request's context for the layout. A reader
// without a session cookie costs nothing; an editor costs the session lookup that
// requireEditor and the pages' own editor links make anyway, once per request.
func (s *Server) withViewer(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var v viewer
		if u, ok := s.currentUser(c); ok {
			v.Name = u.Name
			if ck, err := c.Cookie(csrfCookie); err == nil {
				v.CSRF = ck.Value
			}
		} else if c.Path() != "/login" {
			v.SignIn = "/login?next=" + url.QueryEscape(c.Request().URL.RequestURI())
		}
		r := c.Request()
		c.SetRequest(r.WithContext(context.WithValue(r.Context(), viewerKey{}, v)))
		return next(c)
	}
}

// viewerOf is the page's viewer; the zero viewer (no header links) outside the page routes.
func viewerOf(ctx context.Context) viewer {
	v, _ := ctx.Value(viewerKey{}).(viewer)
	return v
}

// headerEditor is the signed-in editor the header names: the page's own, or the viewer.
func headerEditor(ctx context.Context, meta pageMeta) *editorMeta {
	if meta.Editor != nil {
		return meta.Editor
	}
	if v := viewerOf(ctx); v.Name != "" {
		return &editorMeta{Name: v.Name, CSRF: v.CSRF}
	}
	return nil
}
