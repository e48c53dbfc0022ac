package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// adminUserStore is what the users page reads and writes.
type adminUserStore interface {
	Users(ctx context.Context) ([]data.User, error)
	Maps(ctx context.Context) ([]data.Map, error)
	AddUser(ctx context.Context, nu data.NewUser) (data.User, error)
	SetPassword(ctx context.Context, name, password string) error
	Grant(ctx context.Context, name, slug string) error
	Revoke(ctx context.Context, name, slug string) error
	SetDisabled(ctx context.Context, name string, disabled bool) error
}

// adminUsersView is the users page: every user, the maps one may grant, the create form's
// input and the outcome of the last action.
type adminUsersView struct {
	Editor *editorMeta
	Users  []data.User
	Maps   []data.Map
	// Notice says what the last action did; Error why it was refused, with Form the
	// create form's input kept.
	Notice, Error string
	Form          data.NewUser
}

// adminUsers serves GET /admin/users.
func (s *Server) adminUsers(c echo.Context) error {
	return s.renderAdminUsers(c, http.StatusOK, adminUsersView{Notice: adminNotice(c.Request().Context(), c.QueryParam("done"), c.QueryParam("user"), c.QueryParam("role"))})
}

func (s *Server) renderAdminUsers(c echo.Context, status int, v adminUsersView) error {
	ctx := c.Request().Context()
	var err error
	if v.Users, err = s.admin.Users(ctx); err != nil {
		return err
	}
	if v.Maps, err = s.admin.Maps(ctx); err != nil {
		return err
	}
	u, _ := s.currentUser(c)
	v.Editor = &editorMeta{Name: u.Name, CSRF: csrfToken(c), Admin: true}
	return render(c, status, adminUsersPage(v))
}

// adminNotices are the messages of the actions done, by ?done=: the page shows no text
// taken from the URL but the user's name.
var adminNotices = map[string]string{"created": "NoticeCreated", "password": "NoticePassword", "granted": "NoticeGrants",
	"disabled": "NoticeDisabled", "enabled": "NoticeEnabled"}

// adminNotice is the message of an action done, in the page's language.
func adminNotice(ctx context.Context, done, user, role string) string {
	if id, ok := adminNotices[done]; ok {
		return tf(ctx, id, "name", user, "role", roleWord(ctx, data.Role(role)))
	}
	return ""
}

// roleWord is a role's name in the page's language: editor for anything but admin.
func roleWord(ctx context.Context, r data.Role) string {
	if r == data.RoleAdmin {
		return t(ctx, "RoleAdmin")
	}
	return t(ctx, "RoleEditor")
}

// adminDone redirects back to the users page, saying what was done to whom.
func adminDone(c echo.Context, done, user string) error {
	return seeOther(c, "/admin/users?"+url.Values{"done": {done}, "user": {user}}.Encode())
}

// adminRefused shows the users page again with why an action was refused (422), for
// input errors; anything else goes to the error handler (an unknown user is a 404).
func (s *Server) adminRefused(c echo.Context, err error, form data.NewUser) error {
	var invalid *data.InvalidError
	if !errors.As(err, &invalid) {
		return err
	}
	return s.renderAdminUsers(c, http.StatusUnprocessableEntity, adminUsersView{Error: locOf(c.Request().Context()).Invalid(invalid), Form: form})
}

// adminUserCreate serves POST /admin/users: fields name, password, role (admin or editor)
// and map, once per map granted.
func (s *Server) adminUserCreate(c echo.Context) error {
	form := data.NewUser{Name: c.FormValue("name"), Password: c.FormValue("password")}
	params, err := c.FormParams()
	if err != nil {
		return err
	}
	form.Maps = params["map"]
	role, err := data.ParseRole(c.FormValue("role"))
	if err != nil {
		return s.adminRefused(c, err, form)
	}
	form.Role = role
	u, err := s.admin.AddUser(c.Request().Context(), form)
	if errors.Is(err, data.ErrNotFound) {
		err = data.Invalidf("%s: choose among the maps listed", err.Error())
	}
	if err != nil {
		form.Password = ""
		return s.adminRefused(c, err, form)
	}
	s.log.InfoContext(c.Request().Context(), "user created", "user", u.Name, "role", u.Role, "maps", u.Maps, "by", s.adminName(c))
	return seeOther(c, "/admin/users?"+url.Values{"done": {"created"}, "user": {u.Name}, "role": {string(u.Role)}}.Encode())
}

// adminUserPassword serves POST /admin/users/{name}/password: field password.
func (s *Server) adminUserPassword(c echo.Context) error {
	name, err := param(c, "name")
	if err != nil {
		return err
	}
	if err := s.admin.SetPassword(c.Request().Context(), name, c.FormValue("password")); err != nil {
		return s.adminRefused(c, err, data.NewUser{})
	}
	s.log.InfoContext(c.Request().Context(), "password reset", "user", name, "by", s.adminName(c))
	return adminDone(c, "password", name)
}

// adminUserGrants serves POST /admin/users/{name}/grants: field map, and intent grant
// (the default) or revoke.
func (s *Server) adminUserGrants(c echo.Context) error {
	name, err := param(c, "name")
	if err != nil {
		return err
	}
	slug := c.FormValue("map")
	change := s.admin.Grant
	switch c.FormValue("intent") {
	case "", "grant":
	case "revoke":
		change = s.admin.Revoke
	default:
		return s.adminRefused(c, invalidWords(data.P("IntentNotGrantRevoke", "value", strconv.Quote(c.FormValue("intent")))), data.NewUser{})
	}
	if slug == "" {
		return s.adminRefused(c, invalidWords(data.P("ChooseMapToGrant")), data.NewUser{})
	}
	if err := change(c.Request().Context(), name, slug); err != nil {
		if errors.Is(err, data.ErrNotFound) {
			err = data.Invalidf("%s", err.Error())
		}
		return s.adminRefused(c, err, data.NewUser{})
	}
	s.log.InfoContext(c.Request().Context(), "grant changed", "user", name, "map", slug, "intent", c.FormValue("intent"), "by", s.adminName(c))
	return adminDone(c, "granted", name)
}

// adminUserDisable serves POST /admin/users/{name}/disable: field disabled, 1 to disable
// the user (ending all their sessions at once) or 0 to enable them again.
func (s *Server) adminUserDisable(c echo.Context) error {
	name, err := param(c, "name")
	if err != nil {
		return err
	}
	var disable bool
	switch c.FormValue("disabled") {
	case "1":
		disable = true
	case "0":
	default:
		return s.adminRefused(c, invalidWords(data.P("DisabledNotFlag", "value", strconv.Quote(c.FormValue("disabled")))), data.NewUser{})
	}
	if u, _ := s.currentUser(c); disable && data.NormalizeName(name) == u.Name {
		return s.adminRefused(c, invalidWords(data.P("CannotDisableSelf")), data.NewUser{})
	}
	if err := s.admin.SetDisabled(c.Request().Context(), name, disable); err != nil {
		return err
	}
	s.log.InfoContext(c.Request().Context(), "user disabled", "user", name, "disabled", disable, "by", s.adminName(c))
	if disable {
		return adminDone(c, "disabled", name)
	}
	return adminDone(c, "enabled", name)
}

// ungranted returns the maps an editor may yet be granted; none for an admin.
func ungranted(maps []data.Map, u data.User) []data.Map {
	if u.Admin() {
		return nil
	}
	var out []data.Map
	for _, m := range maps {
		if !slices.Contains(u.Maps, m.Slug) {
			out = append(out, m)
		}
	}
	return out
}

func (s *Server) adminName(c echo.Context) string {
	u, _ := s.currentUser(c)
	return u.Name
}
