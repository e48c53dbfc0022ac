package web

import (
	"context"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// mapStore is what the pages and the API read of maps, through mapParam and stateParam
// and the lists of maps.
type mapStore interface {
	Maps(ctx context.Context) ([]data.Map, error)
	Map(ctx context.Context, slug string) (*data.Map, error)
	State(ctx context.Context, m *data.Map, date string) (data.State, error)
}

// apiMap is a map as the JSON API lists it.
type apiMap struct {
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	Start       string `json:"start"`
	End         string `json:"end"`
	DefaultDate string `json:"default_date"`
}

func newAPIMap(m *data.Map) apiMap {
	return apiMap{Slug: m.Slug, Title: m.Title, Start: m.Start, End: m.End, DefaultDate: m.DefaultDate}
}

// apiMapList serves GET /api/maps.
func (s *Server) apiMapList(c echo.Context) error {
	maps, err := s.maps.Maps(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]apiMap, 0, len(maps))
	for i := range maps {
		out = append(out, newAPIMap(&maps[i]))
	}
	return writeJSON(c, cacheShort, out)
}

// apiMapDetail is one map with its factions.
type apiMapDetail struct {
	apiMap
	Description string       `json:"description"`
	Attribution string       `json:"attribution"`
	Initial     string       `json:"initial"`
	Factions    []apiFaction `json:"factions"`
}

type apiFaction struct {
	data.Faction
	Order int `json:"order"`
}

// apiMapShow serves GET /api/maps/{slug}.
func (s *Server) apiMapShow(c echo.Context) error {
	m, err := s.mapParam(c)
	if err != nil {
		return err
	}
	out := apiMapDetail{apiMap: newAPIMap(m), Description: m.Description, Attribution: m.Attribution,
		Initial: m.Initial, Factions: make([]apiFaction, len(m.Factions))}
	for i, f := range m.Factions {
		out.Factions[i] = apiFaction{Faction: f, Order: i}
	}
	return writeJSON(c, cacheShort, out)
}

// mapParam loads the map named by the :slug path parameter.
func (s *Server) mapParam(c echo.Context) (*data.Map, error) {
	slug, err := param(c, "slug")
	if err != nil {
		return nil, err
	}
	return s.maps.Map(c.Request().Context(), slug)
}

// pageMapParam loads the map named by :slug for a page: the page is in the map's locale when
// the reader asked for no language, and the map's title and factions' names are in the
// page's language (useMapLang), as on the reader's pages, so that a history or an editor's
// page in Persian does not name the map in English.
func (s *Server) pageMapParam(c echo.Context) (*data.Map, error) {
	m, err := s.mapParam(c)
	if err != nil {
		return nil, err
	}
	return s.useMapLang(c, m), nil
}

// stateParam loads the map named by :slug and its state at ?date= (absent: the default date).
func (s *Server) stateParam(c echo.Context) (*data.Map, data.State, error) {
	m, err := s.mapParam(c)
	if err != nil {
		return nil, data.State{}, err
	}
	date, err := m.ParseDate(c.QueryParam("date"))
	if err != nil {
		return nil, data.State{}, err
	}
	st, err := s.maps.State(c.Request().Context(), m, date)
	return m, st, err
}
