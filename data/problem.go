package data

import (
	"slices"
	"strconv"
	"strings"

	"github.com/frontline-maps/frontline/geo"
)

// Problem is one thing wrong with what a person gave (a form's field, a line of an events
// file, a file of a map folder): the id of its message and the values that fill it, so that
// a page or an API answer says it in the reader's language (web/i18n's catalogues hold every
// id) while the command line and the logs read the English (String).
type Problem struct {
	ID string
	// Args fill the message's {name} placeholders: a string verbatim (a value given, the
	// valid values), an int as a number in the reader's digits, a Problem worded by its own
	// message (a line's problem inside "line 7: …").
	Args map[string]any
}

// P is the problem id filled from name, value pairs.
func P(id string, pairs ...any) Problem {
	p := Problem{ID: id, Args: make(map[string]any, len(pairs)/2)}
	for i := 0; i+1 < len(pairs); i += 2 {
		p.Args[pairs[i].(string)] = pairs[i+1]
	}
	return p
}

// String is the problem in English.
func (p Problem) String() string {
	return p.Fill(english, strconv.Itoa, func(s string) string { return s })
}

// english is message id's English: data's own, or geo's (GeoProblem).
func english(id string) string {
	if s, ok := ProblemEnglish[id]; ok {
		return s
	}
	return geo.ProblemEnglish[id]
}

// Fill words p with words(id) as each message's text, num writing each number and value
// each value given: the one place a problem's placeholders are filled, in English here and
// in any language by web/i18n's Localizer.Problem.
func (p Problem) Fill(words func(id string) string, num func(int) string, value func(string) string) string {
	pairs := make([]string, 0, 2*len(p.Args))
	names := make([]string, 0, len(p.Args))
	for name := range p.Args {
		names = append(names, name)
	}
	slices.Sort(names) // a Replacer tries its pairs in order; the same order every time
	for _, name := range names {
		var v string
		switch a := p.Args[name].(type) {
		case string:
			v = value(a)
		case int:
			v = num(a)
		case Problem:
			v = a.Fill(words, num, value)
		}
		pairs = append(pairs, "{"+name+"}", v)
	}
	// One pass: a value given ("{x}" typed into a form) is never read as a placeholder.
	return strings.NewReplacer(pairs...).Replace(words(p.ID))
}

// Invalid is an *InvalidError of problems, its message their English, one a line.
func Invalid(problems ...Problem) error {
	lines := make([]string, len(problems))
	for i, p := range problems {
		lines[i] = p.String()
	}
	return &InvalidError{Msg: strings.Join(lines, "\n"), Problems: problems}
}

// joined lists items with the message join, HintAnd's "{a} and {b}" or HintOr's
// "{a} or {b}", each item verbatim.
func joined(join string, items []string) Problem {
	list := P("ProblemItem", "item", items[0])
	for _, it := range items[1:] {
		list = P(join, "a", list, "b", it)
	}
	return list
}

// quote is a value given, quoted as the English messages quote it.
func quote(s string) string { return strconv.Quote(s) }

// ProblemEnglish is every problem's message in English: the source of the words, which
// web/i18n's English catalogue repeats and a test holds it to (TestProblemsCatalogued), and
// every other catalogue translates. To add a problem: add its id and English here and in
// web/i18n/active.en.toml, its translation to every other catalogue, and return P(id, …).
var ProblemEnglish = map[string]string{
	// Where a problem is.
	"ProblemInFile":    "{file}: {problem}",
	"ProblemField":     "{field}: {problem}",
	"ProblemHint":      "{problem}; {hint}",
	"ProblemLine":      "line {line}: {problem}",
	"ProblemLines":     "lines {lines} ({count} lines): {problem}",
	"ProblemLineRange": "{from}-{to}",
	"ProblemLineList":  "{list} and {last}",
	"ProblemLineMore":  "{list} and {more} more",
	"ProblemList":      "{list}, {next}",
	"ProblemItem":      "{item}",
	"ProblemTooMany":   "too many problems; stopped reading",
	"ProblemCSV":       "{detail}",
	"ProblemCSVQuote":  `a quote inside a field is written twice ("") and the field put in quotes`,
	// A date.
	"DateNotReal":          "date {date} is not a real date in the form YYYY-MM-DD",
	"DateOutside":          "date {date} is outside this map's range, {start} to {end}",
	"DateFormatNot":        "date format {format} is not one of {formats} (YYYY-MM-DD is always read)",
	"DateFormatAsRead":     "the dates are read as {format} (--date-format), and this one is not a real date in that form",
	"DateSlashes":          "write dates YYYY-MM-DD, or import with --date-format {dayFirst} or --date-format {monthFirst}, whichever the file uses",
	"DateDayFirst":         "it looks day-first: import with --date-format {format}, or write dates YYYY-MM-DD",
	"DateMonthFirst":       "it looks month-first: import with --date-format {format}, or write dates YYYY-MM-DD",
	"DateFormatAsReadForm": "the dates are read as {format} (“Dates written as”), and this one is not a real date in that form",
	"DateSlashesForm":      "write dates YYYY-MM-DD, or choose {dayFirst} or {monthFirst} under “Dates written as”, whichever the file uses",
	"DateDayFirstForm":     "it looks day-first: choose {format} under “Dates written as”, or write dates YYYY-MM-DD",
	"DateMonthFirstForm":   "it looks month-first: choose {format} under “Dates written as”, or write dates YYYY-MM-DD",
	"DateWithTime":         "the map records days, not times: write the day alone, {day}",
	"DateShortYear":        "write the year with its four digits",
	"DateInWords":          "write dates YYYY-MM-DD: this one is {iso}",
	// An event's fields (the form's and an events file's).
	"EventNotText":        "is not valid UTF-8 text",
	"EventRequired":       "is required",
	"EventSourceRequired": "is required: every change needs a public source",
	"EventTooLong":        "is longer than {max} characters",
	"EventRegionUnknown":  "{region} is not a region of this map",
	"EventFactionUnknown": "{faction} is not a faction of this map",
	"EventSourceNotURL":   "{source} is not an http or https URL",
	"EventConfidence":     "{value} must be {confirmed} or {claimed}",
	"EventDuplicate":      "the same change (same region, faction, date and source) is already recorded as event {id}",
	"EventCorrectSame":    "a correction must be for the same region as event {id} ({region})",
	// An events file's hints and its header.
	"HintRegionMeant":   "did you mean {regions}?",
	"HintRegionWrite":   "write a region's id or name as regions.geojson has it",
	"HintFactions":      "the factions are {factions}",
	"HintFactionMeant":  "did you mean {faction}? The factions are {factions}",
	"HintSourceMeant":   "did you mean {source}?",
	"HintSaveUTF8":      "the file is not UTF-8: save it as CSV UTF-8 (Excel: Save As, CSV UTF-8; LibreOffice: Unicode (UTF-8) as the character set)",
	"HintSourceAddress": "a source is the web address of what reports the change, such as https://example.org/report",
	"HintOr":            "{a} or {b}",
	"HintAnd":           "{a} and {b}",
	"RegionAmbiguous":   "{region} names {count} regions, {regions}; write the id of the one meant",
	"CSVFields":         "{count} fields, the header has {header}",
	"CSVFieldComma":     `a field with a comma in it is put in quotes ("taken, then held")`,
	"CSVEmpty":          "the file is empty; it needs the header {header}",
	"CSVWorkbook":       "this is a spreadsheet workbook (.xlsx, .ods or .xls), not CSV text: save the sheet as CSV (UTF-8) and import that file",
	"CSVHeader":         "line 1: the header must name the columns {header} (note and confidence may be left out; in any order and letter case; separated by commas, semicolons or tabs), not {got}",
	"CSVHeaderCommas":   "separate the columns with commas",
	"CSVHeaderBelow":    "the header is on line {line}: delete the lines above it (a title, notes) so that it is the first",
	"CSVHeaderUnknown":  "column {n} is {got}, which is none of them",
	"CSVHeaderMeant":    "column {n} is {got}: did you mean {want}?",
	"CSVHeaderTwice":    "column {n} is {got}, as column {first} is",
	"CSVHeaderMissing":  "missing: {names}",
	"RetractReason":     "a retraction needs a reason",
	"RetractReasonText": "the reason is not valid UTF-8 text",
	"RetractReasonLong": "the reason is longer than {max} characters",
	"FolderNoRegions":   "no regions: a map folder holds one of {files}",
	"FolderTwoRegions":  "the folder holds {files}: keep the one to import",
	"FolderObject":      "--object names an object of regions.topojson, and this folder has {file}",
	"ZipNot":            "not a zip file: {detail}",
	"ZipNoFolder":       "the zip holds no map folder: map.json must be at its top or in its one top directory (found {count})",
	"MapDescriptionNot": "not a valid map description: {detail}",
	// map.json's rules.
	"MapSlug":               "slug {slug} must be lower-case letters, digits and hyphens",
	"MapTitleEmpty":         "title is empty",
	"MapControl":            "{field} holds the control character {char}, which terminals and pages may act on; remove it",
	"MapDatesOrder":         "the dates must satisfy start <= default_date <= end ({start}, {default}, {end})",
	"MapFactionsEmpty":      "factions is empty: a map needs at least one",
	"MapFaction":            "faction {n}: {problem}",
	"MapFactionNamed":       "faction {n} ({id}): {problem}",
	"MapFactionID":          "id {id} must be lower-case letters, digits and hyphens ({slug} would do)",
	"MapFactionDuplicate":   "duplicate id {id}",
	"MapFactionNameEmpty":   "name is empty",
	"MapFactionNameControl": "name holds the control character {char}; remove it",
	"MapFactionColor":       "color {color} must be #rrggbb, such as #c0392b",
	"MapFactionNameField":   "faction {n} name",
	"MapFieldTitle":         "title",
	"MapFieldDescription":   "description",
	"MapFieldAttribution":   "attribution",
	"MapInitial":            "initial {initial} is not one of the factions ({factions})",
	"MapInitialMeant":       "did you mean {faction}?",
	"MapTextLanguage":       "{field}: language {lang} is not one of {langs}",
	"MapTextControl":        "{field} ({lang}) holds the control character {char}, which terminals and pages may act on; remove it",
	"MapTextNoLanguage":     "{field}: the object names no language; give a string or {example}",
	"MapLocale":             "locale {locale} is not one of {locales}",
	"MapCalendar":           "calendar {calendar} is not one of {calendars}",
	// history.csv's rules.
	"HistoryHeader":          "the header must be {header}",
	"HistoryID":              "id {id} is not a positive whole number",
	"HistoryOrder":           "id {id} does not follow {previous}: the rows are in the order the events were recorded",
	"HistoryAuthor":          "author {author} must be a name without control characters ({char})",
	"HistoryCreatedAt":       "created_at {value} is not a time such as 2021-08-15T09:30:00Z",
	"HistoryRetractedAtTime": "retracted_at {value} is not a time such as 2021-08-15T09:30:00Z",
	"HistoryRetractedBy":     "retracted_at is set but retracted_by is empty",
	"HistoryRetractedAt":     "retracted_by and retract_reason need retracted_at",
	"HistorySupersededBy":    "superseded_by {value} must be the id of a later row",
	"HistorySupersededNone":  "event {id}: superseded_by {by} is no event of the file",
	"HistoryDisagree":        "events.csv and history.csv disagree: {missing} live events of history.csv are not in events.csv, and {extra} events of events.csv are not live in history.csv",
	"HistoryDisagreeFirst":   "{problem} (the first: {region}, {faction}, {date})",
	"HistoryDisagreeFix":     "{problem}; change both alike, or remove history.csv to import events.csv alone (the authors and past revisions are then lost)",
	// An administrator's edit of a map (UpdateMap), beside map.json's rules.
	"MapEditFaction": "faction {faction} is not one of this map's; factions are added by importing the map folder again",
	"MapEditOutside": "{count} events are dated outside {start} to {end} (the first on {first}); widen the range to hold them",
	// A region's own words (checkRegionNames).
	"RegionControl":      "feature {feature} ({id}): {field} holds the control character {char}; remove it",
	"RegionFieldID":      "id",
	"RegionFieldName":    "name",
	"RegionFieldCapital": "capital",
	"RegionsMore":        "and perhaps more",
	"UserRole":           "role {role} is not one of admin, editor",
	"UserName":           "user name {name} must be 1 to 64 letters, digits, dots, hyphens or underscores, starting with a letter or digit",
	"UserExists":         "a user named {name} already exists",
	"PasswordText":       "the password is not valid UTF-8 text",
	"PasswordShort":      "the password must be at least {min} characters long",
	"PasswordLong":       "the password must be at most {max} bytes long",
	"PasswordBlank":      "the password must not be blank",
	"PasswordRepeated":   "the password must not be one character repeated",
	"PasswordHasName":    "the password must not contain the user name",
	"PasswordCommon":     "the password is on the list of common passwords that are tried first; choose another (a few unrelated words make a good one)",
}
