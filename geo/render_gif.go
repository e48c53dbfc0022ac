package geo

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"io"
)

// Frame delays of an animation, in hundredths of a second: the first and last frames stay
// longer, so a reader sees where the period starts and where it ends before it loops.
const (
	GIFDelay      = 60
	GIFFirstDelay = 120
	GIFLastDelay  = 400
)

// ErrTooLarge is returned by RenderGIF when the animation would pass its byte limit.
var ErrTooLarge = errors.New("animation too large")

// RenderGIF draws the scenes as the frames of an animated GIF that loops, each the card
// RenderPNG draws. The palette is the cards' own colours and the factions', with blends
// between them for the anti-aliased edges; after the first, a frame holds only the
// rectangle that changed, its unchanged pixels transparent, which keeps a frame of a few
// regions changing a few kilobytes. Past maxBytes it stops with ErrTooLarge.
func RenderGIF(w io.Writer, scenes []Scene, maxBytes int) error {
	if len(scenes) == 0 {
		return errors.New("render GIF: no frames")
	}
	pal := gifPalette(scenes)
	q := quantizer{pal: pal, index: map[uint32]uint8{}}
	out := &gif.GIF{LoopCount: 0}
	var prev []uint8
	var bounds image.Rectangle
	for i, s := range scenes {
		c, err := layout(s)
		if err != nil {
			return fmt.Errorf("render GIF frame %d: %w", i, err)
		}
		img := rasterize(c)
		if i == 0 {
			bounds = img.Bounds()
		} else if img.Bounds() != bounds {
			return fmt.Errorf("render GIF frame %d: size %v differs from the first frame's %v", i, img.Bounds(), bounds)
		}
		cur := q.indexes(img)
		frame := changedFrame(pal, bounds, prev, cur)
		prev = cur
		delay := GIFDelay
		switch {
		case i == len(scenes)-1:
			delay = GIFLastDelay
		case i == 0:
			delay = GIFFirstDelay
		}
		out.Image = append(out.Image, frame)
		out.Delay = append(out.Delay, delay)
		out.Disposal = append(out.Disposal, gif.DisposalNone)
	}
	out.Config = image.Config{ColorModel: pal, Width: bounds.Dx(), Height: bounds.Dy()}
	lw := &limitWriter{w: w, left: maxBytes}
	if err := gif.EncodeAll(lw, out); err != nil {
		if lw.over {
			return fmt.Errorf("render GIF of %d frames: %w: over %d bytes", len(scenes), ErrTooLarge, maxBytes)
		}
		return fmt.Errorf("render GIF: %w", err)
	}
	return nil
}

// transparent is the palette's first entry, the pixels a frame leaves as they were.
const transparent = 0

// changedFrame is cur (palette indexes of a whole card) as a frame over prev: the smallest
// rectangle holding every changed pixel, the unchanged ones in it transparent. The first
// frame (prev nil) is whole.
func changedFrame(pal color.Palette, bounds image.Rectangle, prev, cur []uint8) *image.Paletted {
	w := bounds.Dx()
	if prev == nil {
		return &image.Paletted{Pix: cur, Stride: w, Rect: bounds, Palette: pal}
	}
	box := image.Rectangle{}
	for y := range bounds.Dy() {
		row, prow := cur[y*w:(y+1)*w], prev[y*w:(y+1)*w]
		x0 := 0
		for x0 < w && row[x0] == prow[x0] {
			x0++
		}
		if x0 == w {
			continue
		}
		x1 := w
		for row[x1-1] == prow[x1-1] {
			x1--
		}
		box = box.Union(image.Rect(x0, y, x1, y+1))
	}
	if box.Empty() {
		// Nothing changed (two dates that look alike): one transparent pixel holds the delay.
		box = image.Rect(0, 0, 1, 1)
	}
	frame := image.NewPaletted(box, pal)
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			if k := y*w + x; cur[k] != prev[k] {
				frame.Pix[frame.PixOffset(x, y)] = cur[k]
			}
		}
	}
	return frame
}

// gifPalette is the transparent entry, the card's colours and every faction's, then blends
// of each pair of them (halves first, then quarters) while the 256 entries last.
func gifPalette(scenes []Scene) color.Palette {
	var base []color.RGBA
	seen := map[color.RGBA]bool{}
	add := func(hex string) {
		if c := rgb(hex); !seen[c] {
			seen[c] = true
			base = append(base, c)
		}
	}
	for _, hex := range []string{paper, mapGround, ink, inkSoft, inkMuted, ruleColor, haloColor, HatchGround, HatchKey} {
		add(hex)
	}
	for _, s := range scenes {
		for _, l := range s.Legend {
			add(l.Color)
		}
		for _, r := range s.Regions {
			add(r.Color)
		}
		for _, p := range s.Places {
			add(p.Color)
		}
	}
	pal := color.Palette{color.RGBA{}}
	for _, c := range base {
		if len(pal) < 256 {
			pal = append(pal, c)
		}
	}
	for _, a := range []float64{0.5, 0.25, 0.75} {
		for i := range base {
			for j := i + 1; j < len(base) && len(pal) < 256; j++ {
				if m := blend(base[i], base[j], a); !seen[m] {
					seen[m] = true
					pal = append(pal, m)
				}
			}
		}
	}
	return pal
}

func blend(a, b color.RGBA, t float64) color.RGBA {
	mix := func(x, y uint8) uint8 { return uint8(float64(x)*(1-t) + float64(y)*t + 0.5) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}

// quantizer maps colours to the nearest palette entry (never the transparent one), each
// colour looked up once: a card has a few thousand distinct colours among its pixels, and
// long runs of one colour, which skip even the lookup.
type quantizer struct {
	pal   color.Palette
	index map[uint32]uint8 // by 0xRRGGBB
}

// indexes returns the palette index of every pixel of img, row by row.
func (q *quantizer) indexes(img *image.RGBA) []uint8 {
	b := img.Bounds()
	out := make([]uint8, 0, b.Dx()*b.Dy())
	last, lastIndex := uint32(1<<24), uint8(0) // no colour is 1<<24
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := img.Pix[img.PixOffset(b.Min.X, y):img.PixOffset(b.Max.X, y)]
		for k := 0; k < len(row); k += 4 {
			key := uint32(row[k])<<16 | uint32(row[k+1])<<8 | uint32(row[k+2])
			if key != last {
				i, ok := q.index[key]
				if !ok {
					i = uint8(q.pal[1:].Index(color.RGBA{row[k], row[k+1], row[k+2], 0xff}) + 1)
					q.index[key] = i
				}
				last, lastIndex = key, i
			}
			out = append(out, lastIndex)
		}
	}
	return out
}

// limitWriter passes writes on until left bytes are written, then fails.
type limitWriter struct {
	w    io.Writer
	left int
	over bool
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if len(p) > l.left {
		l.over = true
		return 0, ErrTooLarge
	}
	l.left -= len(p)
	return l.w.Write(p)
}
