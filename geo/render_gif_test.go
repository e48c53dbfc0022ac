package geo

import (
	"bytes"
	"errors"
	"image"
	"image/gif"
	"testing"
)

// TestRenderGIF draws three frames: the first whole, the second only the rectangle of the
// region that changed (its date unchanged), the third, alike the second, one transparent
// pixel; each frame, laid over the last, is the card RenderPNG draws, within the palette.
func TestRenderGIF(t *testing.T) {
	first := squares([]string{government, government, government})
	second := squares([]string{government, taliban, government}, 1)
	var buf bytes.Buffer
	if err := RenderGIF(&buf, []Scene{first, second, second}, 1<<20); err != nil {
		t.Fatal(err)
	}
	g, err := gif.DecodeAll(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Image) != 3 {
		t.Fatalf("%d frames, want 3", len(g.Image))
	}
	card := image.Rect(0, 0, cardWidth, cardHeight)
	if g.Image[0].Bounds() != card {
		t.Errorf("the first frame is %v, want the whole card %v", g.Image[0].Bounds(), card)
	}
	changed := g.Image[1].Bounds()
	if changed.Empty() || !changed.In(card) || changed.Dx()*changed.Dy() > card.Dx()*card.Dy()/2 {
		t.Errorf("the second frame is %v: want a part of the card, the changed region and its legend", changed)
	}
	if b := g.Image[2].Bounds(); b.Dx()*b.Dy() != 1 {
		t.Errorf("a frame like the last is %v, want one pixel", b)
	}
	if g.Delay[0] != GIFFirstDelay || g.Delay[1] != GIFDelay || g.Delay[2] != GIFLastDelay {
		t.Errorf("delays %v, want %d, %d, %d", g.Delay, GIFFirstDelay, GIFDelay, GIFLastDelay)
	}
	// The faction colours are in the palette exactly, so a region's fill is its colour.
	pal := g.Image[0].Palette
	for _, c := range []string{government, taliban} {
		if want := rgb(c); pal[pal.Index(want)] != want {
			t.Errorf("the palette lacks %s", c)
		}
	}
}

// TestRenderGIFTooLarge stops past the byte limit with ErrTooLarge.
func TestRenderGIFTooLarge(t *testing.T) {
	var buf bytes.Buffer
	err := RenderGIF(&buf, []Scene{squares([]string{government, taliban})}, 1000)
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("a card in 1000 bytes: %v, want ErrTooLarge", err)
	}
	if err := RenderGIF(&buf, nil, 1<<20); err == nil {
		t.Errorf("no frames: no error")
	}
}
