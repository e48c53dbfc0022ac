package web

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// embedView is the embed page: the map view plus what the page's options change.
type embedView struct {
	mapView
	// Assets is the prefix of the browser assets: "/static/" on the server, a relative
	// path in a static export.
	Assets                 string
	ShowSlider, ShowLegend bool
	// Plain (?plain=1) hides the title and the credit line, for a newsroom's own furniture.
	Plain bool
	// HostOrigins are the origins whose pages may drive the embed by postMessage
	// (?origin=, static/embed-api.js), space separated; "" trusts the framing page's.
	HostOrigins string
	// FormAction is where the no-JavaScript date form goes; FullURL links to the full map
	// (empty in a static export with no site to link to).
	FormAction, FullURL string
	// Lang is the ?lang= asked for, which the no-JavaScript date form keeps.
	Lang string
	// Pictures link to the map drawn at each event date, for a static export's readers
	// without JavaScript, who have no server to ask for another date.
	Pictures []pictureLink
	// Styles are the embed's style sheets (embedStyles), inline.
	Styles string
}

// embedStyleSheets are the embed's style sheets. The embed page carries them inline rather
// than linking them: a stylesheet link holds the first paint back until it has arrived, and
// the embed's first paint is its map (the server's inline map), which should show as soon
// as a static page's would (docs/benchmarks.md). Leaflet's, needed only once Leaflet runs,
// comes with it (static/map/start.js).
var embedStyleSheets = []string{"style.css", "map.css", "embed.css"}

// embedStyles reads the embed's style sheets from the assets, one after the other, minified
// as the linked ones are (minifyAsset): the browser parses the whole sheet before its first
// frame, and the comments that say why are a third of its bytes.
func embedStyles(assets fs.FS) (string, error) {
	var b strings.Builder
	for _, name := range embedStyleSheets {
		css, err := fs.ReadFile(assets, name)
		if err != nil {
			return "", fmt.Errorf("the embed's style sheets: %w", err)
		}
		if css, err = minifyAsset(name, css); err != nil {
			return "", fmt.Errorf("the embed's style sheets: %w", err)
		}
		b.Write(css)
	}
	// Nothing in them may close the <style> element early.
	return strings.ReplaceAll(b.String(), "</", `<\/`), nil
}

type pictureLink struct {
	Label, URL string
}

// maxEmbedPages bounds the embed pages kept (embedShow), the most recent first: about
// 130 kB each, raw and gzipped, for the built-in map; a few hundred for a map of thousands
// of regions.
const maxEmbedPages = 64

// embedShow serves GET /embed/{slug}?date=D[&slider=0][&legend=0][&plain=1][&theme=T][&origin=O]...
//
// The page is the same for every reader (it reads no session): it is rendered and gzipped
// once per map revision, query and address of the site (its links are absolute), and kept.
// Rendering it cost 9 to 13 ms on a loaded machine, half of it gzip, on the way to the first
// paint of every embedded map (BenchmarkEmbedPage, docs/benchmarks.md).
func (s *Server) embedShow(c echo.Context) error {
	m, err := s.mapParam(c)
	if err != nil {
		return err
	}
	date, err := m.ParseDate(c.QueryParam("date"))
	if err != nil {
		return err
	}
	opts, err := embedOptionsOf(c)
	if err != nil {
		return err
	}
	s.allowTiles(c)
	s.allowEarly(c)
	// The revision moves on with every change to the map (its events, its texts, a new
	// import), so a page kept under an older one is never answered again; the other
	// options are in the query, validated above or, on a miss, by the rendering. It is the
	// state cache's, read as the state API reads it: the state itself (30 ms over 5,000
	// regions) is computed only to render.
	rev, err := s.states.revision(c.Request().Context(), m.Slug)
	if err != nil {
		return err
	}
	key := fmt.Sprintf("%s\x00%d\x00%s\x00%s", m.Slug, rev, s.baseURL(c), c.Request().URL.RawQuery)
	page, err := s.embeds.get(c.Request().Context(), key, func() (*body, error) {
		st, err := s.maps.State(c.Request().Context(), m, date)
		if err != nil {
			return nil, err
		}
		raw, err := s.renderEmbed(c, m, st, opts)
		if err != nil {
			return nil, err
		}
		return keptBody(echo.MIMETextHTMLCharsetUTF8, raw), nil
	})
	if err != nil {
		return err
	}
	// Caches in front of a viral embed may keep it as long as the state it shows (see
	// cacheState), and then revalidate it by its ETag.
	return page.write(c, cacheState)
}

// embedOptions are the embed's own query options.
type embedOptions struct {
	showSlider, showLegend, plain bool
	origins                       []string
}

// embedOptionsOf reads and checks the embed's own query options.
func embedOptionsOf(c echo.Context) (o embedOptions, err error) {
	if o.showSlider, err = flagParam(c, "slider"); err != nil {
		return o, err
	}
	if o.showLegend, err = flagParam(c, "legend"); err != nil {
		return o, err
	}
	if o.plain, err = plainParam(c); err != nil {
		return o, err
	}
	o.origins, err = originsParam(c.QueryParams()["origin"])
	return o, err
}

// renderEmbed renders the embed page of m at the state st.
func (s *Server) renderEmbed(c echo.Context, m *data.Map, st data.State, o embedOptions) ([]byte, error) {
	events, timelineURL, err := s.pageEvents(c.Request().Context(), m)
	if err != nil {
		return nil, err
	}
	m = s.useMapLang(c, m)
	ctx := c.Request().Context()
	mv := newMapView(locOf(ctx), m, st, events)
	if err := s.compareOn(c, &mv, m, st); err != nil {
		return nil, err
	}
	v := embedView{
		mapView: mv, Assets: "/static/", ShowSlider: o.showSlider, ShowLegend: o.showLegend, Plain: o.plain,
		HostOrigins: strings.Join(o.origins, " "),
		FormAction:  embedURL(m.Slug), Lang: langOf(ctx).Asked,
		FullURL: newMapLinks(s.baseURL(c), m, langOf(ctx).Asked, themeOf(ctx)).at(st.Date, mv.CompareDate()).Page,
	}
	v.Script.Timeline = timelineURL
	if err := s.useShapes(c, &v.Script, m.Slug); err != nil {
		return nil, err
	}
	if v.InlineMap, err = s.inlineMap(ctx, m, st); err != nil {
		return nil, err
	}
	if v.Styles, err = s.embedCSS(); err != nil {
		return nil, err
	}
	v.Script.useTiles(s.tiles)
	if err := s.listChanges(ctx, &v.mapView, m, st); err != nil {
		return nil, err
	}
	if err := s.withSeries(ctx, &v.mapView); err != nil {
		return nil, err
	}
	// A large map's embed carries no series in its first view: its script asks for it when
	// first needed (a step of the slider, a pointer on the chart), which keeps the embed
	// within its bytes. A light map's is small (useSeries inlines it up to inlineSeriesMax:
	// the built-in map's is 0.5 kB gzipped), and the slider, live from the first frame
	// (earlyMap), wants it at its first step: it comes with the page rather than as a request
	// on that step.
	if !v.Script.Lite {
		v.Script.Series, v.Script.SeriesURL = nil, seriesURL(m.Slug)
	}
	v.Chart = v.Chart.compact()
	if v.Early, err = s.earlyMap(ctx, &v.mapView, v.ShowSlider); err != nil {
		return nil, err
	}
	var page bytes.Buffer
	if err := embedPage(v).Render(ctx, &page); err != nil {
		return nil, fmt.Errorf("render embed of %q: %w", m.Slug, err)
	}
	return page.Bytes(), nil
}

// embedCSS is embedStyles of the server's assets, read once.
func (s *Server) embedCSS() (string, error) {
	s.embedStylesOnce.Do(func() { s.embedStyles, s.embedStylesErr = embedStyles(s.static) })
	return s.embedStyles, s.embedStylesErr
}

// asset is the URL of a browser asset from this page: content-hashed on the server,
// relative in a static export.
func (v embedView) asset(ctx context.Context, name string) string {
	if v.Assets == "/static/" {
		return asset(ctx, name)
	}
	return v.Assets + name
}

func embedURL(slug string) string { return "/embed/" + url.PathEscape(slug) }

// flagParam reads an on/off query option that is on when absent: "1" or "0".
func flagParam(c echo.Context, name string) (bool, error) {
	switch v := c.QueryParam(name); v {
	case "", "1":
		return true, nil
	case "0":
		return false, nil
	default:
		return false, invalidWords(data.P("EmbedFlag", "name", name, "value", strconv.Quote(v)))
	}
}

// plainParam reads ?plain=, an option that is off when absent: "1" or "0".
func plainParam(c echo.Context) (bool, error) {
	switch v := c.QueryParam("plain"); v {
	case "", "0":
		return false, nil
	case "1":
		return true, nil
	default:
		return false, invalidWords(data.P("EmbedPlain", "value", strconv.Quote(v)))
	}
}

// maxHostOrigins bounds ?origin=: a newsroom names its site and perhaps a preview host.
const maxHostOrigins = 8

// originsParam checks ?origin= values: each the scheme and host (and port) of a page that
// may drive the embed, such as https://news.example, written back as the browser writes an
// origin (lower case, no default port, no slash).
func originsParam(values []string) ([]string, error) {
	if len(values) > maxHostOrigins {
		return nil, invalidWords(data.P("EmbedOrigins", "max", maxHostOrigins, "count", len(values)))
	}
	origins := make([]string, 0, len(values))
	for _, v := range values {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" || strings.ContainsAny(v, " \t\n") {
			return nil, invalidWords(data.P("EmbedOrigin", "value", strconv.Quote(v)))
		}
		host := strings.ToLower(u.Host)
		if port := u.Port(); (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
			host = strings.TrimSuffix(host, ":"+port)
		}
		origins = append(origins, u.Scheme+"://"+host)
	}
	return origins, nil
}
