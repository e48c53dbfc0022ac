// Package i18n holds the interface's words in every language Frontline speaks: one message
// catalogue a language (active.LANG.toml, embedded), managed with go-i18n, and the rules
// of the languages themselves (which ones, which write right to left).
//
// A message is looked up by its id; the catalogues hold text with {name} placeholders that
// web's fillTemplate fills, the same way the browser fills the templates it is handed
// (static/model/template.js), so a sentence such as the summary is worded here and filled on
// both sides. To add a string: add its id and English text to active.en.toml, its
// translation to every other active.LANG.toml (TestCataloguesComplete fails until then),
// and use it in a template as { t(ctx, "Id") }.
package i18n

import (
	"embed"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"github.com/frontline-maps/frontline/data"
)

// Langs are the languages of the interface, in the contract's order (?lang=).
var Langs = []string{"en", "fr", "es", "de", "ru", "uk", "ar", "fa", "ps"}

// Default is the language of a page whose map names none.
const Default = "en"

//go:embed active.*.toml
var catalogues embed.FS

// Valid reports whether lang is one of Langs.
func Valid(lang string) bool { return slices.Contains(Langs, lang) }

// RTL reports whether lang is written right to left.
func RTL(lang string) bool { return lang == "ar" || lang == "fa" || lang == "ps" }

// Dir is the HTML dir attribute for lang.
func Dir(lang string) string {
	if RTL(lang) {
		return "rtl"
	}
	return "ltr"
}

// ErrUnknown explains an unknown language, naming the valid ones.
func ErrUnknown(lang string) error {
	return fmt.Errorf("lang %q is not one of %s", lang, strings.Join(Langs, ", "))
}

// Catalog is every language's messages. A message missing from a language falls back to
// English and is logged once per language and id, so a gap shows in the log, never a key
// on a page.
type Catalog struct {
	bundle *goi18n.Bundle
	log    *slog.Logger
	// missing holds "lang/id" of the gaps already logged.
	missing sync.Map
	byLang  map[string]*Localizer
	// ids are each language's message ids, as its catalogue holds them.
	ids map[string]map[string]bool
	// forms are each language's plural messages' forms, by id and CLDR category.
	forms map[string]map[string]map[string]string
}

// New loads the embedded catalogues.
func New(log *slog.Logger) (*Catalog, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &Catalog{bundle: b, log: log, byLang: map[string]*Localizer{}, ids: map[string]map[string]bool{}, forms: map[string]map[string]map[string]string{}}
	for _, l := range Langs {
		f, err := b.LoadMessageFileFS(catalogues, "active."+l+".toml")
		if err != nil {
			return nil, fmt.Errorf("load catalogue %s: %w", l, err)
		}
		c.ids[l], c.forms[l] = map[string]bool{}, map[string]map[string]string{}
		for _, m := range f.Messages {
			c.ids[l][m.ID] = true
			forms := map[string]string{}
			for cat, text := range map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many} {
				if text != "" {
					forms[cat] = text
				}
			}
			if len(forms) > 0 {
				forms["other"] = m.Other
				c.forms[l][m.ID] = forms
			}
		}
		c.byLang[l] = &Localizer{c: c, lang: l, loc: goi18n.NewLocalizer(b, l), en: goi18n.NewLocalizer(b, Default)}
	}
	return c, nil
}

// MustNew is New for catalogues known to load: they are embedded and tested.
func MustNew(log *slog.Logger) *Catalog {
	c, err := New(log)
	if err != nil {
		panic(err)
	}
	return c
}

// For returns lang's localizer; English for a language not in Langs.
func (c *Catalog) For(lang string) *Localizer {
	if l, ok := c.byLang[lang]; ok {
		return l
	}
	return c.byLang[Default]
}

// IDs are the message ids of lang's catalogue, sorted.
func (c *Catalog) IDs(lang string) []string {
	var ids []string
	for id := range c.ids[lang] {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Localizer gives one language's messages.
type Localizer struct {
	c       *Catalog
	lang    string
	loc, en *goi18n.Localizer
	// dates keeps Dates by calendar, made once.
	dates sync.Map
}

// Lang is the localizer's language, one of Langs.
func (l *Localizer) Lang() string { return l.lang }

// Dir is "rtl" or "ltr", for the page's dir attribute.
func (l *Localizer) Dir() string { return Dir(l.lang) }

// T is the message id in l's language, or in English when l's catalogue lacks it (logged
// once); "" when English lacks it too, which TestCataloguesComplete keeps from happening.
func (l *Localizer) T(id string) string {
	msg, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: id})
	if err == nil && l.has(id) {
		return msg
	}
	if _, logged := l.c.missing.LoadOrStore(l.lang+"/"+id, true); !logged {
		l.c.log.Warn("missing translation, English shown", "lang", l.lang, "id", id)
	}
	if msg, err = l.en.Localize(&goi18n.LocalizeConfig{MessageID: id}); err != nil {
		return ""
	}
	return msg
}

// N is the plural message id in l's language for a count of n, in the plural form CLDR
// gives n in that language (Arabic's zero, one, two, few, many and other; Russian's one,
// few and many; Persian's and Pashto's one and other), or in English when l's catalogue
// lacks the message or that form (logged once, as T). Its {count} is left to the caller,
// who writes n in the page's digits.
func (l *Localizer) N(id string, n int) string {
	msg, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, PluralCount: n})
	if err == nil && l.has(id) {
		return msg
	}
	if _, logged := l.c.missing.LoadOrStore(l.lang+"/"+id+"/"+pluralOf(err), true); !logged {
		l.c.log.Warn("missing translation, English shown", "lang", l.lang, "id", id, "count", n, "err", err)
	}
	if msg, err = l.en.Localize(&goi18n.LocalizeConfig{MessageID: id, PluralCount: n}); err != nil {
		return ""
	}
	return msg
}

// Forms are the plural message id's forms in l's language by CLDR category (zero, one,
// two, few, many, other), for the browser to choose among with Intl.PluralRules; English's
// when l's catalogue lacks the message.
func (l *Localizer) Forms(id string) map[string]string {
	if f, ok := l.c.forms[l.lang][id]; ok {
		return f
	}
	return l.c.forms[Default][id]
}

// pluralOf keys a missing plural form's log line by its error, so each gap is logged once.
func pluralOf(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// has reports whether l's own catalogue holds id: go-i18n answers a missing message from
// the bundle's default language without an error when asked through a localizer whose
// languages fall back to it.
func (l *Localizer) has(id string) bool {
	return l.c.ids[l.lang][id]
}

// pluralNames are CLDR's plural categories by golang.org/x/text's forms.
var pluralNames = map[plural.Form]string{plural.Other: "other", plural.Zero: "zero", plural.One: "one",
	plural.Two: "two", plural.Few: "few", plural.Many: "many"}

// PluralCategory is the CLDR plural category of the whole number n in lang ("one", "few",
// "other", …), as the browser's Intl.PluralRules names it: for choosing among Forms.
func PluralCategory(lang string, n int) string {
	if n < 0 {
		n = -n
	}
	return pluralNames[plural.Cardinal.MatchPlural(language.Make(lang), n, 0, 0, 0, 0)]
}

// Pick is the form of forms (Forms' result) for n in lang: its category's, else other's.
func Pick(forms map[string]string, lang string, n int) string {
	if f, ok := forms[PluralCategory(lang, n)]; ok {
		return f
	}
	return forms["other"]
}

// Problem is data's problem p (a field's, a line's, a file's) in l's language, its numbers
// in l's digits and the values it names verbatim: the one way a page or an API answer words
// what was wrong with a person's input. In a language written right to left, each value (a
// Latin id, a quoted date, a URL, --date-format) is a bidi isolate (U+2068 … U+2069), so its
// quotes, hyphens and commas stay with it rather than scattering across the sentence.
func (l *Localizer) Problem(p data.Problem) string {
	value := func(s string) string { return s }
	if RTL(l.lang) {
		value = func(s string) string { return "\u2068" + s + "\u2069" }
	}
	return p.Fill(l.T, func(n int) string { return l.Dates("").Number(strconv.Itoa(n)) }, value)
}

// Invalid is every problem of err in l's language, one a line; err's English message when it
// carries none (a message data words in English alone).
func (l *Localizer) Invalid(err *data.InvalidError) string {
	if len(err.Problems) == 0 {
		return err.Msg
	}
	lines := make([]string, len(err.Problems))
	for i, p := range err.Problems {
		lines[i] = l.Problem(p)
	}
	return strings.Join(lines, "\n")
}
