package web

import (
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/frontline-maps/frontline/static"
)

// TestMinifyAssets minifies every script and style sheet the binary serves: each must
// minify, shrink, and keep every name it exports (other modules, the pages and the bench
// import them by name); the npm packages and other files pass through as they are.
func TestMinifyAssets(t *testing.T) {
	exported := regexp.MustCompile(`export (?:async )?(?:function\*? |const |let |class )([A-Za-z_$][\w$]*)`)
	seen := 0
	err := fs.WalkDir(static.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(static.FS, name)
		if err != nil {
			return err
		}
		got, err := minifyAsset(name, raw)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			return nil
		}
		ext := path.Ext(name)
		if strings.HasPrefix(name, "vendor/") || (ext != ".js" && ext != ".css") {
			if string(got) != string(raw) {
				t.Errorf("%s was changed; only our own scripts and styles are minified", name)
			}
			return nil
		}
		seen++
		if len(got) >= len(raw) {
			t.Errorf("%s: %d bytes minified, %d as written", name, len(got), len(raw))
		}
		for _, m := range exported.FindAllStringSubmatch(string(raw), -1) {
			if !strings.Contains(string(got), m[1]) {
				t.Errorf("%s: the export %s is gone after minifying", name, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 10 {
		t.Errorf("minified %d scripts and style sheets; the walk cannot be right", seen)
	}
}

// TestMinifyRefusesBrokenScript: a script that does not parse is an error naming the file
// and line, never served half-minified.
func TestMinifyRefusesBrokenScript(t *testing.T) {
	_, err := minifyAsset("broken.js", []byte("export function f() {\n  return 1 +;\n}\n"))
	if err == nil || !strings.Contains(err.Error(), "broken.js:2") {
		t.Errorf("minify a broken script: %v, want an error naming broken.js:2", err)
	}
}
