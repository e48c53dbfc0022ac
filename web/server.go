// Package web owns Frontline's HTTP side: routes, handlers, templ pages and middleware.
package web

import (
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"runtime"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/geo"
	"github.com/frontline-maps/frontline/web/i18n"
)

// Server holds the dependencies of every handler. The store is held as the narrow
// interfaces its handlers declare, each in the file of the handlers that use it.
type Server struct {
	maps     mapStore       // api_maps.go
	events   eventStore     // api_events.go
	shapes   shapeStore     // image.go
	places   placeStore     // api_places.go
	history  historyStore   // region_show.go
	timeline timelineStore  // api_timeline.go
	series   seriesStore    // api_series.go
	shifts   shiftsStore    // early_map.go
	compare  compareStore   // compare.go
	frames   animationStore // image_gif.go
	changes  changeStore    // changes.go
	edits    editStore      // event_create.go
	imports  importStore    // event_import.go
	sessions sessionStore   // auth.go
	grants   grantStore     // auth.go
	admin    adminUserStore // admin_users.go
	mapAdmin adminMapStore  // admin_maps.go

	log    *slog.Logger
	static fs.FS
	// fonts are the raster pictures' Arabic-script fonts, read from static once; nil when
	// static lacks them (image.go).
	fonts func() *geo.Fonts
	// catalog is the interface's words in every language (lang.go, web/i18n).
	catalog *i18n.Catalog
	// logins counts failed sign-ins per account and address, and per address; checking
	// bounds the password checks under way (login.go).
	logins   *failureLimiter
	checking chan struct{}
	// mapCache and images keep what is derived from maps' geometry and the drawn pictures.
	mapCache *mapCache
	images   *imageCache
	// inlines keeps the inline maps of the pages (inlineMap), apart from the pictures.
	inlines *imageCache
	// embeds keeps the embed pages rendered and gzipped, by map revision and query
	// (embedShow).
	embeds *imageCache
	// embedStyles are the embed's style sheets, read once (embedCSS).
	embedStylesOnce sync.Once
	embedStyles     string
	embedStylesErr  error
	// states keeps encoded state documents until their map's revision changes.
	states *stateCache
	// charts keeps the charts of control drawn from the maps' current series (chart.go).
	charts *charts
	// assets holds the content hash of each browser asset, for cache-busting URLs.
	assets assetHashes
	// bundles are the scripts bundled (bundle.go), made at the first request for one.
	bundles func() (*bundle, error)
	// compressed keeps the assets, regions and timelines hashed and gzipped, made once.
	compressed *precompressed
	// base, trusted, registry and ready are the operator's settings (options.go).
	base     string
	tiles    string // WithTiles
	trusted  []netip.Prefix
	registry prometheus.Registerer
	ready    []namedCheck
	metrics  *httpMetrics
}

// loginWindow is how long failed sign-ins count against an account or address.
const loginWindow = 15 * time.Minute

// New returns the HTTP handler of a Frontline server reading from store and serving the
// browser assets in static.
func New(store *data.Store, log *slog.Logger, static fs.FS, opts ...Option) http.Handler {
	return newServer(store, log, static, opts...).handler()
}

func newServer(store *data.Store, log *slog.Logger, static fs.FS, opts ...Option) *Server {
	s := &Server{maps: store, events: store, shapes: store, places: store, timeline: store, series: store, shifts: store, compare: store, frames: store, changes: store, edits: store, imports: store,
		sessions: store, grants: store, admin: store, mapAdmin: store, history: store, log: log, static: static, catalog: i18n.MustNew(log), logins: newFailureLimiter(loginWindow),
		checking: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2)),
		mapCache: &mapCache{maps: map[string]*mapEntry{}}, images: newImageCache(256), inlines: newImageCache(256), embeds: newImageCache(maxEmbedPages),
		assets: hashAssets(static), states: newStateCache(store), charts: &charts{}, compressed: newPrecompressed(), trusted: loopback}
	s.bundles = sync.OnceValues(func() (*bundle, error) { return bundleScripts(static) })
	s.fonts = sync.OnceValue(func() *geo.Fonts {
		f, err := pictureFonts(static)
		if err != nil {
			log.Warn("raster pictures in Arabic script are drawn in English", "err", err)
		}
		return f
	})
	for _, o := range opts {
		o(s)
	}
	s.metrics = newHTTPMetrics(s.registry, s.states, s.images)
	return s
}

// handler routes requests to s's handlers.
func (s *Server) handler() http.Handler {
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
