package web

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// dynamicImport finds the modules a script loads only when needed (import('./ui/table.js')).
var dynamicImport = regexp.MustCompile(`\bimport\(\s*['"](\.{1,2}/[^'"]+)['"]\s*\)`)

// bundleScripts bundles our browser modules, minified, so that a page asks for a few files
// rather than one per module: every request costs its headers and a round trip, and the
// embed's 37 responses came to 139 kB on the wire, over its 100 kB goal. The entries keep
// their names and URLs: the pages' scripts (static/*.js) and the modules loaded only when
// needed (import(...), such as ui/table.js), each with what it alone imports; code that two
// entries share goes into chunks/, loaded once, so a module such as map/start.js still runs
// once. Its files are keyed by asset name ("map.js", "chunks/dates-ABC123.js").
func bundleScripts(fsys fs.FS) (*bundle, error) {
	var entries []string
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			if err == nil && (name == "vendor" || name == "test") {
				return fs.SkipDir
			}
			return err
		}
		if path.Ext(name) != ".js" {
			return nil
		}
		if path.Dir(name) == "." {
			entries = append(entries, name)
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		for _, m := range dynamicImport.FindAllStringSubmatch(string(src), -1) {
			entries = append(entries, path.Join(path.Dir(name), m[1]))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bundle scripts: %w", err)
	}
	slices.Sort(entries)
	entries = slices.Compact(entries)
	const ns = "static"
	files := api.Plugin{Name: "embedded", Setup: func(b api.PluginBuild) {
		b.OnResolve(api.OnResolveOptions{Filter: `.*`}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
			if a.Kind == api.ResolveEntryPoint {
				return api.OnResolveResult{Path: "/" + a.Path, Namespace: ns}, nil
			}
			if !strings.HasPrefix(a.Path, "./") && !strings.HasPrefix(a.Path, "../") {
				return api.OnResolveResult{}, fmt.Errorf("%s imports %q: only relative module paths are served", a.Importer, a.Path)
			}
			return api.OnResolveResult{Path: path.Join(path.Dir(a.Importer), a.Path), Namespace: ns}, nil
		})
		b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: ns}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
			src, err := fs.ReadFile(fsys, strings.TrimPrefix(a.Path, "/"))
			if err != nil {
				return api.OnLoadResult{}, err
			}
			s := string(src)
			return api.OnLoadResult{Contents: &s, Loader: api.LoaderJS}, nil
		})
	}}
	res := api.Build(api.BuildOptions{
		EntryPoints:      entries,
		Bundle:           true,
		Splitting:        true,
		Format:           api.FormatESModule,
		Outdir:           "/out",
		EntryNames:       "[dir]/[name]",
		ChunkNames:       "chunks/[name]-[hash]",
		Write:            false,
		MinifyWhitespace: true,
		MinifySyntax:     true,
		Target:           api.ESNext,
		LegalComments:    api.LegalCommentsNone,
		LogLevel:         api.LogLevelSilent,
		Plugins:          []api.Plugin{files},
		Metafile:         true,
	})
	if len(res.Errors) > 0 {
		e := res.Errors[0]
		if e.Location != nil {
			return nil, fmt.Errorf("bundle scripts: %s:%d: %s", e.Location.File, e.Location.Line, e.Text)
		}
		return nil, fmt.Errorf("bundle scripts: %s", e.Text)
	}
	b := &bundle{files: make(map[string][]byte, len(res.OutputFiles))}
	for _, f := range res.OutputFiles {
		b.files[strings.TrimPrefix(f.Path, "/out/")] = f.Contents
	}
	if b.imports, err = staticImports(res.Metafile); err != nil {
		return nil, fmt.Errorf("bundle scripts: %w", err)
	}
	if b.early, err = bundleEarly(fsys, files, earlyScript); err != nil {
		return nil, err
	}
	if b.earlyControls, err = bundleEarly(fsys, files, earlyControlsEntry); err != nil {
		return nil, err
	}
	if b.early != "" && b.earlyControls != "" {
		b.earlyHashes = scriptHash(b.earlyControls) + " " + scriptHash(b.early) // in the pages' order
	} else {
		b.early, b.earlyControls = "", ""
	}
	return b, nil
}

// The light map's early scripts (early_map.go), which a page runs inline: earlyScript
// (static/map/early.js, started) after the map, earlyControlsEntry (its showControls) after
// the date form, before the map.
const (
	earlyScript        = "map/early-start.js"
	earlyControlsEntry = "map/early-controls.js"
)

// bundleEarly bundles the early script entry with what it imports as one classic script,
// minified, for a page to carry inline: "" when the assets have none. It cannot be a module,
// which would wait for the whole document (the point of it is to run before that).
func bundleEarly(fsys fs.FS, files api.Plugin, entry string) (string, error) {
	if _, err := fs.Stat(fsys, entry); err != nil {
		return "", nil
	}
	res := api.Build(api.BuildOptions{
		EntryPoints:       []string{entry},
		Bundle:            true,
		Format:            api.FormatIIFE,
		Outfile:           "/out/early.js",
		Write:             false,
		MinifyWhitespace:  true,
		MinifySyntax:      true,
		MinifyIdentifiers: true,
		Target:            api.ES2020,
		LegalComments:     api.LegalCommentsNone,
		LogLevel:          api.LogLevelSilent,
		Plugins:           []api.Plugin{files},
	})
	if len(res.Errors) > 0 {
		return "", fmt.Errorf("bundle %s: %s", entry, res.Errors[0].Text)
	}
	if len(res.OutputFiles) != 1 {
		return "", fmt.Errorf("bundle %s: %d files out, want 1", entry, len(res.OutputFiles))
	}
	// The page carries it in a <script> element, which the first "</script" would close.
	src := strings.TrimSpace(string(res.OutputFiles[0].Contents))
	if strings.Contains(strings.ToLower(src), "</script") {
		return "", fmt.Errorf("bundle %s: it holds </script, which would end it inline", entry)
	}
	return src, nil
}

// bundle is our browser modules bundled: the files, and what each imports before it runs.
type bundle struct {
	files map[string][]byte
	// imports are, for each script, the chunks it imports statically, directly or through
	// another chunk: what the browser must fetch before the script can run, and finds only
	// as each file arrives and parses (a waterfall), unless the page names them at once.
	imports map[string][]string
	// early and earlyControls are the light map's early scripts (bundleEarly), both or
	// neither; earlyHashes their CSP sources.
	early, earlyControls, earlyHashes string
}

// preloads are the chunks the scripts named import statically, each once, in a stable order:
// the page's <link rel="modulepreload"> (moduleScripts), which fetches them with the scripts
// themselves rather than one round trip after them.
func (b *bundle) preloads(scripts ...string) []string {
	var out []string
	for _, s := range scripts {
		for _, c := range b.imports[s] {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// staticImports reads esbuild's metafile: for every output, the outputs it imports by an
// import statement (not import(), which loads when needed), followed transitively.
func staticImports(metafile string) (map[string][]string, error) {
	var meta struct {
		Outputs map[string]struct {
			Imports []struct {
				Path string `json:"path"`
				Kind string `json:"kind"`
			} `json:"imports"`
		} `json:"outputs"`
	}
	if err := json.Unmarshal([]byte(metafile), &meta); err != nil {
		return nil, fmt.Errorf("read esbuild's metafile: %w", err)
	}
	// Its paths are relative to the working directory ("../../out/map.js"); Outdir is /out.
	name := func(p string) string { return strings.TrimPrefix(path.Clean("/"+p), "/out/") }
	direct := map[string][]string{}
	for out, o := range meta.Outputs {
		for _, imp := range o.Imports {
			if imp.Kind == "import-statement" {
				direct[name(out)] = append(direct[name(out)], name(imp.Path))
			}
		}
	}
	all := make(map[string][]string, len(direct))
	for out := range meta.Outputs {
		var seen []string
		var walk func(string)
		walk = func(f string) {
			for _, d := range direct[f] {
				if !slices.Contains(seen, d) {
					seen = append(seen, d)
					walk(d)
				}
			}
		}
		walk(name(out))
		slices.Sort(seen)
		all[name(out)] = seen
	}
	return all, nil
}
