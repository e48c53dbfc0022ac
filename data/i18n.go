package data

import (
	"bytes"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Languages are the languages a map may be read in (the contract's ?lang= and map.json's
// locale), in the contract's order; web/i18n holds the words of each.
var Languages = []string{"en", "fr", "es", "de", "ru", "uk", "ar", "fa", "ps"}

// Calendars are map.json's calendar values: Gregorian dates alone, or Solar Hijri dates
// beside them ("" reads as gregorian).
var Calendars = []string{"gregorian", "persian"}

// Translations are a text in several languages, language -> text, as map.json may give a
// title, a description or a faction's name: {"en": "...", "fa": "..."}. nil for a text given
// as a plain string.
type Translations map[string]string

// In returns the text in lang, or def when it has none in lang.
func (t Translations) In(lang, def string) string {
	if s := strings.TrimSpace(t[lang]); s != "" {
		return t[lang]
	}
	return def
}

// Scan reads the column: ” for none, else a JSON object.
func (t *Translations) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	case nil:
	default:
		return fmt.Errorf("translations: unexpected %T", src)
	}
	*t = nil
	if len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, t)
}

// Value writes the column.
func (t Translations) Value() (driver.Value, error) {
	if len(t) == 0 {
		return "", nil
	}
	b, err := json.Marshal(map[string]string(t))
	return string(b), err
}

// text is a text of map.json: a plain string or its translations.
type text struct {
	plain string
	tr    Translations
}

func (t *text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var tr map[string]string
		if err := json.Unmarshal(b, &tr); err != nil {
			return fmt.Errorf(`a text is a string or an object of strings by language, {"en": "...", "fa": "..."}: %w`, err)
		}
		t.tr = tr
		return nil
	}
	if err := json.Unmarshal(b, &t.plain); err != nil {
		return fmt.Errorf(`a text is a string or an object of strings by language, {"en": "...", "fa": "..."}: %w`, err)
	}
	return nil
}

func (t text) MarshalJSON() ([]byte, error) {
	if t.tr != nil {
		return json.Marshal(map[string]string(t.tr))
	}
	return json.Marshal(t.plain)
}

// resolve returns the text to show when no translation fits (English's, else the map's
// locale's, else the first language's given) and the translations, checked: field names
// the field in messages (a Problem: its JSON key, and in other languages its name too), and lines says
// whether it may hold line breaks.
func (t text) resolve(field any, lines bool, locale string, bad func(Problem)) (string, Translations) {
	if t.tr == nil {
		return t.plain, nil
	}
	var langs []string
	for l := range t.tr {
		langs = append(langs, l)
	}
	slices.Sort(langs)
	for _, l := range langs {
		if !slices.Contains(Languages, l) {
			bad(P("MapTextLanguage", "field", field, "lang", quote(l), "langs", strings.Join(Languages, ", ")))
		}
		if r, ok := controlChar(t.tr[l], lines); ok {
			bad(P("MapTextControl", "field", field, "lang", l, "char", runeName(r)))
		}
	}
	if len(t.tr) == 0 {
		bad(P("MapTextNoLanguage", "field", field, "example", `{"en": "..."}`))
		return "", nil
	}
	for _, l := range append([]string{"en", locale}, Languages...) {
		if s, ok := t.tr[l]; ok {
			return s, t.tr
		}
	}
	return t.tr[langs[0]], t.tr
}

// written is what export writes for a text shown as def with translations tr: the plain
// string, or the translations with def in place of the one it came from (an admin may have
// edited it since).
func written(def string, tr Translations, locale string) text {
	if tr == nil {
		return text{plain: def}
	}
	out := Translations{}
	for l, s := range tr {
		out[l] = s
	}
	for _, l := range append([]string{"en", locale}, Languages...) {
		if _, ok := out[l]; ok {
			out[l] = def
			break
		}
	}
	return text{tr: out}
}

// mapFile is map.json as written: Map, with title, description and factions' names that may
// be translated. Its fields shadow Map's of the same JSON name.
type mapFile struct {
	Map
	Title       text          `json:"title"`
	Description text          `json:"description"`
	Factions    []factionFile `json:"factions"`
}

type factionFile struct {
	Faction
	Name text `json:"name"`
}

// toMap is the Map a map.json describes, its texts resolved and checked.
func (f *mapFile) toMap(bad func(Problem)) Map {
	m := f.Map
	m.Title, m.TitleI18n = f.Title.resolve(P("MapFieldTitle"), false, m.Locale, bad)
	m.Description, m.DescriptionI18n = f.Description.resolve(P("MapFieldDescription"), true, m.Locale, bad)
	m.Factions = nil
	for i, ff := range f.Factions {
		fa := ff.Faction
		fa.Name, fa.NameI18n = ff.Name.resolve(P("MapFactionNameField", "n", i+1), false, m.Locale, bad)
		m.Factions = append(m.Factions, fa)
	}
	return m
}

// fileOf is map.json for m.
func fileOf(m *Map) mapFile {
	f := mapFile{Map: *m, Title: written(m.Title, m.TitleI18n, m.Locale), Description: written(m.Description, m.DescriptionI18n, m.Locale)}
	for _, fa := range m.Factions {
		f.Factions = append(f.Factions, factionFile{Faction: fa, Name: written(fa.Name, fa.NameI18n, m.Locale)})
	}
	return f
}

// checkLocale checks map.json's locale and calendar.
func checkLocale(m *Map, bad func(Problem)) {
	if m.Locale != "" && !slices.Contains(Languages, m.Locale) {
		bad(P("MapLocale", "locale", quote(m.Locale), "locales", strings.Join(Languages, ", ")))
	}
	if m.Calendar != "" && !slices.Contains(Calendars, m.Calendar) {
		bad(P("MapCalendar", "calendar", quote(m.Calendar), "calendars", strings.Join(Calendars, ", ")))
	}
}
