package web

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/geo"
	"github.com/frontline-maps/frontline/web/i18n"
)

// earlyMaxShifts bounds the early table: a light map whose regions change hands more often
// than this starts with its module alone, rather than carry a table of tens of kilobytes
// in its page. A shift costs about 6 bytes of the table, 2 gzipped: a map of 400 districts
// and 3,000 events (issue 14's real layers: 3,395 shifts, 20 kB, 7.4 kB on the wire) starts
// with its slider moving at the first frame; the 400-region grid's 10,400 shifts do not.
const earlyMaxShifts = 6000

// earlyView is what a light map page (mapScript.Lite) carries beside its inline map so that
// the slider recolours the map from the first frame, before any module has arrived: the
// table (#map-early) and the classic script that reads it (static/map/early.js, inline).
// static/map.js takes over from the slider's position once it has started.
type earlyView struct {
	Table  earlyTable
	Script string
	// Controls is the script that shows the date controls as they stay, which the page runs
	// right after its form, before the map (static/map/early-controls.js).
	Controls string
}

// earlyTable is the map at every slider position as the server draws it: per position, the
// fills that change there, each as geo.Inline.InlineFill gives it. The rules are the
// server's (data.Store.Shifts for the holder, the inline map's fill for the colour and the
// hatch), so the browser computes neither before the module does.
type earlyTable struct {
	// Start is the slider's position 0, for the date label.
	Start string `json:"start"`
	// Dates is how the page writes a date (static/model/dates.js's formatDate).
	Dates i18n.DateFormat `json:"dates"`
	// Regions are the ids of the inline map's regions (data-inline-region); Steps refer to
	// them by index.
	Regions []string `json:"regions"`
	// Fills are [fill, faction colour] (the data-faction-color of a claim's hatch, else "").
	Fills [][2]string `json:"fills"`
	// Places are the ids of the inline map's places' markers (data-inline-place); Steps refer
	// to place k as len(Regions)+k, and to a marker of Markers.
	Places  []string           `json:"places,omitempty"`
	Markers []geo.InlineMarker `json:"markers,omitempty"`
	// Steps are [position, index, fill or marker, index, fill or marker, ...], by position;
	// the first, at position 0, holds every region and place.
	Steps [][]int `json:"steps"`
}

// inlineHatches are the colours whose hatch a light map's inline picture defines
// (geo.Inline.Hatches): every faction's, in the map's order, so the early script can draw a
// claim of any of them.
func inlineHatches(m *data.Map) []string {
	var colors []string
	for _, f := range m.Factions {
		if !slices.Contains(colors, f.Color) {
			colors = append(colors, f.Color)
		}
	}
	return colors
}

// newEarlyTable is m's early table from its regions' and places' shifts (capital: the places
// drawn as capitals); ok is false when the map changes hands more than earlyMaxShifts times or
// a fill cannot be drawn.
func newEarlyTable(m *data.Map, dates i18n.DateFormat, shifts []data.RegionShifts, capital map[string]bool) (t earlyTable, ok bool) {
	o := geo.Inline{Hatches: inlineHatches(m)}
	t = earlyTable{Start: m.Start, Dates: dates}
	fills, markers := map[[2]string]int{}, map[geo.InlineMarker]int{}
	byPos := map[int][]int{}
	total := 0
	// The regions first, then the places, whose indexes follow the regions'.
	for _, places := range []bool{false, true} {
		for _, rs := range shifts {
			if rs.Place != places {
				continue
			}
			r := len(t.Regions)
			if places {
				r += len(t.Places)
				t.Places = append(t.Places, rs.ID)
			} else {
				t.Regions = append(t.Regions, rs.ID)
			}
			for _, sh := range rs.Shifts {
				if total++; total > earlyMaxShifts {
					return earlyTable{}, false
				}
				f, _ := m.Faction(sh.Faction)
				var i int
				if places {
					i = intern(markers, &t.Markers, geo.InlineMarkerOf(f.Color, sh.Claimed, capital[rs.ID]))
				} else {
					fill, factionColor, ok := o.InlineFill(f.Color, sh.Claimed)
					if !ok {
						return earlyTable{}, false
					}
					i = intern(fills, &t.Fills, [2]string{fill, factionColor})
				}
				pos := daysBetween(m.Start, sh.Date)
				byPos[pos] = append(byPos[pos], r, i)
			}
		}
	}
	positions := make([]int, 0, len(byPos))
	for p := range byPos {
		positions = append(positions, p)
	}
	slices.Sort(positions)
	for _, p := range positions {
		t.Steps = append(t.Steps, append([]int{p}, byPos[p]...))
	}
	return t, len(t.Regions) > 0
}

// shiftsStore is what the early map reads of the store.
type shiftsStore interface {
	Shifts(ctx context.Context, m *data.Map) ([]data.RegionShifts, error)
}

// earlyMap is the early view of v's page, or nil for a page that starts with its module
// alone: not a light map, no slider, or no early script in the bundle.
func (s *Server) earlyMap(ctx context.Context, v *mapView, slider bool) (*earlyView, error) {
	if !v.Script.Lite || !slider || s.static == nil {
		return nil, nil
	}
	b, err := s.bundles()
	if err != nil {
		return nil, nil // the module's own request reports a bundle that fails
	}
	return newEarlyView(ctx, s.shifts, b, v, slider)
}

// newEarlyView is the early view of v's page with the bundle's early script (bundleEarly),
// or nil for a page that starts with its module alone: not a light map, no slider, no early
// script, or a map that changes hands too often (newEarlyTable). The server's pages
// (earlyMap) and the static export (ExportStatic) both take theirs from here, so that an
// exported page moves its slider from the first frame exactly as the served embed does.
func newEarlyView(ctx context.Context, store shiftsStore, b *bundle, v *mapView, slider bool) (*earlyView, error) {
	if !v.Script.Lite || !slider || b.early == "" {
		return nil, nil
	}
	shifts, err := store.Shifts(ctx, v.Map)
	if err != nil {
		return nil, fmt.Errorf("early map of %q: %w", v.Map.Slug, err)
	}
	capital := map[string]bool{}
	for _, p := range v.Script.Places {
		capital[p.ID] = p.Kind == "capital"
	}
	t, ok := newEarlyTable(v.Map, v.Script.Labels.Dates, shifts, capital)
	if !ok {
		return nil, nil
	}
	return &earlyView{Table: t, Script: b.early, Controls: b.earlyControls}, nil
}

// scriptHash is a script's CSP source ('sha256-...'), which lets the page run it inline.
func scriptHash(src string) string {
	sum := sha256.Sum256([]byte(src))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// allowEarly lets a map page or an embed run the early scripts inline (earlyMap): the page's
// script policy gains their hashes, whether or not this page carries them (an embed answered
// from its cache is not read again), as it allows those two scripts and no other.
func (s *Server) allowEarly(c echo.Context) {
	if s.static == nil {
		return
	}
	b, err := s.bundles()
	if err != nil || b.early == "" {
		return
	}
	h := c.Response().Header()
	h.Set("Content-Security-Policy", strings.Replace(h.Get("Content-Security-Policy"), "script-src 'self'", "script-src 'self' "+b.earlyHashes, 1))
}

// intern is key's index in *list, appended (and indexed) when it is not there yet: the early
// table names each fill and marker once and refers to them by index.
func intern[K comparable](index map[K]int, list *[]K, key K) int {
	i, seen := index[key]
	if !seen {
		i = len(*list)
		index[key] = i
		*list = append(*list, key)
	}
	return i
}
