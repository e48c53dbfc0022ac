package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/frontline-maps/frontline/data"
)

// maxImportCSV bounds a spreadsheet imported in the browser: about 10,000 rows. A larger
// file is imported on the server (frontline import events), which reads any size.
const maxImportCSV = 1 << 20

// maxImportBody bounds the import's request: the CSV pasted into a form is percent-encoded,
// each tab or comma three bytes, so the body may be three times the CSV and a little more.
const maxImportBody = 3*maxImportCSV + 64<<10

// importStore is what the spreadsheet import reads and writes.
type importStore interface {
	subjectLister
	State(ctx context.Context, m *data.Map, date string) (data.State, error)
	Batch(ctx context.Context, slug string, eventID int64) ([]data.Event, error)
	AppendEvents(ctx context.Context, slug string, events []data.Event, author string, progress data.Progress) error
}

// importView is the spreadsheet import: the form, and after a preview what each row would
// change and every problem with its line.
type importView struct {
	Map        *data.Map
	Editor     *editorMeta
	CSV        string
	DateFormat string
	// Error is the form's problem (no CSV, too large, a wrong header); Problems are the
	// rows', one per cause with its lines and a hint.
	Error    string
	Problems []string
	Rows     []importRow
	// Good counts the good rows, of which Rows shows the first maxPreviewRows.
	Good int
	// Previewed is set once a CSV was read; Saved names the events just saved, and
	// SavedID is the first of them, for undoing them together.
	Previewed bool
	Saved     string
	SavedID   int64
}

// importRow is one good row of the CSV and what saving it would do.
type importRow struct {
	Line   int
	Text   string
	Source string
}

// maxPreviewRows bounds the rows a preview lists: past it, the page would weigh
// megabytes (11,000 rows, a full 1 MB file, were 3.8 MB of HTML) and no one reads on.
const maxPreviewRows = 500

// dateFormats are the date forms an import reads, besides YYYY-MM-DD.
var dateFormats = []string{data.DayFirst, data.MonthFirst}

// eventImportForm serves GET /maps/{slug}/events/import: the form to paste or upload a
// spreadsheet, or, after a save (?saved=ID), what was saved.
func (s *Server) eventImportForm(c echo.Context) error {
	m, err := s.pageMapParam(c)
	if err != nil {
		return err
	}
	v := s.newImportView(c, m)
	if id, err := strconv.ParseInt(c.QueryParam("saved"), 10, 64); err == nil && id > 0 {
		// Read back, so the page says what was stored, not what the URL claims.
		batch, err := s.imports.Batch(c.Request().Context(), m.Slug, id)
		switch {
		case err == nil:
			v.Saved, v.SavedID = tf(c.Request().Context(), "SavedImport", "events", tn(c.Request().Context(), "EventsCount", len(batch)), "name", batch[0].Author), id
		case !errors.Is(err, data.ErrNotFound):
			return err
		}
	}
	return render(c, http.StatusOK, eventImportPage(v))
}

func (s *Server) newImportView(c echo.Context, m *data.Map) importView {
	u, _ := s.currentUser(c)
	return importView{Map: m, Editor: &editorMeta{Name: u.Name, CSRF: csrfToken(c)}}
}

// eventImport serves POST /maps/{slug}/events/import: a CSV in the events.csv format, as a
// file (field file) or pasted (field csv), read by the same forgiving reader as the command
// line. With intent=preview it shows row by row what would change, and every problem with
// its line, and saves nothing; with intent=save it saves every row in one transaction, or,
// with any problem, nothing. The form keeps the CSV (an uploaded file's too), to fix.
func (s *Server) eventImport(c echo.Context) error {
	ctx := c.Request().Context()
	m, err := s.pageMapParam(c)
	if err != nil {
		return err
	}
	v := s.newImportView(c, m)
	v.DateFormat = strings.TrimSpace(c.FormValue("date_format"))
	text, status, msg := importText(c)
	v.CSV = text
	if msg == "" {
		if err := data.CheckDateFormat(v.DateFormat); err != nil {
			status, msg = http.StatusUnprocessableEntity, tf(ctx, "ImportDateFormat", "formats", strings.Join(dateFormats, ", "))
		}
	}
	if msg != "" {
		v.Error = msg
		return render(c, status, eventImportPage(v))
	}
	events, lines, err := s.readImport(ctx, m, &v)
	if err != nil {
		return err
	}
	if v.Error != "" || len(v.Problems) > 0 || c.FormValue("intent") != "save" {
		status := http.StatusOK
		if v.Error != "" || len(v.Problems) > 0 {
			status = http.StatusUnprocessableEntity
		}
		return render(c, status, eventImportPage(v))
	}
	u, _ := s.currentUser(c)
	err = s.imports.AppendEvents(ctx, m.Slug, events, u.Name, nil)
	var dup *data.DuplicateError
	var invalid *data.InvalidError
	switch {
	case err == nil:
		s.log.InfoContext(ctx, "events imported", "map", m.Slug, "events", len(events), "first", events[0].ID, "author", u.Name)
		return seeOther(c, mapURL(m.Slug)+"/events/import?saved="+strconv.FormatInt(events[0].ID, 10))
	case errors.As(err, &dup):
		v.Error = t(ctx, "ImportNothingSavedDup")
		for k, i := range dup.Index {
			v.Problems = append(v.Problems, tf(ctx, "ImportDuplicateRow", "line", number(ctx, lines[i]), "id", number64(ctx, dup.Existing[k])))
		}
	case errors.As(err, &invalid):
		v.Error = tf(ctx, "ImportNothingSaved", "reason", locOf(ctx).Invalid(invalid))
	default:
		return err
	}
	return render(c, http.StatusUnprocessableEntity, eventImportPage(v))
}

// importText is the CSV of the request, from the uploaded file when one was chosen, else
// pasted; with a status and message for the editor when there is none or it is too large.
func importText(c echo.Context) (text string, status int, msg string) {
	ctx := c.Request().Context()
	limit := fmt.Sprintf("%d MB", maxImportCSV>>20)
	pasted := c.FormValue("csv")
	if fh, err := c.FormFile("file"); err == nil && fh.Filename != "" {
		if fh.Size > maxImportCSV {
			return pasted, http.StatusRequestEntityTooLarge, tf(ctx, "ImportFileTooLarge", "file", fh.Filename, "limit", limit)
		}
		f, err := fh.Open()
		if err != nil {
			return pasted, http.StatusBadRequest, t(ctx, "ImportUnreadable")
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, maxImportCSV+1))
		if err != nil {
			return pasted, http.StatusBadRequest, t(ctx, "ImportUnreadable")
		}
		pasted = string(b)
	}
	switch {
	case len(pasted) > maxImportCSV:
		return "", http.StatusRequestEntityTooLarge, tf(ctx, "ImportCSVTooLarge", "limit", limit)
	case strings.TrimSpace(pasted) == "":
		return pasted, http.StatusUnprocessableEntity, t(ctx, "ImportEmpty")
	}
	return pasted, 0, ""
}

// readImport reads v.CSV with the events reader of the command line, and fills v with what
// each good row would change, compared with the map as it is now, and the problems found.
// It returns the good events and the line of each.
func (s *Server) readImport(ctx context.Context, m *data.Map, v *importView) ([]data.Event, []int, error) {
	v.Previewed = true
	// Events name regions and places alike, as the command line's import reads them.
	names, err := subjectsOf(ctx, s.imports, m.Slug)
	if err != nil {
		return nil, nil, err
	}
	r, err := data.NewEventReaderWith(strings.NewReader(v.CSV), m, nil, data.EventOptions{Regions: names.index(), DateFormat: v.DateFormat, Form: true})
	var invalid *data.InvalidError
	if errors.As(err, &invalid) {
		v.Error = locOf(ctx).Invalid(invalid)
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	var events []data.Event
	var lines []int
	states := map[string]map[string]data.Holding{}
	words := newPreviewWords(locOf(ctx))
	for {
		e, line, ok := r.Next()
		if !ok {
			break
		}
		held, ok := states[e.Date]
		if !ok {
			st, err := s.imports.State(ctx, m, e.Date)
			if err != nil {
				return nil, nil, err
			}
			held = make(map[string]data.Holding, len(st.Holdings))
			for _, h := range st.Holdings {
				held[h.Region.ID] = h
			}
			states[e.Date] = held
		}
		if h := held[e.Region]; len(v.Rows) < maxPreviewRows {
			v.Rows = append(v.Rows, importRow{Line: line, Text: previewText(words, m, names.name(e.Region), h.Faction, h.Since, e, nil), Source: e.Source})
		}
		events, lines = append(events, e), append(lines, line)
	}
	if err := r.Err(); errors.As(err, &invalid) {
		v.Problems = strings.Split(locOf(ctx).Invalid(invalid), "\n")
	} else if err != nil {
		return nil, nil, err
	}
	v.Good = len(events)
	if len(events) == 0 && len(v.Problems) == 0 {
		v.Error = t(ctx, "ImportNoRows")
	}
	return events, lines, nil
}

// importBodyLimit bounds the import's request at maxImportBody, in place of the server's
// bound for forms (see uploads in routes.go), and names the limit when it refuses. The form,
// an upload's included, is read once, by the CSRF check that follows (csrf in auth.go).
func importBodyLimit(next echo.HandlerFunc) echo.HandlerFunc {
	limited := middleware.BodyLimit(strconv.Itoa(maxImportBody>>10) + "K")(next)
	return func(c echo.Context) error {
		err := limited(c)
		var he *echo.HTTPError
		if errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge {
			return errWords(http.StatusRequestEntityTooLarge, "ImportUploadTooLarge",
				"mb", strconv.Itoa(maxImportBody>>20), "csv", strconv.Itoa(maxImportCSV>>20))
		}
		return err
	}
}

// sourceHost is what a source link shows: its host, or the whole URL when it has none.
func sourceHost(source string) string {
	if u, err := url.Parse(source); err == nil && u.Host != "" {
		return u.Host
	}
	return source
}

// factionIDs lists a map's faction ids, as the valid values of a faction field.
func factionIDs(m *data.Map) string {
	ids := make([]string, len(m.Factions))
	for i, f := range m.Factions {
		ids[i] = f.ID
	}
	return strings.Join(ids, ", ")
}
