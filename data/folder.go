package data

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/frontline-maps/frontline/geo"
)

// Folder is a map folder read and checked: map.json, regions.geojson and, when the folder
// has one and it was read whole (LoadFolder), events.csv. It is the one import and export
// format of Frontline.
type Folder struct {
	Map     Map
	Regions []geo.Region
	// Places is the folder's places.geojson, when it has one.
	Places []geo.Place
	// Context is the folder's context.geojson, when it has one: the land around the map,
	// clipped to the regions' surroundings when stored.
	Context []geo.ContextShape
	Events  []Event
	// Skipped are the features of the regions file left out with
	// FolderOptions.SkipUndrawable, each with its index and id, for the summary to name.
	Skipped []geo.Problem
	// History holds the events of history.csv, when the folder has one: every event with
	// its author, retraction and correction, which an import then stores instead of
	// Events (which must be its live events).
	History []Event
}

// Limits on what people type, shared by the CSV reader and the editor's form.
const (
	MaxNoteLen   = 2000
	MaxSourceLen = 2000
)

var (
	idPattern    = regexp.MustCompile(`^[a-z0-9-]+$`)
	colorPattern = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
)

// LoadFolder reads and checks the map folder at the root of fsys. Any problem rejects the
// whole folder; the error names the file and the place (feature index, CSV line). It holds
// every event in memory: OpenFolder reads a folder whose events.csv may be of any size.
func LoadFolder(fsys fs.FS) (*Folder, error) {
	f, events, err := OpenFolder(fsys)
	if err != nil || events == nil {
		return f, err
	}
	defer events.Close()
	for {
		e, _, ok := events.Next()
		if !ok {
			break
		}
		f.Events = append(f.Events, e)
	}
	if err := events.Err(); err != nil {
		return nil, err
	}
	return f, nil
}

// OpenFolder reads and checks map.json and regions.geojson of the map folder at the root of
// fsys, as LoadFolder does, and opens its events.csv, when it has one, to be read and checked
// line by line as the events are stored (ImportOptions.Events), so that a file of any size
// takes little memory. f.Events is left empty; events is nil when the folder has no
// events.csv. The caller closes events.
func OpenFolder(fsys fs.FS) (f *Folder, events *EventReader, err error) {
	return OpenFolderWith(fsys, FolderOptions{})
}

// FolderOptions says how OpenFolderWith reads a map folder.
type FolderOptions struct {
	// DateFormat is the form of events.csv's dates besides YYYY-MM-DD (EventOptions).
	DateFormat string
	// Object names the object of regions.topojson to read; empty, its first.
	Object string
	// SkipUndrawable leaves out the regions with nothing to draw (geo.SkipUndrawable),
	// listed in Folder.Skipped, rather than refusing the folder.
	SkipUndrawable bool
}

// RegionFiles are the names a map folder's regions may have, one per format: GeoJSON,
// TopoJSON, a zipped Shapefile. A folder holds one.
var RegionFiles = []string{"regions.geojson", "regions.topojson", "regions.zip"}

// readRegions reads the one regions file of a folder, in whichever format it has.
func readRegions(fsys fs.FS, m *Map, opt FolderOptions, skipped *[]geo.Problem) ([]geo.Region, error) {
	var found []string
	for _, name := range RegionFiles {
		if _, err := fs.Stat(fsys, name); err == nil {
			found = append(found, name)
		}
	}
	switch len(found) {
	case 0:
		return nil, Invalid(P("FolderNoRegions", "files", strings.Join(RegionFiles, ", ")))
	case 1:
	default:
		return nil, Invalid(P("FolderTwoRegions", "files", joined("HintAnd", found)))
	}
	name := found[0]
	if opt.Object != "" && name != "regions.topojson" {
		return nil, Invalid(P("FolderObject", "file", name))
	}
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var regions []geo.Region
	var opts []geo.Option
	if opt.SkipUndrawable {
		opts = append(opts, geo.SkipUndrawable(skipped))
	}
	switch name {
	case "regions.geojson":
		regions, err = geo.ParseRegions(raw, m.IDProperty, m.NameProperty, opts...)
	case "regions.topojson":
		regions, err = geo.ParseTopoJSON(raw, opt.Object, m.IDProperty, m.NameProperty, opts...)
	case "regions.zip":
		regions, err = geo.ParseShapefileZip(raw, m.IDProperty, m.NameProperty, opts...)
	}
	if err != nil {
		return nil, InFile(name, err)
	}
	return regions, nil
}

// readPlaces reads a folder's places.geojson, when it has one, refusing an id a region has.
func readPlaces(fsys fs.FS, m *Map, regions []geo.Region) ([]geo.Place, error) {
	raw, err := fs.ReadFile(fsys, PlacesFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", PlacesFile, err)
	}
	ids := make(map[string]bool, len(regions))
	for _, r := range regions {
		ids[r.ID] = true
	}
	places, err := geo.ParsePlaces(raw, m.IDProperty, m.NameProperty, func(id string) bool { return ids[id] })
	if err != nil {
		return nil, InFile(PlacesFile, err)
	}
	return places, nil
}

// ZipFolder returns the map folder in a zip file: its root, or the one directory of the
// zip that holds map.json, as a zipped folder often is.
func ZipFolder(r io.ReaderAt, size int64) (fs.FS, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, Invalid(P("ZipNot", "detail", err.Error()))
	}
	if _, err := fs.Stat(zr, "map.json"); err == nil {
		return zr, nil
	}
	var roots []string
	for _, f := range zr.File {
		if path.Base(f.Name) == "map.json" && strings.Count(strings.TrimSuffix(f.Name, "/"), "/") == 1 && !strings.HasPrefix(f.Name, "__MACOSX/") {
			roots = append(roots, path.Dir(f.Name))
		}
	}
	if len(roots) != 1 {
		return nil, Invalid(P("ZipNoFolder", "count", len(roots)))
	}
	return fs.Sub(zr, roots[0])
}

// OpenFolderWith opens a map folder as OpenFolder does, reading its events.csv as
// spreadsheets write it (EventOptions): regions named by name or by id in any case, and
// dates in opt.DateFormat.
func OpenFolderWith(fsys fs.FS, opt FolderOptions) (f *Folder, events *EventReader, err error) {
	if err := CheckDateFormat(opt.DateFormat); err != nil {
		return nil, nil, err
	}
	f = &Folder{}
	raw, err := fs.ReadFile(fsys, "map.json")
	if err != nil {
		return nil, nil, fmt.Errorf("map.json: %w", err)
	}
	mapErr := decodeMap(raw, &f.Map)
	var invalid *InvalidError
	if mapErr != nil && (!errors.As(mapErr, &invalid) || len(invalid.Problems) == 0 || invalid.Problems[0].ID == "MapDescriptionNot") {
		return nil, nil, InFile("map.json", mapErr)
	}
	// A map.json that reads but breaks a rule still names the regions' properties: the
	// regions are read too, so that one run reports the problems of both files.
	f.Regions, err = readRegions(fsys, &f.Map, opt, &f.Skipped)
	if err == nil {
		err = checkRegionNames(f.Regions)
	}
	if mapErr != nil {
		return nil, nil, alsoInvalid(InFile("map.json", mapErr), err)
	}
	if err != nil {
		return nil, nil, err
	}
	if f.Places, err = readPlaces(fsys, &f.Map, f.Regions); err != nil {
		return nil, nil, err
	}
	if f.Context, err = readContext(fsys); err != nil {
		return nil, nil, err
	}
	// History names regions and places, as events do.
	ids := make(map[string]bool, len(f.Regions)+len(f.Places))
	for _, r := range f.Regions {
		ids[r.ID] = true
	}
	for _, p := range f.Places {
		ids[p.ID] = true
	}
	if f.History, err = readHistory(fsys, &f.Map, func(id string) bool { return ids[id] }); err != nil {
		return nil, nil, err
	}
	file, err := fsys.Open("events.csv")
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("events.csv: %w", err)
	}
	index := NewRegionIndex()
	for _, r := range f.Regions {
		index.Add(r.ID, r.Name)
	}
	for _, p := range f.Places {
		index.AddPlace(p.ID, p.Name)
	}
	events, err = NewEventReaderWith(file, &f.Map, nil, EventOptions{Regions: index, DateFormat: opt.DateFormat})
	if err != nil {
		file.Close()
		return nil, nil, InFile("events.csv", err)
	}
	events.name = "events.csv"
	return f, events, nil
}

// checkRegionNames refuses region ids and names that hold control characters, naming each.
func checkRegionNames(regions []geo.Region) error {
	var problems []Problem
	for i, r := range regions {
		for _, f := range []struct{ what, value string }{{"RegionFieldID", r.ID}, {"RegionFieldName", r.Name}, {"RegionFieldCapital", r.Capital}} {
			if c, ok := controlChar(f.value, false); ok {
				problems = append(problems, P("RegionControl", "feature", i, "id", quote(r.ID), "field", P(f.what), "char", runeName(c)))
			}
		}
		if len(problems) >= 20 {
			problems = append(problems, P("RegionsMore"))
			break
		}
	}
	if len(problems) > 0 {
		return InFile("regions", Invalid(problems...))
	}
	return nil
}

// alsoInvalid is the problems of first, an *InvalidError, followed by those of then, when
// there are any: what one run found in two files. The English is each one's own.
func alsoInvalid(first, then error) error {
	if then == nil {
		return first
	}
	var a, b *InvalidError
	if !errors.As(first, &a) {
		return first
	}
	both := &InvalidError{Msg: a.Msg + "\n" + then.Error()}
	if errors.As(then, &b) && len(a.Problems) > 0 && len(b.Problems) > 0 {
		both.Problems = append(slices.Clip(a.Problems), b.Problems...)
	}
	return both
}

// InFile puts a file's name before every line of err's message, so that each problem of a
// long report names its place in full ("events.csv: line 7: ..."). A report of problems with
// the input (an *InvalidError or a geo.Problems) stays an *InvalidError.
func InFile(name string, err error) error {
	var invalid *InvalidError
	var problems geo.Problems
	if errors.As(err, &invalid) && len(invalid.Problems) > 0 {
		ps := make([]Problem, len(invalid.Problems))
		for i, p := range invalid.Problems {
			ps[i] = P("ProblemInFile", "file", name, "problem", p)
		}
		return Invalid(ps...)
	}
	if errors.As(err, &problems) {
		return geoInvalid(name, problems)
	}
	if invalid != nil {
		return &InvalidError{Msg: name + ": " + strings.ReplaceAll(err.Error(), "\n", "\n"+name+": ")}
	}
	return fmt.Errorf("%s: %w", name, err)
}

// DirFolder returns the map folder in the directory dir, refusing one that holds a symbolic
// link: a link in a folder someone sent could point at any file on this machine
// (/etc/passwd), whose lines an import's error messages would then echo.
func DirFolder(dir string) (fs.FS, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read map folder: %w", err)
	}
	var links []string
	for _, e := range entries {
		if e.Type()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(filepath.Join(dir, e.Name()))
			links = append(links, fmt.Sprintf("%s (to %s)", e.Name(), target))
		}
	}
	if len(links) > 0 {
		return nil, Invalidf("map folder %s holds symbolic links, which are not followed: %s; copy the files themselves into the folder",
			dir, strings.Join(links, ", "))
	}
	return os.DirFS(dir), nil
}

// controlChar returns the first control character in s (C0 and C1: a terminal escape, a
// bell), if any; newlines and tabs count only when lines is false. Line and paragraph
// separators and bidi marks are text, escaped wherever they are shown.
func controlChar(s string, lines bool) (rune, bool) {
	for _, r := range s {
		if lines && (r == '\n' || r == '\t' || r == '\r') {
			continue
		}
		if unicode.IsControl(r) {
			return r, true
		}
	}
	return 0, false
}

// slugify writes s as an id may be written: lower-case letters, digits and hyphens.
func slugify(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteRune(c)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// decodeMap reads map.json into m and checks it: every rule it breaks is a Problem, in the
// order of the file's fields.
func decodeMap(raw []byte, m *Map) error {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	var f mapFile
	if err := dec.Decode(&f); err != nil {
		return Invalid(P("MapDescriptionNot", "detail", err.Error()))
	}
	var problems []Problem
	bad := func(p Problem) { problems = append(problems, p) }
	*m = f.toMap(bad)
	checkLocale(m, bad)
	if !idPattern.MatchString(m.Slug) {
		bad(P("MapSlug", "slug", quote(m.Slug)))
	}
	if strings.TrimSpace(m.Title) == "" {
		bad(P("MapTitleEmpty"))
	}
	for _, f := range []struct {
		name, value string
		lines       bool
	}{{"MapFieldTitle", m.Title, false}, {"MapFieldDescription", m.Description, true}, {"MapFieldAttribution", m.Attribution, true}} {
		if r, ok := controlChar(f.value, f.lines); ok {
			bad(P("MapControl", "field", P(f.name), "char", runeName(r)))
		}
	}
	for _, d := range []struct{ name, value string }{{"start", m.Start}, {"end", m.End}, {"default_date", m.DefaultDate}} {
		var invalid *InvalidError
		if err := CheckDate(d.value); errors.As(err, &invalid) {
			for _, p := range invalid.Problems {
				bad(P("ProblemField", "field", d.name, "problem", p))
			}
		}
	}
	if len(problems) == 0 && !(m.Start <= m.DefaultDate && m.DefaultDate <= m.End) {
		bad(P("MapDatesOrder", "start", m.Start, "default", m.DefaultDate, "end", m.End))
	}
	if len(m.Factions) == 0 {
		bad(P("MapFactionsEmpty"))
	}
	seen := map[string]bool{}
	var ids []string
	for i, fa := range m.Factions {
		ids = append(ids, fa.ID)
		n := i + 1 // counted as a person reads the list
		switch {
		case !idPattern.MatchString(fa.ID):
			bad(P("MapFaction", "n", n, "problem", P("MapFactionID", "id", quote(fa.ID), "slug", quote(slugify(fa.ID)))))
		case seen[fa.ID]:
			bad(P("MapFaction", "n", n, "problem", P("MapFactionDuplicate", "id", quote(fa.ID))))
		}
		seen[fa.ID] = true
		named := func(p Problem) { bad(P("MapFactionNamed", "n", n, "id", fa.ID, "problem", p)) }
		if strings.TrimSpace(fa.Name) == "" {
			named(P("MapFactionNameEmpty"))
		}
		if r, ok := controlChar(fa.Name, false); ok {
			named(P("MapFactionNameControl", "char", runeName(r)))
		}
		if !colorPattern.MatchString(fa.Color) {
			named(P("MapFactionColor", "color", quote(fa.Color)))
		}
		m.Factions[i].Color = strings.ToLower(fa.Color)
	}
	if !seen[m.Initial] && len(ids) > 0 {
		p := P("MapInitial", "initial", quote(m.Initial), "factions", strings.Join(ids, ", "))
		for _, id := range ids {
			if strings.EqualFold(id, m.Initial) {
				p = P("ProblemHint", "problem", p, "hint", P("MapInitialMeant", "faction", quote(id)))
				break // two factions of one id are a problem of their own
			}
		}
		bad(p)
	}
	if len(problems) > 0 {
		return Invalid(problems...)
	}
	return nil
}

// runeName is a character as the messages name it, such as U+001B: never the character
// itself, which a terminal or a page could act on.
func runeName(r rune) string { return fmt.Sprintf("%U", r) }

// CheckEvent checks an event's fields against map m, trimming them and filling in the default
// confidence. It returns a message per bad field, keyed by the field's CSV and form name.
func CheckEvent(m *Map, hasRegion func(string) bool, e *Event) map[string]Problem {
	bad := map[string]Problem{}
	e.Region = strings.TrimSpace(e.Region)
	e.Faction = strings.TrimSpace(e.Faction)
	e.Date = strings.TrimSpace(e.Date)
	e.Source = strings.TrimSpace(e.Source)
	e.Note = strings.TrimSpace(e.Note)
	e.Confidence = strings.TrimSpace(e.Confidence)
	// A slice, not a map literal: this runs for every line of an events file.
	for _, f := range [...]struct{ name, v string }{{"region", e.Region}, {"faction", e.Faction}, {"source", e.Source}, {"note", e.Note}} {
		if !utf8.ValidString(f.v) {
			bad[f.name] = P("EventNotText")
		}
	}
	_, badRegion := bad["region"]
	switch {
	case badRegion:
	case e.Region == "":
		bad["region"] = P("EventRequired")
	case !hasRegion(e.Region):
		bad["region"] = P("EventRegionUnknown", "region", quote(e.Region))
	}
	if _, badFaction := bad["faction"]; !badFaction {
		if _, ok := m.Faction(e.Faction); !ok {
			if e.Faction == "" {
				bad["faction"] = P("EventRequired")
			} else {
				bad["faction"] = P("EventFactionUnknown", "faction", quote(e.Faction))
			}
		}
	}
	if e.Date == "" {
		bad["date"] = P("EventRequired")
	} else if _, err := m.ParseDate(e.Date); err != nil {
		var invalid *InvalidError
		if errors.As(err, &invalid) && len(invalid.Problems) == 1 {
			bad["date"] = invalid.Problems[0]
		}
	}
	if _, badSource := bad["source"]; !badSource {
		if p, ok := checkSource(e.Source); !ok {
			bad["source"] = p
		}
	}
	if _, badNote := bad["note"]; !badNote && utf8.RuneCountInString(e.Note) > MaxNoteLen {
		bad["note"] = P("EventTooLong", "max", MaxNoteLen)
	}
	switch e.Confidence {
	case "":
		e.Confidence = Confirmed
	case Confirmed, Claimed:
	default:
		bad["confidence"] = P("EventConfidence", "value", quote(e.Confidence), "confirmed", quote(Confirmed), "claimed", quote(Claimed))
	}
	return bad
}

// checkSource says what is wrong with a source URL; ok when nothing is.
func checkSource(s string) (p Problem, ok bool) {
	if s == "" {
		return P("EventSourceRequired"), false
	}
	if len(s) > MaxSourceLen {
		return P("EventTooLong", "max", MaxSourceLen), false
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return P("EventSourceNotURL", "source", quote(s)), false
	}
	return Problem{}, true
}
