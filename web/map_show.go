package web

import (
	"context"
	"iter"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/geo"
	"github.com/frontline-maps/frontline/web/i18n"
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
	// Changes is what changed on Date, listed beside the legend.
	Changes dayChanges
	PageURL string
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
	// InlineMap is the map at Date as an <svg> for the map box (inlineMap), shown before
	// any script and without one; nil where there is none.
	InlineMap []byte
	// MapAspect is the inline map's width over its height (mapCache.aspectOf), which sizes
	// the map box on a phone (reader.css); 0 leaves the box its default height.
	MapAspect float64
	// Chart is the chart of control over time (chart.go); nil without a series.
	Chart *chartView
	// Compare is the comparison asked for with ?compare=D0, nil without (compare.go).
	Compare *compareView
	// Early is the light map's early table and script (early_map.go), nil without.
	Early *earlyView
}

// downloadLinks are the state and pictures of the date shown.
type downloadLinks struct {
	GeoJSON, CSV, PNG, SVG, GIF string
}

// embedCodes are the snippets a newsroom pastes, pinned to the date shown or live.
type embedCodes struct {
	IframePinned, IframeLive, PymPinned, PymLive, PreviewURL string
}

type legendItem struct {
	data.Faction
	// Count is the regions the faction holds, Claimed those of them on a claim.
	Count, Claimed int
	// Delta is the change in Count since the comparison's date ("+2"), "" without one.
	Delta string
}

type holdingRow struct {
	ID, Name, URL string
	Faction       data.Faction
	Since         string
	Claimed       bool
	Source        string
}

// tableRowsPerGroup is how many rows of the regions' table share a <tbody>. A table of more
// rows than that is .grouped: each group is laid out and painted only near the viewport
// (reader.css: content-visibility: auto on the groups), so that a map of 5,000 regions has a few hundred rows rendered rather than all
// of them: Chromium renders content-visibility: auto boxes within 150% of the viewport's
// height, which at 1280×900 held the whole table, a single box 500 px below the fold, and
// its 76,000 layout objects cost every slider step 8 to 10 ms of style and layout and every
// rest of the slider some 250 ms of the main thread (2026-11-30 session 11).
const tableRowsPerGroup = 100

// mapBoxStyle hands the map's aspect to the style sheet (reader.css sizes the box on a phone
// by it); none without one, which leaves the box its default height.
func (v mapView) mapBoxStyle() string {
	if !(v.MapAspect > 0) {
		return ""
	}
	return "--map-aspect:" + strconv.FormatFloat(v.MapAspect, 'f', 4, 64)
}

// rowsStyle gives a group of n rows its count, for its height in reader.css until it has
// been laid out.
func rowsStyle(n int) string { return "--rows:" + strconv.Itoa(n) }

// RowGroups are the regions' rows in groups of tableRowsPerGroup, a <tbody> each.
func (v mapView) RowGroups() iter.Seq[[]holdingRow] {
	return slices.Chunk(v.Rows, tableRowsPerGroup)
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
	// Shapes, for the canvas layer's maps, is the URL of the regions projected for it
	// (GET /api/maps/{slug}/shapes, geo.ProjectedShapes), which the page reads rather than
	// GeoJSON; empty for the others and in a static export, which read GeoJSON.
	Shapes string `json:"shapes,omitempty"`
	// WrapCentre, for a map whose regions run across the antimeridian, is the centre of
	// their span of longitude (geo.SpanOf): the browser draws every longitude of the shapes,
	// the places and the land around within 180° of it (static/map/wrap.js), as the server's
	// pictures do (geo.Span.Lon), so the map is drawn whole. Absent for any other map.
	WrapCentre *float64 `json:"wrapCentre,omitempty"`
	// Context is the URL of the land around the map (static/map/context.js draws it under
	// the regions); empty for none.
	Context string `json:"context,omitempty"`
	// Tiles is the operator's tile URL template (--tiles), drawn under the context; empty
	// for none, the default: no third-party server is asked for anything.
	Tiles      string `json:"tiles,omitempty"`
	RegionBase string `json:"regionBase"`
	// Links are the templates of the links that follow the slider (static/model/links.js
	// fills them); nil on pages with none, and in a static export, which has no server.
	Links  *scriptLinks `json:"links,omitempty"`
	Labels scriptLabels `json:"labels"`
	// Renderer is how the browser draws the regions: "svg", or "canvas" for a map of
	// canvasMinRegions or more (static/map/layer.js).
	Renderer string `json:"renderer"`
	// Lite says that the page's inline map is its live map (static/map/live.js): an exact
	// picture (the SVG renderer's maps) and no tiles (useTiles). The page then loads Leaflet,
	// its style sheet and the shapes only when the reader zooms or pans, and names them in
	// <meta> tags rather than preloading them (static/map/start.js).
	Lite bool `json:"lite"`
	// Compare is the date the page compares the date shown with (?compare=D0), "" for none
	// (static/ui/compare.js).
	Compare string `json:"compare,omitempty"`
	// Hatch is how claimed holdings are drawn, geo's one definition (static/map/hatch.js).
	Hatch scriptHatch `json:"hatch"`
	// Series is what each faction held at every change date (GET /api/maps/{slug}/series),
	// for the chart and the summary; or SeriesURL, its address, for a map with many.
	Series    *apiSeriesBody `json:"series,omitempty"`
	SeriesURL string         `json:"seriesURL,omitempty"`
	// Changes is how the what-changed list follows the slider (static/ui/changes.js).
	Changes scriptChanges `json:"changes"`
}

// scriptChanges: the list shows at most Max events; URL, for a map whose events are not in
// the page, is the template of a day's events (GET /api/maps/{slug}/events?date=D).
type scriptChanges struct {
	Max int    `json:"max"`
	URL string `json:"url,omitempty"`
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

// scriptLabels is the wording the script fills in, so that it is decided here, in the
// page's language.
type scriptLabels struct {
	// Summary, SummaryClaims and SummarySince are the summary's templates (messages Summary,
	// SummaryClaims and SummarySince; see summary), for static/model/summary.js.
	Summary       string `json:"summary"`
	SummaryClaims string `json:"summaryClaims"`
	SummarySince  string `json:"summarySince"`
	// Dates is how the page's language writes a date (static/model/dates.js), with the
	// Solar Hijri date beside it on a map whose calendar is persian.
	Dates i18n.DateFormat `json:"dates"`
	// Words are the interface's words the script writes: play, pause, capital, claimed,
	// since, source, history, loading, the keyboard's toolbar, the zoom buttons, the popup's
	// close button and the map's failures.
	Words map[string]string `json:"words"`
	// Preview is the change form's preview's sentences (event_form.go), on that page alone.
	Preview *previewWords `json:"preview,omitempty"`
}

// scriptWords are the messages the script writes, by the name it knows them by.
var scriptWords = map[string]string{"play": "Play", "pause": "Pause", "capital": "Capital", "claimed": "ClaimedMark",
	"since": "SinceLower", "source": "Source", "history": "History", "loading": "Loading", "keys": "KeysLabel",
	"unreadable": "MapDataUnreadable", "noStart": "MapNoStart", "notLoaded": "MapNotLoaded", "noTimeline": "MapNoTimeline",
	"noShapes": "MapNoShapes", "to": "To", "zoomIn": "ZoomIn", "zoomOut": "ZoomOut", "closePopup": "ClosePopup",
	"dateNotReal": "DateNotReal", "dateOutside": "DateOutside"}

// newScriptLabels are the labels in loc's language for a map of calendar.
func newScriptLabels(loc *i18n.Localizer, calendar string) scriptLabels {
	l := scriptLabels{Summary: loc.T("Summary"), SummaryClaims: loc.T("SummaryClaims"), SummarySince: loc.T("SummarySince"),
		Dates: loc.Dates(calendar), Words: map[string]string{}}
	for name, id := range scriptWords {
		l.Words[name] = loc.T(id)
	}
	return l
}

// canvasMinRegions is where the browser's map changes from SVG to canvas: SVG keeps every
// region an element to restyle and rasterise, about 9 frames a second at 5,000 regions, and
// 54 to 60 up to 400 (docs/benchmarks.md). Either way the page inlines the map as SVG
// first (inlineMap), a coarser one for a large map.
const canvasMinRegions = 1000

// rendererFor is the renderer of a map of n regions.
// shapesPreload is the URL of the shapes for the page's head to preload: the projected
// shapes where the page reads them, else its GeoJSON; none on a light page (Lite), whose
// shapes come only with Leaflet.
func (v mapView) shapesPreload() string {
	if v.Script.Lite {
		return ""
	}
	if v.Script.Shapes != "" {
		return v.Script.Shapes
	}
	return v.Script.GeoJSON
}

// canvasModule is the module of the canvas layer (static/map/canvas-layer.js, under the
// assets' base) for the page's head to preload on a large map, which imports it at once
// (static/map/start.js): without it the module was asked for only once map.js had run,
// one round trip after the others. None on a light page or an SVG map.
func (v mapView) canvasModule() string {
	if v.Script.Lite || v.Script.Renderer != "canvas" {
		return ""
	}
	return "map/canvas-layer.js"
}

// useTiles draws the operator's tiles (--tiles) under the map: Leaflet's, at once, so the
// page is not light.
func (s *mapScript) useTiles(template string) {
	s.Tiles = template
	if template != "" {
		s.Lite = false
	}
}

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
	m = s.useMapLang(c, m)
	v := newMapView(locOf(c.Request().Context()), m, st, events)
	if err := s.compareOn(c, &v, m, st); err != nil {
		return err
	}
	v.Script.Timeline = timelineURL
	if err := s.useShapes(c, &v.Script, m.Slug); err != nil {
		return err
	}
	v.Script.useTiles(s.tiles)
	s.allowTiles(c)
	s.allowEarly(c)
	if err := s.listChanges(c.Request().Context(), &v, m, st); err != nil {
		return err
	}
	_, v.Editor = s.currentUser(c)
	base := s.baseURL(c)
	theme := themeOf(c.Request().Context())
	lang := langOf(c.Request().Context()).Asked
	v.useLinks(newMapLinks(base, m, lang, theme))
	v.Social = &socialMeta{
		Title: m.Title + ", " + v.DateLabel, Description: v.Summary, URL: base + v.ShareURL,
		Image: base + v.Downloads.PNG, OEmbed: oembedDiscovery(base, v.ShareURL),
	}
	if err := s.withSeries(c.Request().Context(), &v); err != nil {
		return err
	}
	v.Embed.IframeLive, v.Embed.PymLive = iframeCode(base, m, readerQuery(lang, theme, ""), embedWidth, embedHeight), pymCode(base, m, readerQuery(lang, theme, ""))
	if v.InlineMap, err = s.inlineMap(c.Request().Context(), m, st); err != nil {
		return err
	}
	if v.MapAspect, err = s.mapCache.aspectOf(c.Request().Context(), s.shapes, m.Slug); err != nil {
		return err
	}
	if v.Early, err = s.earlyMap(c.Request().Context(), &v, true); err != nil {
		return err
	}
	if v.Notice, err = s.recordedNotice(c.Request().Context(), m, func(id string) string { return regionNameOf(st, id) }, c.QueryParam("recorded")); err != nil {
		return err
	}
	return render(c, 200, mapShowPage(v))
}

// newMapView is the map at st's date, in loc's language; m's texts are already in it
// (localized).
func newMapView(loc *i18n.Localizer, m *data.Map, st data.State, events []data.Event) mapView {
	pageURL := mapURL(m.Slug)
	labels := newScriptLabels(loc, m.Calendar)
	v := mapView{
		Map:       m,
		Date:      st.Date,
		DateLabel: dateLabel(labels.Dates, st.Date),
		DayIndex:  daysBetween(m.Start, st.Date),
		Days:      daysBetween(m.Start, m.End),
		PageURL:   pageURL,
		Script: mapScript{
			Slug: m.Slug, Title: m.Title, Start: m.Start, End: m.End, Date: st.Date, Initial: m.Initial,
			Factions: m.Factions, Events: events,
			GeoJSON:    "/api/maps/" + url.PathEscape(m.Slug) + "/regions.geojson",
			Context:    "/api/maps/" + url.PathEscape(m.Slug) + "/context.geojson",
			RegionBase: pageURL + "/regions/",
			Labels:     labels,
			Renderer:   rendererFor(len(st.Holdings)),
			Lite:       rendererFor(len(st.Holdings)) == "svg",
			Hatch:      pageHatch(),
			Changes:    scriptChanges{Max: changesMax},
		},
	}
	counts := st.Counts(m)
	claimed := map[string]int{}
	for _, h := range st.Holdings {
		if h.Claimed() {
			claimed[h.Faction]++
		}
	}
	for _, f := range m.Factions {
		v.Legend = append(v.Legend, legendItem{Faction: f, Count: counts[f.ID], Claimed: claimed[f.ID]})
	}
	v.Summary = summary(labels, v.Legend, len(st.Holdings), v.DateLabel, nil)
	for _, h := range st.Holdings {
		f, _ := m.Faction(h.Faction)
		row := holdingRow{ID: h.Region.ID, Name: h.Region.Name, URL: regionURL(m.Slug, h.Region.ID) + "?date=" + st.Date,
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
		row := holdingRow{ID: r.ID, Name: r.Name, URL: placeURL(m.Slug, r.ID) + "?date=" + st.Date, Faction: f, Since: h.Since, Claimed: h.Claimed()}
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

// listChanges gives the view what changed on its date and, for a map whose events are not
// in the page, where the script asks for another day's.
func (s *Server) listChanges(ctx context.Context, v *mapView, m *data.Map, st data.State) error {
	var err error
	if v.Changes, err = s.changesOn(ctx, v.Script.Labels.Dates, m, st); err != nil {
		return err
	}
	if v.Script.Timeline != "" {
		v.Script.Changes.URL = "/api/maps/" + url.PathEscape(m.Slug) + "/events?date=" + datePlaceholder
	}
	return nil
}

// useLinks gives the view its links: the templates, which the script fills as the slider
// moves, and the same templates filled for the date the page shows.
func (v *mapView) useLinks(l mapLinks) {
	v.Links = l
	v.Script.Links = &scriptLinks{Page: l.Page, GeoJSON: l.GeoJSON, CSV: l.CSV, PNG: l.PNG, SVG: l.SVG, Embed: l.Embed, Edit: l.Edit}
	at := l.at(v.Date, v.CompareDate())
	v.ShareURL, v.EditURL = at.Page, at.Edit
	v.Downloads = downloadLinks{GeoJSON: at.GeoJSON, CSV: at.CSV, PNG: at.PNG, SVG: at.SVG, GIF: at.GIF}
	v.Embed.IframePinned, v.Embed.PymPinned, v.Embed.PreviewURL = at.IframePinned, at.PymPinned, at.Embed
}

// regionNameOf returns a region's or a place's name from a state, which lists every one.
func regionNameOf(st data.State, id string) string {
	for _, h := range slices.Concat(st.Holdings, st.Places) {
		if h.Region.ID == id {
			return h.Region.Name
		}
	}
	return id
}

// summaryBefore is what the factions held at the change date before the one in force
// (regions, claims included), and that date's label.
type summaryBefore struct {
	Counts map[string]int `json:"counts"`
	Label  string         `json:"label"`
}

// summary says in one sentence who holds the most, "Taliban: 21 of 34 regions confirmed, 23
// with claims, on 14 August 2021. +5 since 13 August 2021.", in the page's language (l's
// templates, the messages Summary, SummaryClaims when the leader holds some regions on a
// claim, and SummarySince appended for its change since before; the page data hands them
// to static/model/summary.js) with numbers in l.Dates's digits: the faction holding the
// most regions, claims included, the first in display order (the legend's) on a tie.
// Golden cases: testdata/rules/summary.json.
func summary(l scriptLabels, legend []legendItem, total int, label string, before *summaryBefore) string {
	if len(legend) == 0 {
		return ""
	}
	top := legend[0]
	for _, l := range legend[1:] {
		if l.Count > top.Count {
			top = l
		}
	}
	num := func(n int) string { return l.Dates.Number(strconv.Itoa(n)) }
	template := l.Summary
	if top.Claimed > 0 {
		template = l.SummaryClaims
	}
	text := fillTemplate(template, "faction", top.Name, "count", num(top.Count),
		"confirmed", num(top.Count-top.Claimed), "total", num(total), "date", label)
	if before == nil {
		return text
	}
	change := top.Count - before.Counts[top.ID]
	if change == 0 {
		return text
	}
	sign := "+"
	if change < 0 {
		sign = "-"
		change = -change
	}
	return text + " " + fillTemplate(l.SummarySince, "change", sign+num(change), "since", before.Label)
}

func mapURL(slug string) string { return "/maps/" + url.PathEscape(slug) }

func regionURL(slug, id string) string { return mapURL(slug) + "/regions/" + url.PathEscape(id) }

func placeURL(slug, id string) string { return mapURL(slug) + "/places/" + url.PathEscape(id) }

// formatDateLabel is the rule for the date readers see: "14 August 2021" in English, "۱۴
// اوت ۲۰۲۱" in Persian, with "(23 Asad 1400)" beside it on a map whose calendar is persian,
// as f (i18n.DateFormat, from CLDR) writes it. static/model/dates.js (formatDate) is its
// twin in the browser, handed the same f, and testdata/rules/dates.json holds both to the
// same output. Anything but a real YYYY-MM-DD date is refused.
func formatDateLabel(f i18n.DateFormat, date string) (string, error) {
	if err := data.CheckDate(date); err != nil {
		return "", err
	}
	t, _ := time.Parse(data.DateLayout, date) // checked above
	return f.Format(t)
}

// dateLabel is formatDateLabel for a date already validated; anything else shows as it is.
func dateLabel(f i18n.DateFormat, date string) string {
	label, err := formatDateLabel(f, date)
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
