package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// Sign-in limits: failures allowed per account and per address within loginWindow.
const (
	loginFailuresPerAccount = 5
	loginFailuresPerAddress = 20
)

// loginMessage is the one answer to every failed sign-in, so it does not reveal whether an
// account exists.
const loginMessage = "Wrong username or password."

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
	account, address := "account:"+strings.ToLower(name), "address:"+c.RealIP()
	again := func(status int, msg string) error {
		return render(c, status, loginPage(next, csrfToken(c), name, msg))
	}
	if s.logins.blocked(account, loginFailuresPerAccount) || s.logins.blocked(address, loginFailuresPerAddress) {
		s.log.WarnContext(ctx, "sign-in refused: too many failures", "user", name, "ip", c.RealIP())
		return again(http.StatusTooManyRequests, "Too many failed sign-ins. Wait 15 minutes and try again.")
	}
	u, err := s.sessions.Authenticate(ctx, name, password)
	if errors.Is(err, data.ErrBadCredentials) {
		s.logins.fail(account)
		s.logins.fail(address)
		s.log.InfoContext(ctx, "sign-in failed", "user", name, "ip", c.RealIP())
		return again(http.StatusUnauthorized, loginMessage)
	}
	if err != nil {
		return err
	}
	s.logins.reset(account)
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
	return c.Redirect(http.StatusSeeOther, next)
}

// logout serves POST /logout.
func (s *Server) logout(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil {
		if err := s.sessions.DeleteSession(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	setSessionCookie(c, "")
	return c.Redirect(http.StatusSeeOther, "/")
}
