package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
)

// render writes a templ component as an HTML response with the given status.
func render(c echo.Context, status int, comp templ.Component) error {
	var buf bytes.Buffer
	if err := comp.Render(c.Request().Context(), &buf); err != nil {
		return fmt.Errorf("render page: %w", err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// Cache lifetimes: state and events change when an editor records a change, so caches keep
// them briefly and revalidate by ETag; geometry changes only on re-import.
const (
	cacheShort = "public, max-age=30"
	cacheLong  = "public, max-age=3600"
)

// writeCached writes body with an ETag, answering 304 when the client already has it.
func writeCached(c echo.Context, contentType, cacheControl string, body []byte) error {
	return writeWithETag(c, contentType, cacheControl, body, etagOf(body))
}

// etagOf is a strong ETag of body: a hash of its bytes.
func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
}

// writeWithETag writes body under an ETag already computed, answering 304 when the client
// already has it.
func writeWithETag(c echo.Context, contentType, cacheControl string, body []byte, etag string) error {
	h := c.Response().Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", cacheControl)
	if etagMatches(c.Request().Header.Get("If-None-Match"), etag) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, contentType, body)
}

// writeJSON encodes v and writes it with writeCached.
func writeJSON(c echo.Context, cacheControl string, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	return writeCached(c, echo.MIMEApplicationJSON, cacheControl, body)
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
