package geo

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
)

// Scene is everything drawn on a static map image.
type Scene struct {
	// Width and Height are the image size in pixels; zero means 1200x630, a social card.
	Width, Height int
	// Title is the map's title, such as "Afghanistan: the Taliban offensive, 2021".
	Title string
	// DateLabel is the date shown large, such as "14 August 2021".
	DateLabel string
	// Summary is one sentence under the legend, such as "Taliban: 23 of 34 regions on 14 August 2021."
	Summary string
	// Attribution is the credit line, drawn small at the bottom, wrapped and cut with an
	// ellipsis when long.
	Attribution string
	// Regions are drawn in this order.
	Regions []SceneRegion
	// Legend lists the factions in display order.
	Legend []LegendEntry
	// Places are drawn over the regions, in this order (the last on top).
	Places []ScenePlace
	// Context is the land around the map (ClipContext), drawn quietly under the regions:
	// its land filled light grey, its borders and coasts thin. It does not move the frame,
	// which fits the regions.
	Context []ContextShape
	// HatchWords is the key to hatching in the scene's language; "" is English's.
	HatchWords string
	// Count writes a legend's count in the scene's digits; nil writes ASCII ones.
	Count func(int) string
	// RTL marks text written right to left (Arabic, Persian, Pashto): the SVG sets each
	// line's direction, so a reader's browser orders its words, and keeps the card's layout
	// (a line's start at the left, the counts flush right).
	RTL bool
	// Fonts draw Arabic script in the PNG (and measure it for both pictures); nil, a raster
	// picture has no Arabic-script text to draw.
	Fonts *Fonts
	// Lang is the scene's language (en, fa, …), which the shaper is told.
	Lang string
}

// ScenePlace is one place on a static map image: a disc of the holder's colour, or for a
// claim a ring of it around the hatch's ground (a disc is too small for stripes).
type ScenePlace struct {
	ID string
	// Name is the place's label on an inline map (RenderInline); the card has none.
	Name string
	// Point is in WGS84 [lon, lat].
	Point   orb.Point
	Color   string
	Claimed bool
	// Capital draws the disc larger.
	Capital bool
}

// SceneRegion is one region on a static map image and how it is filled.
type SceneRegion struct {
	ID string
	// Geometry is an orb.Polygon or orb.MultiPolygon in WGS84 [lon, lat]. A map whose regions
	// run across the antimeridian is drawn in one piece (see projectRegions).
	Geometry orb.Geometry
	// Color is the holder's colour, "#rrggbb".
	Color string
	// Claimed draws the region hatched, stripes of Color over a light ground, for a hold
	// that rests on an unconfirmed claim.
	Claimed bool
}

// LegendEntry is one faction in the legend of a static map image.
type LegendEntry struct {
	Name, Color string
	Count       int
}

// Card geometry, in design units: pixels of a 1200x630 card. Other sizes scale them by the
// largest factor that fits, so a 2400x1260 card is the same card at twice the resolution.
const (
	cardWidth, cardHeight = 1200, 630
	maxImageSide          = 8192

	columnWidth  = 360 // the text column on the right
	columnGap    = 40  // between the map panel and the column
	columnMargin = 40  // right and top of the column
	mapInset     = 32  // around the regions inside the map panel
	bottomMargin = 34

	haloWidth   = 2.5 // the grey outline of the whole area, half of it outside
	borderWidth = 0.8 // the white line between regions
)

// The hatch of a claimed holding: the one definition every picture of a map draws from. The
// cards here (SVG and PNG) use it in design units; web hands it to the browser in the page
// data, whose SVG pattern, canvas pattern and first picture are made from it
// (static/map/hatch.js), and sets it as custom properties for the style sheet's swatches.
// Stripes of the holder's colour HatchStripe wide, one every HatchPeriod, turned HatchAngle
// degrees clockwise from vertical ("/" at 45), on HatchGround.
const (
	HatchPeriod = 8.0
	HatchStripe = 4.0
	HatchAngle  = 45.0
	HatchGround = "#f6f5f1"
	// HatchKey is the stripes' colour in a legend's key to hatching, whatever the faction.
	HatchKey = "#7b838c"
)

// Colours of the card, chosen to sit quietly behind any faction palette.
const (
	paper     = "#ffffff"
	mapGround = "#edeff2"
	ink       = "#15191e"
	inkSoft   = "#343b42"
	inkMuted  = "#697079"
	ruleColor = "#d6dadf"
	haloColor = "#a3aab2"
	// The context: land lighter than the map's ground (the sea), its lines lighter than
	// the regions' outline, so that it reads as background.
	contextLand = "#f7f7f4"
	contextLine = "#bfc5cb"
)

// contextLineWidth is the context's borders and coasts, in design units.
const contextLineWidth = 0.6

// fontFamily is for SVG viewers. Lines are broken by the widths of the Go fonts the PNG
// uses; Helvetica and Arial set a little narrower, so those lines still fit. (A viewer
// with none of these may pick a wider sans-serif.)
const fontFamily = "Go, 'Helvetica Neue', Helvetica, Arial, sans-serif"

// fontFamilyRTL is the SVG's fonts in a language written in Arabic script: the pages'
// Vazirmatn where the reader has it, then fonts that carry the script on common systems;
// a browser takes each glyph from the first font that has it, so Latin stays Go's.
const fontFamilyRTL = "Go, Vazirmatn, 'Noto Sans Arabic', Tahoma, 'Helvetica Neue', Helvetica, Arial, sans-serif"

// card is a Scene laid out: every shape and line of text in pixels, shared by the SVG and
// PNG renderers so that they draw the same picture.
type card struct {
	w, h    int
	u       float64 // pixels per design unit
	mapBox  box
	fit     fit
	regions []cardRegion
	places  []cardPlace
	// land and lines are the context, in pixels: rings to fill, lines to stroke.
	land     []orb.Ring
	lines    []orb.LineString
	hatches  []string // colour of each hatch pattern, by index
	texts    []textRun
	swatches []swatch
	rules    []box
	accent   box
	// borders is the opacity of the white borders between regions (BordersOpacity of the
	// regions' typical size in pixels): 0 draws none.
	borders float64
}

type cardRegion struct {
	id    string
	rings []orb.Ring // pixels
	color string
	hatch int // index into card.hatches, or -1 for a solid fill
}

// cardPlace is a place's disc, in pixels.
type cardPlace struct {
	id, name string
	x, y, r  float64
	color    string
	claimed  bool
	capital  bool
}

// Place discs, in design units: radius by kind, and the ring's width.
const (
	placeRadius        = 3.5
	capitalRadius      = 4.5
	placeStroke        = 1.2
	claimedPlaceStroke = 1.8
)

// textRun is one line of text.
type textRun struct {
	x, y  float64 // start of the baseline; its end when end is set
	end   bool
	size  float64
	bold  bool
	color string
	text  string
	face  font.Face
	// shaped is the line shaped, for text in Arabic script; nil for text Go's fonts draw.
	shaped *shapedLine
}

type swatch struct {
	box
	color string
	hatch int
}

// layout lays a scene out on a card.
func layout(s Scene) (*card, error) {
	w, h := s.Width, s.Height
	if w == 0 && h == 0 {
		w, h = cardWidth, cardHeight
	}
	if w < 100 || h < 50 || w > maxImageSide || h > maxImageSide {
		return nil, fmt.Errorf("image size %dx%d is outside 100x50 to %dx%d", w, h, maxImageSide, maxImageSide)
	}
	u := min(float64(w)/cardWidth, float64(h)/cardHeight)
	c := &card{w: w, h: h, u: u}
	colRight := float64(w) - columnMargin*u
	colLeft := colRight - columnWidth*u
	c.mapBox = box{0, 0, colLeft - columnGap*u, float64(h)}

	rings, bound, span, err := projectRegions(s.Regions)
	if err != nil {
		return nil, err
	}
	c.fit = newFit(bound, span, c.mapBox.inset(mapInset*u))
	toPixels(rings, c.fit)
	if err := c.layoutMap(s, rings, u); err != nil {
		return nil, err
	}
	c.borders = BordersOpacity(typicalSize(c.regions))
	for _, l := range s.Legend {
		if !isHexColor(l.Color) {
			return nil, fmt.Errorf("legend %q: colour %q is not #rrggbb", l.Name, l.Color)
		}
	}

	t, err := newTypesetter(u, s.Fonts, s.Lang)
	if err != nil {
		return nil, err
	}
	c.layoutColumn(s, t, colLeft, colRight-colLeft)
	if s.RTL {
		c.mirrorColumn(colLeft, colRight)
	}
	return c, nil
}

// mirrorColumn turns the column, laid out left to right, right to left, as the pages' dir=rtl
// does: lines start on the right, a legend row's swatch is on the right with its name beside
// it and the count flush left. Every text run, swatch and rule of the card is the column's.
// A run's x flips and so does its anchor (end: x is its right edge, in both renderers).
func (c *card) mirrorColumn(left, right float64) {
	flip := func(b *box) { b.x = left + right - b.x - b.w }
	flip(&c.accent)
	for i := range c.rules {
		flip(&c.rules[i])
	}
	for i := range c.swatches {
		flip(&c.swatches[i].box)
	}
	for i := range c.texts {
		c.texts[i].x = left + right - c.texts[i].x
		c.texts[i].end = !c.texts[i].end
	}
}

// layoutMap lays out the scene's map layers, in c.fit's pixels: the regions (rings, already
// projected and simplified) and the places, whose discs are placeRadius design units times
// u. The card and the inline map (RenderInline) both draw what it lays out; a new layer of
// the map (neighbouring countries, region labels) is laid out here once for both.
func (c *card) layoutMap(s Scene, rings [][]orb.Ring, u float64) error {
	c.layoutContext(s.Context)
	for i, r := range s.Regions {
		if !isHexColor(r.Color) {
			return fmt.Errorf("region %q: colour %q is not #rrggbb", r.ID, r.Color)
		}
		cr := cardRegion{id: r.ID, rings: rings[i], color: r.Color, hatch: -1}
		if r.Claimed {
			cr.hatch = c.hatchFor(r.Color)
		}
		c.regions = append(c.regions, cr)
	}
	for _, p := range s.Places {
		if !isHexColor(p.Color) {
			return fmt.Errorf("place %q: colour %q is not #rrggbb", p.ID, p.Color)
		}
		px := c.fit.point(p.Point)
		r := placeRadius
		if p.Capital {
			r = capitalRadius
		}
		c.places = append(c.places, cardPlace{id: p.ID, name: p.Name, x: px[0], y: px[1], r: r * u, color: p.Color, claimed: p.Claimed, capital: p.Capital})
	}
	return nil
}

// layoutColumn sets the text column: title, date, legend and summary from the top, the
// attribution from the bottom. The legend, then the summary, give way rather than run
// into the attribution.
func (c *card) layoutColumn(s Scene, t *typesetter, x, width float64) {
	u := c.u
	y := columnMargin * u
	c.accent = box{x, y, 44 * u, 4 * u}
	y += 4*u + 20*u

	if title := t.wrap(s.Title, true, 28, width, 3); len(title) > 0 {
		y = c.paragraph(t, title, x, y, true, 28, 34, ink)
		y += 12 * u
	}
	if s.DateLabel != "" {
		size := t.fitSize(s.DateLabel, true, 40, 24, width)
		line := t.truncate(s.DateLabel, true, size, width)
		c.texts = append(c.texts, t.run(line, x, y+0.8*size*u, true, size, ink, false))
		y += size * 1.2 * u
	}
	y += 14 * u
	c.rules = append(c.rules, box{x, y, width, max(1, math.Round(u))})
	y += 20 * u

	attribution := t.wrap(s.Attribution, false, 11, width, 5)
	bottom := float64(c.h) - bottomMargin*u - float64(len(attribution))*14.5*u
	if len(attribution) > 0 {
		c.paragraph(t, attribution, x, bottom+14.5*u, false, 11, 14.5, inkMuted)
	}
	limit := bottom - 14*u

	const rowHeight = 30
	rows := c.legendRows(s)
	fitRows := int((limit - y) / (rowHeight * u))
	if fitRows < len(rows) {
		// Keep whole rows and say how many are left out, rather than draw over the credit.
		if fitRows < 1 {
			rows = nil
		} else {
			more := len(rows) - fitRows + 1
			rows = append(rows[:fitRows-1], legendRow{name: fmt.Sprintf("and %d more", more), muted: true})
		}
	}
	for _, r := range rows {
		y = c.legendRow(t, r, x, y, width)
	}

	y += 12 * u
	if lines := int((limit - y) / (24 * u)); lines > 0 {
		summary := t.wrap(s.Summary, false, 17, width, min(lines, 3))
		c.paragraph(t, summary, x, y, false, 17, 24, inkSoft)
	}
}

// hatchFor returns the index of the hatch pattern for colour, adding it when new.
func (c *card) hatchFor(color string) int {
	for i, h := range c.hatches {
		if h == color {
			return i
		}
	}
	c.hatches = append(c.hatches, color)
	return len(c.hatches) - 1
}

// paragraph sets lines top-down from top and returns the y under them. size and leading
// are in design units.
func (c *card) paragraph(t *typesetter, lines []string, x, top float64, bold bool, size, leading float64, color string) float64 {
	for i, l := range lines {
		baseline := top + (0.8*size+float64(i)*leading)*c.u
		c.texts = append(c.texts, t.run(l, x, baseline, bold, size, color, false))
	}
	return top + float64(len(lines))*leading*c.u
}

type legendRow struct {
	name, color string
	count       string
	hatch       bool
	muted       bool
}

// legendRows lists the factions, then the key to hatching when any region is hatched.
func (c *card) legendRows(s Scene) []legendRow {
	rows := make([]legendRow, 0, len(s.Legend)+1)
	for _, l := range s.Legend {
		count := strconv.Itoa(l.Count)
		if s.Count != nil {
			count = s.Count(l.Count)
		}
		rows = append(rows, legendRow{name: l.Name, color: l.Color, count: count})
	}
	if len(c.hatches) > 0 {
		words := s.HatchWords
		if words == "" {
			words = "Hatched: claimed, unconfirmed"
		}
		rows = append(rows, legendRow{name: words, color: HatchKey, hatch: true, muted: true})
	}
	return rows
}

// legendRow sets one row at top: a swatch, the name, and the count flush right.
func (c *card) legendRow(t *typesetter, r legendRow, x, top, width float64) float64 {
	u := c.u
	const size = 17
	baseline := top + 15*u
	nameX := x
	if r.color != "" {
		sw := swatch{box: box{x, top + 1*u, 18 * u, 18 * u}, color: r.color, hatch: -1}
		if r.hatch {
			sw.hatch = c.hatchFor(r.color)
		}
		c.swatches = append(c.swatches, sw)
		nameX = x + 30*u
	}
	nameRight := x + width
	if r.count != "" {
		c.texts = append(c.texts, t.run(r.count, x+width, baseline, true, size, ink, true))
		nameRight -= t.width(r.count, true, size) + 14*u
	}
	nameSize, color := float64(size), inkSoft
	if r.muted {
		nameSize, color = 15, inkMuted
	}
	name := t.truncate(r.name, false, nameSize, nameRight-nameX)
	c.texts = append(c.texts, t.run(name, nameX, baseline, false, nameSize, color, false))
	return top + 30*u
}

// goFonts are the Go fonts, parsed once: the PNG draws with them and both renderers
// measure with them.
var goFonts = sync.OnceValues(func() ([2]*opentype.Font, error) {
	regular, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return [2]*opentype.Font{}, fmt.Errorf("parse Go Regular: %w", err)
	}
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return [2]*opentype.Font{}, fmt.Errorf("parse Go Bold: %w", err)
	}
	return [2]*opentype.Font{regular, bold}, nil
})

// typesetter measures and breaks text. Its faces hold scratch buffers, so a typesetter
// serves one render at a time.
type typesetter struct {
	u     float64
	fonts [2]*opentype.Font // regular, bold
	faces map[faceKey]font.Face
	// shaper shapes Arabic script; nil when the scene has no fonts for it.
	shaper *shaper
}

type faceKey struct {
	size float64 // pixels
	bold bool
}

func newTypesetter(u float64, arabic *Fonts, lang string) (*typesetter, error) {
	fonts, err := goFonts()
	if err != nil {
		return nil, err
	}
	t := &typesetter{u: u, fonts: fonts, faces: make(map[faceKey]font.Face)}
	if arabic != nil {
		t.shaper = newShaper(arabic, lang)
	}
	return t, nil
}

// face returns the face for a size in design units.
func (t *typesetter) face(bold bool, size float64) font.Face {
	k := faceKey{size * t.u, bold}
	if f, ok := t.faces[k]; ok {
		return f
	}
	f := t.fonts[0]
	if bold {
		f = t.fonts[1]
	}
	// Unhinted, so that glyphs sit where the measurements say, as they do in SVG.
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: k.size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		// NewFace only records its options; an error would be a change in x/image.
		panic(fmt.Sprintf("Go font face at %vpx: %v", k.size, err))
	}
	t.faces[k] = face
	return face
}

func (t *typesetter) width(s string, bold bool, size float64) float64 {
	if t.shaper != nil && needsShaping(s) {
		return t.shaper.shape(s, bold, size*t.u).width
	}
	return float64(font.MeasureString(t.face(bold, size), s)) / 64
}

func (t *typesetter) run(s string, x, y float64, bold bool, size float64, color string, end bool) textRun {
	r := textRun{x: x, y: y, end: end, size: size * t.u, bold: bold, color: color, text: s, face: t.face(bold, size)}
	if t.shaper != nil && needsShaping(s) {
		line := t.shaper.shape(s, bold, size*t.u)
		r.shaped = &line
	}
	return r
}

// fitSize is the largest size from max down to min, in design units, at which s fits width.
func (t *typesetter) fitSize(s string, bold bool, max, min, width float64) float64 {
	size := max
	for size > min && t.width(s, bold, size) > width {
		size -= 2
	}
	return size
}

const ellipsis = "…"

// truncate cuts s to fit width, ending it with an ellipsis when anything was cut.
func (t *typesetter) truncate(s string, bold bool, size, width float64) string {
	if t.width(s, bold, size) <= width {
		return s
	}
	for s != "" {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
		if cut := strings.TrimRight(s, " ,;:.-") + ellipsis; t.width(cut, bold, size) <= width {
			return cut
		}
	}
	return ""
}

// wrap breaks s into at most maxLines lines that fit width, cutting the last with an
// ellipsis when the text is longer. Whitespace runs collapse to one space; a word wider
// than a line (a long URL) is broken where it must be.
func (t *typesetter) wrap(s string, bold bool, size, width float64, maxLines int) []string {
	if maxLines < 1 {
		return nil
	}
	words := strings.Fields(s)
	var lines []string
	line := ""
	for i := 0; i < len(words); i++ {
		w := words[i]
		candidate := w
		if line != "" {
			candidate = line + " " + w
		}
		if t.width(candidate, bold, size) <= width {
			line = candidate
			continue
		}
		if line == "" {
			// One word wider than the line: keep as much of it as fits and carry the rest.
			head := t.fitPrefix(w, bold, size, width)
			lines = append(lines, head)
			words[i] = w[len(head):]
			i--
		} else {
			lines = append(lines, line)
			line = ""
			i--
		}
		if len(lines) == maxLines {
			// words[i+1] is the word that did not fit: there is more text.
			rest := strings.Join(words[i+1:], " ")
			lines[maxLines-1] = t.truncate(lines[maxLines-1]+" "+rest, bold, size, width)
			return lines
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// fitPrefix is the longest prefix of s, at least one rune, that fits width.
func (t *typesetter) fitPrefix(s string, bold bool, size, width float64) string {
	_, n := utf8.DecodeRuneInString(s)
	for n < len(s) {
		_, m := utf8.DecodeRuneInString(s[n:])
		if t.width(s[:n+m], bold, size) > width {
			break
		}
		n += m
	}
	return s[:n]
}

// isHexColor reports whether s is "#rrggbb".
func isHexColor(s string) bool {
	if len(s) != 7 || s[0] != '#' {
		return false
	}
	for _, c := range []byte(s[1:]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// rgb parses a colour isHexColor accepts.
func rgb(s string) color.RGBA {
	v, _ := strconv.ParseUint(s[1:], 16, 32)
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
}

func hexOf(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// RenderSVG draws the scene as a standalone SVG document.
func RenderSVG(w io.Writer, s Scene) error {
	c, err := layout(s)
	if err != nil {
		return fmt.Errorf("render SVG: %w", err)
	}
	var b svgWriter
	b.Grow(4096 + 48*len(c.regions))
	b.writeSVG(c, s)
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("render SVG: %w", err)
	}
	return nil
}

type svgWriter struct {
	bytes.Buffer
	// whole writes path coordinates in whole units rather than tenths (the inline map,
	// whose units are about a pixel).
	whole bool
}

// num writes a coordinate or length rounded to 0.1 px, without trailing zeros.
func (b *svgWriter) num(v float64) { b.tenths(int64(math.Round(v * 10))) }

// tenths writes n/10 in the shortest form.
func (b *svgWriter) tenths(n int64) {
	if n < 0 {
		b.WriteByte('-')
		n = -n
	}
	b.Write(strconv.AppendInt(b.AvailableBuffer(), n/10, 10))
	if n%10 != 0 {
		b.WriteByte('.')
		b.WriteByte(byte('0' + n%10))
	}
}

// text writes s escaped for XML content or a double-quoted attribute.
func (b *svgWriter) text(s string) {
	// EscapeText writes to a bytes.Buffer, which cannot fail.
	_ = xml.EscapeText(b, []byte(s))
}

// attr writes ` name="value"`, escaping the value.
func (b *svgWriter) attr(name, value string) {
	b.WriteByte(' ')
	b.WriteString(name)
	b.WriteString(`="`)
	b.text(value)
	b.WriteByte('"')
}

// numAttr writes ` name="v"` with v rounded as num does.
func (b *svgWriter) numAttr(name string, v float64) {
	b.WriteByte(' ')
	b.WriteString(name)
	b.WriteString(`="`)
	b.num(v)
	b.WriteByte('"')
}

func (b *svgWriter) rect(r box, fill string) {
	b.WriteString("<rect")
	b.numAttr("x", r.x)
	b.numAttr("y", r.y)
	b.numAttr("width", r.w)
	b.numAttr("height", r.h)
	b.attr("fill", fill)
	b.WriteString("/>")
}

func (b *svgWriter) writeSVG(c *card, s Scene) {
	u := c.u
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg"`)
	fmt.Fprintf(b, ` width="%d" height="%d" viewBox="0 0 %d %d"`, c.w, c.h, c.w, c.h)
	if s.RTL {
		b.attr("font-family", fontFamilyRTL)
	} else {
		b.attr("font-family", fontFamily)
	}
	b.WriteString(` role="img" aria-labelledby="card-title card-desc">` + "\n")
	b.WriteString(`<title id="card-title">`)
	b.text(strings.Join(nonEmpty(s.Title, s.DateLabel), ", "))
	b.WriteString("</title>\n")
	b.WriteString(`<desc id="card-desc">`)
	b.text(strings.Join(nonEmpty(s.Summary, s.Attribution), " "))
	b.WriteString("</desc>\n")

	b.WriteString(`<defs><clipPath id="map-clip">`)
	b.rect(c.mapBox, paper)
	b.WriteString("</clipPath>")
	b.hatches(c, "", u)
	b.WriteString("</defs>\n")

	b.rect(box{0, 0, float64(c.w), float64(c.h)}, paper)
	b.rect(c.mapBox, mapGround)
	b.WriteString("\n" + `<g clip-path="url(#map-clip)" fill-rule="evenodd" stroke-linejoin="round">` + "\n")
	b.context(c, "")
	borders := borderWidth * u
	if c.borders == 0 {
		borders = 0
	}
	b.regions(c, "", regionLines{halo: haloColor, haloWidth: haloWidth * u, borderWidth: borders, borderOpacity: c.borders})
	for _, p := range c.places {
		b.WriteString("<circle")
		b.attr("data-place", p.id)
		b.numAttr("cx", p.x)
		b.numAttr("cy", p.y)
		b.numAttr("r", p.r)
		if p.claimed {
			b.attr("fill", HatchGround)
			b.attr("stroke", p.color)
			b.numAttr("stroke-width", claimedPlaceStroke*u)
		} else {
			b.attr("fill", p.color)
			b.attr("stroke", paper)
			b.numAttr("stroke-width", placeStroke*u)
		}
		b.WriteString("/>\n")
	}
	b.WriteString("</g>\n")

	b.rect(c.accent, ink)
	for _, r := range c.rules {
		b.rect(r, ruleColor)
	}
	for _, sw := range c.swatches {
		fill := sw.color
		if sw.hatch >= 0 {
			fill = fmt.Sprintf("url(#hatch-%d)", sw.hatch)
		}
		b.rect(sw.box, fill)
	}
	b.WriteString("\n")
	for _, t := range c.texts {
		b.WriteString("<text")
		b.numAttr("x", t.x)
		b.numAttr("y", t.y)
		b.numAttr("font-size", t.size)
		if t.bold {
			b.WriteString(` font-weight="bold"`)
		}
		// Right to left, the anchor's "end" is a line's left: the card's x stays where the
		// line starts on the left, and a count's where it ends on the right.
		rtl := s.RTL && startsRTL(t.text)
		switch {
		case rtl && t.end:
			b.WriteString(` direction="rtl"`)
		case rtl:
			b.WriteString(` direction="rtl" text-anchor="end"`)
		case t.end:
			b.WriteString(` text-anchor="end"`)
		}
		b.attr("fill", t.color)
		b.WriteString(">")
		b.text(t.text)
		b.WriteString("</text>\n")
	}
	b.WriteString("</svg>\n")
}

// hatches writes the card's hatch patterns, HatchPeriod*u wide: stripes of the colour on
// the hatch's ground, in user space so that neighbouring hatched regions line up; the
// rotation gives the same stripes as the PNG.
func (b *svgWriter) hatches(c *card, prefix string, u float64) {
	for i, h := range c.hatches {
		fmt.Fprintf(b, "\n"+`<pattern id="%shatch-%d" patternUnits="userSpaceOnUse" width="`, prefix, i)
		b.num(HatchPeriod * u)
		b.WriteString(`" height="`)
		b.num(HatchPeriod * u)
		b.WriteString(`" patternTransform="rotate(`)
		b.num(HatchAngle)
		b.WriteString(`)">`)
		b.rect(box{0, 0, HatchPeriod * u, HatchPeriod * u}, HatchGround)
		b.rect(box{0, 0, HatchStripe * u, HatchPeriod * u}, h)
		b.WriteString("</pattern>")
	}
}

// regionLines are the strokes of the regions: the outline of the whole area (halo) and the
// border between regions, in the SVG's units.
type regionLines struct {
	halo string
	// borderWidth 0 draws no borders; borderOpacity, when between 0 and 1, fades them.
	haloWidth, borderWidth, borderOpacity float64
	// extra is written into both groups' tags, such as a vector-effect.
	extra string
	// idAttr names the attribute that carries a region's id: "data-region" when empty, none
	// when "-". No halo: no outline, and the paths need no id for it.
	idAttr string
	// byFill writes the regions of one fill as one path (no ids, no halo): a map of thousands
	// of regions is then a handful of elements, which a browser parses, styles and lays out
	// in a fraction of the time thousands take, and some 30 bytes a region lighter.
	byFill bool
}

// context writes the land around the map (filled) and its borders and coasts (stroked,
// contextLineWidth design units; extra goes into the lines' tag, such as a vector-effect),
// under the regions.
func (b *svgWriter) context(c *card, extra string) {
	if len(c.land) > 0 {
		b.WriteString(`<path class="context-land"`)
		b.attr("fill", contextLand)
		b.WriteString(` d="`)
		b.path(c.land)
		b.WriteString("\"/>\n")
	}
	if len(c.lines) > 0 {
		b.WriteString(`<path class="context-lines" fill="none"`)
		b.attr("stroke", contextLine)
		b.numAttr("stroke-width", contextLineWidth*c.u)
		b.WriteString(extra)
		b.WriteString(` d="`)
		b.lines(c.lines)
		b.WriteString("\"/>\n")
	}
}

// regions writes the regions with their outline: every region stroked wide under the fills,
// so that only the half outside the whole area shows (each <use> repeats a region's fill
// too, which the region then paints over), then the fills with their borders. prefix keeps
// the regions' ids apart from another SVG's in the same document.
func (b *svgWriter) regions(c *card, prefix string, l regionLines) {
	if l.halo != "" {
		b.WriteString(`<g fill="none"`)
		b.attr("stroke", l.halo)
		b.numAttr("stroke-width", l.haloWidth)
		b.WriteString(l.extra)
		b.WriteString(">")
		for i := range c.regions {
			fmt.Fprintf(b, `<use href="#%sr%d"/>`, prefix, i)
		}
		b.WriteString("</g>\n")
	}
	b.WriteString("<g")
	if l.borderWidth > 0 {
		b.attr("stroke", paper)
		b.numAttr("stroke-width", l.borderWidth)
		if l.borderOpacity > 0 && l.borderOpacity < 1 {
			b.numAttr("stroke-opacity", l.borderOpacity)
		}
		b.WriteString(l.extra)
	}
	b.WriteString(">\n")
	if l.byFill {
		b.regionsByFill(c, prefix)
		b.WriteString("</g>\n")
		return
	}
	for i, r := range c.regions {
		b.WriteString("<path")
		if l.halo != "" {
			fmt.Fprintf(b, ` id="%sr%d"`, prefix, i) // for the halo's <use>
		}
		if l.idAttr != "-" {
			b.attr(cmp.Or(l.idAttr, "data-region"), r.id)
		}
		b.fill(prefix, r.color, r.hatch)
		b.WriteString(` d="`)
		b.path(r.rings)
		b.WriteString("\"/>\n")
	}
	b.WriteString("</g>\n")
}

// fill writes a region's fill: its colour, or its hatch (the pattern prefix+"hatch-"+n, -1
// for none) with the colour it hatches kept in data-faction-color for the live map.
func (b *svgWriter) fill(prefix, color string, hatch int) {
	if hatch >= 0 {
		b.attr("fill", hatchFill(prefix, hatch))
		b.attr("data-faction-color", color)
		return
	}
	b.attr("fill", color)
}

// hatchFill is the fill of hatch pattern i of a picture whose ids start with prefix.
func hatchFill(prefix string, i int) string { return fmt.Sprintf("url(#%shatch-%d)", prefix, i) }

// regionsByFill writes one path a fill, in the order the fills first appear, each with the
// rings of all its regions. Regions do not overlap, so the even-odd rule fills each as its
// own path would, and a shared border is stroked by the later of its two regions' paths, as
// it is one path a region.
func (b *svgWriter) regionsByFill(c *card, prefix string) {
	type fill struct {
		color string
		hatch int
	}
	var order []fill
	rings := map[fill][]orb.Ring{}
	for _, r := range c.regions {
		f := fill{r.color, r.hatch}
		if _, ok := rings[f]; !ok {
			order = append(order, f)
		}
		rings[f] = append(rings[f], r.rings...)
	}
	for _, f := range order {
		b.WriteString("<path")
		b.fill(prefix, f.color, f.hatch)
		b.WriteString(` d="`)
		b.path(rings[f])
		b.WriteString("\"/>\n")
	}
}

// startsRTL reports whether s's first letter is of a script written right to left, as
// Unicode's bidi algorithm decides a paragraph's direction: a credit line in English on a
// Persian card stays left to right.
func startsRTL(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko)
		}
	}
	return false
}

// path writes rings as SVG path data: each ring a move then relative lines in whole tenths
// of a pixel, so that rounding never accumulates and repeated points drop out.
func (b *svgWriter) path(rings []orb.Ring) {
	for _, ring := range rings {
		n := len(ring)
		if n > 1 && ring[0] == ring[n-1] {
			n-- // "z" closes it.
		}
		var px, py int64
		lined := false
		per := 10.0
		if b.whole {
			per = 1
		}
		for k, pt := range ring[:n] {
			x, y := int64(math.Round(pt[0]*per)), int64(math.Round(pt[1]*per))
			if k == 0 {
				b.WriteByte('M')
				b.coord(x)
				b.WriteByte(' ')
				b.coord(y)
			} else {
				if x == px && y == py {
					continue
				}
				if !lined {
					// Written with the first line only: a bare "l" is an error that
					// stops viewers drawing the rest of the path.
					b.WriteByte('l')
					lined = true
				}
				b.delta(x - px)
				b.delta(y - py)
			}
			px, py = x, y
		}
		b.WriteByte('z')
	}
}

// lines writes open lines as SVG path data, as path writes rings.
func (b *svgWriter) lines(lines []orb.LineString) {
	for _, l := range lines {
		var px, py int64
		for k, pt := range l {
			x, y := int64(math.Round(pt[0]*10)), int64(math.Round(pt[1]*10))
			switch {
			case k == 0:
				b.WriteByte('M')
				b.tenths(x)
				b.WriteByte(' ')
				b.tenths(y)
				b.WriteByte('l')
			case x == px && y == py:
				continue
			default:
				b.delta(x - px)
				b.delta(y - py)
			}
			px, py = x, y
		}
		if b.Bytes()[b.Len()-1] == 'l' {
			b.Truncate(b.Len() - 1) // a line of one pixel: a bare "l" would stop the path
		}
	}
}

// delta writes one relative coordinate, with a separating space unless a minus sign or
// the "l" before it does the job.
func (b *svgWriter) delta(d int64) {
	if last := b.Bytes()[b.Len()-1]; d >= 0 && last != 'l' {
		b.WriteByte(' ')
	}
	b.coord(d)
}

// coord writes a path coordinate: n tenths, or n whole units.
func (b *svgWriter) coord(n int64) {
	if b.whole {
		b.Write(strconv.AppendInt(b.AvailableBuffer(), n, 10))
		return
	}
	b.tenths(n)
}

// nonEmpty returns the strings that are not empty.
func nonEmpty(ss ...string) []string {
	out := ss[:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
