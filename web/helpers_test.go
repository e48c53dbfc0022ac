package web

import (
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/static"
)

// editorPassword is the password of the editors test servers make.
const editorPassword = "correct horse battery"

// testServer is a server on a real database file in a temporary directory, with handles to
// look at it from outside the handler.
type testServer struct {
	h     http.Handler
	e     *echo.Echo
	store *data.Store
	// file is the database file, seen through a connection of its own.
	file *dbFile
}

// serverOptions are what the options of newTestServer change.
type serverOptions struct {
	log     *slog.Logger
	editors []string
	maps    []fs.FS // nil: the built-in maps
}

// serverOption changes the server newTestServer makes.
type serverOption func(*serverOptions)

// withEditor adds an editor of that name, with editorPassword.
func withEditor(name string) serverOption {
	return func(o *serverOptions) { o.editors = append(o.editors, name) }
}

// withLog has the server log to log instead of nowhere.
func withLog(log *slog.Logger) serverOption {
	return func(o *serverOptions) { o.log = log }
}

// withMaps imports the map folders instead of seeding the built-in maps.
func withMaps(folders ...fs.FS) serverOption {
	return func(o *serverOptions) { o.maps = append(o.maps, folders...) }
}

// newTestServer serves the built-in maps (or those of withMaps) from a fresh database file
// in a temporary directory, with the browser assets.
func newTestServer(t testing.TB, opts ...serverOption) *testServer {
	t.Helper()
	o := serverOptions{log: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(&o)
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "frontline.db")
	store, err := data.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if o.maps == nil {
		if err := store.Seed(ctx, o.log); err != nil {
			t.Fatal(err)
		}
	}
	for _, fsys := range o.maps {
		f, err := data.LoadFolder(fsys)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.ImportFolder(ctx, f, data.ImportOptions{Author: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range o.editors {
		if _, err := store.CreateUser(ctx, name, editorPassword); err != nil {
			t.Fatal(err)
		}
	}
	h := New(store, o.log, static.FS)
	return &testServer{h: h, e: h.(*echo.Echo), store: store, file: openDBFile(t, path)}
}

// get sends a GET request through the whole handler, middleware and error handler included.
func get(t *testing.T, h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func parseHTML(t *testing.T, rec *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func decodeJSON(t *testing.T, r io.Reader, v any) {
	t.Helper()
	if err := json.NewDecoder(r).Decode(v); err != nil {
		t.Fatal(err)
	}
}
