package web

import "github.com/labstack/echo/v4"

// apiStateBody is the contract's state document.
type apiStateBody struct {
	Date    string            `json:"date"`
	Regions map[string]string `json:"regions"`
	Counts  map[string]int    `json:"counts"`
}

// apiState serves GET /api/maps/{slug}/state?date=D.
func (s *Server) apiState(c echo.Context) error {
	m, st, err := s.stateParam(c)
	if err != nil {
		return err
	}
	out := apiStateBody{Date: st.Date, Regions: make(map[string]string, len(st.Holdings)), Counts: st.Counts(m)}
	for _, h := range st.Holdings {
		out.Regions[h.Region.ID] = h.Faction
	}
	return writeJSON(c, cacheShort, out)
}
