package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

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
	// Shown is who holds the region on the date the reader came from (?date=), or on the
	// date the map opens at; InForce is the event behind it (0 for the map's initial holder).
	Shown   shownHolding
	InForce int64
	// CapitalOf links the regions a place is the capital of.
	CapitalOf []subjectLink
}

// shownHolding is a region's holder on one date, as the history page says it.
type shownHolding struct {
	Date, Since string // labels in the page's language
	DateISO     string
	Faction     data.Faction
	Claimed     bool
}

// subjectLink is a link to a region's or a place's page.
type subjectLink struct {
	Name, URL string
}

// historyStore is what a history page reads beyond the events: who holds the region at a
// date, and the map's regions and places, to find the one a loosely written link means.
type historyStore interface {
	subjectLister
	HoldingOf(ctx context.Context, m *data.Map, id, date string) (data.Holding, error)
}

// momentLabel writes a moment in UTC as the page's language writes a date, then the time.
func momentLabel(ctx context.Context, at time.Time) string {
	at = at.UTC()
	return dayLabel(ctx, at.Format(data.DateLayout)) + " " + locOf(ctx).Dates("").Number(at.Format("15:04")) + " UTC"
}

// dayLabel writes a YYYY-MM-DD date as the page's language writes a date.
func dayLabel(ctx context.Context, date string) string {
	return dateLabel(locOf(ctx).Dates(""), date)
}

// subjectLinksHTML is links to regions or places, comma-separated, as HTML for htmlWords.
func subjectLinksHTML(links []subjectLink) string {
	parts := make([]string, len(links))
	for i, l := range links {
		parts[i] = linkHTML(l.URL, l.Name)
	}
	return strings.Join(parts, ", ")
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
	if errors.Is(err, data.ErrNotFound) {
		return s.historyNotFound(c, m, id, false)
	}
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
	if errors.Is(err, data.ErrNotFound) {
		return s.historyNotFound(c, m, id, true)
	}
	if err != nil {
		return err
	}
	return s.showHistory(c, m, place)
}

// historyNotFound answers a history page asked for a region or place the map has not under
// that id on that path: links are typed by hand and copied from other sites, so one that
// names a region or place by its name, by its id in another letter case, or a place as a
// region, is sent to its page (the query kept), a region first under /regions/ and a place
// first under /places/; any other is a 404 that leads to the map and to the regions whose
// names are nearest.
func (s *Server) historyNotFound(c echo.Context, m *data.Map, id string, place bool) error {
	ctx := c.Request().Context()
	subs, err := subjectsOf(ctx, s.history, m.Slug)
	if err != nil {
		return err
	}
	x := subs.index()
	found, ok, _ := subs.indexOf(func(r data.Region) bool { return r.Place == place }).Resolve(id)
	if !ok {
		found, ok, _ = x.Resolve(id)
	}
	if ok {
		to := subs.historyURL(m.Slug, found)
		if q := c.Request().URL.RawQuery; q != "" {
			to += "?" + q
		}
		return c.Redirect(http.StatusFound, to)
	}
	nf := &notOnMapError{slug: m.Slug, id: shortID(id), title: m.Title}
	for _, near := range x.Suggest(id) {
		nf.near = append(nf.near, subjectLink{Name: subs.name(near), URL: subs.historyURL(m.Slug, near) + langQuery(ctx, "?")})
	}
	return nf
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
	shown := m.DefaultDate
	if d := c.QueryParam("date"); d != "" {
		date, err := m.ParseDate(d)
		if err != nil {
			return err
		}
		v.BackURL = mapURL(m.Slug) + "?date=" + date
		shown = date
	}
	// Who holds it on that date, by the one rule of the map (data.State's): the page
	// answers the question the reader clicked the region with before it lists the history.
	h, err := s.history.HoldingOf(ctx, m, id, shown)
	if err != nil {
		return err
	}
	v.Shown = shownHolding{Date: dayLabel(ctx, shown), DateISO: shown, Since: dayLabel(ctx, h.Since), Claimed: h.Claimed()}
	v.Shown.Faction, _ = m.Faction(h.Faction)
	if h.Event != nil {
		v.InForce = h.Event.ID
	}
	if region.Place {
		if v.CapitalOf, err = s.capitalOf(ctx, m.Slug, region.Name); err != nil {
			return err
		}
		for i := range v.CapitalOf {
			if c.QueryParam("date") != "" {
				v.CapitalOf[i].URL += "?date=" + shown
			}
		}
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

// sameName reports whether a and b name the same place as gazetteers write it: a region's
// capital (Pul-e Alam) and the place (Pul-e-Alam) may come from different sources, which
// differ in letter case, hyphens and spaces.
func sameName(a, b string) bool {
	norm := func(s string) string {
		return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return r == '-' || r == '‐' || unicode.IsSpace(r)
		}), " ")
	}
	return norm(a) == norm(b)
}

// shortID is an id from a link as a message quotes it: valid UTF-8, at most 60 characters.
func shortID(id string) string {
	id = strings.ToValidUTF8(id, "\uFFFD")
	if r := []rune(id); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return id
}

// capitalOf links the regions of map slug whose capital is named name.
func (s *Server) capitalOf(ctx context.Context, slug, name string) ([]subjectLink, error) {
	regions, err := s.history.Regions(ctx, slug)
	if err != nil {
		return nil, err
	}
	var out []subjectLink
	for _, r := range regions {
		if sameName(r.Capital, name) {
			out = append(out, subjectLink{Name: r.Name, URL: regionURL(slug, r.ID)})
		}
	}
	return out, nil
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
		if !sameName(p.Name, capital) {
			continue
		}
		if found != "" {
			return "", nil
		}
		found = placeURL(slug, p.ID)
	}
	return found, nil
}
