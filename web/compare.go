package web

import (
	"context"
	"encoding/json"
	"fmt"

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
		return "", data.Invalidf("compare %q: give a date in the form YYYY-MM-DD from %s to %s, the map's range (or none, for no comparison)", q, m.Start, m.End)
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
