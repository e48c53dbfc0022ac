package web

import (
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/geo"
)

// mapView is everything the map page shows at one date.
type mapView struct {
	Map       *data.Map
	Date      string
	DateLabel string
	// DayIndex is the slider position of Date, counted in days from the map's start; Days
	// is the slider's last position.
	DayIndex, Days int
	Summary        string
	Legend         []legendItem
	Rows           []holdingRow
	// PlaceRows are the places' holdings, below the regions' in the table.
	PlaceRows []holdingRow
	PageURL   string
	// Links are the templates of the links that follow the date (see mapLinks); ShareURL,
	// EditURL, Downloads and Embed's pinned codes are them at Date.
	Links             mapLinks
	ShareURL, EditURL string
	Script            mapScript
	// Notice confirms an editor's change just recorded; Editor is set for a signed-in editor.
	Notice string
	Editor bool
	// Social is the page's social card; Embed the codes the embed dialog offers.
	Social    *socialMeta
	Embed     embedCodes
	Downloads downloadLinks
}

// downloadLinks are the state and pictures of the date shown.
type downloadLinks struct {
	GeoJSON, CSV, PNG, SVG string
}

// embedCodes are the snippets a newsroom pastes, pinned to the date shown or live.
type embedCodes struct {
	IframePinned, IframeLive, PymPinned, PymLive, PreviewURL string
}

type legendItem struct {
	data.Faction
	Count int
}

type holdingRow struct {
	ID, Name, URL string
	Faction       data.Faction
	Since         string
	Claimed       bool
	Source        string
}

// mapScript is the data the page hands to static/map.js, which then needs no request per
// slider step: it recomputes the state at any date from the events.
type mapScript struct {
	Slug     string         `json:"slug"`
	Title    string         `json:"title"`
	Start    string         `json:"start"`
	End      string         `json:"end"`
	Date     string         `json:"date"`
	Initial  string         `json:"initial"`
	Factions []data.Faction `json:"factions"`
	Regions  []scriptRegion `json:"regions"`
	// Places are drawn as markers from here (their events are among the regions'): a few
	// dozen, smaller inline than a request.
	Places    []scriptPlace `json:"places,omitempty"`
	PlaceBase string        `json:"placeBase,omitempty"`
	// Events are every live event, or nil when Timeline is the URL of the compact timeline
	// (a map with more than inlineEventsMax events).
	Events   []data.Event `json:"events,omitempty"`
	Timeline string       `json:"timeline,omitempty"`
	GeoJSON  string       `json:"geojson"`
	// Picture is who holds each region at Date, for static/picture.js to draw the map
	// before Leaflet starts; nil for maps drawn on a canvas.
	Picture    *scriptPicture `json:"picture,omitempty"`
	RegionBase string         `json:"regionBase"`
	// Links are the templates of the links that follow the slider (static/model/links.js
	// fills them); nil on pages with none, and in a static export, which has no server.
	Links  *scriptLinks `json:"links,omitempty"`
	Labels scriptLabels `json:"labels"`
	// Renderer is how the browser draws the regions: "svg", or "canvas" for a map of
	// canvasMinRegions or more (static/map/layer.js).
	Renderer string `json:"renderer"`
	// Hatch is how claimed holdings are drawn, geo's one definition (static/map/hatch.js).
	Hatch scriptHatch `json:"hatch"`
}

// scriptLinks are the URL templates of mapLinks. The embed codes, long and wanted only by
// the embed dialog, are templates on the dialog's own element instead.
type scriptLinks struct {
	Page    string `json:"page"`
	GeoJSON string `json:"geojson"`
	CSV     string `json:"csv"`
	PNG     string `json:"png"`
	SVG     string `json:"svg"`
	Embed   string `json:"embed"`
	Edit    string `json:"edit"`
}

// scriptLabels is the wording the script fills in, so that it is decided here.
type scriptLabels struct {
	// Summary is summaryTemplate, for static/model/summary.js.
	Summary string `json:"summary"`
}

// canvasMinRegions is where the browser's map changes from SVG to canvas: SVG keeps every
// region an element to restyle and rasterise, about 9 frames a second at 5,000 regions, and
// 54 to 60 up to 400 (docs/benchmarks.md). A map drawn on a canvas gets no first picture:
// the canvas is as quick to come.
const canvasMinRegions = 1000

// rendererFor is the renderer of a map of n regions.
func rendererFor(n int) string {
	if n >= canvasMinRegions {
		return "canvas"
	}
	return "svg"
}

// scriptHatch is geo's hatch of claimed holdings, in the page data.
type scriptHatch struct {
	Period float64 `json:"period"`
	Stripe float64 `json:"stripe"`
	Angle  float64 `json:"angle"`
	Ground string  `json:"ground"`
}

// pageHatch is geo's hatch, as the page data carries it.
func pageHatch() scriptHatch {
	return scriptHatch{Period: geo.HatchPeriod, Stripe: geo.HatchStripe, Angle: geo.HatchAngle, Ground: geo.HatchGround}
}

// scriptPicture is the state at the page's date, as static/picture.js draws it.
type scriptPicture struct {
	Holders map[string]string `json:"holders"` // region id -> faction id
	Claimed []string          `json:"claimed,omitempty"`
}

// scriptPlace is a place as the page's script draws it.
type scriptPlace struct {
	ID   string  `json:"id"`
	Name string  `json:"name"`
	Kind string  `json:"kind,omitempty"`
	Lon  float64 `json:"lon"`
	Lat  float64 `json:"lat"`
}

type scriptRegion struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// mapShow serves GET /maps/{slug}?date=D: the whole state at D, rendered on the server so
// that it reads without JavaScript.
func (s *Server) mapShow(c echo.Context) error {
	m, st, err := s.stateParam(c)
	if err != nil {
		return err
	}
	events, timelineURL, err := s.pageEvents(c.Request().Context(), m)
	if err != nil {
		return err
	}
	v := newMapView(m, st, events)
	v.Script.Timeline = timelineURL
	if v.Script.GeoJSON, err = s.regionsURL(c, m.Slug); err != nil {
		return err
	}
	_, v.Editor = s.currentUser(c)
	base := s.baseURL(c)
	theme := themeOf(c.Request().Context())
	v.useLinks(newMapLinks(base, m, theme))
	v.Social = &socialMeta{
		Title: m.Title + ", " + v.DateLabel, Description: v.Summary, URL: base + v.ShareURL,
		Image: base + v.Downloads.PNG, OEmbed: oembedDiscovery(base, v.ShareURL),
	}
	v.Embed.IframeLive, v.Embed.PymLive = iframeCode(base, m, themeQuery(theme, ""), embedWidth, embedHeight), pymCode(base, m, themeQuery(theme, ""))
	if v.Notice, err = s.recordedNotice(c.Request().Context(), m, func(id string) string { return regionNameOf(st, id) }, c.QueryParam("recorded")); err != nil {
		return err
	}
	return render(c, 200, mapShowPage(v))
}

func newMapView(m *data.Map, st data.State, events []data.Event) mapView {
	pageURL := mapURL(m.Slug)
	v := mapView{
		Map:       m,
		Date:      st.Date,
		DateLabel: dateLabel(st.Date),
		DayIndex:  daysBetween(m.Start, st.Date),
		Days:      daysBetween(m.Start, m.End),
		PageURL:   pageURL,
		Script: mapScript{
			Slug: m.Slug, Title: m.Title, Start: m.Start, End: m.End, Date: st.Date, Initial: m.Initial,
			Factions: m.Factions, Events: events,
			GeoJSON:    "/api/maps/" + url.PathEscape(m.Slug) + "/regions.geojson",
			RegionBase: pageURL + "/regions/",
			Labels:     scriptLabels{Summary: summaryTemplate},
			Renderer:   rendererFor(len(st.Holdings)),
			Hatch:      pageHatch(),
		},
	}
	counts := st.Counts(m)
	for _, f := range m.Factions {
		v.Legend = append(v.Legend, legendItem{Faction: f, Count: counts[f.ID]})
	}
	v.Summary = summary(v.Legend, len(st.Holdings), v.DateLabel)
	if v.Script.Renderer == "svg" {
		v.Script.Picture = &scriptPicture{Holders: make(map[string]string, len(st.Holdings))}
	}
	for _, h := range st.Holdings {
		if p := v.Script.Picture; p != nil {
			p.Holders[h.Region.ID] = h.Faction
			if h.Claimed() {
				p.Claimed = append(p.Claimed, h.Region.ID)
			}
		}
		f, _ := m.Faction(h.Faction)
		row := holdingRow{ID: h.Region.ID, Name: h.Region.Name, URL: regionURL(m.Slug, h.Region.ID),
			Faction: f, Since: h.Since, Claimed: h.Claimed()}
		if h.Event != nil {
			row.Source = h.Event.Source
		}
		v.Rows = append(v.Rows, row)
		v.Script.Regions = append(v.Script.Regions, scriptRegion{ID: h.Region.ID, Name: h.Region.Name})
	}
	for _, h := range st.Places {
		r := h.Region
		v.Script.Places = append(v.Script.Places, scriptPlace{ID: r.ID, Name: r.Name, Kind: r.Kind, Lon: r.Point[0], Lat: r.Point[1]})
		f, _ := m.Faction(h.Faction)
		row := holdingRow{ID: r.ID, Name: r.Name, URL: placeURL(m.Slug, r.ID), Faction: f, Since: h.Since, Claimed: h.Claimed()}
		if h.Event != nil {
			row.Source = h.Event.Source
		}
		v.PlaceRows = append(v.PlaceRows, row)
	}
	if len(st.Places) > 0 {
		v.Script.PlaceBase = pageURL + "/places/"
	}
	return v
}

// useLinks gives the view its links: the templates, which the script fills as the slider
// moves, and the same templates filled for the date the page shows.
func (v *mapView) useLinks(l mapLinks) {
	v.Links = l
	v.Script.Links = &scriptLinks{Page: l.Page, GeoJSON: l.GeoJSON, CSV: l.CSV, PNG: l.PNG, SVG: l.SVG, Embed: l.Embed, Edit: l.Edit}
	at := l.at(v.Date)
	v.ShareURL, v.EditURL = at.Page, at.Edit
	v.Downloads = downloadLinks{GeoJSON: at.GeoJSON, CSV: at.CSV, PNG: at.PNG, SVG: at.SVG}
	v.Embed.IframePinned, v.Embed.PymPinned, v.Embed.PreviewURL = at.IframePinned, at.PymPinned, at.Embed
}

// regionNameOf returns a region's name from a state, which lists every region.
func regionNameOf(st data.State, id string) string {
	for _, h := range st.Holdings {
		if h.Region.ID == id {
			return h.Region.Name
		}
	}
	return id
}

// summaryTemplate is the wording of the summary sentence, filled by summary here and, with
// the page data's labels.summary, by static/model/summary.js in the browser.
const summaryTemplate = "{faction}: {count} of {total} regions on {date}."

// summary says in one sentence who holds the most, "Taliban: 23 of 34 regions on 14 August
// 2021.": the faction holding the most regions, the first in display order (the legend's)
// on a tie. Golden cases: testdata/rules/summary.json.
func summary(legend []legendItem, total int, label string) string {
	if len(legend) == 0 {
		return ""
	}
	top := legend[0]
	for _, l := range legend[1:] {
		if l.Count > top.Count {
			top = l
		}
	}
	return fillTemplate(summaryTemplate, "faction", top.Name, "count", strconv.Itoa(top.Count),
		"total", strconv.Itoa(total), "date", label)
}

func mapURL(slug string) string { return "/maps/" + url.PathEscape(slug) }

func regionURL(slug, id string) string { return mapURL(slug) + "/regions/" + url.PathEscape(id) }

func placeURL(slug, id string) string { return mapURL(slug) + "/places/" + url.PathEscape(id) }

// formatDateLabel is the rule for the date readers see: "14 August 2021", in English. It is
// the one place to localise on the server; static/model/dates.js (formatDate) is its twin in
// the browser, and testdata/rules/dates.json holds both to the same output. Anything but a
// real YYYY-MM-DD date is refused.
func formatDateLabel(date string) (string, error) {
	if err := data.CheckDate(date); err != nil {
		return "", err
	}
	t, _ := time.Parse(data.DateLayout, date) // checked above
	return t.Format("2 January 2006"), nil
}

// dateLabel is formatDateLabel for a date already validated; anything else shows as it is.
func dateLabel(date string) string {
	label, err := formatDateLabel(date)
	if err != nil {
		return date
	}
	return label
}

// daysBetween counts whole days from a to b, both valid YYYY-MM-DD dates.
func daysBetween(a, b string) int {
	ta, _ := time.Parse(data.DateLayout, a)
	tb, _ := time.Parse(data.DateLayout, b)
	return int(tb.Sub(ta).Hours() / 24)
}

// swatchStyle colours a legend swatch; colours are #rrggbb, checked on import.
func swatchStyle(color string) string { return "background-color:" + color }
