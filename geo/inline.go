package geo

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"
)

// Inline says how RenderInline draws a map inside a web page, where the browser scales it
// to the box it is given.
type Inline struct {
	// Side is the longer side of the SVG's viewBox, in its units. Path coordinates are
	// written in whole units, so Side decides the detail kept and the bytes.
	Side float64
	// Tolerance is the simplification, in units: detail smaller than this is dropped.
	Tolerance float64
	// Label names the map for assistive technology (aria-label).
	Label string
	// Coarse leaves out what costs most on a map of thousands of regions: the outline of the
	// whole area (a <use> a region) and the regions' ids, and draws the regions of one fill
	// as one path (a handful of elements rather than thousands).
	Coarse bool
	// Views are the sizes of box, in CSS pixels, that the places' labels are set for: a
	// group of labels each, as PlaceLabels keeps them at that size, in 12-pixel type. The
	// page's style sheet shows the group of the box it has (class map-inline-labels-NAME).
	// The first view's scale sizes the hatch's stripes too. None: no labels.
	Views []InlineView
	// Hatches are colours whose hatch the picture defines, first and in this order, whether
	// or not a claim shows it: a script that recolours the picture to another date (web's
	// early map) may then draw any of them as the picture would (InlineFill).
	Hatches []string
}

// InlineFill is how RenderInline fills a region of color, on a claim or not: the fill
// attribute, and for a claim the holder's colour (data-faction-color), which the live map
// reads (static/map/live.js). A claim's hatch is one of o.Hatches, and ok is false for a
// colour not among them.
func (o Inline) InlineFill(color string, claimed bool) (fill, factionColor string, ok bool) {
	if !claimed {
		return color, "", true
	}
	i := slices.Index(o.Hatches, color)
	if i < 0 {
		return "", "", false
	}
	return hatchFill(inlinePrefix, i), color, true
}

// InlineMarker is how RenderInline draws a place's marker: two discs, a line of no length
// with round caps each, Outer under Inner, their strokes' colours and widths in pixels.
type InlineMarker struct {
	Outer      string  `json:"outer"`
	OuterWidth float64 `json:"outerWidth"`
	Inner      string  `json:"inner"`
	InnerWidth float64 `json:"innerWidth"`
}

// InlineMarkerOf is the marker of a place held in color, on a claim or not, a capital or
// not: as static/map/places.js, a disc of the colour with a white edge 1.5 px wide, or for a
// claim a ring of the colour 2.5 px wide around the hatch's ground.
func InlineMarkerOf(color string, claimed, capital bool) InlineMarker {
	r := inlinePlaceRadius
	if capital {
		r = inlineCapitalRadius
	}
	outer, inner, edge := paper, color, 1.5
	if claimed {
		outer, inner, edge = color, HatchGround, 2.5
	}
	return InlineMarker{Outer: outer, Inner: inner, OuterWidth: 2*r + edge, InnerWidth: 2*r - edge}
}

// inlinePrefix starts the inline map's ids, apart from those of Leaflet's own SVG in the
// same page.
const inlinePrefix = "fp-"

// InlineView is a size of box the inline map's labels are set for.
type InlineView struct {
	Name          string
	Width, Height float64
}

// InlineFor is how a map of n regions is inlined: below 1,000 regions, 640 units across (a
// unit is about a pixel of a wide screen's map box: whole units are fine enough); from there
// a coarse picture, 400 units across, without the outline and the regions' ids, a path a
// fill, so that a map of thousands of regions stays a few tens of kilobytes rather than
// megabytes, and a few elements for the browser to lay out rather than thousands.
func InlineFor(n int, label string, views []InlineView) Inline {
	if n >= 1000 {
		return Inline{Side: 400, Tolerance: 0.5, Coarse: true, Label: label, Views: views}
	}
	return Inline{Side: 640, Tolerance: 0.7, Label: label, Views: views}
}

// scale is how many CSS pixels a unit spans in a box of the view's size: the regions fitted
// in it, as preserveAspectRatio "meet" does.
func (v InlineView) scale(c *card) float64 {
	return min(v.Width/c.mapBox.w, v.Height/c.mapBox.h)
}

// Inline map strokes and markers, in CSS pixels: the browser's (static/map/svg-layer.js,
// static/map/places.js), drawn with vector-effect="non-scaling-stroke" so that they keep
// their width whatever the box.
const (
	inlineOutline       = "#2b3137"
	inlineOutlineWidth  = 4
	inlineBorderWidth   = 1
	inlinePlaceRadius   = 4.5
	inlineCapitalRadius = 6
)

// RenderInline draws the scene's map, without the card's text column, as an <svg> element
// for a web page: the viewBox is the regions' Web Mercator bounds, as Leaflet projects them,
// and preserveAspectRatio centres them in the element, as Leaflet's fitBounds does in its
// box, so that the interactive map can replace the picture without a jump
// (static/map/view.js fits with the same padding the page's style sheet gives the <svg>).
func RenderInline(w io.Writer, s Scene, o Inline) error {
	c, err := layoutInline(s, o)
	if err != nil {
		return fmt.Errorf("render inline SVG: %w", err)
	}
	b := svgWriter{whole: true}
	b.Grow(2048 + 64*len(c.regions))
	b.writeInline(c, o)
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("render inline SVG: %w", err)
	}
	return nil
}

// layoutInline lays the scene's map out in a box whose longer side is o.Side units.
func layoutInline(s Scene, o Inline) (*card, error) {
	if !(o.Side >= 10 && o.Side <= maxImageSide) || !(o.Tolerance > 0) {
		return nil, fmt.Errorf("inline side %v, tolerance %v: want a side of 10 to %d units and a tolerance above 0", o.Side, o.Tolerance, maxImageSide)
	}
	for _, v := range o.Views {
		if !(v.Width > 0 && v.Height > 0) || v.Name == "" {
			return nil, fmt.Errorf("inline view %q of %vx%v: want a name and a size above 0", v.Name, v.Width, v.Height)
		}
	}
	rings, bound, span, err := projectRegions(s.Regions)
	if err != nil {
		return nil, err
	}
	w, h := o.Side, o.Side
	switch a := aspectOf(bound); {
	case a > 1:
		h = math.Max(1, o.Side/a)
	case a > 0:
		w = math.Max(1, o.Side*a)
	}
	c := &card{u: 1, mapBox: box{0, 0, w, h}}
	for _, color := range o.Hatches {
		c.hatchFor(color)
	}
	c.fit = newFit(bound, span, c.mapBox)
	toPixelsAt(rings, c.fit, o.Tolerance, 2*o.Tolerance)
	// Discs are drawn in pixels (non-scaling strokes), so the layout's radius is unused.
	if err := c.layoutMap(s, rings, 0); err != nil {
		return nil, err
	}
	return c, nil
}

// InlineAspect is the width over the height of the inline map's viewBox (RenderInline) for
// these regions: their Web Mercator bounds, as Leaflet fits them. The reader's page sizes its
// map box by it on a phone (static/reader.css), so that the box is as tall as the map needs.
// It is 0 for regions without an extent (none, or a single point).
func InlineAspect(regions []SceneRegion) (float64, error) {
	_, bound, _, err := projectRegions(regions)
	if err != nil {
		return 0, fmt.Errorf("inline map's aspect: %w", err)
	}
	return aspectOf(bound), nil
}

// aspectOf is a projected bound's width over its height, 0 when either is none.
func aspectOf(b orb.Bound) float64 {
	bw, bh := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	if !(bw > 0 && bh > 0) {
		return 0
	}
	return bw / bh
}

// writeInline writes the inline <svg>: hatches, regions, then places as discs of a
// non-scaling stroke (a zero-length line with round caps), so that a marker is as many
// pixels across as the browser's whatever the scale, then the labels that fit. Ids are in
// data-inline-* attributes, apart from the interactive map's data-region and data-place.
func (b *svgWriter) writeInline(c *card, o Inline) {
	const prefix = inlinePrefix
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="map-inline" data-testid="map-inline"`)
	b.WriteString(` viewBox="0 0 `)
	b.num(c.mapBox.w)
	b.WriteByte(' ')
	b.num(c.mapBox.h)
	b.WriteString(`" preserveAspectRatio="xMidYMid meet" role="img"`)
	b.attr("aria-label", o.Label)
	b.WriteString(">\n")
	if len(c.hatches) > 0 {
		b.WriteString("<defs>")
		// The browser's stripes are HatchPeriod pixels: as many in the first view's box.
		scale := 1.0
		if len(o.Views) > 0 {
			scale = o.Views[0].scale(c)
		}
		b.hatches(c, prefix, 1/scale)
		b.WriteString("</defs>\n")
	}
	const nonScaling = ` vector-effect="non-scaling-stroke"`
	b.WriteString(`<g fill-rule="evenodd" stroke-linejoin="round">` + "\n")
	b.context(c, nonScaling)
	if o.Coarse {
		// No borders: at thousands of regions a region is a few pixels across, and white
		// 1-pixel borders covered most of each (the east of the 3,230 US counties read as
		// white), while stroking every ring was three quarters of the browser's work to
		// rasterise the picture (docs/benchmarks.md, session 12). The faction areas show by
		// their colours; the interactive map draws the regions' borders.
		b.regions(c, prefix, regionLines{idAttr: "-", byFill: true})
	} else {
		b.inlineRegions(c, prefix, nonScaling)
	}
	b.WriteString("</g>\n")
	if len(c.places) > 0 {
		b.WriteString(`<g class="map-inline-places" fill="none" stroke-linecap="round"` + nonScaling + ">\n")
		for _, p := range c.places {
			m := InlineMarkerOf(p.color, p.claimed, p.capital)
			b.dot(p, m.Outer, m.OuterWidth)
			b.dot(p, m.Inner, m.InnerWidth)
		}
		b.WriteString("</g>\n")
	}
	for _, v := range o.Views {
		b.inlineLabels(c, v)
		b.inlineScaleBar(c, v)
	}
	b.WriteString("</svg>")
}

// inlineRegions writes the regions as three groups: the outline of the whole area under the
// fills, the fills without a stroke, and the borders over them, the outline and the borders
// each drawn by one element that holds every region's rings (the outline a <use> of the
// borders' path). A slider step of the live map (static/map/live.js) changes fills alone:
// with the strokes on the fills, as the card's regions draw them, every stroke crossing a
// changed fill's box was rasterised again, most of a frame's rasterising (the 395-county
// bench map: docs/benchmarks.md), and a <use> of a region's path was rebuilt with its fill.
// What a reader sees is the same: a border between two regions was the later one's stroke
// over both fills, and the outline's outer half showed around them. The fills keep their ids
// (prefix+"r"+n) for the live map's emphasis, drawn over the borders by a <use> of the fill.
func (b *svgWriter) inlineRegions(c *card, prefix, extra string) {
	b.WriteString(`<g class="map-inline-outline" fill="none"`)
	b.attr("stroke", inlineOutline)
	b.numAttr("stroke-width", inlineOutlineWidth)
	b.WriteString(extra)
	fmt.Fprintf(b, `><use href="#%slines"/></g>`+"\n", prefix)
	b.WriteString(`<g class="map-inline-fills">` + "\n")
	for i, r := range c.regions {
		fmt.Fprintf(b, `<path id="%sr%d"`, prefix, i)
		b.attr("data-inline-region", r.id)
		b.fill(prefix, r.color, r.hatch)
		b.WriteString(` d="`)
		b.path(r.rings)
		b.WriteString("\"/>\n")
	}
	b.WriteString("</g>\n")
	b.WriteString(`<g class="map-inline-borders" fill="none"`)
	b.attr("stroke", paper)
	b.numAttr("stroke-width", inlineBorderWidth)
	b.WriteString(extra)
	fmt.Fprintf(b, `><path id="%slines" d="`, prefix)
	for _, r := range c.regions {
		b.path(r.rings)
	}
	b.WriteString("\"/></g>\n")
}

// dot writes a disc diameter pixels across at the place.
func (b *svgWriter) dot(p cardPlace, color string, diameter float64) {
	b.WriteString("<path")
	b.attr("data-inline-place", p.id)
	b.attr("stroke", color)
	b.numAttr("stroke-width", diameter)
	b.WriteString(` d="M`)
	b.num(p.x)
	b.WriteByte(' ')
	b.num(p.y)
	b.WriteString(`h0"/>`)
	b.WriteByte('\n')
}

// inlineLabelWidthOver is how much wider than Go Bold a browser may set a name in the inline
// map's type (12 px, semi-bold, system-ui): Debian's DejaVu Sans, as wide as any, sets the
// built-in map's names up to a fifth wider (Herat 37.1 px against 30.7, Maymana 62.6 against
// 54.7); phones' Roboto and San Francisco are narrower. Any wider, and names that fit at 375
// pixels (Asadabad, Lashkar Gah) would be left out.
const inlineLabelWidthOver = 1.22

// inlineLabelWidth is the width PlaceLabels gives a name of the inline map: the name set in
// Go Bold, widened to the widest browser's, and the 4 pixels the text stands further from
// its marker than the label's box begins (inlineLabels) and a pixel of air; the browser's
// estimate (zero) without a typesetter.
func inlineLabelWidth(ts *typesetter, name string) float64 {
	if ts == nil {
		return 0
	}
	return math.Ceil(ts.width(strings.TrimSpace(name), true, labelFontSize)*inlineLabelWidthOver) + 5
}

// inlineLabels writes the names of the places PlaceLabels keeps in a box of the view's size.
func (b *svgWriter) inlineLabels(c *card, v InlineView) {
	scale := v.scale(c)
	// The names' widths as set: the browser's estimate (LabelCandidate.W zero) is for its own
	// labels, which it then measures, while these are never measured again; under it,
	// Herat's and Maidan Shahr's names touched at 375 pixels.
	ts, err := newTypesetter(1, nil, "")
	if err != nil {
		ts = nil // the estimate, then; the fonts are compiled in, so this does not happen
	}
	candidates := make([]LabelCandidate, 0, len(c.places))
	// c.places is in drawing order, the most important last; labels go the other way.
	for i := len(c.places) - 1; i >= 0; i-- {
		p := c.places[i]
		if p.name == "" {
			continue
		}
		r := inlinePlaceRadius
		if p.capital {
			r = inlineCapitalRadius
		}
		candidates = append(candidates, LabelCandidate{ID: p.id, Text: p.name, X: p.x * scale, Y: p.y * scale, R: r, W: inlineLabelWidth(ts, p.name)})
	}
	shown := PlaceLabels(candidates, c.mapBox.w*scale, c.mapBox.h*scale, false, inlineControls(c, v)...)
	if len(shown) == 0 {
		return
	}
	b.WriteString(`<g class="map-inline-labels map-inline-labels-`)
	b.text(v.Name)
	b.WriteString(`" font-family="system-ui, sans-serif" font-weight="600" fill="#15191d" stroke="#ffffff" stroke-opacity="0.8" stroke-linejoin="round" paint-order="stroke"`)
	b.numAttr("font-size", labelFontSize/scale)
	b.numAttr("stroke-width", 3/scale)
	// Left to right unless a name's own script reads the other way: the page around may be
	// right to left (dir="rtl"), whose direction the <text> would inherit, putting a Latin
	// name that starts at the marker's right on its left, over the marker and its neighbours.
	b.WriteString(` direction="ltr" dominant-baseline="central">` + "\n")
	for _, cand := range candidates {
		side, ok := shown[cand.ID]
		if !ok {
			continue
		}
		// As the browser's tooltip: 4 pixels from the marker's edge, and 3 of padding.
		x := (cand.X + cand.R + 6) / scale
		anchor := ""
		if side == "left" {
			x = (cand.X - cand.R - 6) / scale
			anchor = ` text-anchor="end"`
		}
		// A name in a right-to-left script: its start is its right edge, so the anchors swap.
		if startsRTL(cand.Text) {
			anchor = ` direction="rtl" text-anchor="end"`
			if side == "left" {
				anchor = ` direction="rtl"`
			}
		}
		b.WriteString("<text")
		b.attr("data-inline-label", cand.ID)
		b.numAttr("x", x)
		b.numAttr("y", cand.Y/scale)
		b.WriteString(anchor)
		b.WriteString(">")
		b.text(strings.TrimSpace(cand.Text))
		b.WriteString("</text>\n")
	}
	b.WriteString("</g>\n")
}
