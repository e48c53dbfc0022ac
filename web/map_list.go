package web

import (
	"github.com/labstack/echo/v4"
)

type mapListItem struct {
	Title, URL, Range string
}

// mapList serves GET /: every map.
func (s *Server) mapList(c echo.Context) error {
	maps, err := s.maps.Maps(c.Request().Context())
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	loc := locOf(ctx)
	items := make([]mapListItem, 0, len(maps))
	for _, m := range maps {
		dates := loc.Dates("")
		items = append(items, mapListItem{Title: m.TitleI18n.In(loc.Lang(), m.Title), URL: mapURL(m.Slug) + langQuery(ctx, "?"),
			Range: tf(ctx, "DateRange", "start", dateLabel(dates, m.Start), "end", dateLabel(dates, m.End))})
	}
	return render(c, 200, mapListPage(items))
}
