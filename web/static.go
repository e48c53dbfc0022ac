package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

// assetHashes maps each browser asset's name to a short hash of its content.
type assetHashes map[string]string

// hashAssets reads every asset once, at start-up: they are embedded and never change while
// the server runs.
func hashAssets(fsys fs.FS) assetHashes {
	hashes := assetHashes{}
	if fsys == nil {
		return hashes
	}
	fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		hashes[name] = hex.EncodeToString(sum[:6])
		return nil
	})
	return hashes
}

type assetsKey struct{}

// withAssets puts the asset hashes where templ components find them, in the context, for
// the groups that render pages. The JSON API renders none, not even for its errors, and is
// spared the request's copy.
func (s *Server) withAssets(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		s.putAssets(c)
		return next(c)
	}
}

func (s *Server) putAssets(c echo.Context) {
	r := c.Request()
	ctx := context.WithValue(r.Context(), assetsKey{}, s.assets)
	c.SetRequest(r.WithContext(withModules(ctx, s.modulePreloads)))
}

// modulePreloads are the chunks the scripts named import (bundle.preloads); none when the
// scripts cannot be bundled, which their own request reports, or the server has no assets.
func (s *Server) modulePreloads(scripts ...string) []string {
	if len(scripts) == 0 || s.static == nil {
		return nil
	}
	b, err := s.bundles()
	if err != nil {
		return nil
	}
	return b.preloads(scripts...)
}

type modulesKey struct{}

// withModules puts where a page's module scripts' imports come from in the context
// (moduleScripts): the server's bundle, or the static export's.
func withModules(ctx context.Context, preloads func(scripts ...string) []string) context.Context {
	return context.WithValue(ctx, modulesKey{}, preloads)
}

// modulePreloads are the asset names of the chunks the scripts import, from the context.
func modulePreloads(ctx context.Context, scripts []string) []string {
	preloads, _ := ctx.Value(modulesKey{}).(func(...string) []string)
	if preloads == nil {
		return nil
	}
	return preloads(scripts...)
}

// asset is the URL of a browser asset, named with its content hash so that browsers and
// CDNs may keep it for good. Module scripts are the exception: a module imported by
// another (edit.js imports map.js) must have one URL, or the browser runs it twice.
func asset(ctx context.Context, name string) string {
	hashes, _ := ctx.Value(assetsKey{}).(assetHashes)
	h, ok := hashes[name]
	ourModule := path.Ext(name) == ".js" && path.Dir(name) == "."
	if !ok || ourModule {
		return "/static/" + name
	}
	return "/static/" + name + "?v=" + h
}

// staticFile serves GET /static/*: the browser assets embedded in the binary.
func (s *Server) staticFile(c echo.Context) error {
	name := path.Clean(c.Param("*"))
	if !fs.ValidPath(name) || name == "." {
		return echo.ErrNotFound
	}
	// The assets are embedded and never change while the server runs: each is read,
	// hashed and gzipped once.
	b, err := s.compressed.get("static/"+name, "", func() (*body, error) {
		bundles, err := s.bundles()
		if err != nil {
			return nil, err
		}
		if b, ok := bundles.files[name]; ok {
			return keptBody("text/javascript; charset=utf-8", b), nil
		}
		if info, err := fs.Stat(s.static, name); err != nil || info.IsDir() {
			return nil, echo.ErrNotFound
		}
		raw, err := fs.ReadFile(s.static, name)
		if err != nil {
			return nil, err
		}
		if raw, err = minifyAsset(name, raw); err != nil {
			return nil, err
		}
		ctype := mime.TypeByExtension(path.Ext(name))
		if ctype == "" {
			ctype = http.DetectContentType(raw)
		}
		return keptBody(ctype, raw), nil
	})
	if err != nil {
		return err
	}
	cache := cacheAsset
	if v := c.QueryParam("v"); v != "" && v == s.assets[name] || strings.HasPrefix(name, "chunks/") {
		cache = cacheImmutable // named by its content: a chunk's name holds its hash
	}
	return b.write(c, cache)
}

// healthz serves GET /healthz for load balancers and uptime checks.
func (s *Server) healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok")
}
