package web

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net/url"
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

// embedStyles reads the embed's style sheets from the assets, one after the other.
func embedStyles(assets fs.FS) (string, error) {
	var b strings.Builder
	for _, name := range embedStyleSheets {
		css, err := fs.ReadFile(assets, name)
		if err != nil {
			return "", fmt.Errorf("the embed's style sheets: %w", err)
		}
		b.Write(css)
		b.WriteByte('\n')
	}
	// Nothing in them may close the <style> element early.
	return strings.ReplaceAll(b.String(), "</", `<\/`), nil
}

type pictureLink struct {
	Label, URL string
}

// embedShow serves GET /embed/{slug}?date=D[&slider=0][&legend=0][&plain=1][&theme=T][&origin=O]...
func (s *Server) embedShow(c echo.Context) error {
	m, st, err := s.stateParam(c)
	if err != nil {
		return err
	}
	showSlider, err := flagParam(c, "slider")
	if err != nil {
		return err
	}
	showLegend, err := flagParam(c, "legend")
	if err != nil {
		return err
	}
	plain, err := plainParam(c)
	if err != nil {
		return err
	}
	origins, err := originsParam(c.QueryParams()["origin"])
	if err != nil {
		return err
	}
	events, timelineURL, err := s.pageEvents(c.Request().Context(), m)
	if err != nil {
		return err
	}
	m = s.useMapLang(c, m)
	ctx := c.Request().Context()
	mv := newMapView(locOf(ctx), m, st, events)
	if err := s.compareOn(c, &mv, m, st); err != nil {
		return err
	}
	v := embedView{
		mapView: mv, Assets: "/static/", ShowSlider: showSlider, ShowLegend: showLegend, Plain: plain,
		HostOrigins: strings.Join(origins, " "),
		FormAction:  embedURL(m.Slug), Lang: langOf(ctx).Asked,
		FullURL: newMapLinks(s.baseURL(c), m, langOf(ctx).Asked, themeOf(ctx)).at(st.Date, mv.CompareDate()).Page,
	}
	v.Script.Timeline = timelineURL
	if v.Script.GeoJSON, err = s.regionsURL(c, m.Slug); err != nil {
		return err
	}
	if v.InlineMap, err = s.inlineMap(c.Request().Context(), m, st); err != nil {
		return err
	}
	if v.Styles, err = s.embedCSS(); err != nil {
		return err
	}
	v.Script.useTiles(s.tiles)
	s.allowTiles(c)
	if err := s.listChanges(c.Request().Context(), &v.mapView, m, st); err != nil {
		return err
	}
	if err := s.withSeries(c.Request().Context(), &v.mapView); err != nil {
		return err
	}
	// An embed's first view carries no series: its script asks for it when first needed (a
	// step of the slider, a pointer on the chart), which keeps the embed within its bytes.
	v.Script.Series, v.Script.SeriesURL = nil, seriesURL(m.Slug)
	v.Chart = v.Chart.compact()
	// The page is the same for every reader (it reads no session), so caches in front of a
	// viral embed may keep it, as long as the state it shows (see cacheState), and then
	// revalidate it by its ETag.
	var page bytes.Buffer
	if err := embedPage(v).Render(ctx, &page); err != nil {
		return fmt.Errorf("render embed of %q: %w", m.Slug, err)
	}
	return writeFresh(c, echo.MIMETextHTMLCharsetUTF8, cacheState, page.Bytes())
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
		return false, data.Invalidf("%s=%q: use %s=0 to turn it off or %s=1 to keep it", name, v, name, name)
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
		return false, data.Invalidf("plain=%q: use plain=1 to hide the title and credit line or plain=0 to show them", v)
	}
}

// maxHostOrigins bounds ?origin=: a newsroom names its site and perhaps a preview host.
const maxHostOrigins = 8

// originsParam checks ?origin= values: each the scheme and host (and port) of a page that
// may drive the embed, such as https://news.example, written back as the browser writes an
// origin (lower case, no default port, no slash).
func originsParam(values []string) ([]string, error) {
	if len(values) > maxHostOrigins {
		return nil, data.Invalidf("origin: at most %d, got %d", maxHostOrigins, len(values))
	}
	origins := make([]string, 0, len(values))
	for _, v := range values {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" || strings.ContainsAny(v, " \t\n") {
			return nil, data.Invalidf("origin=%q: use the scheme and host of the page that frames the map, such as origin=https://news.example", v)
		}
		host := strings.ToLower(u.Host)
		if port := u.Port(); (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
			host = strings.TrimSuffix(host, ":"+port)
		}
		origins = append(origins, u.Scheme+"://"+host)
	}
	return origins, nil
}
