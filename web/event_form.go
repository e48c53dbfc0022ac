package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/web/i18n"
)

// eventFormView is the change form, blank or with an editor's input and its problems.
type eventFormView struct {
	Map     *data.Map
	Editor  *editorMeta
	Regions []data.Region
	// Places are listed after the regions: a change may name either.
	Places []data.Region
	Values eventValues
	// Errors holds a message per field name; "" is for the form as a whole.
	Errors map[string]string
	// Preview is a sentence per region the change records (previewText), and
	// PreviewSummary the sentence above them when they are several.
	Preview        []string
	PreviewSummary string
	// Notice confirms the change just saved with "Save and record another".
	Notice         string
	Correcting     *data.Event
	CorrectingText string
	Script         mapScript
}

// eventValues are the form's fields as the editor typed them. Regions holds every region
// chosen: one event is recorded per region, sharing the other fields.
type eventValues struct {
	Regions                                 []string
	Faction, Date, Source, Note, Confidence string
	Supersedes                              int64
}

// event is the event the form records for region.
func (v eventValues) event(region string) data.Event {
	return data.Event{Region: region, Faction: v.Faction, Date: v.Date, Source: v.Source, Note: v.Note, Confidence: v.Confidence}
}

// chosen reports whether region is among the regions chosen.
func (v eventValues) chosen(region string) bool { return slices.Contains(v.Regions, region) }

// eventNew serves GET /maps/{slug}/edit: the change form, or with ?event=ID the form to
// correct that event, filled with it.
func (s *Server) eventNew(c echo.Context) error {
	m, err := s.pageMapParam(c)
	if err != nil {
		return err
	}
	// "Save and record another" comes back here with the faction, date, source and
	// confidence it keeps; like ?region=, they only fill the form, which checks them on save.
	q := c.QueryParams()
	vals := eventValues{Date: m.DefaultDate, Confidence: data.Confirmed, Regions: q["region"],
		Faction: q.Get("faction"), Source: q.Get("source")}
	if q.Get("confidence") == data.Claimed {
		vals.Confidence = data.Claimed
	}
	if raw := c.QueryParam("event"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return invalidWords(data.P("EventNotID", "value", strconv.Quote(raw)))
		}
		e, err := s.edits.Event(c.Request().Context(), m.Slug, id)
		if err != nil {
			return err
		}
		if !e.Live() {
			return invalidWords(data.P("EventNotLive", "id", int(id)))
		}
		vals = eventValues{Regions: []string{e.Region}, Faction: e.Faction, Date: e.Date, Source: e.Source, Note: e.Note,
			Confidence: e.Confidence, Supersedes: e.ID}
	}
	if d := c.QueryParam("date"); d != "" && vals.Supersedes == 0 {
		if vals.Date, err = m.ParseDate(d); err != nil {
			return err
		}
	}
	v, err := s.newEventFormView(c, m, vals, nil)
	if err != nil {
		return err
	}
	if v.Notice, err = s.recordedNotice(c.Request().Context(), m, func(id string) string { return regionName(slices.Concat(v.Regions, v.Places), id) }, q.Get("recorded")); err != nil {
		return err
	}
	return render(c, http.StatusOK, eventFormPage(v))
}

// recordedNotice confirms the change whose first event is recorded (a query parameter: the
// redirect after saving, to the form or the map), read back so that the notice says what
// was stored, not what the URL claims: "" for anything else. name names a region.
func (s *Server) recordedNotice(ctx context.Context, m *data.Map, name func(id string) string, recorded string) (string, error) {
	id, err := strconv.ParseInt(recorded, 10, 64)
	if err != nil || id <= 0 {
		return "", nil
	}
	batch, err := s.edits.Batch(ctx, m.Slug, id)
	if errors.Is(err, data.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return recordedText(ctx, m, name, batch), nil
}

// recordedText is the notice for the events recorded together: "Recorded: Balkh → Taliban
// from 2021-08-14, source …." for one, "Recorded 3 changes: Balkh, Kunduz, Takhar →
// Taliban from 2021-08-14." for several, naming only those still live.
func recordedText(ctx context.Context, m *data.Map, name func(id string) string, batch []data.Event) string {
	var live []data.Event
	for _, e := range batch {
		if e.Live() {
			live = append(live, e)
		}
	}
	switch len(live) {
	case 0:
		return ""
	case 1:
		return tf(ctx, "RecordedOne", "event", describeEvent(ctx, m, name(live[0].Region), live[0]))
	}
	names := make([]string, len(live))
	for i, e := range live {
		names[i] = name(e.Region)
	}
	return tf(ctx, "RecordedChanges", "changes", tn(ctx, "ChangesCount", len(live)), "regions", strings.Join(names, ", "),
		"faction", factionName(m, live[0].Faction), "date", live[0].Date)
}

// newEventFormView gathers what the form shows: regions, the map at the form's date, the
// event being corrected, and a preview of the change when the input is valid.
func (s *Server) newEventFormView(c echo.Context, m *data.Map, vals eventValues, errs map[string]string) (eventFormView, error) {
	ctx := c.Request().Context()
	u, _ := s.currentUser(c)
	v := eventFormView{Map: m, Editor: &editorMeta{Name: u.Name, CSRF: csrfToken(c)}, Values: vals, Errors: errs}
	regions, err := s.regionsAndPlaces(ctx, m.Slug)
	if err != nil {
		return v, err
	}
	for _, r := range regions {
		if r.Place {
			v.Places = append(v.Places, r)
		} else {
			v.Regions = append(v.Regions, r)
		}
	}
	date := m.DefaultDate
	if d, err := m.ParseDate(vals.Date); err == nil {
		date = d
	}
	st, err := s.edits.State(ctx, m, date)
	if err != nil {
		return v, err
	}
	events, timelineURL, err := s.pageEvents(ctx, m)
	if err != nil {
		return v, err
	}
	v.Script = newMapView(locOf(ctx), m, st, events).Script
	v.Script.Labels.Preview = newPreviewWords(locOf(ctx))
	v.Script.Timeline = timelineURL
	if err := s.useShapes(c, &v.Script, m.Slug); err != nil {
		return v, err
	}
	if vals.Supersedes != 0 {
		// An event that does not exist is the editor's mistake, which the form's message
		// names; the form is still shown, with the input kept.
		e, err := s.edits.Event(ctx, m.Slug, vals.Supersedes)
		switch {
		case err == nil:
			v.Correcting = &e
			v.CorrectingText = describeEvent(ctx, m, regionName(regions, e.Region), e)
		case !errors.Is(err, data.ErrNotFound):
			return v, err
		}
	}
	if len(errs) == 0 && len(vals.Regions) > 0 && vals.Faction != "" {
		if err := s.preview(ctx, &v, st); err != nil {
			return v, err
		}
	}
	return v, nil
}

// preview says, in v, what recording the form's change does to each region chosen, from
// the state at its date: "Maidan Wardak: Islamic Republic of Afghanistan → Taliban from
// 2021-08-15 (was Islamic Republic of Afghanistan since 2021-08-01)."; a correction is
// compared with the event it corrects.
func (s *Server) preview(ctx context.Context, v *eventFormView, st data.State) error {
	m, vals := v.Map, v.Values
	if st.Date != vals.Date {
		var err error
		if st, err = s.edits.State(ctx, m, vals.Date); err != nil {
			return err
		}
	}
	held := make(map[string]data.Holding, len(st.Holdings)+len(st.Places))
	for _, h := range slices.Concat(st.Holdings, st.Places) {
		held[h.Region.ID] = h
	}
	unchanged := 0
	words := newPreviewWords(locOf(ctx))
	for _, id := range vals.Regions {
		h, ok := held[id]
		if !ok {
			continue
		}
		e := vals.event(id)
		if v.Correcting == nil && h.Faction == e.Faction {
			unchanged++
		}
		v.Preview = append(v.Preview, previewText(words, m, h.Region.Name, h.Faction, h.Since, e, v.Correcting))
	}
	v.PreviewSummary = previewSummary(words, len(v.Preview), unchanged)
	return nil
}

// previewWords are the change preview's sentences in one language: the templates of
// messages Preview*, the summary's in every plural form of the language, filled here
// (previewText, previewSummary) and by static/model/preview.js in the browser, which the
// change form's page data hands them to (labels.preview). Golden cases, in English:
// testdata/rules/preview.json.
type previewWords struct {
	Lang       string `json:"lang"`
	Change     string `json:"change"`
	Held       string `json:"held"`
	Correcting string `json:"correcting"`
	Was        string `json:"was"`
	WasClaimed string `json:"wasClaimed"`
	Claim      string `json:"claim"`
	// Remove names a chosen region's remove button (static/edit/chips.js): {name}.
	Remove string `json:"remove"`
	// AllMove, NoneMove and SomeMove are the summary's, by CLDR plural category of the
	// number of regions.
	AllMove  map[string]string `json:"allMove"`
	NoneMove map[string]string `json:"noneMove"`
	SomeMove map[string]string `json:"someMove"`
}

func newPreviewWords(loc *i18n.Localizer) *previewWords {
	return &previewWords{Lang: loc.Lang(), Change: loc.T("PreviewChange"), Held: loc.T("PreviewHeld"), Correcting: loc.T("PreviewCorrecting"),
		Was: loc.T("PreviewWas"), WasClaimed: loc.T("PreviewWasClaimed"), Claim: loc.T("PreviewClaim"), Remove: loc.T("RemoveChip"),
		AllMove: loc.Forms("PreviewAllMove"), NoneMove: loc.Forms("PreviewNoneMove"), SomeMove: loc.Forms("PreviewSomeMove")}
}

// previewText is the preview's sentence for recording e in the region named region, which
// faction held has held since since, or, when corrects is not nil, for replacing corrects
// with e. static/model/preview.js (describeChange) writes the same sentence in the browser
// as the editor types; golden cases: testdata/rules/preview.json.
func previewText(w *previewWords, m *data.Map, region, held, since string, e data.Event, corrects *data.Event) string {
	claim := ""
	if e.Confidence == data.Claimed {
		claim = w.Claim
	}
	switch {
	case corrects != nil:
		was := w.Was
		if corrects.Confidence == data.Claimed {
			was = w.WasClaimed
		}
		was = fillTemplate(was, "faction", factionName(m, corrects.Faction), "date", corrects.Date)
		return fillTemplate(w.Correcting, "region", region, "was", was, "faction", factionName(m, e.Faction), "date", e.Date, "claim", claim)
	case held == e.Faction:
		return fillTemplate(w.Held, "region", region, "faction", factionName(m, held), "since", since, "claim", claim)
	}
	return fillTemplate(w.Change, "region", region, "was", factionName(m, held), "faction", factionName(m, e.Faction),
		"date", e.Date, "since", since, "claim", claim)
}

// previewSummary is the sentence above the preview of a change of total regions, unchanged
// of which their faction already holds; "" for one region. static/model/preview.js
// (summarizeChanges) is the same rule; golden cases: testdata/rules/preview.json.
func previewSummary(w *previewWords, total, unchanged int) string {
	forms := w.SomeMove
	switch {
	case total <= 1:
		return ""
	case unchanged == 0:
		forms = w.AllMove
	case unchanged == total:
		forms = w.NoneMove
	}
	return fillTemplate(i18n.Pick(forms, w.Lang, total), "total", strconv.Itoa(total), "moving", strconv.Itoa(total-unchanged),
		"unchanged", strconv.Itoa(unchanged))
}

// describeEvent is one line about an event, in ctx's language: "Balkh → Taliban from
// 2021-08-14 (claimed), source …".
func describeEvent(ctx context.Context, m *data.Map, region string, e data.Event) string {
	id := "EventLine"
	if e.Confidence == data.Claimed {
		id = "EventLineClaimed"
	}
	return tf(ctx, id, "region", region, "faction", factionName(m, e.Faction), "date", e.Date, "source", e.Source)
}

func factionName(m *data.Map, id string) string {
	if f, ok := m.Faction(id); ok {
		return f.Name
	}
	return id
}

func regionName(regions []data.Region, id string) string {
	for _, r := range regions {
		if r.ID == id {
			return r.Name
		}
	}
	return id
}

// invalid is the aria-invalid value of a field.
func invalid(errs map[string]string, field string) string {
	if errs[field] != "" {
		return "true"
	}
	return "false"
}
