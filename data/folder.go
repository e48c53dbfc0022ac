package data

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/frontline-maps/frontline/geo"
)

// Folder is a map folder read and checked: map.json, regions.geojson and, when the folder
// has one and it was read whole (LoadFolder), events.csv. It is the one import and export
// format of Frontline.
type Folder struct {
	Map     Map
	Regions []geo.Region
	Events  []Event
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

// eventsHeader is the header of events.csv; the confidence column may be left out.
var eventsHeader = []string{"region", "faction", "date", "source", "note", "confidence"}

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
	f = &Folder{}
	raw, err := fs.ReadFile(fsys, "map.json")
	if err != nil {
		return nil, nil, fmt.Errorf("map.json: %w", err)
	}
	if err := decodeMap(raw, &f.Map); err != nil {
		return nil, nil, fmt.Errorf("map.json: %w", err)
	}
	raw, err = fs.ReadFile(fsys, "regions.geojson")
	if err != nil {
		return nil, nil, fmt.Errorf("regions.geojson: %w", err)
	}
	f.Regions, err = geo.ParseRegions(raw, f.Map.IDProperty, f.Map.NameProperty)
	if err != nil {
		return nil, nil, InFile("regions.geojson", err)
	}
	file, err := fsys.Open("events.csv")
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("events.csv: %w", err)
	}
	known := make(map[string]bool, len(f.Regions))
	for _, r := range f.Regions {
		known[r.ID] = true
	}
	events, err = NewEventReader(file, &f.Map, func(id string) bool { return known[id] })
	if err != nil {
		file.Close()
		return nil, nil, InFile("events.csv", err)
	}
	events.name = "events.csv"
	return f, events, nil
}

// InFile puts a file's name before every line of err's message, so that each problem of a
// long report names its place in full ("events.csv: line 7: ..."). A report of problems with
// the input (an *InvalidError or a geo.Problems) stays an *InvalidError.
func InFile(name string, err error) error {
	var invalid *InvalidError
	var problems geo.Problems
	if errors.As(err, &invalid) || errors.As(err, &problems) {
		return &InvalidError{Msg: name + ": " + strings.ReplaceAll(err.Error(), "\n", "\n"+name+": ")}
	}
	return fmt.Errorf("%s: %w", name, err)
}

// decodeMap reads map.json into m and checks it.
func decodeMap(raw []byte, m *Map) error {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(m); err != nil {
		return Invalidf("not a valid map description: %v", err)
	}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if !idPattern.MatchString(m.Slug) {
		bad("slug %q must be lower-case letters, digits and hyphens", m.Slug)
	}
	if strings.TrimSpace(m.Title) == "" {
		bad("title is empty")
	}
	for _, d := range []struct{ name, value string }{{"start", m.Start}, {"end", m.End}, {"default_date", m.DefaultDate}} {
		if err := CheckDate(d.value); err != nil {
			bad("%s: %v", d.name, err)
		}
	}
	if len(problems) == 0 && !(m.Start <= m.DefaultDate && m.DefaultDate <= m.End) {
		bad("the dates must satisfy start <= default_date <= end (%s, %s, %s)", m.Start, m.DefaultDate, m.End)
	}
	if len(m.Factions) == 0 {
		bad("factions is empty: a map needs at least one")
	}
	seen := map[string]bool{}
	for i, fa := range m.Factions {
		switch {
		case !idPattern.MatchString(fa.ID):
			bad("faction %d: id %q must be lower-case letters, digits and hyphens", i, fa.ID)
		case seen[fa.ID]:
			bad("faction %d: duplicate id %q", i, fa.ID)
		}
		seen[fa.ID] = true
		if strings.TrimSpace(fa.Name) == "" {
			bad("faction %d (%s): name is empty", i, fa.ID)
		}
		if !colorPattern.MatchString(fa.Color) {
			bad("faction %d (%s): color %q must be #rrggbb", i, fa.ID, fa.Color)
		}
		m.Factions[i].Color = strings.ToLower(fa.Color)
	}
	if !seen[m.Initial] {
		bad("initial %q is not one of the factions", m.Initial)
	}
	if len(problems) > 0 {
		return &InvalidError{Msg: strings.Join(problems, "; ")}
	}
	return nil
}

// ReadEvents reads an events CSV for map m. hasRegion says whether a region id exists. Any
// bad line rejects the whole file; the error names every bad line (up to a limit).
func ReadEvents(r io.Reader, m *Map, hasRegion func(string) bool) ([]Event, error) {
	events, _, err := ReadEventLines(r, m, hasRegion)
	return events, err
}

// ReadEventLines reads an events CSV as ReadEvents does, and also returns the line on which
// each event starts, so that later problems (such as a duplicate found in the database)
// can name it.
func ReadEventLines(r io.Reader, m *Map, hasRegion func(string) bool) ([]Event, []int, error) {
	er, err := NewEventReader(r, m, hasRegion)
	if err != nil {
		return nil, nil, err
	}
	var events []Event
	var lines []int
	for {
		e, line, ok := er.Next()
		if !ok {
			break
		}
		events = append(events, e)
		lines = append(lines, line)
	}
	if err := er.Err(); err != nil {
		return nil, nil, err
	}
	return events, lines, nil
}

// maxProblems is how many problems of an events file are reported: past it, the file is
// most likely not an events file at all.
const maxProblems = 20

// EventReader reads an events CSV one line at a time, checking each line against the map
// as it is read (CheckEvent), so that a file of any size is read in little memory. Bad lines
// are skipped and their problems kept for Err: a caller storing the events must store
// nothing when Err reports any.
type EventReader struct {
	cr        *csv.Reader
	m         *Map
	hasRegion func(string) bool
	fields    int       // the header's number of fields
	closer    io.Closer // the file read, when it is one
	size      int64     // the file's size, 0 when unknown
	name      string    // the file's name, put before each problem when set
	problems  []string
	done      bool
}

// NewEventReader reads the header of an events CSV for map m; hasRegion says whether a
// region id exists. A missing or wrong header is an *InvalidError.
func NewEventReader(r io.Reader, m *Map, hasRegion func(string) bool) (*EventReader, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	// The events keep only the strings of a record, not its slice.
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, Invalidf("the file is empty; it needs the header %s", strings.Join(eventsHeader, ","))
	}
	if err != nil {
		return nil, Invalidf("%v", err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff") // spreadsheets save a byte-order mark
	}
	if !headerOK(header) {
		return nil, Invalidf("line 1: the header must be %s (confidence may be left out), not %s",
			strings.Join(eventsHeader, ","), strings.Join(header, ","))
	}
	er := &EventReader{cr: cr, m: m, hasRegion: hasRegion, fields: len(header)}
	if c, ok := r.(io.Closer); ok {
		er.closer = c
	}
	if st, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if info, err := st.Stat(); err == nil && info.Mode().IsRegular() {
			er.size = info.Size()
		}
	}
	return er, nil
}

// Next returns the next good event and the line on which it starts. It returns false at the
// end of the file, or once too many problems were found to go on.
func (r *EventReader) Next() (e Event, line int, ok bool) {
	for !r.done {
		if len(r.problems) >= maxProblems {
			r.problems = append(r.problems, "too many problems; stopped reading")
			r.done = true
			break
		}
		rec, err := r.cr.Read()
		if err == io.EOF {
			r.done = true
			break
		}
		if err != nil {
			// A csv.ParseError names its own line; FieldPos is only valid after a good read.
			r.problems = append(r.problems, err.Error())
			continue
		}
		line, _ := r.cr.FieldPos(0)
		if len(rec) != r.fields {
			r.problems = append(r.problems, fmt.Sprintf("line %d: %d fields, the header has %d", line, len(rec), r.fields))
			continue
		}
		e := Event{Region: rec[0], Faction: rec[1], Date: rec[2], Source: rec[3], Note: rec[4]}
		if len(rec) > 5 {
			e.Confidence = rec[5]
		}
		if fields := CheckEvent(r.m, r.hasRegion, &e); len(fields) > 0 {
			for _, name := range eventsHeader {
				if msg, ok := fields[name]; ok {
					r.problems = append(r.problems, fmt.Sprintf("line %d: %s: %s", line, name, msg))
				}
			}
			continue
		}
		return e, line, true
	}
	return Event{}, 0, false
}

// failed reports whether a problem was found so far, more cheaply than Err.
func (r *EventReader) failed() bool { return len(r.problems) > 0 }

// Err returns the problems found so far, one per line of an *InvalidError, or nil.
func (r *EventReader) Err() error {
	if len(r.problems) == 0 {
		return nil
	}
	err := error(&InvalidError{Msg: strings.Join(r.problems, "\n")})
	if r.name != "" {
		err = InFile(r.name, err)
	}
	return err
}

// drain reads the rest of the file, for its problems.
func (r *EventReader) drain() {
	for {
		if _, _, ok := r.Next(); !ok {
			return
		}
	}
}

// progress returns how far the reader has got: bytes read of the file's size, or, when the
// size is unknown, events read of -1.
func (r *EventReader) progress(events int) (done, total int) {
	if r.size <= 0 {
		return events, -1
	}
	return int(r.cr.InputOffset()), int(r.size)
}

// Close closes the file read, when it is one.
func (r *EventReader) Close() error {
	if r.closer == nil {
		return nil
	}
	return r.closer.Close()
}

func headerOK(h []string) bool {
	if len(h) != len(eventsHeader) && len(h) != len(eventsHeader)-1 {
		return false
	}
	for i, name := range h {
		if strings.TrimSpace(strings.ToLower(name)) != eventsHeader[i] {
			return false
		}
	}
	return true
}

// CheckEvent checks an event's fields against map m, trimming them and filling in the default
// confidence. It returns a message per bad field, keyed by the field's CSV and form name.
func CheckEvent(m *Map, hasRegion func(string) bool, e *Event) map[string]string {
	bad := map[string]string{}
	e.Region = strings.TrimSpace(e.Region)
	e.Faction = strings.TrimSpace(e.Faction)
	e.Date = strings.TrimSpace(e.Date)
	e.Source = strings.TrimSpace(e.Source)
	e.Note = strings.TrimSpace(e.Note)
	e.Confidence = strings.TrimSpace(e.Confidence)
	// A slice, not a map literal: this runs for every line of an events file.
	for _, f := range [...]struct{ name, v string }{{"region", e.Region}, {"faction", e.Faction}, {"source", e.Source}, {"note", e.Note}} {
		if !utf8.ValidString(f.v) {
			bad[f.name] = "is not valid UTF-8 text"
		}
	}
	switch {
	case bad["region"] != "":
	case e.Region == "":
		bad["region"] = "is required"
	case !hasRegion(e.Region):
		bad["region"] = fmt.Sprintf("%q is not a region of this map", e.Region)
	}
	if _, ok := m.Faction(e.Faction); !ok && bad["faction"] == "" {
		if e.Faction == "" {
			bad["faction"] = "is required"
		} else {
			bad["faction"] = fmt.Sprintf("%q is not a faction of this map", e.Faction)
		}
	}
	if e.Date == "" {
		bad["date"] = "is required"
	} else if _, err := m.ParseDate(e.Date); err != nil {
		bad["date"] = err.Error()
	}
	if msg := checkSource(e.Source); msg != "" && bad["source"] == "" {
		bad["source"] = msg
	}
	if utf8.RuneCountInString(e.Note) > MaxNoteLen && bad["note"] == "" {
		bad["note"] = fmt.Sprintf("is longer than %d characters", MaxNoteLen)
	}
	switch e.Confidence {
	case "":
		e.Confidence = Confirmed
	case Confirmed, Claimed:
	default:
		bad["confidence"] = fmt.Sprintf("%q must be %q or %q", e.Confidence, Confirmed, Claimed)
	}
	return bad
}

// checkSource says what is wrong with a source URL, or returns "".
func checkSource(s string) string {
	if s == "" {
		return "is required: every change needs a public source"
	}
	if len(s) > MaxSourceLen {
		return fmt.Sprintf("is longer than %d characters", MaxSourceLen)
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Sprintf("%q is not an http or https URL", s)
	}
	return ""
}
