package web

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// regionView is one region's history.
type regionView struct {
	Map    *data.Map
	MapURL string
	// BackURL is the map at the date the reader came from (?date=), or at its default.
	BackURL string
	Region  data.Region
	// CapitalURL is the history of the place that is the region's capital, "" when no one
	// place of the map has the capital's name.
	CapitalURL string
	Initial    data.Faction
	Events     []eventRow
	// Editor is set for a signed-in editor, who gets links to correct and retract.
	Editor *editorMeta
	// Notice confirms a retraction just made.
	Notice string
}

// momentLabel writes a moment in UTC as the page's language writes a date, then the time.
func momentLabel(ctx context.Context, at time.Time) string {
	at = at.UTC()
	return dateLabel(locOf(ctx).Dates(""), at.Format(data.DateLayout)) + " " + locOf(ctx).Dates("").Number(at.Format("15:04")) + " UTC"
}

// placeKind says what a place is, from its kind (capital, city, town, or any word).
func placeKind(ctx context.Context, kind string) string {
	if kind == "" {
		return t(ctx, "PlaceKindAny")
	}
	return tf(ctx, "PlaceKind", "kind", kind)
}

type eventRow struct {
	data.Event
	Faction    data.Faction
	Claimed    bool
	SourceHost string
	// Status explains a dead revision: who retracted or corrected it, when and why.
	Status string
}

// regionShow serves GET /maps/{slug}/regions/{id}: every event of the region, oldest first.
func (s *Server) regionShow(c echo.Context) error {
	ctx := c.Request().Context()
	m, err := s.pageMapParam(c)
	if err != nil {
		return err
	}
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	region, err := s.events.Region(ctx, m.Slug, id)
	if err != nil {
		return err
	}
	return s.showHistory(c, m, region)
}

// placeShow serves GET /maps/{slug}/places/{id}: a place's history, as a region's.
func (s *Server) placeShow(c echo.Context) error {
	m, err := s.pageMapParam(c)
	if err != nil {
		return err
	}
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	place, err := s.places.Place(c.Request().Context(), m.Slug, id)
	if err != nil {
		return err
	}
	return s.showHistory(c, m, place)
}

// showHistory renders the history page of a region or place.
func (s *Server) showHistory(c echo.Context, m *data.Map, region data.Region) error {
	ctx := c.Request().Context()
	id := region.ID
	events, err := s.events.RegionEvents(ctx, m.Slug, id)
	if err != nil {
		return err
	}
	v := regionView{Map: m, MapURL: mapURL(m.Slug), BackURL: mapURL(m.Slug), Region: region}
	// The map page and its popups link here with the date they show, so that "Back to the
	// map" returns the reader to it; a bad date is refused, as on the map page.
	if d := c.QueryParam("date"); d != "" {
		date, err := m.ParseDate(d)
		if err != nil {
			return err
		}
		v.BackURL = mapURL(m.Slug) + "?date=" + date
	}
	if region.Capital != "" && !region.Place {
		if v.CapitalURL, err = s.capitalURL(ctx, m.Slug, region.Capital); err != nil {
			return err
		}
		if v.CapitalURL != "" && c.QueryParam("date") != "" {
			v.CapitalURL += "?date=" + url.QueryEscape(c.QueryParam("date")) // checked above
		}
	}
	if u, ok := s.currentUser(c); ok {
		v.Editor = &editorMeta{Name: u.Name}
	}
	// The editor's redirect after retracting; like the map page's notice, it says only what
	// is stored, so a crafted link cannot put words on this site.
	if id, err := strconv.ParseInt(c.QueryParam("retracted"), 10, 64); err == nil {
		for _, e := range events {
			if e.ID == id && !e.RetractedAt.IsZero() {
				v.Notice = tf(ctx, "EventRetracted", "id", number64(ctx, id))
			}
		}
	}
	v.Initial, _ = m.Faction(m.Initial)
	byID := make(map[int64]data.Event, len(events))
	for _, e := range events {
		byID[e.ID] = e
	}
	for _, e := range events {
		f, _ := m.Faction(e.Faction)
		row := eventRow{Event: e, Faction: f, Claimed: e.Confidence == data.Claimed, SourceHost: e.Source}
		if u, err := url.Parse(e.Source); err == nil && u.Host != "" {
			row.SourceHost = u.Host
		}
		switch {
		case !e.RetractedAt.IsZero():
			row.Status = tf(ctx, "RetractedBy", "name", e.RetractedBy, "date", momentLabel(ctx, e.RetractedAt), "reason", e.RetractReason)
		case e.SupersededBy != 0:
			by := byID[e.SupersededBy]
			row.Status = tf(ctx, "CorrectedBy", "name", by.Author, "date", momentLabel(ctx, by.CreatedAt), "id", number64(ctx, by.ID))
		}
		v.Events = append(v.Events, row)
	}
	return render(c, 200, regionShowPage(v))
}

// capitalURL is the history page of the one place of map slug named capital, or "" when
// none or several are.
func (s *Server) capitalURL(ctx context.Context, slug, capital string) (string, error) {
	places, err := s.places.Places(ctx, slug)
	if err != nil {
		return "", err
	}
	found := ""
	for _, p := range places {
		if p.Name != capital {
			continue
		}
		if found != "" {
			return "", nil
		}
		found = placeURL(slug, p.ID)
	}
	return found, nil
}
