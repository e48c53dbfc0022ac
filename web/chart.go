package web

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/frontline-maps/frontline/data"
)

// The chart of control over time, under the slider: per faction, what it held stacked,
// confirmed solid and claimed hatched, one picture per measure (regions, area, population).
// It is drawn here, as inline SVG, for the page, the embed and the static export alike;
// static/ui/chart.js only adds the cursor's movement, the tooltip and the clicks.
const (
	// chartWidth and chartHeight are the SVG's user units: x runs over the map's days, y
	// over the share of the whole (the SVG is stretched to the box it is given).
	chartWidth, chartHeight = 1000, 100
	// chartColumns is the most steps a layer has: a series with more change dates is
	// sampled at this many evenly spaced days (no screen shows more columns usefully).
	chartColumns = 500
)

// chartView is the chart as chart.templ draws it.
type chartView struct {
	Measures []chartMeasure
	Hatches  []chartHatch
	// CursorX is the date shown, in user units.
	CursorX string
	// StartLabel and EndLabel name the chart's ends.
	StartLabel, EndLabel string
	// Compact is the embed's strip: the regions alone, with no title, switch or axis.
	Compact bool
}

// chartMeasure is one measure's picture.
type chartMeasure struct {
	// ID is the measure's; Name the message naming it (the chart is drawn once for every
	// language: chart.templ writes the words).
	ID, Name string
	// Total is the whole map's, as shown at the top of the axis ("34 regions": chartTotal).
	Total  int64
	Layers []chartLayer
}

// chartTipWords are the tooltip's words (static/ui/chart-tip.js) in the page's language: a
// faction's line, the claimed part, each measure's amount in every plural form of the
// language (the browser chooses with Intl.PluralRules), and the language's digits.
type chartTipWords struct {
	Confirmed string                       `json:"confirmed"`
	Claimed   string                       `json:"claimed"`
	Units     map[string]map[string]string `json:"units"`
	Digits    string                       `json:"digits"`
}

// chartWords is the chart's data-words attribute: chartTipWords as JSON.
func chartWords(ctx context.Context) string {
	loc := locOf(ctx)
	w := chartTipWords{Confirmed: loc.T("TipConfirmed"), Claimed: loc.T("TipClaimed"), Digits: loc.Dates("").Digits,
		Units: map[string]map[string]string{"regions": loc.Forms("RegionsCount"), "population": loc.Forms("PeopleCount"),
			"area": {"other": "{count} " + loc.T("KmSquared")}}}
	b, err := json.Marshal(w)
	if err != nil {
		return "{}" // strings and maps of strings always encode
	}
	return string(b)
}

// chartTotal is a measure's total with its unit, in the page's language and digits.
func chartTotal(ctx context.Context, m chartMeasure) string {
	n := locOf(ctx).Count(m.Total)
	switch m.ID {
	case "regions":
		return fillTemplate(locOf(ctx).N("RegionsCount", int(m.Total)), "count", n)
	case "population":
		return fillTemplate(locOf(ctx).N("PeopleCount", int(m.Total)), "count", n)
	}
	return n + " " + t(ctx, "KmSquared")
}

// chartLayer is one faction's confirmed or claimed holding, stacked on those before it:
// Path is the area from the bottom to the top of this layer.
type chartLayer struct {
	Path, Fill string
}

// chartHatch is the pattern of a faction's claimed holding: stripes of its colour on a
// lighter ground of it, as the map's hatch is on the regions.
type chartHatch struct {
	ID, Color, Ground string
}

// chartMeasures are the measures a series can draw, in the switch's order.
var chartMeasures = []struct {
	id, name string
	pick     func(p *data.SeriesPoint) []data.Split
	total    func(s *data.Series) int64
}{
	{"regions", "MeasureRegions", func(p *data.SeriesPoint) []data.Split { return p.Regions }, func(s *data.Series) int64 { return s.Regions }},
	{"area", "MeasureArea", func(p *data.SeriesPoint) []data.Split { return p.AreaKm2 }, func(s *data.Series) int64 { return s.AreaKm2 }},
	{"population", "MeasurePopulation", func(p *data.SeriesPoint) []data.Split { return p.Population }, func(s *data.Series) int64 { return s.Population }},
}

// newChartView draws the series of map m, with no cursor (see at).
func newChartView(m *data.Map, s *data.Series) *chartView {
	if len(s.Points) == 0 || len(m.Factions) == 0 {
		return nil
	}
	days := daysBetween(m.Start, m.End) + 1
	x := func(day int) float64 { return float64(day) * chartWidth / float64(days) }
	v := &chartView{StartLabel: m.Start, EndLabel: m.End} // in the page's language once at a page (mapView.useSeries)
	for i, f := range m.Factions {
		v.Hatches = append(v.Hatches, chartHatch{ID: "chart-claimed-" + strconv.Itoa(i), Color: f.Color, Ground: tint(f.Color, 0.6)})
	}
	steps := chartSteps(m, s.Points, days)
	for _, measure := range chartMeasures {
		total := measure.total(s)
		if total <= 0 {
			continue // a map without populations has no population chart
		}
		cm := chartMeasure{ID: measure.id, Name: measure.name, Total: total}
		// Layers bottom up: each faction confirmed, then claimed; drawn top down, so each
		// covers the ones above it below its own top.
		n := 2 * len(m.Factions)
		tops := make([][]float64, n)
		for k := range tops {
			tops[k] = make([]float64, len(steps))
		}
		for j, st := range steps {
			splits := measure.pick(&s.Points[st.point])
			var sum int64
			for f := range m.Factions {
				if f < len(splits) {
					sum += splits[f].Confirmed
					tops[2*f][j] = float64(sum)
					sum += splits[f].Claimed
					tops[2*f+1][j] = float64(sum)
				}
			}
		}
		for k := n - 1; k >= 0; k-- {
			fill := m.Factions[k/2].Color
			if k%2 == 1 {
				fill = "url(#" + v.Hatches[k/2].ID + ")"
			}
			cm.Layers = append(cm.Layers, chartLayer{Path: stepPath(steps, tops[k], float64(total), x), Fill: fill})
		}
		v.Measures = append(v.Measures, cm)
	}
	return v
}

// at is the chart with its cursor at date, a copy: the drawing is shared.
func (c *chartView) at(m *data.Map, date string) *chartView {
	if c == nil {
		return nil
	}
	days := float64(daysBetween(m.Start, m.End) + 1)
	v := *c
	v.CursorX = chartNumber((float64(daysBetween(m.Start, date)) + 0.5) * chartWidth / days)
	return &v
}

// compact is the chart as an embed shows it: a strip of the regions held.
func (c *chartView) compact() *chartView {
	if c == nil {
		return nil
	}
	v := *c
	v.Measures, v.Compact = c.Measures[:min(1, len(c.Measures))], true
	return &v
}

// charts keeps each map's chart drawn from its current series: pages at any date share it.
type charts struct {
	mu   sync.Mutex
	maps map[string]keptChart
}

type keptChart struct {
	series *data.Series
	key    string
	view   *chartView
}

// of returns the chart of series (the map's current one), drawn once per series and map
// colours.
func (cs *charts) of(m *data.Map, s *data.Series) *chartView {
	var key strings.Builder
	key.WriteString(m.Start + m.End)
	for _, f := range m.Factions {
		key.WriteString(f.ID + f.Color)
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if k, ok := cs.maps[m.Slug]; ok && k.series == s && k.key == key.String() {
		return k.view
	}
	v := newChartView(m, s)
	if cs.maps == nil {
		cs.maps = map[string]keptChart{}
	}
	cs.maps[m.Slug] = keptChart{series: s, key: key.String(), view: v}
	return v
}

// chartStep is a column of the chart: from day on, what point shows.
type chartStep struct {
	day, point int
}

// chartSteps are the columns: a step per point, or, past chartColumns points, the point
// in force at each of chartColumns evenly spaced days.
func chartSteps(m *data.Map, points []data.SeriesPoint, days int) []chartStep {
	if len(points) <= chartColumns {
		steps := make([]chartStep, len(points))
		for i, p := range points {
			steps[i] = chartStep{day: daysBetween(m.Start, p.Date), point: i}
		}
		return steps
	}
	steps := make([]chartStep, 0, chartColumns)
	for c := range chartColumns {
		day := c * days / chartColumns
		date := dateAfter(m.Start, day)
		i := sort.Search(len(points), func(i int) bool { return points[i].Date > date }) - 1
		steps = append(steps, chartStep{day: day, point: max(i, 0)})
	}
	return steps
}

// stepPath is the outline of the area under tops (one value a step, of total), in whole
// user units (a pixel or less), a step left out where the top stays level.
func stepPath(steps []chartStep, tops []float64, total float64, x func(int) float64) string {
	var b strings.Builder
	b.WriteString("M0," + strconv.Itoa(chartHeight))
	last := -1
	for j, st := range steps {
		y := int(math.Round(chartHeight - tops[j]*chartHeight/total))
		if y == last {
			continue
		}
		if j > 0 {
			b.WriteString("H" + strconv.Itoa(int(math.Round(x(st.day)))))
		}
		b.WriteString("V" + strconv.Itoa(y))
		last = y
	}
	b.WriteString("H" + strconv.Itoa(chartWidth) + "V" + strconv.Itoa(chartHeight) + "Z")
	return b.String()
}

// chartNumber writes a coordinate to a tenth of a unit, a tenth of a pixel or less.
func chartNumber(v float64) string {
	return strconv.FormatFloat(float64(int64(v*10+0.5))/10, 'f', -1, 64)
}

// tint is colour (#rrggbb) mixed with white, share parts white.
func tint(color string, share float64) string {
	var r, g, b int
	if _, err := fmt.Sscanf(color, "#%02x%02x%02x", &r, &g, &b); err != nil {
		return color
	}
	mix := func(c int) int { return int(float64(c) + (255-float64(c))*share + 0.5) }
	return fmt.Sprintf("#%02x%02x%02x", mix(r), mix(g), mix(b))
}

// dateAfter is the date days after start (a valid YYYY-MM-DD date).
func dateAfter(start string, days int) string {
	t, _ := time.Parse(data.DateLayout, start)
	return t.AddDate(0, 0, days).Format(data.DateLayout)
}
