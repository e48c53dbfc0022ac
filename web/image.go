package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/geo"
	"github.com/frontline-maps/frontline/web/i18n"
)

// mapImage serves GET /maps/{slug}/{D}.svg and /maps/{slug}/{D}.png: the map at D drawn on
// the server, for social cards, readers without JavaScript, and print; and the animation of
// a period, /maps/{slug}/{D1}_{D2}.gif (image_gif.go).
func (s *Server) mapImage(c echo.Context) error {
	ctx := c.Request().Context()
	name := c.Param("image")
	date, ext, ok := strings.Cut(name, ".")
	// An empty date is not the default date here: the picture's name is its date.
	// A GIF is a period's animation, named D1_D2: a name without the underscore is no
	// picture this server draws, as a single date's GIF is not.
	if !ok || date == "" || (ext != "svg" && ext != "png" && ext != "gif") || (ext == "gif" && !strings.Contains(date, "_")) {
		return echo.ErrNotFound
	}
	m, err := s.mapParam(c)
	if err != nil {
		return err
	}
	if ext == "gif" {
		return s.mapAnimation(c, m, date)
	}
	if date, err = m.ParseDate(date); err != nil {
		return err
	}
	st, err := s.maps.State(ctx, m, date)
	if err != nil {
		return err
	}
	shapes, version, err := s.mapCache.shapesOf(ctx, s.shapes, m.Slug)
	if err != nil {
		return err
	}
	loc, shown, fonts := s.pictureLang(c, m, ext != "svg")
	scene := newScene(loc, shown, st, shapes)
	scene.Fonts = fonts
	if scene.Context, err = s.mapCache.contextOf(ctx, s.shapes, m.Slug); err != nil {
		return err
	}
	// What the picture shows decides its name in the cache, so an edit that changes the
	// state changes it, and an unchanged picture is never drawn twice.
	key := sceneKey(version, ext, scene)
	b, err := s.images.get(ctx, key, func() (*body, error) {
		raw, err := drawPicture(ext, scene)
		if err != nil {
			return nil, fmt.Errorf("draw %s of %q at %s: %w", ext, m.Slug, date, err)
		}
		if ext == "png" {
			return newBody("image/png", raw), nil // compressed already
		}
		return keptBody("image/svg+xml; charset=utf-8", raw), nil
	})
	if err != nil {
		return err
	}
	return b.write(c, cacheShort)
}

// drawPicture draws a scene as "png" or "svg".
func drawPicture(ext string, scene geo.Scene) ([]byte, error) {
	var buf bytes.Buffer
	render := geo.RenderPNG
	if ext == "svg" {
		render = geo.RenderSVG
	}
	if err := render(&buf, scene); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// pictureLang is the language of a picture of m, m in it, and the fonts that draw Arabic
// script in a raster picture (PNG, GIF; shaped, in geo) and measure it in both: the
// reader's language, but English for a raster picture in a language written in Arabic
// script when the fonts are not there (a binary built without `task assets`). The SVG's
// text the reader's browser shapes.
func (s *Server) pictureLang(c echo.Context, m *data.Map, raster bool) (*i18n.Localizer, *data.Map, *geo.Fonts) {
	shown := s.useMapLang(c, m)
	loc := locOf(c.Request().Context())
	fonts := s.fonts() // the SVG's lines are measured with them, and broken where they fit
	if raster && fonts == nil && i18n.RTL(loc.Lang()) {
		return s.catalog.For(i18n.Default), localized(m, i18n.Default), nil
	}
	return loc, shown, fonts
}

// pictureFonts reads the raster pictures' Arabic-script fonts from the browser assets: the
// Vazirmatn the pages use (its Arabic subset, regular and bold), as WOFF, which Go reads
// where it cannot read the pages' WOFF2; `task assets` copies both from npm.
func pictureFonts(assets fs.FS) (*geo.Fonts, error) {
	var b [2][]byte
	for i, weight := range []string{"400", "700"} {
		var err error
		if b[i], err = fs.ReadFile(assets, "vendor/vazirmatn/vazirmatn-arabic-"+weight+"-normal.woff"); err != nil {
			return nil, fmt.Errorf("read the pictures' Arabic-script font: %w", err)
		}
	}
	return geo.ParseFonts(b[0], b[1])
}

func newScene(loc *i18n.Localizer, m *data.Map, st data.State, shapes map[string]orb.Geometry) geo.Scene {
	v := newMapView(loc, m, st, nil)
	scene := geo.Scene{Title: m.Title, DateLabel: v.DateLabel, Summary: v.Summary, Attribution: m.Attribution,
		HatchWords: loc.T("ClaimedKey"), RTL: i18n.RTL(loc.Lang()), Lang: loc.Lang(),
		Count: func(n int) string { return v.Script.Labels.Dates.Number(strconv.Itoa(n)) }}
	for _, l := range v.Legend {
		scene.Legend = append(scene.Legend, geo.LegendEntry{Name: l.Name, Color: l.Color, Count: l.Count})
	}
	for _, h := range st.Holdings {
		f, _ := m.Faction(h.Faction)
		scene.Regions = append(scene.Regions, geo.SceneRegion{ID: h.Region.ID, Geometry: shapes[h.Region.ID], Color: f.Color, Claimed: h.Claimed()})
	}
	// In reverse of the file's order, so that the first (the largest cities) are on top.
	for i := len(st.Places) - 1; i >= 0; i-- {
		h := st.Places[i]
		f, _ := m.Faction(h.Faction)
		scene.Places = append(scene.Places, geo.ScenePlace{ID: h.Region.ID, Name: h.Region.Name, Point: orb.Point(h.Region.Point), Color: f.Color,
			Claimed: h.Claimed(), Capital: h.Region.Kind == "capital"})
	}
	return scene
}

// sceneKey names a picture by everything that changes how it looks.
func sceneKey(version, ext string, s geo.Scene) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%t\x00", version, ext, s.Title, s.DateLabel, s.Summary, s.Attribution, s.HatchWords, s.RTL)
	for _, l := range s.Legend {
		count := strconv.Itoa(l.Count)
		if s.Count != nil {
			count = s.Count(l.Count)
		}
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", l.Name, l.Color, count)
	}
	for _, r := range s.Regions {
		fmt.Fprintf(h, "%s\x00%s\x00%t\x00", r.ID, r.Color, r.Claimed)
	}
	for _, p := range s.Places {
		fmt.Fprintf(h, "place\x00%s\x00%s\x00%g\x00%g\x00%s\x00%t\x00%t\x00", p.ID, p.Name, p.Point[0], p.Point[1], p.Color, p.Claimed, p.Capital)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// imageCache keeps the most recently drawn pictures. Drawing a PNG costs tens of
// milliseconds, and a shared link makes many readers (and crawlers) ask for the same one at
// once: the first draws it, and those who ask while it is drawn wait for that drawing.
type imageCache struct {
	mu      sync.Mutex
	max     int
	items   map[string]*body
	order   []string // oldest first
	drawing map[string]*imageCall
	// drawn counts the pictures drawn, for the metrics and the tests.
	drawn atomic.Uint64
}

// imageCall is a picture being drawn; done closes when body and err are set.
type imageCall struct {
	done chan struct{}
	body *body
	err  error
}

func newImageCache(max int) *imageCache {
	return &imageCache{max: max, items: map[string]*body{}, drawing: map[string]*imageCall{}}
}

// get returns the cached picture for key, drawing it with draw when missing, once however
// many ask at the same time. A waiter whose request ends stops waiting; the drawing goes on
// for the others.
func (c *imageCache) get(ctx context.Context, key string, draw func() (*body, error)) (*body, error) {
	c.mu.Lock()
	if b, ok := c.items[key]; ok {
		c.mu.Unlock()
		return b, nil
	}
	if call := c.drawing[key]; call != nil {
		c.mu.Unlock()
		select {
		case <-call.done:
			return call.body, call.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	call := &imageCall{done: make(chan struct{})}
	c.drawing[key] = call
	c.mu.Unlock()

	c.drawn.Add(1)
	defer func() {
		// A drawing that panics must not leave its waiters waiting: they get an error, and
		// the panic goes on to recoverPanics.
		p := recover()
		if p != nil {
			call.body, call.err = nil, fmt.Errorf("draw picture %s: panic: %v", key[:12], p)
		}
		c.mu.Lock()
		delete(c.drawing, key)
		if call.err == nil {
			c.items[key] = call.body
			c.order = append(c.order, key)
			for len(c.order) > c.max {
				delete(c.items, c.order[0])
				c.order = c.order[1:]
			}
		}
		c.mu.Unlock()
		close(call.done)
		if p != nil {
			panic(p)
		}
	}()
	call.body, call.err = draw()
	return call.body, call.err
}

// shapeStore is what the pictures, the regions and the downloads read of a map's geometry.
type shapeStore interface {
	MapVersion(ctx context.Context, slug string) (string, error)
	RegionShapes(ctx context.Context, slug string) (map[string]orb.Geometry, error)
	RegionsGeoJSON(ctx context.Context, slug string) ([]byte, error)
	ContextGeoJSON(ctx context.Context, slug string) ([]byte, error)
}

// mapCache keeps what is derived from a map's geometry (parsed shapes, the served
// GeoJSON) until the map is imported again, which changes its version.
type mapCache struct {
	mu   sync.Mutex
	maps map[string]*mapEntry
}

// mapEntry is the derived data of one version of one map, each part made on first use.
type mapEntry struct {
	version string
	mu      sync.Mutex
	shapes  map[string]orb.Geometry
	// span is the regions' span of longitude (geo.SpanOf), made from shapes; nil until asked.
	span    *geo.Span
	geojson []byte
	// context is the land around the map, parsed for the pictures; contextRead says it
	// was read (a map without context has none).
	context     []geo.ContextShape
	contextRead bool
	// aspect is the inline map's width over its height (geo.InlineAspect); nil until asked.
	aspect *float64
}

// entry returns the cache entry of the map's current version.
func (c *mapCache) entry(ctx context.Context, store shapeStore, slug string) (*mapEntry, error) {
	version, err := store.MapVersion(ctx, slug)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.maps[slug]
	if e == nil || e.version != version {
		e = &mapEntry{version: version}
		c.maps[slug] = e
	}
	return e, nil
}

// shapesOf returns the parsed geometry of every region of the map, and the map's version.
func (c *mapCache) shapesOf(ctx context.Context, store shapeStore, slug string) (map[string]orb.Geometry, string, error) {
	e, err := c.entry(ctx, store, slug)
	if err != nil {
		return nil, "", err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.readShapes(ctx, store, slug); err != nil {
		return nil, "", err
	}
	return e.shapes, e.version, nil
}

// readShapes reads the map's shapes into e once; e.mu is held.
func (e *mapEntry) readShapes(ctx context.Context, store shapeStore, slug string) error {
	if e.shapes != nil {
		return nil
	}
	shapes, err := store.RegionShapes(ctx, slug)
	if err != nil {
		return err
	}
	e.shapes = shapes
	return nil
}

// spanOf returns the span of longitude of the map's regions (geo.SpanOf), which says how
// the browser draws a map that runs across the antimeridian (wrapCentre).
func (c *mapCache) spanOf(ctx context.Context, store shapeStore, slug string) (geo.Span, error) {
	e, err := c.entry(ctx, store, slug)
	if err != nil {
		return geo.Span{}, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.span == nil {
		// The span of this version's shapes, read under the same lock.
		if err := e.readShapes(ctx, store, slug); err != nil {
			return geo.Span{}, err
		}
		span := spanOfShapes(e.shapes)
		e.span = &span
	}
	return *e.span, nil
}

// spanOfShapes is the span of longitude of regions' shapes.
func spanOfShapes(shapes map[string]orb.Geometry) geo.Span {
	geoms := make([]orb.Geometry, 0, len(shapes))
	for _, g := range shapes {
		geoms = append(geoms, g)
	}
	return geo.SpanOf(geoms)
}

// wrapCentre is what the page data says of a span (mapScript.WrapCentre): its centre for a
// span across the antimeridian, nil for any other.
func wrapCentre(span geo.Span) *float64 {
	if !span.Crosses() {
		return nil
	}
	c := span.Centre()
	return &c
}

// geojsonOf returns the map's regions as served, rounded for display, and the map's version.
func (c *mapCache) geojsonOf(ctx context.Context, store shapeStore, slug string) ([]byte, string, error) {
	e, err := c.entry(ctx, store, slug)
	if err != nil {
		return nil, "", err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.geojson == nil {
		stored, err := store.RegionsGeoJSON(ctx, slug)
		if err != nil {
			return nil, "", err
		}
		if e.geojson, err = geo.RoundForDisplay(stored); err != nil {
			return nil, "", err
		}
	}
	return e.geojson, e.version, nil
}

// contextOf returns the land around the map (data's context, parsed), for the pictures.
func (c *mapCache) contextOf(ctx context.Context, store shapeStore, slug string) ([]geo.ContextShape, error) {
	e, err := c.entry(ctx, store, slug)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.contextRead {
		raw, err := store.ContextGeoJSON(ctx, slug)
		if err != nil {
			return nil, err
		}
		if e.context, err = geo.ParseContext(raw); err != nil {
			return nil, fmt.Errorf("context of %q: %w", slug, err)
		}
		e.contextRead = true
	}
	return e.context, nil
}

// aspectOf returns the width over the height of the map's inline picture (geo.InlineAspect),
// worked out once per version: 0 for a map without an extent.
func (c *mapCache) aspectOf(ctx context.Context, store shapeStore, slug string) (float64, error) {
	e, err := c.entry(ctx, store, slug)
	if err != nil {
		return 0, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.aspect == nil {
		if err := e.readShapes(ctx, store, slug); err != nil {
			return 0, err
		}
		regions := make([]geo.SceneRegion, 0, len(e.shapes))
		for id, g := range e.shapes {
			regions = append(regions, geo.SceneRegion{ID: id, Geometry: g})
		}
		a, err := geo.InlineAspect(regions)
		if err != nil {
			return 0, fmt.Errorf("map %q: %w", slug, err)
		}
		e.aspect = &a
	}
	return *e.aspect, nil
}

// versionTag turns a map version into a short token for URLs.
func versionTag(version string) string {
	sum := sha256.Sum256([]byte(version))
	return hex.EncodeToString(sum[:6])
}
