package web

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"github.com/frontline-maps/frontline/static"
)

// TestExportStaticEarlyMap: each page of a light map's static export carries the early table
// (#map-early) and script of the served embed at the same date and in the same language, so
// its slider takes input from the first frame; its modules wait in the template the early
// script loads them from, at the export's relative paths. A map in another language than
// English has two pages, each to compare with the embed in its language.
func TestExportStaticEarlyMap(t *testing.T) {
	for _, c := range []struct {
		name  string
		ts    *testServer
		pages map[string]string // file: the served embed's query beside date=
	}{
		{"english map", newTestServer(t), map[string]string{"index.html": ""}},
		{"persian map", newTestServer(t, withMaps(persianMapFolder(t))), map[string]string{"index.html": "", "index.en.html": "&lang=en"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			out := filepath.Join(t.TempDir(), "site")
			if _, err := ExportStatic(ctx, c.ts.store, static.FS, "afghanistan-2021", out); err != nil {
				t.Fatal(err)
			}
			m, err := c.ts.store.Map(ctx, "afghanistan-2021")
			if err != nil {
				t.Fatal(err)
			}
			for file, query := range c.pages {
				page, err := os.ReadFile(filepath.Join(out, file))
				if err != nil {
					t.Fatal(err)
				}
				rec := get(t, c.ts.h, "/embed/afghanistan-2021?date="+m.DefaultDate+query)
				if rec.Code != http.StatusOK {
					t.Fatalf("the served embed: %d", rec.Code)
				}
				servedPage := rec.Body.String()
				got, want := earlyTableOf(t, string(page)), earlyTableOf(t, servedPage)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s's early table differs from the served embed's at %s (-served +exported):\n%s", file, m.DefaultDate, diff)
				}
				exported, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
				if err != nil {
					t.Fatal(err)
				}
				served, err := goquery.NewDocumentFromReader(strings.NewReader(servedPage))
				if err != nil {
					t.Fatal(err)
				}
				if got, want := earlyScriptOf(exported), earlyScriptOf(served); got == "" || got != want {
					t.Errorf("%s's early script (%d bytes) is not the served embed's (%d bytes)", file, len(got), len(want))
				}
				// The modules load after the first frame, from the template, at the site's
				// relative paths; none is in the head to load before it.
				var srcs []string
				exported.Find(`template#modules-later script[type="module"]`).Each(func(_ int, s *goquery.Selection) { srcs = append(srcs, s.AttrOr("src", "")) })
				if diff := cmp.Diff([]string{"static/map.js", "static/embed.js"}, srcs); diff != "" {
					t.Errorf("%s's modules for later (-want +got):\n%s", file, diff)
				}
				if n := exported.Find(`head > script[type="module"]`).Length(); n != 0 {
					t.Errorf("%s has %d module scripts in its head, which would load before the first frame", file, n)
				}
			}
		})
	}
}

// earlyScriptOf is the page's inline classic script that follows #map-early.
func earlyScriptOf(doc *goquery.Document) string {
	return doc.Find("script#map-early + script:not([src]):not([type])").Text()
}
