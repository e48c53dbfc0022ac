package web

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"
	"golang.org/x/net/html"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/static"
	"github.com/frontline-maps/frontline/web/i18n"
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
	users   []data.NewUser
	maps    []fs.FS // nil: the built-in maps
	server  []Option
}

// serverOption changes the server newTestServer makes.
type serverOption func(*serverOptions)

// withEditor adds an editor of that name, with editorPassword, granted every map the
// server has.
func withEditor(name string) serverOption {
	return func(o *serverOptions) { o.editors = append(o.editors, name) }
}

// withUser adds a user of that name and role, with editorPassword, granted only the maps.
func withUser(name string, role data.Role, maps ...string) serverOption {
	return func(o *serverOptions) {
		o.users = append(o.users, data.NewUser{Name: name, Password: editorPassword, Role: role, Maps: maps})
	}
}

// withLog has the server log to log instead of nowhere.
func withLog(log *slog.Logger) serverOption {
	return func(o *serverOptions) { o.log = log }
}

// withMaps imports the map folders instead of seeding the built-in maps.
func withMaps(folders ...fs.FS) serverOption {
	return func(o *serverOptions) { o.maps = append(o.maps, folders...) }
}

// withOptions gives the server the operator's settings (serve's flags).
func withOptions(opts ...Option) serverOption {
	return func(o *serverOptions) { o.server = append(o.server, opts...) }
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
	all, err := store.Maps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range o.editors {
		nu := data.NewUser{Name: name, Password: editorPassword, Role: data.RoleEditor}
		for _, m := range all {
			nu.Maps = append(nu.Maps, m.Slug)
		}
		o.users = append(o.users, nu)
	}
	for _, nu := range o.users {
		if _, err := store.AddUser(ctx, nu); err != nil {
			t.Fatal(err)
		}
	}
	h := New(store, o.log, static.FS, o.server...)
	return &testServer{h: h, e: h.(*echo.Echo), store: store, file: openDBFile(t, path)}
}

// dbFile looks at a database file from outside the store, through a connection of its own.
type dbFile struct {
	t    testing.TB
	path string
	db   *sql.DB
}

func openDBFile(t testing.TB, path string) *dbFile {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return &dbFile{t: t, path: path, db: db}
}

// checksum moves every committed page from the write-ahead log into the database file,
// empties the log, and returns the SHA-256 of the file. Equal checksums mean the database
// is byte-for-byte what it was. A checkpoint that a reader blocks fails the test: no
// request may leave a transaction open.
func (f *dbFile) checksum() string {
	f.t.Helper()
	var busy, frames, moved int
	if err := f.db.QueryRow(`PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &moved); err != nil {
		f.t.Fatalf("checkpoint: %v", err)
	}
	if busy != 0 {
		f.t.Fatalf("checkpoint blocked: a connection holds a transaction open (%d of %d frames moved)", moved, frames)
	}
	if info, err := os.Stat(f.path + "-wal"); err == nil && info.Size() != 0 {
		f.t.Fatalf("the write-ahead log still holds %d bytes after a truncating checkpoint", info.Size())
	}
	body, err := os.ReadFile(f.path)
	if err != nil {
		f.t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// tables returns a digest of every table's rows, to say which table changed when the
// checksums differ.
func (f *dbFile) tables() map[string]string {
	f.t.Helper()
	rows, err := f.db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
	if err != nil {
		f.t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	out := map[string]string{}
	for _, name := range names {
		rows, err := f.db.Query(`SELECT * FROM "` + name + `"`)
		if err != nil {
			f.t.Fatal(err)
		}
		cols, _ := rows.Columns()
		h := sha256.New()
		n := 0
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			fmt.Fprintf(h, "%v\x00", vals)
			n++
		}
		rows.Close()
		out[name] = fmt.Sprintf("%d rows %x", n, h.Sum(nil)[:6])
	}
	return out
}

// unchanged fails the test when the database differs from the checksum before.
func (f *dbFile) unchanged(t testing.TB, before string, what string) {
	t.Helper()
	if after := f.checksum(); after != before {
		t.Errorf("%s changed the database (tables now: %v)", what, f.tables())
	}
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

// parseHTMLWithoutScripts parses a page as a browser without scripting does, which reads a
// <noscript>'s content as markup rather than text.
func parseHTMLWithoutScripts(t *testing.T, rec *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	root, err := html.ParseWithOptions(rec.Body, html.ParseOptionEnableScripting(false))
	if err != nil {
		t.Fatal(err)
	}
	return goquery.NewDocumentFromNode(root)
}

func decodeJSON(t *testing.T, r io.Reader, v any) {
	t.Helper()
	if err := json.NewDecoder(r).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// englishDates is how an English page writes a date, for tests that read labels.
var englishDates = i18n.MustNew(slog.New(slog.DiscardHandler)).For("en").Dates("")
