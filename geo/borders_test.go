package geo

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/paulmach/orb"
)

// TestBordersRules checks testdata/rules/borders.json, which static/test/rules.test.js runs
// against the canvas map's bordersOpacity too.
func TestBordersRules(t *testing.T) {
	raw, err := os.ReadFile("../testdata/rules/borders.json")
	if err != nil {
		t.Fatal(err)
	}
	var rules struct {
		From  float64 `json:"from_px"`
		Whole float64 `json:"whole_px"`
		Cases []struct {
			Name       string
			Size, Want float64
		} `json:"cases"`
	}
	if err := json.Unmarshal(raw, &rules); err != nil {
		t.Fatal(err)
	}
	if rules.From != BordersFromPx || rules.Whole != BordersWholePx {
		t.Errorf("borders.json's thresholds %v and %v, the server's %v and %v", rules.From, rules.Whole, BordersFromPx, BordersWholePx)
	}
	for _, c := range rules.Cases {
		if got := BordersOpacity(c.Size); got != c.Want {
			t.Errorf("%s: BordersOpacity(%v) = %v, want %v", c.Name, c.Size, got, c.Want)
		}
	}
}

// TestTypicalSize: the median of the regions' boxes, a region's rings taken together.
func TestTypicalSize(t *testing.T) {
	square := func(x, side float64) orb.Ring {
		return orb.Ring{{x, 0}, {x + side, 0}, {x + side, side}, {x, side}, {x, 0}}
	}
	regions := []cardRegion{
		{rings: []orb.Ring{square(0, 2)}},
		{rings: []orb.Ring{square(10, 4), square(16, 4)}}, // a box 10 by 4
		{rings: []orb.Ring{square(30, 9)}},
		{rings: nil}, // no shape: not counted
	}
	if got, want := typicalSize(regions), 6.324555320336759; got != want {
		t.Errorf("typicalSize = %v, want %v (the 10 by 4 box's)", got, want)
	}
	if got := typicalSize(nil); got != 0 {
		t.Errorf("typicalSize of none = %v, want 0", got)
	}
}
