package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// maxBatchListed bounds the events a batch's retraction form lists; a map folder's import
// is one batch too, of any size.
const maxBatchListed = 200

// retractView is the form to retract one event.
type retractView struct {
	Map         *data.Map
	Editor      *editorMeta
	Event       data.Event
	Description string
	// Batch lists, when the whole batch of Event is retracted (batch=1), the live events
	// recorded with it, Event included: the first maxBatchListed of BatchCount.
	Batch      []string
	BatchCount int
	Reason     string
	Error      string
}

// eventRetractForm serves GET /maps/{slug}/events/{id}/retract: the retraction form.
func (s *Server) eventRetractForm(c echo.Context) error {
	v, err := s.newRetractView(c)
	if err != nil {
		return err
	}
	if v.Batch == nil && !v.Event.Live() {
		return &data.ConflictError{Msg: "This event is already retracted or corrected."}
	}
	if v.Batch != nil && v.BatchCount == 0 {
		return &data.ConflictError{Msg: "Every event recorded with this one is already retracted or corrected."}
	}
	return render(c, http.StatusOK, retractPage(v))
}

// eventRetract serves POST /maps/{slug}/events/{id}/retract with a reason; with batch=1 it
// retracts, in one transaction and with that reason, every live event recorded together
// with this one (one form of several regions, one spreadsheet): the undo of a batch.
func (s *Server) eventRetract(c echo.Context) error {
	ctx := c.Request().Context()
	v, err := s.newRetractView(c)
	if err != nil {
		return err
	}
	u, _ := s.currentUser(c)
	v.Reason = c.FormValue("reason")
	if v.Batch != nil {
		var n int
		n, err = s.edits.RetractBatch(ctx, v.Map.Slug, v.Event.ID, u.Name, v.Reason)
		if err == nil {
			s.log.InfoContext(ctx, "batch retracted", "map", v.Map.Slug, "event", v.Event.ID, "events", n, "author", u.Name)
			return seeOther(c, mapURL(v.Map.Slug)+"/changes")
		}
	} else {
		err = s.edits.Retract(ctx, v.Map.Slug, v.Event.ID, u.Name, v.Reason)
	}
	var invalid *data.InvalidError
	switch {
	case err == nil:
		s.log.InfoContext(ctx, "event retracted", "map", v.Map.Slug, "event", v.Event.ID, "author", u.Name)
		return seeOther(c, regionURL(v.Map.Slug, v.Event.Region)+"?retracted="+strconv.FormatInt(v.Event.ID, 10))
	case errors.As(err, &invalid), errors.Is(err, data.ErrConflict):
		v.Error = formMessage(ctx, err)
		status := http.StatusUnprocessableEntity
		if errors.Is(err, data.ErrConflict) {
			status = http.StatusConflict
		}
		return render(c, status, retractPage(v))
	}
	return err
}

func (s *Server) newRetractView(c echo.Context) (retractView, error) {
	ctx := c.Request().Context()
	m, err := s.pageMapParam(c)
	if err != nil {
		return retractView{}, err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return retractView{}, invalidWords(data.P("RetractNotID", "value", strconv.Quote(c.Param("id"))))
	}
	e, err := s.edits.Event(c.Request().Context(), m.Slug, id)
	if err != nil {
		return retractView{}, err
	}
	names, err := subjectsOf(ctx, s.edits, m.Slug)
	if err != nil {
		return retractView{}, err
	}
	u, _ := s.currentUser(c)
	v := retractView{Map: m, Editor: &editorMeta{Name: u.Name, CSRF: csrfToken(c)}, Event: e,
		Description: describeEvent(ctx, m, names.name(e.Region), e)}
	switch c.FormValue("batch") {
	case "":
	case "1":
		batch, err := s.edits.Batch(c.Request().Context(), m.Slug, id)
		if err != nil {
			return retractView{}, err
		}
		v.Batch = []string{}
		for _, b := range batch {
			if !b.Live() {
				continue
			}
			if v.BatchCount++; len(v.Batch) < maxBatchListed {
				v.Batch = append(v.Batch, describeEvent(ctx, m, names.name(b.Region), b))
			}
		}
	default:
		return retractView{}, invalidWords(data.P("RetractBatch", "value", strconv.Quote(c.FormValue("batch"))))
	}
	return v, nil
}
