// Package geotest makes region layers and event lists for tests and benchmarks. Only tests
// and the benchmark command import it, so its fixtures stay out of the server binary.
package geotest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/paulmach/orb"

	"github.com/frontline-maps/frontline/geo"
)

// The grid layer covers the same box whatever its size, so that the simplification
// tolerance (a fraction of the layer's extent) is the same for every n and only the detail
// per region changes, as between a province layer and a district layer of one country.
const (
	gridWest, gridEast   = -20.0, 40.0
	gridSouth, gridNorth = -10.0, 30.0
	// gridEdgePoints is how many positions each cell side has between its corners.
	gridEdgePoints = 9
)

// GridID returns the id of region i (from 0) of a GridLayer: "R0001" for 0.
func GridID(i int) string { return fmt.Sprintf("R%04d", i+1) }

// GridLayer returns a region layer of n regions for tests and benchmarks, as a GeoJSON
// FeatureCollection: a grid of cells, nearly square, filled row by row from the south-west,
// ids from GridID, names "Region 1"..., in the same box whatever n is.
//
// It is built to exercise what real layers do: every side is a wavy border of
// gridEdgePoints positions (a broad bend that survives simplification plus a small jitter
// that does not), shared position for position with the neighbour across it; every third
// cell of the southern row is a MultiPolygon with an island offshore; one cell in 97 has a
// lake (a hole). Regions carry a capital and a population. Each position has 6 decimals.
func GridLayer(n int) []byte {
	cols := max(1, int(math.Ceil(math.Sqrt(float64(n)))))
	rows := max(1, (n+cols-1)/cols)
	w, h := (gridEast-gridWest)/float64(cols), (gridNorth-gridSouth)/float64(rows)
	corner := func(c, r int) orb.Point {
		return orb.Point{round6(gridWest + float64(c)*w), round6(gridSouth + float64(r)*h)}
	}
	// side returns the positions from corner a to corner b, both included; id makes the
	// jitter of each side its own, and the same for both cells that walk it.
	side := func(a, b orb.Point, size float64, id uint64) []orb.Point {
		pts := make([]orb.Point, 0, gridEdgePoints+2)
		pts = append(pts, a)
		dx, dy := b[0]-a[0], b[1]-a[1]
		// The unit normal: sides run east or north, so this is north of an eastward side
		// and west of a northward one.
		length := math.Hypot(dx, dy)
		nx, ny := -dy/length, dx/length
		sign := 1.0
		if mix(id)%2 == 1 {
			sign = -1
		}
		for k := 1; k <= gridEdgePoints; k++ {
			t := float64(k) / float64(gridEdgePoints+1)
			off := size * (0.06*sign*math.Sin(math.Pi*t) + 0.01*jitter(id, k))
			pts = append(pts, orb.Point{round6(a[0] + t*dx + off*nx), round6(a[1] + t*dy + off*ny)})
		}
		return append(pts, b)
	}
	east := func(c, r int) []orb.Point { // the side from corner (c, r) to (c+1, r)
		return side(corner(c, r), corner(c+1, r), h, uint64(r*(cols+1)+c)*2)
	}
	north := func(c, r int) []orb.Point { // the side from corner (c, r) to (c, r+1)
		return side(corner(c, r), corner(c, r+1), w, uint64(r*(cols+1)+c)*2+1)
	}

	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := range n {
		c, r := i%cols, i/cols
		// Counter-clockwise, as RFC 7946 asks of outer rings.
		ring := orb.Ring(east(c, r))
		ring = append(ring, north(c+1, r)[1:]...)
		ring = append(ring, reversed(east(c, r+1))[1:]...)
		ring = append(ring, reversed(north(c, r))[1:]...)
		poly := orb.Polygon{ring}
		x0, y0 := gridWest+float64(c)*w, gridSouth+float64(r)*h
		if i%97 == 13 {
			// A lake in the middle, clockwise as holes are.
			poly = append(poly, square(x0+0.4*w, y0+0.4*h, 0.2*w, 0.2*h, true))
		}
		var geom orb.Geometry = poly
		if r == 0 && c%3 == 1 {
			geom = orb.MultiPolygon{poly, {square(x0+0.3*w, y0-0.6*h, 0.4*w, 0.4*h, false)}}
		}
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"Feature","id":%q,"properties":{"name":"Region %d","capital":"Town %d","population":%d},"geometry":`,
			GridID(i), i+1, i+1, 1000*(i+1))
		g, err := geo.MarshalGeometry(geom)
		if err != nil {
			panic(err) // finite coordinates always encode
		}
		b.Write(g)
		b.WriteByte('}')
	}
	b.WriteString("]}\n")
	return b.Bytes()
}

// GridEvents returns an events.csv for a GridLayer of n regions: k changes of control with
// dates spread evenly from start to end (sorted), regions picked at random but the same
// for the same arguments, factions in turn; every tenth is a claim and has a note with a
// comma and quotes, to exercise CSV quoting.
func GridEvents(n, k int, factions []string, start, end time.Time) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"region", "faction", "date", "source", "note", "confidence"})
	days := int(end.Sub(start).Hours()/24) + 1
	for j := range k {
		region := GridID(int(mix(uint64(j)) % uint64(n)))
		date := start.AddDate(0, 0, int(int64(j)*int64(days)/int64(k))).Format("2006-01-02")
		note, confidence := "", "confirmed"
		if j%10 == 9 {
			note, confidence = `taken, then "held"`, "claimed"
		}
		w.Write([]string{region, factions[j%len(factions)], date, "https://example.org/events/" + strconv.Itoa(j+1), note, confidence})
	}
	w.Flush()
	return b.Bytes()
}

// square returns an axis-aligned rectangular ring, counter-clockwise unless clockwise.
func square(x, y, w, h float64, clockwise bool) orb.Ring {
	r := orb.Ring{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}, {x, y}}
	for i := range r {
		r[i] = orb.Point{round6(r[i][0]), round6(r[i][1])}
	}
	if clockwise {
		return orb.Ring(reversed(r))
	}
	return r
}

func reversed(pts []orb.Point) []orb.Point {
	out := make([]orb.Point, len(pts))
	for i, p := range pts {
		out[len(pts)-1-i] = p
	}
	return out
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// jitter returns a number in [-1, 1] that depends only on its arguments.
func jitter(id uint64, k int) float64 {
	return float64(mix(id<<8|uint64(k))%2001)/1000 - 1
}

// mix is SplitMix64's finaliser: a cheap hash that spreads consecutive numbers.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
