package geo

import (
	"math"
	"unicode/utf16"
)

// Labels of places, the rule the browser keeps too (static/map/places.js placeLabels), with
// golden cases in testdata/rules/place_labels.json that both sides check: the inline map
// shows, at first paint, the labels the interactive map will show at the same view.
const (
	// labelHeight is a label's height, and labelCharWidth its width per character, in
	// pixels: the style sheet's 12 px type (labelFontSize).
	labelHeight    = 16
	labelCharWidth = 6.6
	labelFontSize  = 12
)

// LabelCandidate is a place that may be labelled: its marker's centre (X, Y) and radius R in
// pixels, its name, and W, its label's width in pixels as measured (zero: estimated from the
// text, as the browser does before it has measured).
type LabelCandidate struct {
	ID   string  `json:"id"`
	Text string  `json:"text"`
	X    float64 `json:"x"`
	Y    float64 `json:"y"`
	R    float64 `json:"r"`
	W    float64 `json:"w,omitempty"`
}

type labelBox struct{ x0, y0, x1, y1 float64 }

func (a labelBox) overlaps(b labelBox) bool {
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

// PlaceLabels decides which labels show, and on which side of their marker, in a box of
// width x height pixels: of the candidates, in priority order (capitals first), those whose
// label overlaps no label shown already, no marker of a place before it (near a
// capital, the capital's name matters more than a lesser place's dot) and none of the boxes
// avoid (the map's own controls over it: zoom buttons, scale bar; [x0, y0, x1, y1] in the
// same pixels), and lies inside the box. Each tries first the side the page's direction
// reads from (after the marker: right, or left when rtl), then the other. It returns the ids
// shown, each to "right" or "left".
func PlaceLabels(candidates []LabelCandidate, width, height float64, rtl bool, avoid ...[4]float64) map[string]string {
	shown := map[string]string{}
	markers := make([]labelBox, len(candidates))
	for i, c := range candidates {
		markers[i] = labelBox{c.X - c.R, c.Y - c.R, c.X + c.R, c.Y + c.R}
	}
	sides := []string{"right", "left"}
	if rtl {
		sides = []string{"left", "right"}
	}
	taken := make([]labelBox, 0, len(avoid)+len(candidates))
	for _, a := range avoid {
		taken = append(taken, labelBox{a[0], a[1], a[2], a[3]})
	}
candidates:
	for i, c := range candidates {
		w := c.W
		if w == 0 {
			// The browser counts UTF-16 code units (String.length).
			w = math.Ceil(float64(len(utf16.Encode([]rune(c.Text))))*labelCharWidth) + 4
		}
	sides:
		for _, side := range sides {
			x0 := c.X + c.R + 2
			if side == "left" {
				x0 = c.X - c.R - 2 - w
			}
			b := labelBox{x0, c.Y - labelHeight/2, x0 + w, c.Y + labelHeight/2}
			if b.x0 < 0 || b.y0 < 0 || b.x1 > width || b.y1 > height {
				continue
			}
			for _, t := range taken {
				if t.overlaps(b) {
					continue sides
				}
			}
			for _, m := range markers[:i] {
				if m.overlaps(b) {
					continue sides
				}
			}
			taken = append(taken, b)
			shown[c.ID] = side
			continue candidates
		}
	}
	return shown
}
