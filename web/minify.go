package web

import (
	"fmt"
	"path"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// minifyAsset returns our own scripts and style sheets without their comments and white
// space, as browsers receive them; anything else (the npm packages in vendor/, which come
// minified, and images) as it is. The sources keep the comments that say why, which are
// half their bytes: the embed page of the built-in map came to 108 kB on the wire with them,
// over its 100 kB goal (docs/benchmarks.md). Only the text is minified: names, exports and
// module URLs stay as written, so each file is still the module it is in static/ and a
// stack trace still names the functions in it.
func minifyAsset(name string, raw []byte) ([]byte, error) {
	if strings.HasPrefix(name, "vendor/") {
		return raw, nil
	}
	var loader api.Loader
	switch path.Ext(name) {
	case ".js":
		loader = api.LoaderJS
	case ".css":
		loader = api.LoaderCSS
	default:
		return raw, nil
	}
	res := api.Transform(string(raw), api.TransformOptions{
		Loader:           loader,
		Sourcefile:       name,
		MinifyWhitespace: true,
		MinifySyntax:     true,
		// The language as written: the browsers Leaflet supports run it unchanged.
		Target:        api.ESNext,
		LegalComments: api.LegalCommentsNone,
		LogLevel:      api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		e := res.Errors[0]
		if e.Location != nil {
			return nil, fmt.Errorf("minify %s:%d: %s", name, e.Location.Line, e.Text)
		}
		return nil, fmt.Errorf("minify %s: %s", name, e.Text)
	}
	return res.Code, nil
}
