package web

import (
	"context"
	"net/url"
	"sort"

	"github.com/frontline-maps/frontline/data"
)

// inlineSeriesMax is the most numbers of series a page carries inline (points times
// factions); a page of a map with more links to GET /api/maps/{slug}/series instead.
const inlineSeriesMax = 20_000

// useSeries gives the view what comes of the map's series: the summary's change since the
// change date before, the chart (drawn from s: see charts), and the series for the script,
// inline or as seriesURL.
func (v *mapView) useSeries(s *data.Series, chart *chartView, seriesURL string) {
	cur := sort.Search(len(s.Points), func(i int) bool { return s.Points[i].Date > v.Date }) - 1
	if cur >= 1 {
		prev := s.Points[cur-1]
		before := &summaryBefore{Counts: map[string]int{}, Label: dateLabel(v.Script.Labels.Dates, prev.Date)}
		for i, f := range s.Factions {
			before.Counts[f] = int(prev.Regions[i].Held())
		}
		v.Summary = summary(v.Script.Labels, v.Legend, len(v.Rows), v.DateLabel, before)
		if v.Social != nil {
			v.Social.Description = v.Summary
		}
	}
	v.Chart = chart.at(v.Map, v.Date)
	if v.Chart != nil {
		v.Chart.StartLabel, v.Chart.EndLabel = dateLabel(v.Script.Labels.Dates, v.Map.Start), dateLabel(v.Script.Labels.Dates, v.Map.End)
	}
	if len(s.Points)*max(len(s.Factions), 1) <= inlineSeriesMax {
		b := newSeriesBody(s)
		v.Script.Series = &b
	} else {
		v.Script.SeriesURL = seriesURL
	}
}

// withSeries gives v the map's series (useSeries), linking to the API's.
func (s *Server) withSeries(ctx context.Context, v *mapView) error {
	series, err := s.series.Series(ctx, v.Map)
	if err != nil {
		return err
	}
	v.useSeries(series, s.charts.of(v.Map, series), seriesURL(v.Map.Slug))
	return nil
}

// seriesURL is the address of a map's series document.
func seriesURL(slug string) string { return "/api/maps/" + url.PathEscape(slug) + "/series" }
