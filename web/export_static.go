package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"

	"github.com/paulmach/orb"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/geo"
	"github.com/frontline-maps/frontline/web/i18n"
)

// exportStore is what ExportStatic reads; *data.Store provides it.
type exportStore interface {
	Map(ctx context.Context, slug string) (*data.Map, error)
	Events(ctx context.Context, slug string) ([]data.Event, error)
	State(ctx context.Context, m *data.Map, date string) (data.State, error)
	RegionsGeoJSON(ctx context.Context, slug string) ([]byte, error)
	RegionShapes(ctx context.Context, slug string) (map[string]orb.Geometry, error)
	CompactTimeline(ctx context.Context, m *data.Map) ([]byte, int64, error)
	ContextGeoJSON(ctx context.Context, slug string) ([]byte, error)
	Series(ctx context.Context, m *data.Map) (*data.Series, error)
	shiftsStore // the early table (newEarlyView)
}

// ExportStatic writes a map as a site any static host or CDN can serve: index.html, the
// embed page at the map's default date in the map's language (map.json's locale, else
// English), and index.en.html, the same page in English, when that language is another;
// pages whose slider works from the data in the page (or, for a map with many events,
// timeline.bin: see inlineEventsMax) and regions.geojson, rounded for display, and which,
// for a light map, take input from their first frame as the served embed does (its early
// table and script, newEarlyView, its modules loaded after that frame); the browser assets
// under static/; and images/{D}.png and .svg for the start, the default date and every
// event date. The folder out must not exist or be empty; the site is built beside it and
// moved into place whole, so a failed export leaves nothing half-written.
func ExportStatic(ctx context.Context, store exportStore, assets fs.FS, slug, out string) (files int, err error) {
	if err := checkOutFolder(out); err != nil {
		return 0, err
	}
	stored, err := store.Map(ctx, slug)
	if err != nil {
		return 0, err
	}
	// A static site has no server to answer ?lang=: each of its languages is a page of its
	// own (exportLangs). Its pictures are in the map's language, but PNGs in English for a
	// language in Arabic script when the assets lack its fonts (see pictureLang).
	langs := exportLangs(stored)
	loc := langFor(langs[0]).loc
	pictureLoc := loc
	fonts, fontErr := pictureFonts(assets)
	if fontErr != nil && i18n.RTL(loc.Lang()) {
		pictureLoc = langFor(i18n.Default).loc
	}
	m := localized(stored, loc.Lang())
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(out)), ".frontline-export-*")
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	defer os.RemoveAll(tmp)                      // a no-op once the folder has been moved into place
	if err := os.Chmod(tmp, 0o755); err != nil { // MkdirTemp's 0700 would hide the site from the web server
		return 0, fmt.Errorf("export: %w", err)
	}
	write := func(name string, body []byte) error {
		p := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		files++
		return os.WriteFile(p, body, 0o644)
	}

	events, err := store.Events(ctx, slug)
	if err != nil {
		return 0, err
	}
	shapesJSON, err := store.RegionsGeoJSON(ctx, slug)
	if err != nil {
		return 0, err
	}
	geojson, err := geo.RoundForDisplay(shapesJSON)
	if err != nil {
		return 0, err
	}
	if err := write("regions.geojson", geojson); err != nil {
		return 0, err
	}
	shapes, err := store.RegionShapes(ctx, slug)
	if err != nil {
		return 0, err
	}
	contextJSON, err := store.ContextGeoJSON(ctx, slug)
	if err != nil {
		return 0, err
	}
	landAround, err := geo.ParseContext(contextJSON)
	if err != nil {
		return 0, fmt.Errorf("context of %q: %w", slug, err)
	}
	if len(landAround) > 0 {
		if err := write(geo.ContextFile, contextJSON); err != nil {
			return 0, err
		}
	}
	dates := []string{m.Start, m.DefaultDate}
	for _, e := range events {
		dates = append(dates, e.Date)
	}
	slices.Sort(dates)
	dates = slices.Compact(dates)
	var pictures []pictureLink
	for _, date := range dates {
		st, err := store.State(ctx, m, date)
		if err != nil {
			return 0, err
		}
		for _, ext := range []string{"png", "svg"} {
			sl := loc
			if ext == "png" {
				sl = pictureLoc
			}
			scene := newScene(sl, localized(stored, sl.Lang()), st, shapes)
			scene.Context, scene.Fonts = landAround, fonts
			picture, err := drawPicture(ext, scene)
			if err != nil {
				return 0, fmt.Errorf("draw %s: %w", date, err)
			}
			if err := write("images/"+date+"."+ext, picture); err != nil {
				return 0, err
			}
		}
		pictures = append(pictures, pictureLink{Label: date, URL: "images/" + date + ".png"})
	}

	st, err := store.State(ctx, m, m.DefaultDate)
	if err != nil {
		return 0, err
	}
	inline := events
	if len(events) > inlineEventsMax {
		timeline, _, err := store.CompactTimeline(ctx, m)
		if err != nil {
			return 0, err
		}
		if err := write("timeline.bin", timeline); err != nil {
			return 0, err
		}
		inline = nil
	}
	styles, err := embedStyles(assets)
	if err != nil {
		return 0, err
	}
	series, err := store.Series(ctx, m)
	if err != nil {
		return 0, err
	}
	seriesDoc, err := json.Marshal(newSeriesBody(series))
	if err != nil {
		return 0, fmt.Errorf("encode series.json: %w", err)
	}
	if err := write("series.json", seriesDoc); err != nil {
		return 0, err
	}
	// What changed on the date shown, for readers without JavaScript; the site has no
	// history pages to link to.
	from, to := effectiveOn(m, st.Date)
	var today []data.Event
	for _, e := range events {
		if e.Date >= from && e.Date <= to {
			today = append(today, e)
		}
	}
	prev, err := stateBefore(ctx, store, m, st.Date)
	if err != nil {
		return 0, err
	}
	// The scripts as the server bundles them (bundle.go): the pages preload their imports.
	bundles, err := bundleScripts(assets)
	if err != nil {
		return 0, err
	}
	for i, lang := range langs {
		pl := langFor(lang)
		loc, m := pl.loc, localized(stored, lang)
		labelled := make([]pictureLink, len(pictures))
		for j, p := range pictures {
			labelled[j] = pictureLink{Label: dateLabel(loc.Dates(m.Calendar), p.Label), URL: p.URL}
		}
		v := embedView{mapView: newMapView(loc, m, st, inline), Assets: "static/", ShowSlider: true, ShowLegend: true, Pictures: labelled, Styles: styles}
		v.Script.GeoJSON, v.Script.RegionBase, v.Script.PlaceBase = "regions.geojson", "", ""
		v.Script.WrapCentre = wrapCentre(spanOfShapes(shapes))
		scene := newScene(loc, m, st, shapes)
		scene.Context = landAround
		if v.InlineMap, err = drawInline(loc, m, st.Date, scene); err != nil {
			return 0, err
		}
		v.Script.Context = ""
		if len(landAround) > 0 {
			v.Script.Context = geo.ContextFile
		}
		v.useSeries(series, newChartView(m, series), "series.json")
		v.Chart = v.Chart.compact()
		if inline == nil {
			v.Script.Timeline = "timeline.bin"
		}
		v.Changes = newDayChanges(v.Script.Labels.Dates, m, st, today, prev)
		for i := range v.Changes.Items {
			v.Changes.Items[i].URL = ""
		}
		// The slider from the first frame, as the served embed's (earlyMap): a static host
		// sends no script policy, so the inline script needs no hash.
		if v.Early, err = newEarlyView(ctx, store, bundles, &v.mapView, v.ShowSlider); err != nil {
			return 0, err
		}
		name := "index.html"
		if i > 0 {
			name = "index." + lang + ".html"
		}
		var page bytes.Buffer
		if err := embedPage(v).Render(withModules(context.WithValue(ctx, langKey{}, pl), bundles.preloads), &page); err != nil {
			return 0, fmt.Errorf("render %s: %w", name, err)
		}
		if err := write(name, page.Bytes()); err != nil {
			return 0, err
		}
	}

	err = fs.WalkDir(assets, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(name) == ".go" {
			return err
		}
		body, err := fs.ReadFile(assets, name)
		if err != nil {
			return err
		}
		// As the server sends them: a CDN serves these bytes to every reader.
		if body, err = minifyAsset(name, body); err != nil {
			return err
		}
		return write("static/"+name, body)
	})
	if err != nil {
		return 0, fmt.Errorf("copy assets: %w", err)
	}
	// The scripts as the server sends them, bundled (bundle.go), over their sources.
	for name, b := range bundles.files {
		if err := write("static/"+name, b); err != nil {
			return 0, err
		}
	}
	// An empty folder left by the caller is replaced; os.Rename does not replace one. Checked
	// again: what was an empty folder when the export began may not be one now, and only
	// an empty folder is ever removed.
	if err := checkOutFolder(out); err != nil {
		return 0, err
	}
	if err := os.Remove(out); err != nil && !os.IsNotExist(err) {
		return 0, fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(tmp, out); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	return files, nil
}

// exportLangs are the languages of a static export's pages, its index.html's first: the
// map's own (map.json's locale), else English, and English.
func exportLangs(m *data.Map) []string {
	if i18n.Valid(m.Locale) && m.Locale != i18n.Default {
		return []string{m.Locale, i18n.Default}
	}
	return []string{i18n.Default}
}

// checkOutFolder refuses an --out that is anything but nothing or an empty folder: a file
// (a database, someone's notes), a symbolic link or a folder with files in it, each named
// with what is there, so that nothing is written over or deleted.
func checkOutFolder(out string) error {
	info, err := os.Lstat(out)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("export: %w", err)
	case info.Mode()&os.ModeSymlink != 0:
		return data.Invalidf("%s is a symbolic link; export into a new folder, which the export creates", out)
	case !info.IsDir():
		return data.Invalidf("%s is a file (%d bytes), not a folder, and would be lost; export into a new folder, which the export creates", out, info.Size())
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if len(entries) > 0 {
		return data.Invalidf("%s is not empty (it holds %s); export into a new or empty folder", out, entries[0].Name())
	}
	return nil
}
