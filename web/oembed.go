package web

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/web/i18n"
)

// Embed sizes: the iframe's default box, and the social-card image.
const (
	embedWidth  = 640
	embedHeight = 640
	cardWidth   = 1200
	cardHeight  = 630
)

// iframeCode is the plain embed code: an iframe of the embed page with query (such as
// "date=2021-08-14&theme=dark"; without a date the embed is live: the map's default date,
// moving with it).
func iframeCode(base string, m *data.Map, query string, width, height int) string {
	src := embedSrc(base, m, query)
	return fmt.Sprintf(`<iframe src="%s" width="%d" height="%d" style="border:0;width:100%%;max-width:%dpx" title="%s" loading="lazy" allowfullscreen></iframe>`,
		html.EscapeString(src), width, height, width, escapeBraces(html.EscapeString(m.Title), false))
}

// pymCode is the responsive embed code: Pym.js's parent snippet, which resizes the iframe
// to its content at any width. Newsroom CMSes know it.
func pymCode(base string, m *data.Map, query string) string {
	src := embedSrc(base, m, query)
	id := "frontline-" + m.Slug
	return fmt.Sprintf(`<div id="%s"></div><script src="%s/static/vendor/pym/pym.v1.min.js"></script><script>new pym.Parent(%s, %s, {title: %s});</script>`,
		html.EscapeString(id), html.EscapeString(base), jsString(id), jsString(src), escapeBraces(jsString(m.Title), true))
}

// embedSrc is the absolute URL of m's embed page with query ("" for none).
func embedSrc(base string, m *data.Map, query string) string {
	if query == "" {
		return base + embedURL(m.Slug)
	}
	return base + embedURL(m.Slug) + "?" + query
}

// jsString quotes s as a JavaScript string that is safe inside an HTML <script>: JSON
// escapes <, > and &, so a title holding "</script>" cannot end the script, which Go's %q
// would let it do.
func jsString(s string) string {
	b, _ := json.Marshal(s) // a string always encodes
	return string(b)
}

// oembedResponse is an oEmbed 1.0 "rich" response.
type oembedResponse struct {
	Version         string `json:"version"`
	Type            string `json:"type"`
	Title           string `json:"title"`
	ProviderName    string `json:"provider_name"`
	ProviderURL     string `json:"provider_url"`
	HTML            string `json:"html"`
	Width           int    `json:"width"`
	Height          int    `json:"height"`
	ThumbnailURL    string `json:"thumbnail_url"`
	ThumbnailWidth  int    `json:"thumbnail_width"`
	ThumbnailHeight int    `json:"thumbnail_height"`
}

// oembed serves GET /oembed?url=U&format=json for any map or embed URL of this server, the
// date, language and theme in U kept.
func (s *Server) oembed(c echo.Context) error {
	switch c.QueryParam("format") {
	case "", "json":
	case "xml":
		return echo.NewHTTPError(http.StatusNotImplemented, "only format=json is supported")
	default:
		return data.Invalidf("format %q: use json", c.QueryParam("format"))
	}
	raw := c.QueryParam("url")
	if raw == "" {
		return data.Invalidf("url is required: the address of a map on this server")
	}
	u, err := url.Parse(raw)
	// A map of this server is one at the host its own links name (--base-url behind a proxy).
	self, serr := url.Parse(s.baseURL(c))
	if err != nil || serr != nil || !strings.EqualFold(u.Host, self.Host) || (u.Scheme != "http" && u.Scheme != "https") {
		return echo.NewHTTPError(http.StatusNotFound, "not a map of this server: "+raw)
	}
	slug, ok := mapSlugFromPath(u.EscapedPath())
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "not a map of this server: "+raw)
	}
	m, err := s.maps.Map(c.Request().Context(), slug)
	if err != nil {
		return err
	}
	theme, err := themeParam(u.Query().Get("theme"))
	if err != nil {
		return err
	}
	lang := u.Query().Get("lang")
	if lang != "" && !i18n.Valid(lang) {
		return data.Invalidf("%v", i18n.ErrUnknown(lang))
	}
	// The embed keeps the reader's choices the URL carries, after its date when it has one;
	// without one it is live.
	query := readerQuery(lang, theme, "")
	date := u.Query().Get("date")
	if date != "" {
		if _, err := m.ParseDate(date); err != nil {
			return err
		}
		query = "date=" + date + readerQuery(lang, theme, "&")
	}
	width, err := sizeParam(c, "maxwidth", embedWidth)
	if err != nil {
		return err
	}
	height, err := sizeParam(c, "maxheight", embedHeight)
	if err != nil {
		return err
	}
	base := s.baseURL(c)
	thumbDate := date
	if thumbDate == "" {
		thumbDate = m.DefaultDate
	}
	return c.JSON(http.StatusOK, oembedResponse{
		Version: "1.0", Type: "rich", Title: m.Title, ProviderName: "Frontline", ProviderURL: base + "/",
		HTML: iframeCode(base, m, query, width, height), Width: width, Height: height,
		ThumbnailURL: base + imageURL(m.Slug, thumbDate, "png"), ThumbnailWidth: cardWidth, ThumbnailHeight: cardHeight,
	})
}

// sizeParam reads oEmbed's maxwidth or maxheight: absent, or a whole number of pixels, of
// which the embed takes at most def and at least 300. Anything else is a consumer's bug,
// told as such rather than ignored.
func sizeParam(c echo.Context, name string, def int) (int, error) {
	raw := c.QueryParam(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n <= 0 {
		return 0, data.Invalidf("%s=%q: give a whole number of pixels", name, raw)
	}
	return max(min(n, def), 300), nil
}

// mapSlugFromPath finds the map in /maps/{slug} or /embed/{slug}.
func mapSlugFromPath(escaped string) (string, bool) {
	for _, prefix := range []string{"/maps/", "/embed/"} {
		if rest, ok := strings.CutPrefix(escaped, prefix); ok && rest != "" && !strings.Contains(strings.TrimSuffix(rest, "/"), "/") {
			slug, err := url.PathUnescape(strings.TrimSuffix(rest, "/"))
			return slug, err == nil
		}
	}
	return "", false
}

// imageURL is the path of the static picture of a map at a date.
func imageURL(slug, date, ext string) string { return mapURL(slug) + "/" + date + "." + ext }

// oembedDiscovery is the href of a page's oEmbed discovery link.
func oembedDiscovery(base, pageURL string) string {
	return "/oembed?format=json&url=" + url.QueryEscape(base+pageURL)
}
