// Package web owns Frontline's HTTP side: routes, handlers, templ pages and middleware.
package web

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontline-maps/frontline/data"
)

// Store is what the handlers read from the database; *data.Store provides it.
type Store interface {
	Maps(ctx context.Context) ([]data.Map, error)
	Map(ctx context.Context, slug string) (*data.Map, error)
	Regions(ctx context.Context, slug string) ([]data.Region, error)
	Region(ctx context.Context, slug, regionID string) (data.Region, error)
	RegionsGeoJSON(ctx context.Context, slug string) ([]byte, error)
	Events(ctx context.Context, slug string) ([]data.Event, error)
	RegionEvents(ctx context.Context, slug, regionID string) ([]data.Event, error)
	State(ctx context.Context, m *data.Map, date string) (data.State, error)
	Event(ctx context.Context, slug string, eventID int64) (data.Event, error)
	Changes(ctx context.Context, slug string, limit int) ([]data.Change, error)
	Revision(ctx context.Context, slug string) (int64, error)
	Holders(ctx context.Context, m *data.Map, date string) (data.Holders, error)
	LiveEvents(ctx context.Context, slug string) (int, error)
	CompactTimeline(ctx context.Context, m *data.Map) ([]byte, int64, error)
	Writes() uint64

	Record(ctx context.Context, slug string, e *data.Event, author string, supersedes int64) error
	Retract(ctx context.Context, slug string, eventID int64, author, reason string) error

	Authenticate(ctx context.Context, name, password string) (data.User, error)
	CreateSession(ctx context.Context, userID int64) (string, error)
	SessionUser(ctx context.Context, token string) (data.User, error)
	DeleteSession(ctx context.Context, token string) error

	MapVersion(ctx context.Context, slug string) (string, error)
	RegionShapes(ctx context.Context, slug string) (map[string]orb.Geometry, error)
}

// Server holds the dependencies of every handler.
type Server struct {
	store  Store
	log    *slog.Logger
	static fs.FS
	// logins counts failed sign-ins per account and per address.
	logins *failureLimiter
	// mapCache and images keep what is derived from maps' geometry and the drawn pictures.
	mapCache *mapCache
	images   *imageCache
	// states keeps encoded state documents until their map's revision changes.
	states *stateCache
	// assets holds the content hash of each browser asset, for cache-busting URLs.
	assets assetHashes
	// compressed keeps the assets and the regions' GeoJSON gzipped, made once.
	compressed *precompressed
	// base, trusted, registry and ready are the operator's settings (options.go).
	base     string
	trusted  []netip.Prefix
	registry prometheus.Registerer
	ready    []namedCheck
	metrics  *httpMetrics
}

// loginWindow is how long failed sign-ins count against an account or address.
const loginWindow = 15 * time.Minute

// New returns the HTTP handler of a Frontline server reading from store and serving the
// browser assets in static.
func New(store Store, log *slog.Logger, static fs.FS, opts ...Option) http.Handler {
	s := &Server{store: store, log: log, static: static, logins: newFailureLimiter(loginWindow),
		mapCache: &mapCache{maps: map[string]*mapEntry{}}, images: newImageCache(256),
		assets: hashAssets(static), states: newStateCache(), compressed: newPrecompressed(), trusted: loopback}
	for _, o := range opts {
		o(s)
	}
	s.metrics = newHTTPMetrics(s.registry, s.states, s.images)
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	// Sign-in limits count failures per address. Take the address from X-Forwarded-For
	// only when a trusted proxy sent it: from anyone else the header is a free pass around
	// the limit, and without it every reader behind the proxy shares one address.
	e.IPExtractor = ipExtractor(s.trusted)
	e.HTTPErrorHandler = s.handleError
	s.routes(e)
	return e
}

// param returns the path parameter name, unescaped. Echo matches on the raw path when the
// request has one (an id with a "/" or "%" in it), and then its parameters are still escaped.
func param(c echo.Context, name string) (string, error) {
	v := c.Param(name)
	if c.Request().URL.RawPath == "" {
		return v, nil
	}
	u, err := url.PathUnescape(v)
	if err != nil {
		return "", &data.InvalidError{Msg: "malformed escape in the URL path"}
	}
	return u, nil
}
