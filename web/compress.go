package web

import (
	"sync"
)

// precompressed keeps bodies that do not change while they are served (the browser assets;
// a map's regions or timeline at one version), hashed and gzipped once (see keptBody). The
// gzip middleware would compress them again for every request: leaflet.js and a map's
// regions.geojson took milliseconds each time, on the way to every first map drawn.
type precompressed struct {
	mu    sync.Mutex
	items map[string]versionedBody
}

// versionedBody is one kept body; version tells an old one from the current one.
type versionedBody struct {
	version string
	body    *body
}

func newPrecompressed() *precompressed {
	return &precompressed{items: map[string]versionedBody{}}
}

// get returns the body kept under key at version, making it with load when there is none.
// A body of another version is replaced: only the current one of each key is kept.
func (p *precompressed) get(key, version string, load func() (*body, error)) (*body, error) {
	p.mu.Lock()
	item, ok := p.items[key]
	p.mu.Unlock()
	if ok && item.version == version {
		return item.body, nil
	}
	b, err := load()
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.items[key] = versionedBody{version, b}
	p.mu.Unlock()
	return b, nil
}
