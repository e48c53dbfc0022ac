package web

import (
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// regionView is one region's history.
type regionView struct {
	Map     *data.Map
	MapURL  string
	Region  data.Region
	Initial data.Faction
	Events  []eventRow
}

type eventRow struct {
	data.Event
	Faction    data.Faction
	Claimed    bool
	SourceHost string
}

// regionShow serves GET /maps/{slug}/regions/{id}: every event of the region, oldest first.
func (s *Server) regionShow(c echo.Context) error {
	ctx := c.Request().Context()
	m, err := s.mapParam(c)
	if err != nil {
		return err
	}
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	region, err := s.store.Region(ctx, m.Slug, id)
	if err != nil {
		return err
	}
	events, err := s.store.RegionEvents(ctx, m.Slug, id)
	if err != nil {
		return err
	}
	v := regionView{Map: m, MapURL: mapURL(m.Slug), Region: region}
	v.Initial, _ = m.Faction(m.Initial)
	for _, e := range events {
		f, _ := m.Faction(e.Faction)
		row := eventRow{Event: e, Faction: f, Claimed: e.Confidence == data.Claimed, SourceHost: e.Source}
		if u, err := url.Parse(e.Source); err == nil && u.Host != "" {
			row.SourceHost = u.Host
		}
		v.Events = append(v.Events, row)
	}
	return render(c, 200, regionShowPage(v))
}
