package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// retractView is the form to retract one event.
type retractView struct {
	Map         *data.Map
	Editor      *editorMeta
	Event       data.Event
	Description string
	Reason      string
	Error       string
}

// eventRetractForm serves GET /maps/{slug}/events/{id}/retract: the retraction form.
func (s *Server) eventRetractForm(c echo.Context) error {
	v, err := s.newRetractView(c)
	if err != nil {
		return err
	}
	if !v.Event.Live() {
		return &data.ConflictError{Msg: "This event is already retracted or corrected."}
	}
	return render(c, http.StatusOK, retractPage(v))
}

// eventRetract serves POST /maps/{slug}/events/{id}/retract with a reason.
func (s *Server) eventRetract(c echo.Context) error {
	ctx := c.Request().Context()
	v, err := s.newRetractView(c)
	if err != nil {
		return err
	}
	u, _ := s.currentUser(c)
	v.Reason = c.FormValue("reason")
	err = s.edits.Retract(ctx, v.Map.Slug, v.Event.ID, u.Name, v.Reason)
	var invalid *data.InvalidError
	switch {
	case err == nil:
		s.log.InfoContext(ctx, "event retracted", "map", v.Map.Slug, "event", v.Event.ID, "author", u.Name)
		return c.Redirect(http.StatusSeeOther, regionURL(v.Map.Slug, v.Event.Region)+"?retracted="+strconv.FormatInt(v.Event.ID, 10))
	case errors.As(err, &invalid), errors.Is(err, data.ErrConflict):
		v.Error = formMessage(err)
		status := http.StatusUnprocessableEntity
		if errors.Is(err, data.ErrConflict) {
			status = http.StatusConflict
		}
		return render(c, status, retractPage(v))
	}
	return err
}

func (s *Server) newRetractView(c echo.Context) (retractView, error) {
	m, err := s.mapParam(c)
	if err != nil {
		return retractView{}, err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return retractView{}, data.Invalidf("%q is not an event id", c.Param("id"))
	}
	e, err := s.edits.Event(c.Request().Context(), m.Slug, id)
	if err != nil {
		return retractView{}, err
	}
	r, err := s.edits.Region(c.Request().Context(), m.Slug, e.Region)
	if err != nil {
		return retractView{}, err
	}
	u, _ := s.currentUser(c)
	return retractView{Map: m, Editor: &editorMeta{Name: u.Name, CSRF: csrfToken(c)}, Event: e,
		Description: describeEvent(m, r.Name, e)}, nil
}
