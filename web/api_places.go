package web

import (
	"context"
	"errors"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// placeStore is what the places API and a place's page read.
type placeStore interface {
	Place(ctx context.Context, slug, placeID string) (data.Region, error)
	Places(ctx context.Context, slug string) ([]data.Region, error)
	PlacesGeoJSON(ctx context.Context, slug string) ([]byte, error)
}

// apiPlaces serves GET /api/maps/{slug}/places.geojson: the map's places as Point features,
// an empty collection for a map without places.
func (s *Server) apiPlaces(c echo.Context) error {
	m, err := s.mapParam(c)
	if err != nil {
		return err
	}
	raw, err := s.places.PlacesGeoJSON(c.Request().Context(), m.Slug)
	if err != nil {
		return err
	}
	return writeFresh(c, "application/geo+json", cacheShort, raw)
}

// regionOrPlace returns the region or, failing that, the place with the given id: events
// name either, so the events API's ?region= does too.
func (s *Server) regionOrPlace(ctx context.Context, slug, id string) (data.Region, error) {
	r, err := s.events.Region(ctx, slug, id)
	if errors.Is(err, data.ErrNotFound) {
		if p, perr := s.places.Place(ctx, slug, id); perr == nil {
			return p, nil
		}
	}
	return r, err
}
