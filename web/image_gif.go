package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/geo"
)

// An animation's bounds. A frame is a change date, so a long period of daily changes would
// otherwise make thousands: past maxGIFFrames the change dates are sampled evenly (the first
// and last kept). A frame holds only what changed, but a large map changing everywhere at
// once still makes large frames: past maxGIFBytes the animation is refused, with a message
// asking for a shorter period.
const (
	maxGIFFrames = 120
	maxGIFBytes  = 8 << 20
)

// animationStore is what an animation of a period reads, beside the map's states.
type animationStore interface {
	Revision(ctx context.Context, slug string) (int64, error)
	DatesChanged(ctx context.Context, m *data.Map, from, to string) ([]string, error)
}

// mapAnimation serves GET /maps/{slug}/{D1}_{D2}.gif (mapImage hands it the name's dates):
// the map animated from D1 to D2, a frame at D1 and one at each change date after it up to
// D2, each the card of the PNG with its date. Cached and drawn once, like the pictures.
func (s *Server) mapAnimation(c echo.Context, m *data.Map, period string) error {
	ctx := c.Request().Context()
	from, to, err := parsePeriod(m, period)
	if err != nil {
		return err
	}
	dates, err := s.frames.DatesChanged(ctx, m, from, to)
	if err != nil {
		return err
	}
	frames := sampleFrames(append([]string{from}, dates...), maxGIFFrames)
	rev, err := s.frames.Revision(ctx, m.Slug)
	if err != nil {
		return err
	}
	shapes, version, err := s.mapCache.shapesOf(ctx, s.shapes, m.Slug)
	if err != nil {
		return err
	}
	// The revision moves with every event written, the version with every import: between
	// them they name what the frames show without computing each frame's state first.
	loc, shown, fonts := s.pictureLang(c, m, true)
	landAround, err := s.mapCache.contextOf(ctx, s.shapes, m.Slug)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "gif\x00%s\x00%d\x00%s\x00%s\x00%s\x00%s", version, rev, from, to, loc.Lang(), shown.Title))
	b, err := s.images.get(ctx, hex.EncodeToString(sum[:]), func() (*body, error) {
		scenes := make([]geo.Scene, len(frames))
		for i, date := range frames {
			st, err := s.maps.State(ctx, m, date)
			if err != nil {
				return nil, err
			}
			scenes[i] = newScene(loc, shown, st, shapes)
			scenes[i].Fonts = fonts
			scenes[i].Context = landAround
		}
		var buf bytes.Buffer
		if err := geo.RenderGIF(&buf, scenes, maxGIFBytes); err != nil {
			if errors.Is(err, geo.ErrTooLarge) {
				return nil, invalidWords(data.P("AnimationTooLarge", "from", from, "to", to, "frames", len(frames), "mb", maxGIFBytes>>20))
			}
			return nil, fmt.Errorf("draw the animation of %q from %s to %s: %w", m.Slug, from, to, err)
		}
		return newBody("image/gif", buf.Bytes()), nil // compressed already
	})
	if err != nil {
		return err
	}
	return b.write(c, cacheShort)
}

// parsePeriod reads an animation's name, D1_D2 (the ".gif" cut off): two dates in the map's
// range, the first not after the second. The same date twice is one frame, so the page's
// link from the map's start to the date shown works at the start too.
func parsePeriod(m *data.Map, period string) (from, to string, err error) {
	from, to, ok := strings.Cut(period, "_")
	if !ok || from == "" || to == "" || strings.Contains(to, "_") {
		return "", "", data.Invalidf("animation %q: name it D1_D2.gif, two dates YYYY-MM-DD from %s to %s, the first not after the second", period+".gif", m.Start, m.End)
	}
	if from, err = m.ParseDate(from); err != nil {
		return "", "", fmt.Errorf("the animation's first date: %w", err)
	}
	if to, err = m.ParseDate(to); err != nil {
		return "", "", fmt.Errorf("the animation's last date: %w", err)
	}
	if from > to {
		return "", "", data.Invalidf("animation from %s to %s: the first date must not be after the second", from, to)
	}
	return from, to, nil
}

// sampleFrames returns dates, or max of them evenly spread when there are more, the first
// and last among them.
func sampleFrames(dates []string, max int) []string {
	if len(dates) <= max {
		return dates
	}
	out := make([]string, max)
	for i := range out {
		out[i] = dates[i*(len(dates)-1)/(max-1)]
	}
	return out
}
