package web

import (
	"context"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// inlineEventsMax is the most events a page carries inline, as JSON with their sources and
// notes; a map with more hands its script the compact timeline's URL instead (see
// data.CompactTimeline). 20,000 events are about 2.5 MB of JSON before gzip, about what the
// compact form of 400,000 events weighs.
const inlineEventsMax = 20_000

// timelineStore is what a page's script is handed of a map's events: inline, or the
// compact timeline.
type timelineStore interface {
	LiveEvents(ctx context.Context, slug string) (int, error)
	Events(ctx context.Context, slug string) ([]data.Event, error)
	CompactTimeline(ctx context.Context, m *data.Map) ([]byte, int64, error)
}

// apiTimeline serves GET /api/maps/{slug}/timeline: the map's live events in the compact
// binary form the map page reads. Pages link to it with ?v= naming its content: that URL
// never changes content, so browsers and caches keep it for good.
func (s *Server) apiTimeline(c echo.Context) error {
	m, err := s.mapParam(c)
	if err != nil {
		return err
	}
	b, err := s.compactTimeline(c.Request().Context(), m)
	if err != nil {
		return err
	}
	cache := cacheShort
	if c.QueryParam("v") == b.tag() {
		cache = cacheImmutable
	}
	return b.write(c, cache)
}

// compactTimeline returns the map's compact timeline at its current revision, encoded and
// gzipped once per revision. The revision is the one the state endpoint keeps (read again
// after a write here, at most 250 ms late after one elsewhere), not a query per request.
func (s *Server) compactTimeline(ctx context.Context, m *data.Map) (*body, error) {
	current, err := s.states.current(ctx, m.Slug)
	if err != nil {
		return nil, err
	}
	return s.compressed.get("timeline/"+m.Slug, strconv.FormatInt(current.revision, 10), func() (*body, error) {
		raw, _, err := s.timeline.CompactTimeline(ctx, m)
		if err != nil {
			return nil, err
		}
		return keptBody("application/octet-stream", raw), nil
	})
}

// pageEvents is what a page's script gets to compute the state at any date: every live
// event inline when there are few, else the URL of the compact timeline.
func (s *Server) pageEvents(ctx context.Context, m *data.Map) (events []data.Event, timelineURL string, err error) {
	n, err := s.timeline.LiveEvents(ctx, m.Slug)
	if err != nil {
		return nil, "", err
	}
	if n <= inlineEventsMax {
		events, err = s.timeline.Events(ctx, m.Slug)
		return events, "", err
	}
	b, err := s.compactTimeline(ctx, m)
	if err != nil {
		return nil, "", err
	}
	return nil, "/api/maps/" + url.PathEscape(m.Slug) + "/timeline?v=" + b.tag(), nil
}
