package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// stateFeature is a region with who held it at the date.
type stateFeature struct {
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	Properties stateProperties `json:"properties"`
	Geometry   json.RawMessage `json:"geometry"`
}

type stateProperties struct {
	Name        string `json:"name"`
	Faction     string `json:"faction"`
	FactionName string `json:"faction_name"`
	Color       string `json:"color"`
	Since       string `json:"since"`
	Confidence  string `json:"confidence,omitempty"`
	Source      string `json:"source,omitempty"`
	Note        string `json:"note,omitempty"`
	// Place marks a place's feature (a Point) among the regions'.
	Place bool   `json:"place,omitempty"`
	Kind  string `json:"kind,omitempty"`
}

// apiStateGeoJSON serves GET /api/maps/{slug}/state.geojson?date=D: the regions and then the
// places (Points, marked "place": true), each with its holder at D, for GIS tools.
func (s *Server) apiStateGeoJSON(c echo.Context) error {
	m, st, err := s.stateParam(c)
	if err != nil {
		return err
	}
	raw, err := s.shapes.RegionsGeoJSON(c.Request().Context(), m.Slug)
	if err != nil {
		return err
	}
	var fc struct {
		Features []stateFeature `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		return fmt.Errorf("read regions of %q: %w", m.Slug, err)
	}
	holdings := make(map[string]data.Holding, len(st.Holdings))
	for _, h := range st.Holdings {
		holdings[h.Region.ID] = h
	}
	for i := range fc.Features {
		f := &fc.Features[i]
		h := holdings[f.ID]
		faction, _ := m.Faction(h.Faction)
		f.Type = "Feature"
		f.Properties = stateProperties{Name: f.Properties.Name, Faction: h.Faction, FactionName: faction.Name,
			Color: faction.Color, Since: h.Since}
		if h.Event != nil {
			f.Properties.Confidence, f.Properties.Source, f.Properties.Note = h.Event.Confidence, h.Event.Source, h.Event.Note
		}
	}
	places, err := s.places.PlacesGeoJSON(c.Request().Context(), m.Slug)
	if err != nil {
		return err
	}
	var pc struct {
		Features []stateFeature `json:"features"`
	}
	if err := json.Unmarshal(places, &pc); err != nil {
		return fmt.Errorf("read places of %q: %w", m.Slug, err)
	}
	placeHoldings := make(map[string]data.Holding, len(st.Places))
	for _, h := range st.Places {
		placeHoldings[h.Region.ID] = h
	}
	for _, f := range pc.Features {
		h := placeHoldings[f.ID]
		faction, _ := m.Faction(h.Faction)
		f.Properties = stateProperties{Name: f.Properties.Name, Faction: h.Faction, FactionName: faction.Name,
			Color: faction.Color, Since: h.Since, Place: true, Kind: h.Region.Kind}
		if h.Event != nil {
			f.Properties.Confidence, f.Properties.Source, f.Properties.Note = h.Event.Confidence, h.Event.Source, h.Event.Note
		}
		fc.Features = append(fc.Features, f)
	}
	out := struct {
		Type     string         `json:"type"`
		Date     string         `json:"date"`
		Features []stateFeature `json:"features"`
	}{"FeatureCollection", st.Date, fc.Features}
	body, err := json.Marshal(out)
	if err != nil {
		return fmt.Errorf("encode state geojson: %w", err)
	}
	setDownloadName(c, m.Slug+"-"+st.Date+".geojson")
	return writeFresh(c, "application/geo+json", cacheShort, body)
}

// apiStateCSV serves GET /api/maps/{slug}/state.csv?date=D: one row per region, then one
// per place, the last column saying which.
func (s *Server) apiStateCSV(c echo.Context) error {
	m, st, err := s.stateParam(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"region", "name", "faction", "faction_name", "since", "confidence", "source", "note", "type"})
	for _, h := range append(st.Holdings, st.Places...) {
		faction, _ := m.Faction(h.Faction)
		row := []string{h.Region.ID, h.Region.Name, h.Faction, faction.Name, h.Since, "", "", "", "region"}
		if h.Region.Place {
			row[8] = "place"
		}
		if h.Event != nil {
			row[5], row[6], row[7] = h.Event.Confidence, h.Event.Source, h.Event.Note
		}
		for i := range row {
			row[i] = spreadsheetSafe(row[i])
		}
		w.Write(row)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("write state csv: %w", err)
	}
	setDownloadName(c, m.Slug+"-"+st.Date+".csv")
	return writeFresh(c, "text/csv; charset=utf-8", cacheShort, buf.Bytes())
}

// spreadsheetSafe stops a cell that an editor typed from running as a spreadsheet formula
// when a reader opens the download (CSV injection).
func spreadsheetSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func setDownloadName(c echo.Context, name string) {
	c.Response().Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
}
