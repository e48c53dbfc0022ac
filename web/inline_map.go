package web

import (
	"bytes"
	"context"
	"fmt"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/geo"
	"github.com/frontline-maps/frontline/web/i18n"
)

// inlineMap is the map at the state's date as an <svg> element for the page's map box
// (geo.RenderInline): what the reader sees at first paint and without JavaScript, until
// static/map.js has Leaflet paint the same view and takes it away. A map of
// canvasMinRegions or more gets a coarser picture (geo.InlineFor). The SVG is kept per map
// version and state, as the pictures are, so a page asked for again is not drawn again.
func (s *Server) inlineMap(ctx context.Context, m *data.Map, st data.State) ([]byte, error) {
	shapes, version, err := s.mapCache.shapesOf(ctx, s.shapes, m.Slug)
	if err != nil {
		return nil, err
	}
	loc := locOf(ctx)
	scene := newScene(loc, m, st, shapes)
	if scene.Context, err = s.mapCache.contextOf(ctx, s.shapes, m.Slug); err != nil {
		return nil, err
	}
	key := sceneKey(version, "inline-"+loc.Lang()+"-"+m.Calendar, scene)
	b, err := s.inlines.get(ctx, key, func() (*body, error) {
		raw, err := drawInline(loc, m, st.Date, scene)
		if err != nil {
			return nil, err
		}
		return newBody("image/svg+xml", raw), nil
	})
	if err != nil {
		return nil, err
	}
	return b.raw, nil
}

// inlineViews are the boxes the inline map's labels are set for, less the padding of
// Leaflet's fit (map.css shows one group by the viewport's width): a phone's map box and a
// wide screen's.
var inlineViews = []geo.InlineView{{Name: "narrow", Width: 330, Height: 380}, {Name: "wide", Width: 760, Height: 460}}

// drawInline draws the scene of m at date as the page's inline map.
func drawInline(loc *i18n.Localizer, m *data.Map, date string, scene geo.Scene) ([]byte, error) {
	var buf bytes.Buffer
	opts := geo.InlineFor(len(scene.Regions), fillTemplate(loc.T("MapOf"), "title", m.Title)+", "+dateLabel(loc.Dates(m.Calendar), date), inlineViews)
	if !opts.Coarse {
		// Every faction's hatch, whatever this date claims: the early script (earlyTable)
		// recolours the picture to any date as it is drawn here.
		opts.Hatches = inlineHatches(m)
	}
	if err := geo.RenderInline(&buf, scene, opts); err != nil {
		return nil, fmt.Errorf("draw the inline map of %q at %s: %w", m.Slug, date, err)
	}
	return buf.Bytes(), nil
}
