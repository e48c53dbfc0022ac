package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/geo"
)

// dateFormatUsage documents --date-format, which both import commands take.
const dateFormatUsage = "read events.csv dates written DD/MM/YYYY or MM/DD/YYYY (YYYY-MM-DD is always read)"

// importAuthor is the author recorded on events that come from a file.
const importAuthor = data.ImportAuthor

// largeInput is the size of input, in bytes, from which progress is shown: below it an
// import takes well under a second.
const largeInput = 1 << 20

// importCmd runs `frontline import [--db DB] [--replace] DIR`, which stores a map folder,
// and `frontline import events [--db DB] --map SLUG FILE.csv`, which appends events to a
// map. Either stores everything or nothing.
func importCmd(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "events" {
		return importEvents(ctx, args[1:], stdout)
	}
	const use = "usage: frontline import [--db frontline.db] [--replace] [--object NAME] [--skip-undrawable] [--date-format DD/MM/YYYY|MM/DD/YYYY] DIR|FOLDER.zip"
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	dbPath := fs.String("db", "frontline.db", "SQLite database file (created when missing)")
	replace := fs.Bool("replace", false, "replace the map with the same slug, if there is one")
	discard := fs.Bool("discard-edits", false, "with --replace, lose the events editors recorded or retracted on the website that the folder lacks (refused without it)")
	dateFormat := fs.String("date-format", "", dateFormatUsage)
	object := fs.String("object", "", "the object of regions.topojson to read (default: its first)")
	skipUndrawable := fs.Bool("skip-undrawable", false, "leave out, and name in the summary, the regions with nothing to draw at the file's precision (a line or a point) rather than refusing the layer")
	pos, err := parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return errUsage
	}
	if len(pos) != 1 {
		return errors.New(use + " (a map folder holds map.json, regions.geojson, regions.topojson or regions.zip, and optionally events.csv)")
	}
	dir := pos[0]
	if err := data.CheckDateFormat(*dateFormat); err != nil {
		return fmt.Errorf("import: --date-format: %w", err)
	}
	folder, large, closeFolder, err := openMapFolder(dir)
	if err != nil {
		return fmt.Errorf("import %s: %w", dir, err)
	}
	defer closeFolder()
	start := time.Now()
	m := newMeter(stdout, large)
	defer m.finish()
	// events.csv is read as its events are stored, not before: a file of millions of lines
	// would otherwise be held whole in memory.
	f, events, err := data.OpenFolderWith(meterFS{folder, m}, data.FolderOptions{DateFormat: *dateFormat, Object: *object, SkipUndrawable: *skipUndrawable})
	if err != nil {
		m.finish()
		return fmt.Errorf("import %s (nothing was imported): %w", dir, err)
	}
	if events != nil {
		defer events.Close()
	}
	_, statErr := os.Stat(*dbPath)
	created := errors.Is(statErr, os.ErrNotExist)
	store, err := data.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	sum, err := store.ImportFolder(ctx, f, data.ImportOptions{Author: importAuthor, Replace: *replace, DiscardEdits: *discard, Progress: m.progress, Events: events})
	m.finish()
	if events != nil && events.Err() != nil {
		// The file's problems, named by line, as if it had been read before the import.
		err = events.Err()
	}
	if err != nil {
		if created {
			removeEmpty(ctx, store, *dbPath)
		}
		return fmt.Errorf("import %s (nothing was imported): %w", dir, err)
	}
	fmt.Fprintf(stdout, "Imported map %q (%s) from %s into %s in %s:\n", f.Map.Slug, f.Map.Title, dir, *dbPath, since(start))
	fmt.Fprintf(stdout, "  regions   %s\n", count(sum.Regions))
	fmt.Fprintf(stdout, "  events    %s\n", count(sum.Events))
	s := sum.Simplification
	switch {
	case s.Tolerance > 0:
		fmt.Fprintf(stdout, "  vertices  %s in the file, %s stored (%.0f%%), simplified at %.3g degrees (the layer's diagonal / %d)\n",
			count(s.VerticesBefore), count(s.VerticesAfter), 100*float64(s.VerticesAfter)/float64(s.VerticesBefore), s.Tolerance, geo.ToleranceDivisor)
		if s.Unsimplified > 0 {
			fmt.Fprintf(stdout, "            %s regions with a part kept as it came, with its shared borders: simplifying folded a ring\n", count(s.Unsimplified))
		}
	default:
		fmt.Fprintf(stdout, "  vertices  %s, stored as they are (layers under %s vertices are not simplified)\n",
			count(s.VerticesBefore), count(geo.KeepVertices))
	}
	fmt.Fprintf(stdout, "  geometry  %s of GeoJSON stored\n", size(int64(sum.GeometryBytes)))
	printRepairs(stdout, sum.Repairs)
	printSkipped(stdout, f.Skipped)
	return nil
}

// printSkipped names every feature that --skip-undrawable left out, by index and id: never
// silently, and never capped, as these regions are missing from the map.
func printSkipped(w io.Writer, skipped []geo.Problem) {
	if len(skipped) == 0 {
		return
	}
	noun := "features"
	if len(skipped) == 1 {
		noun = "feature"
	}
	fmt.Fprintf(w, "  skipped   %d %s with nothing to draw (--skip-undrawable), not on the map:\n", len(skipped), noun)
	for _, p := range skipped {
		fmt.Fprintf(w, "            feature %d, region %q\n", p.Feature, p.Region)
	}
}

// repairedListed is how many regions of one repair the summary names.
const repairedListed = 8

// printRepairs lists what was repaired in the regions' geometry, one line per kind of
// repair with the regions it was made to.
func printRepairs(w io.Writer, repairs []geo.Repaired) {
	for i, r := range repairs {
		label := ""
		if i == 0 {
			label = "repaired"
		}
		ids := r.Regions[:min(len(r.Regions), repairedListed)]
		more := ""
		if len(r.Regions) > len(ids) {
			more = fmt.Sprintf(" and %s more", count(len(r.Regions)-len(ids)))
		}
		noun := "regions"
		if len(r.Regions) == 1 {
			noun = "region"
		}
		fmt.Fprintf(w, "  %-8s  %s %s: %s (%s%s)\n", label, count(len(r.Regions)), noun, r.What, strings.Join(ids, ", "), more)
	}
}

// importEvents runs `frontline import events [--db DB] --map SLUG FILE.csv`: every line is
// checked against the map as the editor's form checks a change and appended as it is read,
// all in one transaction, or none.
func importEvents(ctx context.Context, args []string, stdout io.Writer) error {
	const use = "usage: frontline import events [--db frontline.db] [--date-format DD/MM/YYYY|MM/DD/YYYY] --map SLUG FILE.csv"
	fs := flag.NewFlagSet("import events", flag.ContinueOnError)
	dbPath := fs.String("db", "frontline.db", "SQLite database file")
	slug := fs.String("map", "", "slug of the map to add the events to")
	dateFormat := fs.String("date-format", "", dateFormatUsage)
	pos, err := parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return errUsage
	}
	if len(pos) != 1 || *slug == "" {
		return errors.New(use)
	}
	file := pos[0]
	if err := data.CheckDateFormat(*dateFormat); err != nil {
		return fmt.Errorf("import events: --date-format: %w", err)
	}
	start := time.Now()
	store, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	m, err := store.Map(ctx, *slug)
	if errors.Is(err, data.ErrNotFound) {
		return fmt.Errorf("import events: %s has no map %q", *dbPath, *slug)
	} else if err != nil {
		return err
	}
	regions, err := store.Regions(ctx, *slug)
	if err != nil {
		return err
	}
	// Events name regions and places alike.
	places, err := store.Places(ctx, *slug)
	if err != nil {
		return err
	}
	index := data.NewRegionIndex()
	for _, r := range regions {
		index.Add(r.ID, r.Name)
	}
	for _, p := range places {
		index.AddPlace(p.ID, p.Name)
	}
	fh, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("import events: %w", err)
	}
	defer fh.Close()
	info, err := fh.Stat()
	if err != nil {
		return fmt.Errorf("import events: %w", err)
	}
	mt := newMeter(stdout, info.Size() >= largeInput)
	defer mt.finish()
	// Each line is checked and stored as it is read, all in one transaction: nothing is
	// kept when any line is bad or repeats an event already recorded.
	r, err := data.NewEventReaderWith(fh, m, nil, data.EventOptions{Regions: index, DateFormat: *dateFormat})
	if err != nil {
		return fmt.Errorf("import events (nothing was imported): %w", data.InFile(file, err))
	}
	n, err := store.AppendEventsFrom(ctx, *slug, r, importAuthor, mt.progress)
	mt.finish()
	if err := r.Err(); err != nil {
		return fmt.Errorf("import events (nothing was imported): %w", data.InFile(file, err))
	}
	if dup := (*data.DuplicateError)(nil); errors.As(err, &dup) {
		msg := ""
		for k, line := range dup.Line {
			msg += fmt.Sprintf("\n%s: line %d: the same change (region, faction, date and source) is already recorded as event %d", file, line, dup.Existing[k])
		}
		return fmt.Errorf("import events (nothing was imported):%s", msg)
	}
	if err != nil {
		return fmt.Errorf("import events from %s (nothing was imported): %w", file, err)
	}
	fmt.Fprintf(stdout, "Appended %s events from %s to map %q in %s in %s.\n", count(n), file, *slug, *dbPath, since(start))
	return nil
}

// openMapFolder opens a map folder, a directory or a .zip of one, and says whether it is
// large enough to show progress for.
func openMapFolder(p string) (folder fs.FS, large bool, close func() error, err error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, false, nil, fmt.Errorf("%w; a map folder is a directory (or a .zip of one) holding map.json, its regions and optionally events.csv", err)
	}
	if info.IsDir() {
		var n int64
		for _, name := range append(slices.Clone(data.RegionFiles), "events.csv") {
			n += fileSize(filepath.Join(p, name))
		}
		dir, err := data.DirFolder(p)
		if err != nil {
			return nil, false, nil, err
		}
		return dir, n >= largeInput, func() error { return nil }, nil
	}
	if !strings.EqualFold(filepath.Ext(p), ".zip") {
		return nil, false, nil, errors.New("not a directory or a .zip; a map folder is a directory (or a .zip of one) holding map.json, its regions and optionally events.csv")
	}
	zf, err := os.Open(p)
	if err != nil {
		return nil, false, nil, err
	}
	folder, err = data.ZipFolder(zf, info.Size())
	if err != nil {
		zf.Close()
		return nil, false, nil, err
	}
	return folder, info.Size() >= largeInput, zf.Close, nil
}

// removeEmpty closes store and removes its files, when it holds no map: a database that a
// failed import created. Bad lines of events.csv are found once the database is open, as
// the events are stored; before, the whole folder was checked first, and a refused folder
// left no database behind. Nor does it now.
func removeEmpty(ctx context.Context, store *data.Store, path string) {
	if has, err := store.HasMaps(ctx); err != nil || has {
		return
	}
	if err := store.Close(); err != nil {
		return
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}

// openExisting opens a database that must already exist: commands that act on one must
// not leave an empty database behind when the path is mistyped.
func openExisting(ctx context.Context, path string) (*data.Store, error) {
	return data.OpenExisting(ctx, path)
}

// parseArgs parses flags wherever they stand among the positional arguments, as people type
// both `import DIR --replace` and `import --replace DIR`, and returns the positional ones.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// meter shows progress bars on a terminal, for work big enough to wait for, and nothing
// elsewhere (pipes, tests, CI logs). Its progress method is a data.Progress.
type meter struct {
	out  io.Writer
	on   bool
	step string
	bar  *progressbar.ProgressBar
}

func newMeter(out io.Writer, large bool) *meter {
	f, ok := out.(*os.File)
	return &meter{out: out, on: large && ok && term.IsTerminal(int(f.Fd()))}
}

func (m *meter) options(step string, more ...progressbar.Option) []progressbar.Option {
	return append([]progressbar.Option{
		progressbar.OptionSetWriter(m.out),
		progressbar.OptionSetDescription(step),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100 * time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetRenderBlankState(true),
	}, more...)
}

// progress shows a step: a spinner while its size is unknown (total -1), a bar otherwise.
func (m *meter) progress(step string, done, total int) {
	if !m.on || total == 0 {
		return
	}
	if step != m.step || m.bar == nil {
		m.finish()
		m.step = step
		if total < 0 {
			m.bar = progressbar.NewOptions(-1, m.options(step, progressbar.OptionSpinnerType(14))...)
			return
		}
		if step == data.StepEvents {
			m.bar = progressbar.NewOptions(total, m.options(step, progressbar.OptionShowBytes(true))...)
		} else {
			m.bar = progressbar.NewOptions(total, m.options(step, progressbar.OptionShowCount())...)
		}
	}
	if total > 0 {
		m.bar.Set(done)
	}
}

// finish clears the current bar, if any.
func (m *meter) finish() {
	if m.bar != nil {
		m.bar.Finish()
		m.bar = nil
	}
	m.step = ""
}

// meterFS shows a spinner while data.OpenFolderWith parses and checks the regions, which it
// reads whole. The events file is measured as its events are stored (data.StepEvents).
type meterFS struct {
	fs.FS
	m *meter
}

func (f meterFS) Open(name string) (fs.File, error) {
	file, err := f.FS.Open(name)
	if err != nil || !f.m.on || !slices.Contains(data.RegionFiles, name) {
		return file, err
	}
	if info, err := file.Stat(); err == nil {
		f.m.progress(fmt.Sprintf("checking %s (%s)", name, size(info.Size())), 0, -1)
	}
	return file, nil
}

// fileSize returns the size of the file at path, 0 when there is none.
func fileSize(path string) int64 {
	info, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return info.Size()
}

// count writes n with thousands separated, as people read large counts: 1,234,567.
func count(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + count(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// size writes a number of bytes in the largest unit that keeps it above 1.
func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// since returns the time since start, rounded for people.
func since(start time.Time) time.Duration {
	return time.Since(start).Round(time.Millisecond)
}
