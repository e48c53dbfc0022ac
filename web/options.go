package web

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
)

// Option is a setting of a server that its operator chooses: `frontline serve`'s flags.
type Option func(*Server)

// WithBaseURL makes base (scheme and host, such as https://maps.example.org) the address of
// every absolute URL the server writes (embed codes, oEmbed, social cards, the Atom feed),
// whatever the request's headers say: behind a cache, one reader's forged Host or
// X-Forwarded-Proto would otherwise reach every reader of the cached answer.
func WithBaseURL(base *url.URL) Option {
	return func(s *Server) { s.base = strings.TrimSuffix(base.String(), "/") }
}

// WithTrustedProxies names the peers whose forwarding headers (X-Forwarded-For and
// X-Forwarded-Proto) the server believes; from anyone else they are ignored. Without it,
// only loopback is trusted: a proxy on this host (deploy/).
func WithTrustedProxies(prefixes []netip.Prefix) Option {
	return func(s *Server) { s.trusted = prefixes }
}

// WithMetrics registers the server's Prometheus metrics with reg: requests by route and
// status, their latency, the state cache's hits and the pictures drawn. Serving reg is the
// caller's business, on an address of its own (`--metrics-addr`), never on this handler.
func WithMetrics(reg prometheus.Registerer) Option {
	return func(s *Server) { s.registry = reg }
}

// WithTiles draws a tile layer from the operator's URL template (ParseTileURL) under the
// context of every map page and embed, and lets those pages load images from its host. By
// default there is none: no third-party server learns who reads which map.
func WithTiles(template string) Option {
	return func(s *Server) { s.tiles = template }
}

// ParseTileURL reads a --tiles value: an http or https URL template with {z}, {x} and {y}
// (and optionally Leaflet's {s} and {r}), such as https://tile.example.org/{z}/{x}/{y}.png.
func ParseTileURL(v string) (string, error) {
	var missing []string
	for _, p := range []string{"{z}", "{x}", "{y}"} {
		if !strings.Contains(v, p) {
			missing = append(missing, p)
		}
	}
	u, err := url.Parse(strings.NewReplacer("{z}", "0", "{x}", "0", "{y}", "0", "{s}", "a", "{r}", "").Replace(v))
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil:
		return "", fmt.Errorf("tile URL %q: want an http or https URL template, such as https://tile.example.org/{z}/{x}/{y}.png", v)
	case len(missing) > 0:
		return "", fmt.Errorf("tile URL %q lacks %s: want a template with {z}, {x} and {y}, such as https://tile.example.org/{z}/{x}/{y}.png", v, strings.Join(missing, ", "))
	case strings.ContainsAny(v, " '\";"):
		return "", fmt.Errorf("tile URL %q holds a space, quote, backslash or semicolon; write them percent-encoded", v)
	}
	return v, nil
}

// tileOrigin is the scheme and host of a tile URL template, for the pages' image policy;
// {s} (Leaflet's subdomains a, b, c) becomes a wildcard.
func tileOrigin(template string) string {
	u, err := url.Parse(strings.NewReplacer("{z}", "0", "{x}", "0", "{y}", "0", "{r}", "", "{s}", "subdomain").Replace(template))
	if err != nil {
		return ""
	}
	host := u.Host
	if strings.Contains(template, "{s}") {
		host = strings.Replace(host, "subdomain", "*", 1)
	}
	return u.Scheme + "://" + host
}

// allowTiles lets a map page or an embed load the operator's tiles (WithTiles): the page's
// image policy gains their origin. Without tiles the policy stays as the group set it.
func (s *Server) allowTiles(c echo.Context) {
	if s.tiles == "" {
		return
	}
	h := c.Response().Header()
	h.Set("Content-Security-Policy", strings.Replace(h.Get("Content-Security-Policy"), "img-src 'self' data:", "img-src 'self' data: "+tileOrigin(s.tiles), 1))
}

// ReadyCheck reports why the server cannot serve, or nil when it can.
type ReadyCheck func(ctx context.Context) error

// WithReadyCheck adds a check that GET /readyz runs, reported under name.
func WithReadyCheck(name string, check ReadyCheck) Option {
	return func(s *Server) { s.ready = append(s.ready, namedCheck{name, check}) }
}

type namedCheck struct {
	name  string
	check ReadyCheck
}

// loopback is whom the server trusts when no --trusted-proxy is given: a proxy on the same
// host, as deploy/ sets up. Private networks are not trusted by default: on a shared
// network (a container platform, an office) any neighbour could then forge an address.
var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

// ParseTrustedProxy reads a --trusted-proxy value: a CIDR prefix or a single address.
func ParseTrustedProxy(v string) (netip.Prefix, error) {
	if p, err := netip.ParsePrefix(v); err == nil {
		return p.Masked(), nil
	}
	if a, err := netip.ParseAddr(v); err == nil {
		return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
	}
	return netip.Prefix{}, fmt.Errorf("trusted proxy %q: want an address or CIDR prefix such as 127.0.0.1, 10.0.0.0/8 or ::1/128", v)
}

// ParseBaseURL reads a --base-url value: http or https and a host (with a port if need
// be); Frontline's URLs start at the root, so nothing may follow the host.
func ParseBaseURL(v string) (*url.URL, error) {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("base URL %q: want the scheme and host readers use and nothing after it, such as https://maps.example.org", v)
	}
	return u, nil
}

// ipExtractor reads a request's client address from X-Forwarded-For, walking back from the
// peer through trusted proxies only: the first untrusted address is the client.
func ipExtractor(trusted []netip.Prefix) echo.IPExtractor {
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trusted {
		opts = append(opts, echo.TrustIPRange(&net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// fromTrustedProxy tells whether the request's peer is one of the trusted proxies.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	a := ap.Addr().Unmap()
	for _, p := range s.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// scheme is the scheme the reader used: https on a TLS connection, else what a trusted
// proxy says in X-Forwarded-Proto when that is http or https, else http. Echo's Scheme()
// believes the header from anyone and passes on any word ("ws", "javascript").
func (s *Server) scheme(c echo.Context) string {
	r := c.Request()
	if r.TLS != nil {
		return "https"
	}
	if s.fromTrustedProxy(r) {
		switch p := r.Header.Get(echo.HeaderXForwardedProto); p {
		case "http", "https":
			return p
		}
	}
	return "http"
}

// baseURL is the scheme and host readers reach this server at, for absolute links in embed
// codes, oEmbed, social cards and the Atom feed: --base-url when given; else the request's
// Host with the scheme above, right for a server readers reach directly.
func (s *Server) baseURL(c echo.Context) string {
	if s.base != "" {
		return s.base
	}
	return s.scheme(c) + "://" + c.Request().Host
}
