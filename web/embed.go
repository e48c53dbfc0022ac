package web

import (
	"bytes"
	"context"
	"fmt"
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
	// Pictures link to the map drawn at each event date, for a static export's readers
	// without JavaScript, who have no server to ask for another date.
	Pictures []pictureLink
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
	v := embedView{
		mapView: newMapView(m, st, events), Assets: "/static/", ShowSlider: showSlider, ShowLegend: showLegend, Plain: plain,
		HostOrigins: strings.Join(origins, " "),
		FormAction:  embedURL(m.Slug),
		FullURL:     newMapLinks(s.baseURL(c), m, themeOf(c.Request().Context())).at(st.Date).Page,
	}
	v.Script.Timeline = timelineURL
	if v.Script.GeoJSON, err = s.regionsURL(c, m.Slug); err != nil {
		return err
	}
	// The page is the same for every reader (it reads no session), so caches in front of a
	// viral embed may keep it, as long as the state it shows (see cacheState), and then
	// revalidate it by its ETag.
	var page bytes.Buffer
	if err := embedPage(v).Render(c.Request().Context(), &page); err != nil {
		return fmt.Errorf("render embed of %q: %w", m.Slug, err)
	}
	return writeFresh(c, echo.MIMETextHTMLCharsetUTF8, cacheState, page.Bytes())
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
