package geo

import (
	"image"
	"math"
	"os"
	"testing"
)

// testFonts are the Vazirmatn the pages use, as `go tool task assets` copies it for the
// pictures (static/vendor/vazirmatn).
func testFonts(t testing.TB) *Fonts {
	t.Helper()
	var b [2][]byte
	for i, w := range []string{"400", "700"} {
		var err error
		if b[i], err = os.ReadFile("../static/vendor/vazirmatn/vazirmatn-arabic-" + w + "-normal.woff"); err != nil {
			t.Fatalf("%v: run `go tool task assets` first", err)
		}
	}
	f, err := ParseFonts(b[0], b[1])
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// glyphX is where each rune's glyph starts in a shaped line, left to right: rune index ->
// x of the first glyph of its cluster, in pixels.
func glyphX(l shapedLine) map[int]float64 {
	at := map[int]float64{}
	pen := 0.0
	for _, run := range l.runs {
		for _, g := range run.Glyphs {
			if _, seen := at[g.ClusterIndex]; !seen {
				at[g.ClusterIndex] = pen
			}
			pen += float64(g.Advance) / 64
		}
	}
	return at
}

// TestShapeOrder: a line in Arabic script reads right to left, its words in order from the
// right, a number inside it left to right; in a Latin line, a Persian phrase keeps its own
// order. Each case names runes by their index in the text and the order, left to right,
// their glyphs must stand in.
func TestShapeOrder(t *testing.T) {
	s := newShaper(testFonts(t), "fa")
	tests := []struct {
		name, text  string
		leftToRight []int
	}{
		// افغانستان(0) :(9) تهاجم(11) طالبان(17) ،(23) ۲۰۲۱(25..28)
		{"persian title", "افغانستان: تهاجم طالبان، ۲۰۲۱", []int{25, 26, 27, 28, 23, 17, 11, 9, 0}},
		// ۱۴(0,1) اوت(3) ۲۰۲۱(7..10)
		{"persian date", "۱۴ اوت ۲۰۲۱", []int{7, 8, 9, 10, 3, 0, 1}},
		// Taliban(0) از(9) سه(12)
		{"persian in latin", "Taliban: از سه", []int{0, 12, 9}},
		// کابل(0) Kabul(5)
		{"latin in persian", "کابل Kabul", []int{5, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			at := glyphX(s.shape(tc.text, false, 20))
			for i := 1; i < len(tc.leftToRight); i++ {
				a, b := tc.leftToRight[i-1], tc.leftToRight[i]
				xa, okA := at[a]
				xb, okB := at[b]
				if !okA || !okB || xa >= xb {
					t.Errorf("rune %d at x %.1f (%t) is not left of rune %d at x %.1f (%t)", a, xa, okA, b, xb, okB)
				}
			}
		})
	}
}

// TestShapeJoins: letters take their joined forms (a medial ب is not the isolated one), so
// the words are written, not spelt out letter by letter.
func TestShapeJoins(t *testing.T) {
	s := newShaper(testFonts(t), "fa")
	l := s.shape("طالبان", false, 20)
	isolated, ok := s.arabic[0].NominalGlyph('ب')
	if !ok {
		t.Fatal("the font has no ب")
	}
	for _, run := range l.runs {
		for _, g := range run.Glyphs {
			if g.ClusterIndex == 3 && g.GlyphID == isolated {
				t.Errorf("ب inside طالبان is drawn isolated (glyph %d)", g.GlyphID)
			}
		}
	}
}

// TestRenderPNGPersian: a card in Persian draws its date (ink in the date's box, where Go's
// fonts would draw boxes) and differs there from the English card.
func TestRenderPNGPersian(t *testing.T) {
	en := squares([]string{government, taliban})
	fa := en
	fa.Title, fa.DateLabel, fa.Summary, fa.Lang, fa.RTL, fa.Fonts = "افغانستان: تهاجم طالبان، ۲۰۲۱", "۱۴ اوت ۲۰۲۱", "طالبان: ۲۱ از ۳۴ منطقه.", "fa", true, testFonts(t)
	dateBox := func(s Scene) (*image.RGBA, image.Rectangle) {
		t.Helper()
		c, err := layout(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range c.texts {
			if r.text == s.DateLabel {
				return rasterize(c), image.Rect(int(c.mapBox.w), int(r.y-r.size), int(c.w), int(r.y+0.3*r.size))
			}
		}
		t.Fatalf("no text run holds the date %q", s.DateLabel)
		return nil, image.Rectangle{}
	}
	ink := func(img *image.RGBA, box image.Rectangle) int {
		n := 0
		for y := box.Min.Y; y < box.Max.Y; y++ {
			for x := box.Min.X; x < box.Max.X; x++ {
				if c := img.RGBAAt(x, y); c.R < 128 && c.G < 128 && c.B < 128 {
					n++
				}
			}
		}
		return n
	}
	faImg, box := dateBox(fa)
	enImg, _ := dateBox(en)
	if n := ink(faImg, box); n < 500 {
		t.Errorf("the Persian date's box %v has %d dark pixels, want the date drawn", box, n)
	}
	differ := 0
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			if faImg.RGBAAt(x, y) != enImg.RGBAAt(x, y) {
				differ++
			}
		}
	}
	if differ < 500 {
		t.Errorf("the Persian and English dates differ in %d pixels", differ)
	}
}

// BenchmarkRenderPNGLanguages draws the same card in English and in Persian: what shaping
// and filling Arabic script's outlines cost beside Go's fonts.
func BenchmarkRenderPNGLanguages(b *testing.B) {
	en := squares([]string{government, taliban, resistance}, 1)
	fa := en
	fa.Title, fa.DateLabel, fa.Summary, fa.Lang, fa.RTL, fa.Fonts = "افغانستان: تهاجم طالبان، ۲۰۲۱", "۱۴ اوت ۲۰۲۱", "طالبان: ۲۱ از ۳۴ منطقه تأییدشده، ۲۳ با ادعاها، در ۱۴ اوت ۲۰۲۱.", "fa", true, testFonts(b)
	for _, tc := range []struct {
		name  string
		scene Scene
	}{{"en", en}, {"fa", fa}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				c, err := layout(tc.scene)
				if err != nil {
					b.Fatal(err)
				}
				rasterize(c)
			}
		})
	}
}

// TestLayoutRightToLeft: a card in Persian mirrors its column as a dir=rtl page does: the
// lines end on the column's right edge, a legend row's swatch is right of its name, and
// the count sits at the column's left; an English card keeps them the other way round.
func TestLayoutRightToLeft(t *testing.T) {
	en := squares([]string{government, taliban})
	en.Legend = []LegendEntry{{Name: "Government", Color: government, Count: 11}, {Name: "Taliban", Color: taliban, Count: 23}}
	fa := en
	fa.Title, fa.DateLabel, fa.Lang, fa.RTL, fa.Fonts = "افغانستان", "۱۴ اوت ۲۰۲۱", "fa", true, testFonts(t)
	fa.Legend = []LegendEntry{{Name: "جمهوری", Color: government, Count: 11}, {Name: "طالبان", Color: taliban, Count: 23}}
	for _, tt := range []struct {
		name  string
		scene Scene
		rtl   bool
	}{{"en", en, false}, {"fa", fa, true}} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := layout(tt.scene)
			if err != nil {
				t.Fatal(err)
			}
			right := float64(c.w) - columnMargin*c.u
			left := right - columnWidth*c.u
			run := func(text string) box {
				for _, r := range c.texts {
					if r.text == text {
						return textBox(r)
					}
				}
				t.Fatalf("no run holds %q", text)
				return box{}
			}
			title, name, count := run(tt.scene.Title), run(tt.scene.Legend[0].Name), run("11")
			sw := c.swatches[0].box
			near := func(a, b float64) bool { return math.Abs(a-b) < 1 }
			if tt.rtl {
				if !near(title.x+title.w, right) || !near(sw.x+sw.w, right) || !near(count.x, left) || name.x+name.w > sw.x || c.accent.x+c.accent.w != right {
					t.Errorf("right to left: title %+v, swatch %+v, name %+v, count %+v, accent %+v; want title, swatch and accent on the right edge %.1f, the name left of the swatch, the count on the left edge %.1f", title, sw, name, count, c.accent, right, left)
				}
			} else if !near(title.x, left) || !near(sw.x, left) || !near(count.x+count.w, right) || name.x < sw.x+sw.w {
				t.Errorf("left to right: title %+v, swatch %+v, name %+v, count %+v; want title and swatch on the left edge %.1f, the count on the right edge %.1f", title, sw, name, count, left, right)
			}
		})
	}
}
