package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// Sign-in limits, within loginWindow: failures allowed for one account from one address,
// and from one address for all accounts. The account alone is not limited: then anyone
// could lock an editor out by failing in their name, from addresses of their own.
const (
	loginFailuresPerAccount = 5
	loginFailuresPerAddress = 20
)

// loginShow serves GET /login.
func (s *Server) loginShow(c echo.Context) error {
	return render(c, http.StatusOK, loginPage(localPath(c.QueryParam("next")), csrfToken(c), "", ""))
}

// loginSubmit serves POST /login: on success a new session (so a session id planted before
// sign-in is useless) and a redirect to the page the editor came for.
func (s *Server) loginSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	name := strings.TrimSpace(c.FormValue("username"))
	password := c.FormValue("password")
	next := localPath(c.FormValue("next"))
	ip := c.RealIP()
	// Normalised as at creation, so "ALICE" and "alice " count as one account.
	pair := "account:" + data.NormalizeName(name) + "@" + ip
	limits := []limit{{pair, loginFailuresPerAccount}, {"address:" + ip, loginFailuresPerAddress}}
	again := func(status int, msg string) error {
		return render(c, status, loginPage(next, csrfToken(c), name, msg))
	}
	// Reserved before the password is checked: a burst sent at once checks no more
	// passwords than the limit allows.
	if !s.logins.reserve(limits...) {
		s.log.WarnContext(ctx, "sign-in refused: too many failures", "user", name, "ip", ip)
		return again(http.StatusTooManyRequests, t(ctx, "LoginTooMany"))
	}
	u, err := s.checkPassword(c, name, password)
	s.logins.done(err == nil, pair, limits...)
	if errors.Is(err, data.ErrBadCredentials) {
		s.log.InfoContext(ctx, "sign-in failed", "user", name, "ip", ip)
		// One answer to every failed sign-in, so it does not reveal whether an account exists.
		return again(http.StatusUnauthorized, t(ctx, "LoginWrong"))
	}
	if err != nil {
		return err
	}
	if old, err := c.Cookie(sessionCookie); err == nil {
		if err := s.sessions.DeleteSession(ctx, old.Value); err != nil {
			return err
		}
	}
	token, err := s.sessions.CreateSession(ctx, u.ID)
	if err != nil {
		return err
	}
	setSessionCookie(c, token)
	s.log.InfoContext(ctx, "signed in", "user", u.Name)
	return seeOther(c, next)
}

// logout serves POST /logout.
func (s *Server) logout(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil {
		if err := s.sessions.DeleteSession(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	setSessionCookie(c, "")
	return seeOther(c, "/")
}

// checkPassword checks a password with at most cap(s.checking) bcrypt comparisons at once,
// each taking a core for some 250 ms: a burst of sign-ins waits its turn instead of
// holding every reader's request behind it.
func (s *Server) checkPassword(c echo.Context, name, password string) (data.User, error) {
	ctx := c.Request().Context()
	select {
	case s.checking <- struct{}{}:
		defer func() { <-s.checking }()
	case <-ctx.Done():
		return data.User{}, ctx.Err()
	}
	return s.sessions.Authenticate(ctx, name, password)
}
