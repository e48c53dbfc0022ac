package web

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// compareStore is what a comparison of two dates (?compare=D0) reads.
type compareStore interface {
	Compare(ctx context.Context, m *data.Map, from, to string) (data.Diff, error)
}

// compareParam reads ?compare=D0 on the map, embed and state routes: "" when absent or
// empty (a form's empty field means no comparison). D0 may be before or after the date
// shown: the diff then reads backwards, which a reader moving the slider past D0 expects
// more than an error.
func compareParam(c echo.Context, m *data.Map) (string, error) {
	q := c.QueryParam("compare")
	if q == "" {
		return "", nil
	}
	if data.CheckDate(q) != nil || q < m.Start || q > m.End {
		return "", invalidWords(data.P("CompareNotDate", "value", strconv.Quote(q), "start", m.Start, "end", m.End))
	}
	return q, nil
}

// apiCompare is the "compare" member of the state document: the diff from its date to the
// document's date.
type apiCompare struct {
	Date    string            `json:"date"`
	Regions []data.Difference `json:"regions"`
	Places  []data.Difference `json:"places"`
	Deltas  map[string]int    `json:"deltas"`
}

// apiStateCompared serves GET /api/maps/{slug}/state?date=D&compare=D0: the state document
// of D with a "compare" member. The state part comes from the state cache; the diff, two
// binary searches a region in the store's timeline, is computed for each request.
func (s *Server) apiStateCompared(c echo.Context, slug string) error {
	ctx := c.Request().Context()
	m, err := s.maps.Map(ctx, slug)
	if err != nil {
		return err
	}
	date, err := m.ParseDate(c.QueryParam("date"))
	if err != nil {
		return err
	}
	from, err := compareParam(c, m)
	if err != nil {
		return err
	}
	doc, err := s.states.document(ctx, slug, date)
	if err != nil {
		return err
	}
	if from == "" {
		return doc.write(c, cacheState)
	}
	d, err := s.compare.Compare(ctx, m, from, date)
	if err != nil {
		return err
	}
	diff, err := json.Marshal(apiCompare{Date: from, Regions: nonNil(d.Regions), Places: nonNil(d.Places), Deltas: d.Deltas})
	if err != nil {
		return fmt.Errorf("encode the comparison of %q: %w", slug, err)
	}
	// The state document is one object: its closing brace makes way for "compare".
	raw := append(append(append(doc.raw[:len(doc.raw)-1:len(doc.raw)-1], `,"compare":`...), diff...), '}')
	return newBody(echo.MIMEApplicationJSON, raw).write(c, cacheState)
}

// nonNil makes a nil list an empty one, which JSON writes as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// compareView is what the map and embed pages show of a comparison: the regions and places
// changed between Date and the date shown, by name, regions first. The legend's deltas are
// on its items (legendItem.Delta).
type compareView struct {
	Date, DateLabel string
	Rows            []compareRow
}

// compareRow is one region or place changed, from its holder at the comparison's date to
// its holder at the date shown.
type compareRow struct {
	ID, Name, URL          string
	Place                  bool
	From, To               data.Faction
	FromClaimed, ToClaimed bool
}

// CompareDate is the comparison's date, "" without one.
func (v mapView) CompareDate() string {
	if v.Compare == nil {
		return ""
	}
	return v.Compare.Date
}

// useCompare gives the view the diff d (from its date to the date shown, st's): the list,
// the legend's deltas and the page data's compare, for the script to follow the slider.
func (v *mapView) useCompare(m *data.Map, st data.State, d data.Diff) {
	cv := &compareView{Date: d.From, DateLabel: dateLabel(v.Script.Labels.Dates, d.From)}
	rows := func(holdings []data.Holding, changes []data.Difference, place bool) {
		byID := make(map[string]data.Region, len(changes))
		for _, h := range holdings {
			byID[h.Region.ID] = h.Region
		}
		var out []compareRow
		for _, c := range changes {
			r := byID[c.ID]
			from, _ := m.Faction(c.From.Faction)
			to, _ := m.Faction(c.To.Faction)
			row := compareRow{ID: c.ID, Name: cmp.Or(r.Name, c.ID), Place: place, From: from, To: to,
				FromClaimed: c.From.Claimed, ToClaimed: c.To.Claimed, URL: regionURL(m.Slug, c.ID)}
			if place {
				row.URL = placeURL(m.Slug, c.ID)
			}
			out = append(out, row)
		}
		slices.SortStableFunc(out, func(a, b compareRow) int { return strings.Compare(a.Name, b.Name) })
		cv.Rows = append(cv.Rows, out...)
	}
	rows(st.Holdings, d.Regions, false)
	rows(st.Places, d.Places, true)
	v.Compare = cv
	v.Script.Compare = d.From
	for i := range v.Legend {
		v.Legend[i].Delta = formatDelta(d.Deltas[v.Legend[i].ID])
	}
}

// formatDelta writes a change in count as the legend shows it: "+2", "−2" (a minus sign,
// U+2212), "±0". static/model/compare.js has the same rule; golden cases in compare.json.
func formatDelta(n int) string {
	switch {
	case n > 0:
		return "+" + strconv.Itoa(n)
	case n < 0:
		return "\u2212" + strconv.Itoa(-n)
	}
	return "\u00b10"
}

// compareOn reads the request's compare and, with one, gives the view its diff.
func (s *Server) compareOn(c echo.Context, v *mapView, m *data.Map, st data.State) error {
	from, err := compareParam(c, m)
	if err != nil || from == "" {
		return err
	}
	d, err := s.compare.Compare(c.Request().Context(), m, from, st.Date)
	if err != nil {
		return err
	}
	v.useCompare(m, st, d)
	return nil
}
