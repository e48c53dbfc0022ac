package web

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// seriesStore is what the series API, the chart and the summary read.
type seriesStore interface {
	Series(ctx context.Context, m *data.Map) (*data.Series, error)
}

// apiSeriesBody is the series document: per point, per faction in the order of factions,
// [confirmed, claimed]. population is left out for a map whose regions carry none.
type apiSeriesBody struct {
	Factions   []string         `json:"factions"`
	Regions    int64            `json:"regions"`
	AreaKm2    int64            `json:"area_km2"`
	Population int64            `json:"population,omitempty"`
	Points     []apiSeriesPoint `json:"points"`
}

type apiSeriesPoint struct {
	Date       string     `json:"date"`
	Regions    [][2]int64 `json:"regions"`
	AreaKm2    [][2]int64 `json:"area_km2"`
	Population [][2]int64 `json:"population,omitempty"`
}

// newSeriesBody is the document of a series.
func newSeriesBody(s *data.Series) apiSeriesBody {
	pairs := func(splits []data.Split) [][2]int64 {
		if splits == nil {
			return nil
		}
		out := make([][2]int64, len(splits))
		for i, sp := range splits {
			out[i] = [2]int64{sp.Confirmed, sp.Claimed}
		}
		return out
	}
	b := apiSeriesBody{Factions: s.Factions, Regions: s.Regions, AreaKm2: s.AreaKm2, Population: s.Population,
		Points: make([]apiSeriesPoint, len(s.Points))}
	for i, p := range s.Points {
		b.Points[i] = apiSeriesPoint{Date: p.Date, Regions: pairs(p.Regions), AreaKm2: pairs(p.AreaKm2), Population: pairs(p.Population)}
	}
	return b
}

// apiSeries serves GET /api/maps/{slug}/series: what each faction held at the start and on
// every change date (data.Series), encoded and gzipped once per revision, with its ETag.
func (s *Server) apiSeries(c echo.Context) error {
	m, err := s.mapParam(c)
	if err != nil {
		return err
	}
	b, err := s.seriesDocument(c.Request().Context(), m)
	if err != nil {
		return err
	}
	return b.write(c, cacheState)
}

// seriesDocument returns the map's series document, made once per revision and map setting.
func (s *Server) seriesDocument(ctx context.Context, m *data.Map) (*body, error) {
	series, err := s.series.Series(ctx, m)
	if err != nil {
		return nil, err
	}
	version := strconv.FormatInt(series.Revision, 10) + "/" + m.Start + "/" + m.End
	return s.compressed.get("series/"+m.Slug, version, func() (*body, error) {
		raw, err := json.Marshal(newSeriesBody(series))
		if err != nil {
			return nil, fmt.Errorf("encode the series of %q: %w", m.Slug, err)
		}
		return keptBody("application/json", raw), nil
	})
}
