package web

import (
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// staticImport finds a bundled script's static imports (esbuild writes `from"./chunks/x.js"`
// and bare `import"./x.js"`), not its import("./ui/table.js") of a module loaded when needed.
var staticImport = regexp.MustCompile(`(?:from|import)\s*"(\.{1,2}/[^"]+\.js)"`)

// TestModulePreloads: a page names, in its head, every chunk its module scripts import
// before they can run, directly or through another chunk (read here from the served files
// themselves, not esbuild's metafile), and nothing they only import() later; each is served.
func TestModulePreloads(t *testing.T) {
	h := newTestServer(t).h
	tests := []struct {
		page    string
		scripts []string
	}{
		{"/embed/afghanistan-2021?date=2021-08-14", []string{"map.js", "embed.js"}},
		{"/maps/afghanistan-2021?date=2021-08-14", []string{"map.js", "share.js"}},
		{"/", nil},
	}
	for _, tt := range tests {
		t.Run(strings.TrimPrefix(tt.page, "/"), func(t *testing.T) {
			doc := parseHTML(t, get(t, h, tt.page))
			var got []string
			doc.Find(`head link[rel="modulepreload"]`).Each(func(_ int, s *goquery.Selection) {
				got = append(got, s.AttrOr("href", ""))
			})
			var scripts []string
			doc.Find(`head script[type="module"]`).Each(func(_ int, s *goquery.Selection) {
				scripts = append(scripts, strings.TrimPrefix(s.AttrOr("src", ""), "/static/"))
			})
			if !slices.Equal(scripts, tt.scripts) {
				t.Errorf("module scripts = %q, want %q", scripts, tt.scripts)
			}
			// What the browser would find by fetching each script and what it imports.
			var want []string
			var walk func(name string)
			walk = func(name string) {
				rec := get(t, h, "/static/"+name)
				if rec.Code != 200 {
					t.Fatalf("GET /static/%s: %d", name, rec.Code)
				}
				for _, m := range staticImport.FindAllStringSubmatch(rec.Body.String(), -1) {
					chunk := path.Join("/static", path.Dir(name), m[1])
					if !slices.Contains(want, chunk) {
						want = append(want, chunk)
						walk(strings.TrimPrefix(chunk, "/static/"))
					}
				}
			}
			for _, s := range scripts {
				walk(s)
			}
			slices.Sort(want)
			sorted := slices.Sorted(slices.Values(got))
			if !slices.Equal(sorted, want) {
				t.Errorf("modulepreload = %q, want the scripts' static imports %q", got, want)
			}
			if len(got) != len(sorted) || len(slices.Compact(sorted)) != len(got) {
				t.Errorf("modulepreload names a chunk twice: %q", got)
			}
			if len(tt.scripts) > 0 && len(want) == 0 {
				t.Errorf("the page's scripts import no chunk: the test reads the bundle wrong")
			}
		})
	}
}
