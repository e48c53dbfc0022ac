package geo

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"

	"github.com/fogleman/gg"
	"github.com/paulmach/orb"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// RenderPNG draws the scene as a PNG image, the same picture as RenderSVG, in pure Go.
func RenderPNG(w io.Writer, s Scene) error {
	c, err := layout(s)
	if err != nil {
		return fmt.Errorf("render PNG: %w", err)
	}
	img := rasterize(c)
	// Encoding costs more than drawing; the fastest level saves a fifth of the time for a
	// file about 5% larger, a fair trade for an image made on request.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(w, img); err != nil {
		return fmt.Errorf("render PNG: %w", err)
	}
	return nil
}

// rasterize draws a card.
func rasterize(c *card) *image.RGBA {
	dc := gg.NewContext(c.w, c.h)
	dc.SetColor(rgb(paper))
	dc.Clear()
	img := dc.Image().(*image.RGBA)

	// The map is drawn on its own canvas the size of the map panel, which clips it as the
	// SVG's clipPath does, and keeps gg on its fast path for solid fills (a gg clip mask
	// would send every fill through a per-pixel pattern painter).
	mapRect := image.Rect(int(c.mapBox.x), int(c.mapBox.y), int(math.Ceil(c.mapBox.x+c.mapBox.w)), int(math.Ceil(c.mapBox.y+c.mapBox.h)))
	m := gg.NewContext(mapRect.Dx(), mapRect.Dy())
	m.SetColor(rgb(mapGround))
	m.Clear()
	m.Translate(-float64(mapRect.Min.X), -float64(mapRect.Min.Y))
	m.SetLineJoinRound()
	m.SetFillRuleEvenOdd()
	hatches := make([]gg.Pattern, len(c.hatches))
	for i, h := range c.hatches {
		hatches[i] = newHatch(rgb(h), c.u, mapRect.Min)
	}

	// The context under everything, as in the SVG.
	if len(c.land) > 0 {
		addRings(m, c.land)
		m.SetColor(rgb(contextLand))
		m.Fill()
	}
	if len(c.lines) > 0 {
		for _, l := range c.lines {
			for k, pt := range l {
				if k == 0 {
					m.MoveTo(pt[0], pt[1])
				} else {
					m.LineTo(pt[0], pt[1])
				}
			}
			m.NewSubPath()
		}
		m.SetColor(rgb(contextLine))
		m.SetLineWidth(contextLineWidth * c.u)
		m.Stroke()
	}

	// The outline first, then each region's fill and white border, as in the SVG.
	// Each region is stroked on its own: one path of every ring would be stroked as a
	// single shape whose overlapping bands could cancel out under the winding rule.
	m.SetColor(rgb(haloColor))
	m.SetLineWidth(haloWidth * c.u)
	for _, r := range c.regions {
		addRings(m, r.rings)
		m.Stroke()
	}
	// The borders as opaque as the regions are large (card.borders): none on a map of
	// regions a few pixels across.
	paperColor := rgb(paper)
	border := gg.NewSolidPattern(color.NRGBA{paperColor.R, paperColor.G, paperColor.B, uint8(math.Round(255 * c.borders))})
	m.SetLineWidth(borderWidth * c.u)
	for _, r := range c.regions {
		if len(r.rings) == 0 {
			continue
		}
		addRings(m, r.rings)
		if r.hatch >= 0 {
			m.SetFillStyle(hatches[r.hatch])
		} else {
			m.SetColor(rgb(r.color))
		}
		if c.borders == 0 {
			m.Fill()
			continue
		}
		m.FillPreserve()
		m.SetStrokeStyle(border)
		m.Stroke()
	}
	for _, p := range c.places {
		m.DrawCircle(p.x, p.y, p.r)
		if p.claimed {
			m.SetColor(rgb(HatchGround))
			m.FillPreserve()
			m.SetColor(rgb(p.color))
			m.SetLineWidth(claimedPlaceStroke * c.u)
		} else {
			m.SetColor(rgb(p.color))
			m.FillPreserve()
			m.SetColor(rgb(paper))
			m.SetLineWidth(placeStroke * c.u)
		}
		m.Stroke()
	}
	draw.Draw(img, mapRect, m.Image(), image.Point{}, draw.Src)

	fillBox(dc, c.accent, rgb(ink))
	for _, r := range c.rules {
		fillBox(dc, r, rgb(ruleColor))
	}
	keyHatches := make(map[int]gg.Pattern)
	for _, sw := range c.swatches {
		if sw.hatch < 0 {
			fillBox(dc, sw.box, rgb(sw.color))
			continue
		}
		p, ok := keyHatches[sw.hatch]
		if !ok {
			p = newHatch(rgb(c.hatches[sw.hatch]), c.u, image.Point{})
			keyHatches[sw.hatch] = p
		}
		dc.DrawRectangle(sw.x, sw.y, sw.w, sw.h)
		dc.SetFillStyle(p)
		dc.Fill()
	}
	for _, t := range c.texts {
		drawText(img, t)
	}
	return img
}

// addRings adds rings to the current path of dc, each a closed subpath.
func addRings(dc *gg.Context, rings []orb.Ring) {
	for _, ring := range rings {
		for k, pt := range ring {
			if k == 0 {
				dc.MoveTo(pt[0], pt[1])
			} else {
				dc.LineTo(pt[0], pt[1])
			}
		}
		dc.ClosePath()
	}
}

func fillBox(dc *gg.Context, b box, c color.Color) {
	dc.DrawRectangle(b.x, b.y, b.w, b.h)
	dc.SetColor(c)
	dc.Fill()
}

// drawText draws a line of text with font.Drawer straight onto the image: gg's own
// DrawString resamples every glyph through an affine transform, which is slower and no
// sharper.
func drawText(img *image.RGBA, t textRun) {
	if t.shaped != nil {
		x := t.x
		if t.end {
			x -= t.shaped.width
		}
		t.shaped.draw(img, image.NewUniform(rgb(t.color)), x, t.y, t.size)
		return
	}
	x := t.x
	if t.end {
		x -= float64(font.MeasureString(t.face, t.text)) / 64
	}
	d := font.Drawer{
		Dst:  img,
		Src:  image.NewUniform(rgb(t.color)),
		Face: t.face,
		Dot:  fixed.Point26_6{X: fixed.Int26_6(math.Round(x * 64)), Y: fixed.Int26_6(math.Round(t.y * 64))},
	}
	d.DrawString(t.text)
}

// hatch is the fill of a claimed region: stripes of a colour over HatchGround, turned
// HatchAngle like the SVG pattern (rotate(a) there: a stripe where x·cos a + y·sin a, mod
// the period, is under the stripe's width).
type hatch struct {
	stripe, ground color.RGBA
	period, width  float64
	cos, sin       float64
	origin         image.Point // of the canvas in card pixels, so patterns line up with the SVG
	cache          []color.RGBA
}

// hatchLevels is how many shades of anti-aliasing a stripe edge gets.
const hatchLevels = 16

func newHatch(c color.RGBA, u float64, origin image.Point) *hatch {
	rad := HatchAngle * math.Pi / 180
	h := &hatch{stripe: c, ground: rgb(HatchGround), period: HatchPeriod * u, width: HatchStripe * u,
		cos: math.Cos(rad), sin: math.Sin(rad), origin: origin}
	h.cache = make([]color.RGBA, hatchLevels+1)
	for i := range h.cache {
		a := float64(i) / hatchLevels
		mix := func(s, g uint8) uint8 { return uint8(math.Round(float64(s)*a + float64(g)*(1-a))) }
		h.cache[i] = color.RGBA{mix(c.R, h.ground.R), mix(c.G, h.ground.G), mix(c.B, h.ground.B), 0xff}
	}
	return h
}

// ColorAt is the hatch at the centre of pixel (x, y), anti-aliased across stripe edges by
// the pixel's distance to them.
func (h *hatch) ColorAt(x, y int) color.Color {
	v := (float64(x+h.origin.X)+0.5)*h.cos + (float64(y+h.origin.Y)+0.5)*h.sin
	v = math.Mod(v, h.period)
	if v < 0 {
		v += h.period
	}
	// Signed distance to the stripe's nearer edge, positive inside.
	var d float64
	if v < h.width {
		d = min(v, h.width-v)
	} else {
		d = -min(v-h.width, h.period-v)
	}
	// A pixel spans |cos|+|sin| across the stripes (√2 at 45°): blend over that distance.
	span := math.Abs(h.cos) + math.Abs(h.sin)
	cover := math.Max(0, math.Min(1, d/span+0.5))
	return h.cache[int(math.Round(cover*hatchLevels))]
}
