package web

import (
	"github.com/labstack/echo/v4"
)

// mapListItem is a map's card on the list of maps: its title, what it is about, its dates,
// and a picture of it at the date its page opens on (the social card's SVG, which the
// picture cache keeps: the same bytes the map's links share).
type mapListItem struct {
	Title, Description, URL, Range, Picture string
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
		items = append(items, mapListItem{
			Title:       m.TitleI18n.In(loc.Lang(), m.Title),
			Description: m.DescriptionI18n.In(loc.Lang(), m.Description),
			URL:         mapURL(m.Slug) + langQuery(ctx, "?"),
			Range:       tf(ctx, "DateRange", "start", dateLabel(dates, m.Start), "end", dateLabel(dates, m.End)),
			Picture:     imageURL(m.Slug, m.DefaultDate, "svg") + langQuery(ctx, "?"),
		})
	}
	return render(c, 200, mapListPage(items))
}
