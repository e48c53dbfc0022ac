package web

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// precompressed keeps bodies that do not change while they are served (the browser assets;
// a map's regions at one version) with their ETag and gzipped form, made once at the best
// level. The gzip middleware would compress them again for every request: leaflet.js and
// a map's regions.geojson took milliseconds each time, on the way to every first map drawn.
type precompressed struct {
	mu    sync.Mutex
	items map[string]*compressedBody
}

// compressedBody is one kept body; version tells an old one from the current one.
type compressedBody struct {
	version  string
	body, gz []byte // gz is nil when gzip does not make the body smaller
	etag     string
}

func newPrecompressed() *precompressed {
	return &precompressed{items: map[string]*compressedBody{}}
}

// get returns the body kept under key at version, making it with load when there is none.
// A body of another version is replaced: only the current one of each key is kept.
func (p *precompressed) get(key, version string, load func() ([]byte, error)) (*compressedBody, error) {
	p.mu.Lock()
	b := p.items[key]
	p.mu.Unlock()
	if b != nil && b.version == version {
		return b, nil
	}
	body, err := load()
	if err != nil {
		return nil, err
	}
	b = &compressedBody{version: version, body: body, etag: etagOf(body)}
	var buf bytes.Buffer
	// The best level costs seconds on a large map's compact timeline (megabytes) for a few
	// per cent; those are gzipped at the default level.
	level := gzip.BestCompression
	if len(body) > 1<<20 {
		level = gzip.DefaultCompression
	}
	zw, _ := gzip.NewWriterLevel(&buf, level)
	zw.Write(body)
	zw.Close()
	if buf.Len() < len(body) {
		b.gz = buf.Bytes()
	}
	p.mu.Lock()
	p.items[key] = b
	p.mu.Unlock()
	return b, nil
}

// tag names the body's content in a URL: its ETag without the quotes.
func (b *compressedBody) tag() string { return strings.Trim(b.etag, `"`) }

// write sends the body, gzipped to clients that take gzip, or 304 when the client has it
// already. The gzip middleware skips the routes that answer with it (see skipGzip).
func (b *compressedBody) write(c echo.Context, contentType, cacheControl string) error {
	h := c.Response().Header()
	h.Set("ETag", b.etag)
	h.Set("Cache-Control", cacheControl)
	h.Add("Vary", "Accept-Encoding")
	if etagMatches(c.Request().Header.Get("If-None-Match"), b.etag) {
		return c.NoContent(http.StatusNotModified)
	}
	body := b.body
	if b.gz != nil && strings.Contains(c.Request().Header.Get("Accept-Encoding"), "gzip") {
		body = b.gz
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	return c.Blob(http.StatusOK, contentType, body)
}
