package geo

import (
	"bytes"
	"fmt"
	"image"
	"math"
	"slices"
	"unicode"

	"github.com/go-text/typesetting/di"
	gotext "github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// Fonts are the fonts a raster picture draws Arabic script with (Arabic, Persian, Pashto):
// a font for it, regular and bold, such as the Vazirmatn the pages use, beside Go's fonts
// for the rest. A line holding Arabic script is shaped (joined letters, ligatures, marks)
// with go-text/typesetting's HarfBuzz port and its runs put in the order Unicode's bidi
// algorithm reads them; its glyphs' outlines are filled with x/image/vector. Parsed once,
// Fonts serve any number of renders at once: each render makes its own faces.
type Fonts struct {
	arabic, latin [2]*gotext.Font // regular, bold
}

// ParseFonts reads the regular and bold Arabic-script fonts (OpenType or WOFF).
func ParseFonts(regular, bold []byte) (*Fonts, error) {
	f := &Fonts{}
	for i, b := range [][]byte{regular, bold, goregular.TTF, gobold.TTF} {
		face, err := gotext.ParseTTF(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("parse font %d of the Arabic-script pictures: %w", i, err)
		}
		if i < 2 {
			f.arabic[i] = face.Font
		} else {
			f.latin[i-2] = face.Font
		}
	}
	return f, nil
}

// shaper shapes the lines of one render. Its faces and HarfBuzz's buffers are its own.
type shaper struct {
	// lang is the language the shaper is told, for the forms a font keeps for it.
	lang          language.Language
	arabic, latin [2]*gotext.Face
	hb            shaping.HarfbuzzShaper
	seg           shaping.Segmenter
}

func newShaper(f *Fonts, lang string) *shaper {
	s := &shaper{lang: language.NewLanguage(lang)}
	for i := range 2 {
		s.arabic[i], s.latin[i] = gotext.NewFace(f.arabic[i]), gotext.NewFace(f.latin[i])
	}
	return s
}

// needsShaping reports whether s holds Arabic script, which Go's fonts cannot draw.
func needsShaping(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Arabic, r) {
			return true
		}
	}
	return false
}

// fontmap gives each rune the face that draws it: Go's for what it has outside Arabic script
// (Latin words, spaces, ASCII digits), else the Arabic-script font (its letters, Persian
// digits, the Arabic comma, the zero-width non-joiner).
type fontmap struct{ arabic, latin *gotext.Face }

func (m fontmap) ResolveFace(r rune) *gotext.Face {
	if !unicode.Is(unicode.Arabic, r) {
		if _, ok := m.latin.NominalGlyph(r); ok {
			return m.latin
		}
	}
	if _, ok := m.arabic.NominalGlyph(r); ok {
		return m.arabic
	}
	return m.latin
}

// shapedLine is a line shaped, its runs and their glyphs in visual order, left to right.
type shapedLine struct {
	runs  []shaping.Output
	width float64 // pixels
}

// shape shapes s at size pixels: its paragraph direction that of its first strong letter
// (as the SVG's reader's browser decides), its runs split by script, direction (Unicode's
// bidi algorithm) and face by go-text's Segmenter, then put in visual order.
func (s *shaper) shape(text string, bold bool, size float64) shapedLine {
	b := 0
	if bold {
		b = 1
	}
	runes := []rune(text)
	dir := di.DirectionLTR
	if startsRTL(text) {
		dir = di.DirectionRTL
	}
	in := shaping.Input{Text: runes, RunEnd: len(runes), Direction: dir, Size: fixed.Int26_6(math.Round(size * 64)), Language: s.lang}
	var line shapedLine
	for _, run := range s.seg.Split(in, fontmap{s.arabic[b], s.latin[b]}) {
		out := s.hb.Shape(run)
		line.runs = append(line.runs, out)
		line.width += float64(out.Advance) / 64
	}
	line.runs = visualOrder(line.runs, dir)
	return line
}

// visualOrder puts runs, which the Segmenter gives in reading order, in the order they
// stand left to right: Unicode's rule L2 for a line of two levels, its own direction and
// the other one. In a right-to-left line everything is reversed but each stretch of
// left-to-right runs (a Latin name, a number), which reads in its own order; in a
// left-to-right line, each stretch of right-to-left runs is reversed. A right-to-left run's
// glyphs are in visual order already (HarfBuzz's).
func visualOrder(runs []shaping.Output, dir di.Direction) []shaping.Output {
	out := slices.Clone(runs)
	reverseStretches := func(rtl bool) {
		for i := 0; i < len(out); {
			j := i
			for j < len(out) && (out[j].Direction == di.DirectionRTL) == rtl {
				j++
			}
			slices.Reverse(out[i:j])
			i = max(j, i+1)
		}
	}
	if dir == di.DirectionRTL {
		slices.Reverse(out)
		reverseStretches(false)
	} else {
		reverseStretches(true)
	}
	return out
}

// draw fills the line's glyphs in colour src on img, the line's left end at x and its
// baseline at y.
func (l shapedLine) draw(img *image.RGBA, src image.Image, x, y, size float64) {
	// The box the glyphs may reach: Arabic script's marks and descenders go well past the
	// em; a box cut to the image.
	rect := image.Rect(int(math.Floor(x-size)), int(math.Floor(y-1.6*size)), int(math.Ceil(x+l.width+size)), int(math.Ceil(y+0.9*size)))
	rect = rect.Intersect(img.Bounds())
	if rect.Empty() {
		return
	}
	r := vector.NewRasterizer(rect.Dx(), rect.Dy())
	ox, oy := float32(x)-float32(rect.Min.X), float32(y)-float32(rect.Min.Y)
	pen := float32(0)
	for _, run := range l.runs {
		scale := float32(size) / float32(run.Face.Upem())
		for _, g := range run.Glyphs {
			outline, ok := run.Face.GlyphDataOutline(g.GlyphID)
			gx := ox + pen + float32(g.XOffset)/64
			gy := oy - float32(g.YOffset)/64
			pen += float32(g.Advance) / 64
			if !ok {
				continue
			}
			open := false
			for _, seg := range outline.Segments {
				p := func(i int) (float32, float32) {
					return gx + seg.Args[i].X*scale, gy - seg.Args[i].Y*scale
				}
				switch seg.Op {
				case ot.SegmentOpMoveTo:
					if open { // a contour ends where the next begins
						r.ClosePath()
					}
					open = true
					r.MoveTo(p(0))
				case ot.SegmentOpLineTo:
					r.LineTo(p(0))
				case ot.SegmentOpQuadTo:
					x1, y1 := p(0)
					x2, y2 := p(1)
					r.QuadTo(x1, y1, x2, y2)
				case ot.SegmentOpCubeTo:
					x1, y1 := p(0)
					x2, y2 := p(1)
					x3, y3 := p(2)
					r.CubeTo(x1, y1, x2, y2, x3, y3)
				}
			}
			if open {
				r.ClosePath()
			}
		}
	}
	r.Draw(img, rect, src, image.Point{})
}
