// Package static holds the browser assets embedded in the frontline binary: the map script,
// the style sheets, the favicon, and the front-end packages that `go tool task assets` copies from npm.
package static

import "embed"

// FS holds the assets, served under /static/.
//
//go:embed *.js *.css *.svg model map ui edit vendor
var FS embed.FS
