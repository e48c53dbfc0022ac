package web

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/frontline-maps/frontline/data"
)

// benchSeries is a series of three factions over a map of days days with a point every day
// from the start: the most a map of that range can have (the 5,000-region, million-event
// benchmark map has 366).
func benchSeries(days int) (*data.Map, *data.Series) {
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	m := &data.Map{Slug: "bench", Start: start.Format(data.DateLayout), End: start.AddDate(0, 0, days-1).Format(data.DateLayout),
		Factions: []data.Faction{{ID: "blue", Color: "#2f6db5"}, {ID: "gold", Color: "#d9a441"}, {ID: "green", Color: "#3f9b58"}}}
	s := &data.Series{Factions: []string{"blue", "gold", "green"}, Regions: 5000, AreaKm2: 1_000_000, Population: 50_000_000}
	for d := range days {
		a := int64(d * 7 % 3000)
		split := func(total int64) []data.Split {
			x := a * total / 5000
			return []data.Split{{Confirmed: total - x - x/3, Claimed: 0}, {Confirmed: x / 2, Claimed: x / 2}, {Confirmed: x / 3, Claimed: 0}}
		}
		s.Points = append(s.Points, data.SeriesPoint{Date: start.AddDate(0, 0, d).Format(data.DateLayout),
			Regions: split(5000), AreaKm2: split(1_000_000), Population: split(50_000_000)})
	}
	return m, s
}

// BenchmarkChart is the server's chart: drawn once per revision of a map (draw), then
// rendered into each page at its date (render), for a year of daily points and for ten
// years, sampled at chartColumns columns. It reports the SVG's bytes.
func BenchmarkChart(b *testing.B) {
	for _, bm := range []struct {
		name string
		days int
	}{{"366_points", 366}, {"3653_points", 3653}} {
		m, s := benchSeries(bm.days)
		date := s.Points[len(s.Points)/2].Date
		b.Run(bm.name+"/draw", func(b *testing.B) {
			for b.Loop() {
				if newChartView(m, s) == nil {
					b.Fatal("no chart")
				}
			}
		})
		b.Run(bm.name+"/render", func(b *testing.B) {
			view := newChartView(m, s)
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := seriesChart(view.at(m, date)).Render(context.Background(), &buf); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "svg-bytes")
		})
	}
}
