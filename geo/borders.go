package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// The white borders between regions fade in as the regions grow: where a typical region is
// BordersFromPx pixels across or less they are not drawn, from BordersWholePx they are drawn
// whole. Below a few pixels a line a pixel wide covers most of a region, and a map of
// thousands of counties read as white where they are small. The canvas map follows the same
// rule (static/map/paint.js bordersOpacity; testdata/rules/borders.json holds both).
const (
	BordersFromPx  = 4
	BordersWholePx = 16
)

// BordersOpacity is the borders' opacity, 0 to 1 in steps of 0.05, where a typical region
// is size pixels across.
func BordersOpacity(size float64) float64 {
	if !(size > BordersFromPx) {
		return 0
	}
	if size >= BordersWholePx {
		return 1
	}
	return math.Round(20*(size-BordersFromPx)/(BordersWholePx-BordersFromPx)) / 20
}

// typicalSize is the median of the regions' boxes' sizes (the square root of a box's
// area), in the rings' units: 0 for none.
func typicalSize(regions []cardRegion) float64 {
	sizes := make([]float64, 0, len(regions))
	for _, r := range regions {
		var b orb.Bound
		for i, ring := range r.rings {
			if i == 0 {
				b = ring.Bound()
			} else {
				b = b.Union(ring.Bound())
			}
		}
		if len(r.rings) > 0 {
			sizes = append(sizes, math.Sqrt(b.Right()-b.Left())*math.Sqrt(b.Top()-b.Bottom()))
		}
	}
	if len(sizes) == 0 {
		return 0
	}
	slices.Sort(sizes)
	return sizes[len(sizes)/2]
}
