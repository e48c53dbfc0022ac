package geo

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"
)

// The inline map's scale bar: the interactive map's (Leaflet's scale control, set up in
// static/map/scale.js: bottom left, at most scaleBarMaxPx wide, kilometres over miles) drawn
// by the server, so that the map has its scale at first paint and without JavaScript, and a
// light map, which never loads Leaflet until the reader zooms, has one at all. It is drawn
// in the picture's own units, so it stays true whatever size the browser gives the picture.
const (
	scaleBarMaxPx    = 100
	scaleBarLineH    = 15 // a line's height in pixels: 11 px type at 1.3 and a pixel (Leaflet's 17: a phone's map is small)
	scaleBarMargin   = 2  // from the picture's edge (Leaflet's 10 px from the box's, which is 12 px out)
	scaleBarFontSize = 11
	// metresPerFoot and feetPerMile convert for the imperial line.
	metresPerFoot = 0.3048
	feetPerMile   = 5280
	// haversineRadius is the sphere Leaflet measures distances on (L.CRS.Earth.R), against
	// Web Mercator's 6,378,137 m: the bar says what Leaflet's says.
	haversineRadius = 6371000
)

// scaleLine is one line of a scale bar: what it says and how long it is, in pixels.
type scaleLine struct {
	label string
	px    float64
}

// scaleLines returns the metric and imperial lines of a scale bar for a map at metresPerPx
// ground metres a pixel, each the longest round distance (1, 2, 3 or 5 times a power of ten)
// that fits in maxPx.
func scaleLines(metresPerPx, maxPx float64) (metric, imperial scaleLine) {
	maxMetres := metresPerPx * maxPx
	m := roundDown125(maxMetres)
	metric = scaleLine{fmt.Sprintf("%g m", m), maxPx * m / maxMetres}
	if m >= 1000 {
		metric.label = fmt.Sprintf("%g km", m/1000)
	}
	maxFeet := maxMetres / metresPerFoot
	if maxFeet > feetPerMile {
		mi := roundDown125(maxFeet / feetPerMile)
		imperial = scaleLine{fmt.Sprintf("%g mi", mi), maxPx * mi / (maxFeet / feetPerMile)}
	} else {
		ft := roundDown125(maxFeet)
		imperial = scaleLine{fmt.Sprintf("%g ft", ft), maxPx * ft / maxFeet}
	}
	return metric, imperial
}

// roundDown125 is the largest of 1, 2, 3 and 5 times a power of ten that is at most v (v > 0).
func roundDown125(v float64) float64 {
	pow := math.Pow(10, math.Floor(math.Log10(v)))
	for _, d := range []float64{5, 3, 2} {
		if v >= d*pow {
			return d * pow
		}
	}
	return pow
}

// metresPerPx is the ground distance of a pixel of the view v across the middle of the
// picture c (at its centre's latitude, as Leaflet's scale measures it).
func (c *card) metresPerPx(v InlineView) float64 {
	midY := (c.fit.y0 - (c.mapBox.y + c.mapBox.h/2)) / c.fit.scale // Web Mercator metres
	lat := project.Mercator.ToWGS84(orb.Point{0, midY})[1]
	mercatorPerPx := 1 / (c.fit.scale * v.scale(c))
	return mercatorPerPx * math.Cos(lat*math.Pi/180) * haversineRadius / orb.EarthRadius // Web Mercator's sphere to Leaflet's
}

// inlineControls are the boxes, in the view's pixels, that the inline map's labels leave
// free: the live map's zoom buttons (map.css's .map-zoom: 10 px into the map box, which is
// 12 px outside the picture, 34 x 65 px; at the top left, or the top right on a page read
// right to left, and the picture is the same for every language, so both), a few pixels
// more for a phone's box a little narrower than the view, and the scale bar.
func inlineControls(c *card, v InlineView) [][4]float64 {
	w, h := c.mapBox.w*v.scale(c), c.mapBox.h*v.scale(c)
	const zoomW, zoomH = 36, 66
	return [][4]float64{{0, 0, zoomW, zoomH}, {w - zoomW, 0, w, zoomH}, scaleBarBox(c, v, h)}
}

// hasScale says whether the view of c has a scale to show: a distance a pixel that is a
// number above zero (not so of a picture with no extent).
func (c *card) hasScale(v InlineView) bool {
	m := c.metresPerPx(v)
	return m > 0 && !math.IsInf(m, 0)
}

// scaleBarBox is the box the scale bar takes in the view's pixels (h high).
func scaleBarBox(c *card, v InlineView, h float64) [4]float64 {
	if !c.hasScale(v) {
		return [4]float64{}
	}
	metric, imperial := scaleLines(c.metresPerPx(v), scaleBarMaxPx)
	return [4]float64{0, h - scaleBarMargin - 2*scaleBarLineH - 1, scaleBarMargin + max(metric.px, imperial.px) + 1, h} // and half a stroke
}

// inlineScaleBar writes the view's scale bar at the picture's bottom left: the metric line
// over the imperial one, each a box open to the other with its distance written in it, on a
// light ground (map.css's .leaflet-control-scale-line).
func (b *svgWriter) inlineScaleBar(c *card, v InlineView) {
	if !c.hasScale(v) {
		return
	}
	scale := v.scale(c)
	metric, imperial := scaleLines(c.metresPerPx(v), scaleBarMaxPx)
	u := func(px float64) float64 { return px / scale } // view pixels to the picture's units
	x := scaleBarMargin
	bottom := c.mapBox.h*scale - scaleBarMargin
	top := bottom - 2*scaleBarLineH
	b.WriteString(`<g class="map-inline-scale map-inline-scale-`)
	b.text(v.Name)
	// No fill of its own on the lines' paths: the page and its tests tell a region's fill by
	// a path's fill attribute.
	b.WriteString(`" fill="none" stroke="#777" font-family="system-ui, sans-serif" direction="ltr"`)
	b.numAttr("font-size", u(scaleBarFontSize))
	b.numAttr("stroke-width", u(2))
	b.WriteString(">\n")
	for i, l := range []scaleLine{metric, imperial} {
		y0 := top + float64(i)*scaleBarLineH
		b.WriteString(`<rect fill="#fff" fill-opacity="0.8" stroke="none"`)
		b.numAttr("x", u(float64(x)))
		b.numAttr("y", u(y0))
		b.numAttr("width", u(l.px))
		b.numAttr("height", u(scaleBarLineH))
		b.WriteString("/>\n")
		// The metric box is open at the top, the imperial one at the bottom: the two share
		// the line between them.
		yOpen, yShut := y0, y0+scaleBarLineH
		if i == 1 {
			yOpen, yShut = y0+scaleBarLineH, y0
		}
		b.WriteString(`<path d="M`)
		b.num(u(float64(x)))
		b.WriteByte(' ')
		b.num(u(yOpen))
		b.WriteString("V")
		b.num(u(yShut))
		b.WriteString("H")
		b.num(u(float64(x) + l.px))
		b.WriteString("V")
		b.num(u(yOpen))
		b.WriteString(`"/>` + "\n")
		b.WriteString(`<text fill="#333" stroke="none"`)
		b.numAttr("x", u(float64(x)+5))
		b.numAttr("y", u(y0+scaleBarLineH-3.5))
		b.WriteString(">")
		b.text(l.label)
		b.WriteString("</text>\n")
	}
	b.WriteString("</g>\n")
}
