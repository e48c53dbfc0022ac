package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/frontline-maps/frontline/data"
)

// sessionCookie names the cookie holding an editor's session token.
const sessionCookie = "frontline_session"

// userKey is where currentUser leaves the signed-in user in the echo context.
const userKey = "user"

// sessionStore is what signing in and out and the session check use.
type sessionStore interface {
	Authenticate(ctx context.Context, name, password string) (data.User, error)
	CreateSession(ctx context.Context, userID int64) (string, error)
	SessionUser(ctx context.Context, token string) (data.User, error)
	DeleteSession(ctx context.Context, token string) error
}

// currentUser returns the editor signed in on this request, if any. Readers have no cookie,
// so for them this costs nothing.
func (s *Server) currentUser(c echo.Context) (data.User, bool) {
	if u, ok := c.Get(userKey).(data.User); ok {
		return u, true
	}
	ck, err := c.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return data.User{}, false
	}
	u, err := s.sessions.SessionUser(c.Request().Context(), ck.Value)
	if err != nil {
		if !errors.Is(err, data.ErrNotFound) {
			s.log.ErrorContext(c.Request().Context(), "read session", "err", err)
		}
		return data.User{}, false
	}
	c.Set(userKey, u)
	return u, true
}

// grantStore is what the role and grant checks read.
type grantStore interface {
	MayEdit(ctx context.Context, u data.User, slug string) (bool, error)
}

// toSignIn answers a request that needs a session and has none: a reader who follows a link
// to an editor page is sent to sign in; any other request gets 401 and changes nothing.
func toSignIn(c echo.Context) error {
	if c.Request().Method == http.MethodGet {
		return seeOther(c, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
	}
	return errWords(http.StatusUnauthorized, "ErrorSignInToEdit")
}

// requireGrant lets through only a signed-in user who may edit the route's map (its :slug):
// an admin, or an editor granted the map. Anyone else signed in gets 403 and changes
// nothing. Every editor route uses it, so a new one cannot forget the grant.
func (s *Server) requireGrant(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, ok := s.currentUser(c)
		if !ok {
			return toSignIn(c)
		}
		slug, err := param(c, "slug")
		if err != nil {
			return err
		}
		may, err := s.grants.MayEdit(c.Request().Context(), u, slug)
		if err != nil {
			return err
		}
		if !may {
			s.log.InfoContext(c.Request().Context(), "edit refused: no grant", "user", u.Name, "map", slug)
			return errWords(http.StatusForbidden, "ErrorNotYourMap", "name", u.Name, "map", strconv.Quote(slug))
		}
		return next(c)
	}
}

// requireAdmin lets through only a signed-in admin; anyone else signed in gets 403.
func (s *Server) requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, ok := s.currentUser(c)
		if !ok {
			return toSignIn(c)
		}
		if !u.Admin() {
			return errWords(http.StatusForbidden, "ErrorAdminsOnly")
		}
		return next(c)
	}
}

// csrfCookie holds the CSRF token that editor forms echo back.
const csrfCookie = "frontline_csrf"

// csrf protects every editor form: browsers that send Sec-Fetch-Site are checked by it, the
// rest by a token in a cookie that the form must echo back.
func csrf() echo.MiddlewareFunc {
	check := middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:_csrf,header:X-CSRF-Token",
		CookieName:     csrfCookie,
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSameSite: http.SameSiteLaxMode,
		CookieMaxAge:   int(data.SessionIdle / time.Second),
		// Echo lets a same-site request (from a sibling subdomain) fall back to the token,
		// but a sibling can plant the token cookie for the whole site and so knows the
		// token. Refuse it, as Go's http.CrossOriginProtection does.
		AllowSecFetchSiteFunc: func(echo.Context) (bool, error) {
			return false, errWords(http.StatusForbidden, "ErrorOtherSite")
		},
	})
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		checked := check(next)
		return func(c echo.Context) error {
			// A body sent without a length is cut off at the body limit while the form is
			// read, and net/http's form parsing drops that error: say 413 rather than go on
			// with an empty form.
			// A multipart form (a file upload) is parsed as one here: ParseForm alone would
			// mark the form parsed without reading its fields, the token among them.
			var he *echo.HTTPError
			var err error
			if strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm) {
				err = c.Request().ParseMultipartForm(multipartMemory)
			} else {
				err = c.Request().ParseForm()
			}
			if errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge {
				return he
			}
			return checked(c)
		}
	}
}

// multipartMemory is how much of a multipart form is held in memory; the rest of an
// upload waits in a temporary file.
const multipartMemory = 8 << 20

// csrfToken returns the token that forms on this request must carry.
func csrfToken(c echo.Context) string {
	t, _ := c.Get(middleware.DefaultCSRFConfig.ContextKey).(string)
	return t
}

// setSessionCookie hands the browser a session token, or clears it when token is empty.
func setSessionCookie(c echo.Context, token string) {
	ck := &http.Cookie{
		Name:     sessionCookie,
		Value:    token,
		Path:     "/",
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
		// Scheme() also honours X-Forwarded-Proto, so it is right behind a TLS proxy.
		Secure: c.Scheme() == "https",
	}
	if token == "" {
		ck.MaxAge = -1
	}
	c.SetCookie(ck)
}

// localPath returns next when it is a path on this site, else "/": a sign-in link must not
// bounce an editor to another site.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}
