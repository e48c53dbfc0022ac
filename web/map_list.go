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
	items := make([]mapListItem, 0, len(maps))
	for _, m := range maps {
		items = append(items, mapListItem{Title: m.Title, URL: mapURL(m.Slug),
			Range: dateLabel(m.Start) + " to " + dateLabel(m.End)})
	}
	return render(c, 200, mapListPage(items))
}
