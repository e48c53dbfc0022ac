package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// Cache lifetimes. Browser assets named with their content hash, and any URL whose ?v= names
// its content, never change; other assets are revalidated after a few minutes; state and
// events change when an editor records a change, so caches keep them briefly and revalidate by
// ETag (a state document most briefly: see cacheState); geometry changes only on re-import.
const (
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheAsset     = "public, max-age=300"
	cacheShort     = "public, max-age=30"
	cacheLong      = "public, max-age=3600"
)

// body is the content of a cacheable answer with its ETag and, when gzip makes it smaller,
// its gzipped form. Every answer that carries an ETag is written by body.write: the state
// documents, the browser assets, regions, timelines, pictures, downloads and the JSON API.
//
// A body kept to be sent many times is hashed and gzipped once, and the values of its
// headers are built once: net/http only reads them, so every response shares them, and the
// hottest answer (a state document) sets its headers without allocating.
type body struct {
	raw, gz []byte // gz is nil when not gzipped
	etag    string
	// vary says the answer depends on Accept-Encoding: the body is gzipped for some clients.
	vary bool
	// Header values, built once.
	contentType, etagHeader, rawLength, gzLength []string
}

// newBody hashes raw for its ETag. It is not gzipped: see gzipped.
func newBody(contentType string, raw []byte) *body {
	etag := etagOf(raw)
	return &body{raw: raw, etag: etag, contentType: []string{contentType}, etagHeader: []string{etag},
		rawLength: []string{strconv.Itoa(len(raw))}}
}

// keptBody is a body kept to be sent many times (an asset, a map's regions, a picture):
// gzipped at the best level, which costs seconds on a large map's compact timeline
// (megabytes) for a few per cent, so those are gzipped at the default level.
func keptBody(contentType string, raw []byte) *body {
	level := gzip.BestCompression
	if len(raw) > 1<<20 {
		level = gzip.DefaultCompression
	}
	return newBody(contentType, raw).gzipped(level)
}

// gzipped gzips the body at level, keeping the result only when it is smaller, and returns b.
func (b *body) gzipped(level int) *body {
	var buf bytes.Buffer
	pool := gzipWriters(level)
	zw := pool.Get().(*gzip.Writer)
	defer pool.Put(zw)
	zw.Reset(&buf)
	zw.Write(b.raw) // a bytes.Buffer takes every write
	zw.Close()
	zw.Reset(io.Discard) // the pooled writer must not keep the buffer alive
	if buf.Len() < len(b.raw) {
		b.gz, b.gzLength, b.vary = buf.Bytes(), []string{strconv.Itoa(buf.Len())}, true
	}
	return b
}

// size is what the body holds in memory.
func (b *body) size() int { return len(b.raw) + len(b.gz) }

// tag names the body's content in a URL: its ETag without the quotes.
func (b *body) tag() string { return strings.Trim(b.etag, `"`) }

// Header values set on many responses, built once.
var (
	varyEncoding       = []string{"Accept-Encoding"}
	varyOriginEncoding = []string{"Origin, Accept-Encoding"} // the CORS middleware's Vary, and ours, in one line
	gzipEncoding       = []string{"gzip"}
	cacheHeaders       = map[string][]string{
		cacheImmutable: {cacheImmutable}, cacheAsset: {cacheAsset}, cacheShort: {cacheShort},
		cacheLong: {cacheLong}, cacheState: {cacheState},
	}
)

// cacheHeader is the Cache-Control header's value: the lifetimes above are built once.
func cacheHeader(cacheControl string) []string {
	if v, ok := cacheHeaders[cacheControl]; ok {
		return v
	}
	return []string{cacheControl}
}

// write sends the body with its ETag and cacheControl, or 304 when the client has it
// already (If-None-Match); gzipped to clients that take gzip when that is smaller. Routes
// that answer with it are in groups without the gzip middleware (see routes), which would
// compress the body again.
func (b *body) write(c echo.Context, cacheControl string) error {
	req, res := c.Request(), c.Response()
	h := res.Header()
	h["Etag"] = b.etagHeader
	h["Cache-Control"] = cacheHeader(cacheControl)
	if b.vary {
		switch v := h["Vary"]; {
		case len(v) == 0:
			h["Vary"] = varyEncoding
		case len(v) == 1 && v[0] == echo.HeaderOrigin:
			h["Vary"] = varyOriginEncoding
		default:
			h["Vary"] = append(v, "Accept-Encoding")
		}
	}
	if inm := req.Header.Get("If-None-Match"); inm != "" && etagMatches(inm, b.etag) {
		return c.NoContent(http.StatusNotModified)
	}
	h["Content-Type"] = b.contentType
	raw := b.raw
	if b.gz != nil && strings.Contains(req.Header.Get("Accept-Encoding"), "gzip") {
		raw = b.gz
		h["Content-Encoding"] = gzipEncoding
		h["Content-Length"] = b.gzLength
	} else {
		h["Content-Length"] = b.rawLength
	}
	res.WriteHeader(http.StatusOK)
	_, err := res.Write(raw)
	return err
}

// writeFresh writes a body made for this request (a list, a download) with write: hashed,
// and gzipped at the default level (as the gzip middleware would) when the client takes
// gzip and does not have it already.
func writeFresh(c echo.Context, contentType, cacheControl string, raw []byte) error {
	b := newBody(contentType, raw)
	req := c.Request()
	if strings.Contains(req.Header.Get("Accept-Encoding"), "gzip") && !etagMatches(req.Header.Get("If-None-Match"), b.etag) {
		b.gzipped(gzip.DefaultCompression)
	}
	// Gzipped or not for this client, another may get it the other way: caches must know.
	b.vary = true
	return b.write(c, cacheControl)
}

// writeJSON encodes v and writes it with writeFresh.
func writeJSON(c echo.Context, cacheControl string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	return writeFresh(c, echo.MIMEApplicationJSON, cacheControl, raw)
}

// etagOf is a strong ETag of body: a hash of its bytes.
func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
}

// etagMatches reports whether an If-None-Match header names etag (weakly, as RFC 9110 says
// If-None-Match compares).
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// gzipPools keeps gzip writers by level: a writer's tables are large, and a state document
// is gzipped for every date a reader asks for first.
var gzipPools sync.Map // level -> *sync.Pool

func gzipWriters(level int) *sync.Pool {
	if p, ok := gzipPools.Load(level); ok {
		return p.(*sync.Pool)
	}
	p, _ := gzipPools.LoadOrStore(level, &sync.Pool{New: func() any {
		w, _ := gzip.NewWriterLevel(nil, level)
		return w
	}})
	return p.(*sync.Pool)
}
