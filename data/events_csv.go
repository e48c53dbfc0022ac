package data

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// eventsHeader is the header of events.csv, as export writes it. A file may put the columns
// in any order and leave out those of optionalColumns: spreadsheets are rarely laid out the
// way the contract lists them, and a sheet without notes has no note column.
var eventsHeader = []string{"region", "faction", "date", "source", "note", "confidence"}

// optionalColumns are the columns of eventsHeader a file may leave out.
var optionalColumns = []string{"note", "confidence"}

// csvColumns says which column of a line holds each of eventsHeader's fields, -1 for one
// the file leaves out.
type csvColumns [6]int

// field returns rec's value of eventsHeader[f], "" for a column the file leaves out.
func (c csvColumns) field(rec []string, f int) string {
	if c[f] < 0 {
		return ""
	}
	return rec[c[f]]
}

// Date formats an events file may use besides YYYY-MM-DD, when the reader is told so
// (EventOptions.DateFormat): what spreadsheets write in Europe and in the United States.
const (
	DayFirst   = "DD/MM/YYYY"
	MonthFirst = "MM/DD/YYYY"
)

// DateFormats are the values EventOptions.DateFormat accepts besides "" (YYYY-MM-DD only).
var DateFormats = []string{DayFirst, MonthFirst}

// EventOptions says how forgiving an EventReader is with what spreadsheets write.
type EventOptions struct {
	// Regions, when set, lets a line name a region by its id in any letter case or by its
	// name; a name two regions share is refused, naming both. It also gives the hints
	// ("did you mean …?") for a region the map does not have.
	Regions *RegionIndex
	// DateFormat is "" (dates are YYYY-MM-DD) or one of DateFormats, in which case dates
	// are read in that form too (with /, . or - between the numbers).
	DateFormat string
	// Form says the file came through the editors' upload form, whose "Dates written as"
	// field sets DateFormat: the hints name that field rather than --date-format.
	Form bool
}

// CheckDateFormat returns an *InvalidError naming the valid values when f is not a date
// format EventOptions accepts.
func CheckDateFormat(f string) error {
	if f == "" || slices.Contains(DateFormats, f) {
		return nil
	}
	return Invalid(P("DateFormatNot", "format", quote(f), "formats", strings.Join(DateFormats, ", ")))
}

// RegionIndex finds a map's regions by what a person writes for them: the id, the id in
// another letter case, or the name.
type RegionIndex struct {
	names  map[string]string   // id -> name
	folded map[string][]string // id or name, folded -> ids, each once
	bare   map[string][]string // id or name, folded bare of its marks -> ids, each once
	order  []string            // ids in the order added, for hints that do not depend on map order
	keys   [][2]string         // the id and name of each of order, bare
	places map[string]bool     // the ids added by AddPlace
}

// NewRegionIndex returns an empty index; Add fills it.
func NewRegionIndex() *RegionIndex {
	return &RegionIndex{names: map[string]string{}, folded: map[string][]string{}, bare: map[string][]string{}, places: map[string]bool{}}
}

// Add adds a region.
func (x *RegionIndex) Add(id, name string) {
	if _, ok := x.names[id]; ok {
		return
	}
	x.names[id] = name
	x.order = append(x.order, id)
	x.keys = append(x.keys, [2]string{bare(id), bare(name)})
	for _, key := range []string{fold(id), fold(name)} {
		if key != "" && !slices.Contains(x.folded[key], id) {
			x.folded[key] = append(x.folded[key], id)
		}
	}
	for _, key := range x.keys[len(x.keys)-1] {
		if key != "" && !slices.Contains(x.bare[key], id) {
			x.bare[key] = append(x.bare[key], id)
		}
	}
}

// AddPlace adds a place (events name regions and places alike). A name a place shares
// with one region means the region: provinces are often named after their capitals
// (Kabul, Kunduz, Herat), and a sheet of provinces should not be refused for it. The place
// is still found by its id.
func (x *RegionIndex) AddPlace(id, name string) {
	if _, ok := x.names[id]; !ok {
		x.places[id] = true
	}
	x.Add(id, name)
}

// Has reports whether id is a region's id, exactly.
func (x *RegionIndex) Has(id string) bool {
	_, ok := x.names[id]
	return ok
}

// Resolve returns the id of the region s names: its id, its id in another letter case, or
// its name. ids holds the regions s could mean when it names more than one.
func (x *RegionIndex) Resolve(s string) (id string, ok bool, ids []string) {
	if x.Has(s) {
		return s, true, nil
	}
	ids = x.folded[fold(s)]
	if len(ids) == 0 {
		// Written without the name's marks, or with marks it lacks: Mazandaran for
		// Māzandarān, Kharkivs'ka for Kharkivs’ka, as sheets typed on other keyboards do.
		ids = x.bare[bare(s)]
	}
	if len(ids) == 1 {
		return ids[0], true, nil
	}
	// One region among places: the region (see AddPlace).
	regions := slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return x.places[id] })
	if len(regions) == 1 && len(ids) > 1 {
		return regions[0], true, nil
	}
	return "", false, ids
}

// label writes a region for a person: its id, and its name when that says more.
func (x *RegionIndex) label(id string) string {
	if name := x.names[id]; name != "" && name != id {
		return fmt.Sprintf("%s (%s)", id, name)
	}
	return id
}

// Suggest returns the regions whose id or name is nearest to s, for a "did you mean", or
// none when nothing is near enough to be a likely slip.
func (x *RegionIndex) Suggest(s string) []string {
	f := bare(s)
	if f == "" {
		return nil
	}
	type near struct {
		id   string
		dist int
	}
	var best []near
	limit := max(1, min(3, utf8.RuneCountInString(f)/3))
	for i, id := range x.order {
		d := min(editDistance(f, x.keys[i][0], limit), editDistance(f, x.keys[i][1], limit))
		if d <= limit {
			best = append(best, near{id, d})
		}
	}
	slices.SortStableFunc(best, func(a, b near) int { return cmp.Compare(a.dist, b.dist) })
	var ids []string
	for _, n := range best[:min(3, len(best))] {
		ids = append(ids, n.id)
	}
	return ids
}

func fold(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// unmark takes the marks off letters (ā, é, ç, ş to a, e, c, s), in Unicode's decomposition.
var unmark = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// apostrophes are the ways a name's apostrophe is typed (Kharkivs’ka, Kharkivs'ka).
var apostrophes = strings.NewReplacer("\u2019", "'", "\u02bc", "'", "\u2018", "'", "`", "'", "\u00b4", "'")

// bare is s folded, without its letters' marks and with one apostrophe: what two ways of
// typing one name share.
func bare(s string) string {
	out, _, err := transform.String(unmark, fold(s))
	if err != nil {
		out = fold(s)
	}
	return apostrophes.Replace(out)
}

// editDistance is the Levenshtein distance between a and b, in runes, or limit+1 once it
// is sure to exceed limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			low = min(low, cur[j])
		}
		if low > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
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

// maxProblems is how many different problems of an events file are reported: past it, the
// file is most likely not an events file at all. The same problem on many lines is one.
const maxProblems = 20

// maxLinesListed is how many lines of one problem are listed before "and N more".
const maxLinesListed = 5

// EventReader reads an events CSV one line at a time, checking each line against the map
// as it is read (CheckEvent), so that a file of any size is read in little memory. It
// reads what spreadsheets write (EventOptions, and a byte-order mark, CRLF, ; or tab as the
// separator, header names in any case, blank rows). Bad lines are skipped and their
// problems kept for Err, one entry per cause however many lines share it: a caller storing
// the events must store nothing when Err reports any.
type EventReader struct {
	cr        *csv.Reader
	m         *Map
	hasRegion func(string) bool
	opt       EventOptions
	fields    int        // the header's number of fields
	cols      csvColumns // where each field is in a line
	closer    io.Closer  // the file read, when it is one
	size      int64      // the file's size, 0 when unknown
	name      string     // the file's name, put before each problem when set
	problems  []*problem
	byKey     map[string]*problem
	breaks    int // line breaks inside the quoted fields read so far
	done      bool
}

// problem is one cause found on one or more lines.
type problem struct {
	what        Problem // for the first line; what follows "line N: "
	first, last int
	lines       []int // the first maxLinesListed
	count       int
}

// located is the problem with the lines it is found on; a problem of the whole file (or a
// csv error, which names its own line) as it is.
func (p *problem) located() Problem {
	switch {
	case p.count == 0:
		return p.what
	case p.count == 1:
		return P("ProblemLine", "line", p.first, "problem", p.what)
	}
	var where Problem
	switch {
	case p.last-p.first+1 == p.count:
		where = P("ProblemLineRange", "from", p.first, "to", p.last)
	case p.count <= maxLinesListed:
		where = P("ProblemLineList", "list", joinInts(p.lines[:p.count-1]), "last", p.last)
	default:
		where = P("ProblemLineMore", "list", joinInts(p.lines), "more", p.count-len(p.lines))
	}
	return P("ProblemLines", "lines", where, "count", p.count, "problem", p.what)
}

// joinInts lists line numbers, each in the reader's digits.
func joinInts(ns []int) Problem {
	list := P("ProblemItem", "item", ns[0])
	for _, n := range ns[1:] {
		list = P("ProblemList", "list", list, "next", P("ProblemItem", "item", n))
	}
	return list
}

// NewEventReader reads the header of an events CSV for map m; hasRegion says whether a
// region id exists. A missing or wrong header is an *InvalidError.
func NewEventReader(r io.Reader, m *Map, hasRegion func(string) bool) (*EventReader, error) {
	return NewEventReaderWith(r, m, hasRegion, EventOptions{})
}

// NewEventReaderWith reads the header of an events CSV for map m, as NewEventReader does,
// with the forgiving options opt. When opt.Regions is set, hasRegion may be nil.
func NewEventReaderWith(r io.Reader, m *Map, hasRegion func(string) bool, opt EventOptions) (*EventReader, error) {
	if err := CheckDateFormat(opt.DateFormat); err != nil {
		return nil, err
	}
	if hasRegion == nil && opt.Regions != nil {
		hasRegion = opt.Regions.Has
	}
	br := bufio.NewReaderSize(r, 64<<10)
	start, _ := br.Peek(8)
	if bytes.HasPrefix(start, []byte("PK\x03\x04")) || bytes.HasPrefix(start, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")) {
		// A workbook (.xlsx and .ods are zips, .xls an OLE file), not its sheet as text.
		return nil, Invalid(P("CSVWorkbook"))
	}
	utf16 := bytes.HasPrefix(start, []byte("\xff\xfe")) || bytes.HasPrefix(start, []byte("\xfe\xff"))
	if utf16 {
		// Excel's "Unicode Text": UTF-16 with a byte-order mark, tabs between the columns.
		br = bufio.NewReaderSize(transform.NewReader(br, xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewDecoder()), 64<<10)
	}
	comma := detectSeparator(br)
	below := headerBelow(br)
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	// The events keep only the strings of a record, not its slice.
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, Invalid(P("CSVEmpty", "header", strings.Join(eventsHeader, ",")))
	}
	if err != nil {
		return nil, Invalid(P("ProblemCSV", "detail", err.Error()))
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff") // spreadsheets save a byte-order mark
	}
	cols, hint, bad := readHeader(header)
	if bad {
		p := P("CSVHeader", "header", strings.Join(eventsHeader, ","), "got", strings.Join(header, string(comma)))
		if below > 0 {
			// A title above the header, as sheets made for reading have.
			hint = P("CSVHeaderBelow", "line", below)
		}
		if hint.ID != "" {
			p = P("ProblemHint", "problem", p, "hint", hint)
		}
		return nil, Invalid(p)
	}
	er := &EventReader{cr: cr, m: m, hasRegion: hasRegion, opt: opt, fields: len(header), cols: cols, byKey: map[string]*problem{}}
	if c, ok := r.(io.Closer); ok {
		er.closer = c
	}
	// The progress is of the bytes read, which are the file's unless it is decoded.
	if st, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok && !utf16 {
		if info, err := st.Stat(); err == nil && info.Mode().IsRegular() {
			er.size = info.Size()
		}
	}
	return er, nil
}

// detectSeparator returns the separator of the header line: a comma, unless the header
// reads as the events header with a semicolon (what Excel writes where the decimal mark is
// a comma) or a tab (what a copy from a spreadsheet gives) instead.
func detectSeparator(br *bufio.Reader) rune {
	line, _ := br.Peek(br.Size())
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	line = bytes.TrimPrefix(line, []byte("\ufeff"))
	best, bestN := ',', bytes.Count(line, []byte{','})
	for _, sep := range []rune{';', '\t'} {
		fields := strings.Split(strings.TrimRight(string(line), "\r"), string(sep))
		if _, _, bad := readHeader(fields); !bad {
			return sep
		}
		if n := bytes.Count(line, []byte(string(sep))); n > bestN {
			best, bestN = sep, n
		}
	}
	// A header that matches with none is reported with the separator it most likely uses.
	return best
}

// headerLines is how many of a file's first lines headerBelow looks at for the header.
const headerLines = 10

// headerBelow returns the line, after the first, that is the events header (with any of the
// separators), among the first headerLines that br holds; 0 when there is none.
func headerBelow(br *bufio.Reader) int {
	buf, _ := br.Peek(br.Size())
	lines := bytes.SplitN(buf, []byte("\n"), headerLines+1)
	for i := 1; i < min(len(lines), headerLines); i++ {
		line := strings.TrimRight(string(lines[i]), "\r")
		for _, sep := range []string{",", ";", "\t"} {
			if _, _, bad := readHeader(strings.Split(line, sep)); !bad {
				return i + 1
			}
		}
	}
	return 0
}

// readHeader finds the columns of header h: each of eventsHeader's names once, in any order
// and letter case, those of optionalColumns optional. When h is not such a header, bad is
// set and hint says why (its ID "" when there is nothing more to say): each column that is
// none of the names or names one again, with the name it most likely means, and the names
// missing.
func readHeader(h []string) (cols csvColumns, hint Problem, bad bool) {
	if len(h) == 1 && strings.ContainsAny(h[0], "|:") {
		return cols, P("CSVHeaderCommas"), true
	}
	for i := range cols {
		cols[i] = -1
	}
	var problems []Problem
	for n, raw := range h {
		name := strings.TrimSpace(raw)
		f := slices.Index(eventsHeader, fold(name))
		switch {
		case f < 0:
			if want := nearestColumn(name); want != "" {
				problems = append(problems, P("CSVHeaderMeant", "n", n+1, "got", quote(name), "want", quote(want)))
			} else {
				problems = append(problems, P("CSVHeaderUnknown", "n", n+1, "got", quote(name)))
			}
		case cols[f] >= 0:
			problems = append(problems, P("CSVHeaderTwice", "n", n+1, "got", quote(name), "first", cols[f]+1))
		default:
			cols[f] = n
		}
	}
	var missing []string
	for f, name := range eventsHeader {
		if cols[f] < 0 && !slices.Contains(optionalColumns, name) {
			missing = append(missing, name)
		}
	}
	if missing != nil {
		problems = append(problems, P("CSVHeaderMissing", "names", strings.Join(missing, ", ")))
	}
	for _, p := range problems {
		if hint.ID == "" {
			hint = p
		} else {
			hint = P("ProblemList", "list", hint, "next", p)
		}
	}
	return cols, hint, problems != nil
}

// nearestColumn is the name of eventsHeader that name most likely means ("Notes", "Datum",
// "regoin"), or "" when none is near.
func nearestColumn(name string) string {
	f := fold(name)
	best, bestDist := "", 3
	for _, want := range eventsHeader {
		if d := editDistance(f, want, 2); d < bestDist {
			best, bestDist = want, d
		}
	}
	return best
}

// add records a problem of a line. Problems with the same key are one problem, listed with
// all their lines; msg is called only for the first.
func (r *EventReader) add(line int, key string, what func() Problem) {
	if p, ok := r.byKey[key]; ok {
		p.count++
		p.last = line
		if len(p.lines) < maxLinesListed {
			p.lines = append(p.lines, line)
		}
		return
	}
	p := &problem{what: what(), first: line, last: line, lines: []int{line}, count: 1}
	r.byKey[key] = p
	r.problems = append(r.problems, p)
}

// Next returns the next good event and the line on which it starts. It returns false at the
// end of the file, or once too many problems were found to go on.
func (r *EventReader) Next() (e Event, line int, ok bool) {
	for !r.done {
		if len(r.problems) >= maxProblems {
			r.problems = append(r.problems, &problem{what: P("ProblemTooMany")})
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
			pe, ok := err.(*csv.ParseError)
			if ok {
				pe.StartLine, pe.Line = pe.StartLine-r.breaks, pe.Line-r.breaks // as rows, as below
			}
			what := P("ProblemCSV", "detail", err.Error())
			if ok && pe.Err == csv.ErrBareQuote {
				what = P("ProblemHint", "problem", what, "hint", P("ProblemCSVQuote"))
			}
			r.problems = append(r.problems, &problem{what: what})
			continue
		}
		// Lines are counted as a spreadsheet numbers its rows: a line break inside a quoted
		// field does not start a row.
		line, _ := r.cr.FieldPos(0)
		line -= r.breaks
		for _, f := range rec {
			r.breaks += strings.Count(f, "\n")
		}
		if blank(rec) {
			continue // the empty rows a spreadsheet leaves, usually at the end
		}
		if len(rec) != r.fields {
			n := len(rec)
			r.add(line, "fields:"+strconv.Itoa(n), func() Problem {
				p := P("CSVFields", "count", n, "header", r.fields)
				if n > r.fields && r.cr.Comma == ',' {
					p = P("ProblemHint", "problem", p, "hint", P("CSVFieldComma"))
				}
				return p
			})
			continue
		}
		c := r.cols
		e := Event{Region: c.field(rec, 0), Faction: c.field(rec, 1), Date: c.field(rec, 2), Source: c.field(rec, 3), Note: c.field(rec, 4), Confidence: c.field(rec, 5)}
		if r.check(line, &e) {
			return e, line, true
		}
	}
	return Event{}, 0, false
}

// check reads e's fields as a spreadsheet may have written them, checks them with
// CheckEvent, and records the line's problems. It reports whether e is good.
func (r *EventReader) check(line int, e *Event) bool {
	// Most lines are written as the contract says: they are checked once, and only a line
	// with a problem is read again the forgiving way.
	bad := CheckEvent(r.m, r.hasRegion, e)
	if len(bad) == 0 {
		return true
	}
	if !r.forgive(line, e) {
		return false
	}
	bad = CheckEvent(r.m, r.hasRegion, e)
	if len(bad) == 0 {
		return true
	}
	good := true
	for _, name := range eventsHeader {
		p, ok := bad[name]
		if !ok {
			continue
		}
		good = false
		key := name + ":" + p.String()
		field := func(p Problem) func() Problem {
			return func() Problem { return P("ProblemField", "field", name, "problem", p) }
		}
		if p.ID == "EventNotText" {
			// The file's cause, whatever the field: a sheet saved in its machine's code page.
			r.add(line, "not-text", field(P("ProblemHint", "problem", p, "hint", P("HintSaveUTF8"))))
			continue
		}
		switch name {
		case "region":
			if region := e.Region; region != "" {
				// The hint, a search of every region, only for a problem's first line.
				r.add(line, key, func() Problem { return field(r.regionHint(p, region))() })
				continue
			}
		case "faction":
			if e.Faction != "" {
				hint := P("HintFactions", "factions", r.factionIDs())
				if near := r.nearestFaction(e.Faction); near != "" {
					hint = P("HintFactionMeant", "faction", near, "factions", r.factionIDs())
				}
				r.add(line, key, field(P("ProblemHint", "problem", p, "hint", hint)))
				continue
			}
		case "source":
			if e.Source != "" && !strings.Contains(e.Source, "://") {
				// An address without its scheme (www.bbc.co.uk/news/…) is meant; a name
				// (Reuters, "AP, 15 August") is a source with no address.
				hint := P("HintSourceAddress")
				if fix := "https://" + e.Source; looksLikeHost(e.Source) {
					if _, ok := checkSource(fix); ok {
						hint = P("HintSourceMeant", "source", quote(fix))
					}
				}
				r.add(line, key, field(P("ProblemHint", "problem", p, "hint", hint)))
				continue
			}
		case "date":
			// The same form of date on every line is one problem, whatever the dates.
			if hint, form := r.dateHint(e.Date); form != "" {
				r.add(line, "date-form:"+form, field(P("ProblemHint", "problem", p, "hint", hint)))
				continue
			}
		}
		r.add(line, key, field(p))
	}
	return good
}

// forgive reads e's fields as a spreadsheet may have written them: a region's name or its
// id in another case, faction and confidence ids in any case, dates in the reader's
// DateFormat. It returns false, having recorded the problem, when a name is ambiguous.
func (r *EventReader) forgive(line int, e *Event) bool {
	if region := e.Region; region != "" && utf8.ValidString(region) && !r.hasRegion(region) && r.opt.Regions != nil {
		id, ok, ids := r.opt.Regions.Resolve(region)
		switch {
		case ok:
			e.Region = id
		case len(ids) > 1:
			r.add(line, "region-ambiguous:"+region, func() Problem {
				return P("ProblemField", "field", "region", "problem",
					P("RegionAmbiguous", "region", quote(region), "count", len(ids), "regions", r.labels(ids, "HintAnd")))
			})
			return false
		}
	}
	if _, ok := r.m.Faction(e.Faction); !ok {
		e.Faction = r.factionOf(e.Faction)
	}
	switch {
	case strings.EqualFold(e.Confidence, Confirmed):
		e.Confidence = Confirmed
	case strings.EqualFold(e.Confidence, Claimed):
		e.Confidence = Claimed
	}
	// A date cell saved with its time: midnight says nothing more than the day.
	if day, at, ok := dayAndTime(e.Date); ok && midnight(at) {
		e.Date = day
	}
	if r.opt.DateFormat != "" && CheckDate(e.Date) != nil {
		if iso, ok := otherDate(e.Date, r.opt.DateFormat); ok {
			e.Date = iso
		}
	}
	return true
}

// dayAndTime splits d, a day and a time of it ("2021-08-14 00:00:00", "2021-08-14T09:30Z",
// "14/08/2021 00:00"), at the space or the T between them.
func dayAndTime(d string) (day, at string, ok bool) {
	d = strings.TrimSpace(d)
	for _, sep := range []string{" ", "T"} {
		if day, at, ok := strings.Cut(d, sep); ok && (CheckDate(day) == nil || numeric(day)) {
			return day, at, true
		}
	}
	return "", "", false
}

// midnight reports whether t is a time of day that is midnight, as spreadsheets and data
// tools write a date cell's time: 00:00, 00:00:00, 00:00:00.000, with a Z or a zero offset.
func midnight(t string) bool {
	t = strings.TrimSuffix(strings.TrimSpace(t), "Z")
	for _, zone := range []string{"+00:00", "+0000", "-00:00"} {
		t = strings.TrimSuffix(t, zone)
	}
	if strings.HasPrefix(t, "00:00:00.") {
		return strings.Trim(t[len("00:00:00."):], "0") == ""
	}
	return t == "00:00" || t == "00:00:00"
}

// wordLayouts are the ways a date is written in English words, for a hint: a date in words
// is not read (month names are many languages' own), but the hint can give its YYYY-MM-DD.
var wordLayouts = []string{"2 January 2006", "January 2, 2006", "January 2 2006", "2 Jan 2006", "Jan 2, 2006", "Jan 2 2006", "Monday, January 2, 2006", "Monday, 2 January 2006"}

// regionHint is p, a region's problem, with the regions near what a line wrote.
func (r *EventReader) regionHint(p Problem, s string) Problem {
	if r.opt.Regions == nil {
		return p
	}
	ids := r.opt.Regions.Suggest(s)
	if len(ids) == 0 {
		return P("ProblemHint", "problem", p, "hint", P("HintRegionWrite"))
	}
	return P("ProblemHint", "problem", p, "hint", P("HintRegionMeant", "regions", r.labels(ids, "HintOr")))
}

// labels lists the regions ids by their labels, joined by join (HintAnd or HintOr).
func (r *EventReader) labels(ids []string, join string) Problem {
	labels := make([]string, len(ids))
	for i, id := range ids {
		labels[i] = r.opt.Regions.label(id)
	}
	return joined(join, labels)
}

// looksLikeHost reports whether s begins as a web address does without its scheme: a host
// name with a dot in it, such as www.bbc.co.uk or example.org/report.
func looksLikeHost(s string) bool {
	host, _, _ := strings.Cut(s, "/")
	return strings.Contains(host, ".") && !strings.ContainsAny(host, " ,;") && !strings.HasPrefix(host, ".") && !strings.HasSuffix(host, ".")
}

// factionOf returns the id of the faction s names: its id in any letter case, or its name
// (map.json's) when no other faction has that name; else s as it is.
func (r *EventReader) factionOf(s string) string {
	var named []string
	for _, f := range r.m.Factions {
		if strings.EqualFold(f.ID, s) {
			return f.ID
		}
		if f.Name != "" && fold(f.Name) == fold(s) {
			named = append(named, f.ID)
		}
	}
	if len(named) == 1 {
		return named[0]
	}
	return s
}

// nearestFaction is the id of the faction whose id or name is nearest to s, for a "did you
// mean", or "" when none is near enough to be a likely slip.
func (r *EventReader) nearestFaction(s string) string {
	f := fold(s)
	limit := max(1, min(3, utf8.RuneCountInString(f)/3))
	best, bestDist := "", limit+1
	for _, faction := range r.m.Factions {
		d := min(editDistance(f, fold(faction.ID), limit), editDistance(f, fold(faction.Name), limit))
		if d < bestDist {
			best, bestDist = faction.ID, d
		}
	}
	return best
}

func (r *EventReader) factionIDs() string {
	ids := make([]string, len(r.m.Factions))
	for i, f := range r.m.Factions {
		ids[i] = f.ID
	}
	return strings.Join(ids, ", ")
}

// dateHint says what form a date that is not YYYY-MM-DD seems to be in and how to import
// it; form is "" when it is in no form the reader knows.
func (r *EventReader) dateHint(d string) (hint Problem, form string) {
	if CheckDate(d) == nil {
		return Problem{}, "" // a real date, outside the map's range
	}
	// A day and a time of it other than midnight (which is read): the map records days.
	if day, _, ok := dayAndTime(d); ok {
		return P("DateWithTime", "day", day), "with-time"
	}
	for _, layout := range wordLayouts {
		if t, err := time.Parse(layout, strings.TrimSpace(d)); err == nil {
			return P("DateInWords", "iso", t.Format(DateLayout)), "words"
		}
	}
	if shortYear(d) {
		return P("DateShortYear"), "short-year"
	}
	_, dayFirst := otherDate(d, DayFirst)
	_, monthFirst := otherDate(d, MonthFirst)
	switch {
	case r.opt.DateFormat != "" && (dayFirst || monthFirst || numeric(d)):
		return P(r.dateMessage("DateFormatAsRead", "DateFormatAsReadForm"), "format", r.opt.DateFormat), "not-" + r.opt.DateFormat
	case dayFirst && monthFirst:
		return P(r.dateMessage("DateSlashes", "DateSlashesForm"), "dayFirst", DayFirst, "monthFirst", MonthFirst), "slashes"
	case dayFirst:
		return P(r.dateMessage("DateDayFirst", "DateDayFirstForm"), "format", DayFirst), DayFirst
	case monthFirst:
		return P(r.dateMessage("DateMonthFirst", "DateMonthFirstForm"), "format", MonthFirst), MonthFirst
	}
	return Problem{}, ""
}

// dateParts splits d written as day, month and year in some order (DD/MM/YYYY, MM/DD/YY)
// into its three numbers, the first two of one or two digits, with one of /, . or - between
// them; ok is false for anything else.
func dateParts(d string) (parts []string, ok bool) {
	i := strings.IndexAny(d, "/.-")
	if i < 0 {
		return nil, false
	}
	parts = strings.Split(d, d[i:i+1])
	if len(parts) != 3 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return nil, false
	}
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return nil, false
		}
	}
	return parts, true
}

// shortYear reports whether d is written as DD/MM/YY or MM/DD/YY: a year of two digits,
// which the reader does not guess the century of.
func shortYear(d string) bool {
	parts, ok := dateParts(d)
	return ok && len(parts[2]) == 2
}

// numeric reports whether d is written as a date of DayFirst or MonthFirst ("31/02/2021" is
// one, though not a real date).
func numeric(d string) bool {
	parts, ok := dateParts(d)
	return ok && len(parts[2]) == 4
}

// dateMessage is the message id of a hint that says how the date format is chosen: cli's on
// the command line (--date-format), form's in the editors' upload form.
func (r *EventReader) dateMessage(cli, form string) string {
	if r.opt.Form {
		return form
	}
	return cli
}

// otherDate reads d written in form (DayFirst or MonthFirst, with /, . or - between the
// numbers, day and month of one or two digits) and returns it as YYYY-MM-DD.
func otherDate(d, form string) (string, bool) {
	parts, ok := dateParts(d)
	if !ok || len(parts[2]) != 4 {
		return "", false
	}
	day, month := parts[0], parts[1]
	if form == MonthFirst {
		day, month = month, day
	}
	iso := parts[2] + "-" + pad2(month) + "-" + pad2(day)
	if CheckDate(iso) != nil {
		return "", false
	}
	return iso, true
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// failed reports whether a problem was found so far, more cheaply than Err.
func (r *EventReader) failed() bool { return len(r.problems) > 0 }

// Err returns the problems found so far, one per line of an *InvalidError, or nil.
func (r *EventReader) Err() error {
	if len(r.problems) == 0 {
		return nil
	}
	ps := make([]Problem, len(r.problems))
	for i, p := range r.problems {
		ps[i] = p.located()
	}
	err := Invalid(ps...)
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
