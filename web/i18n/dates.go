package i18n

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-playground/locales"
	"github.com/go-playground/locales/ar"
	"github.com/go-playground/locales/de"
	"github.com/go-playground/locales/en_GB"
	"github.com/go-playground/locales/es"
	"github.com/go-playground/locales/fa"
	"github.com/go-playground/locales/fr"
	"github.com/go-playground/locales/ps"
	"github.com/go-playground/locales/ru"
	"github.com/go-playground/locales/uk"
	"github.com/jalaali/go-jalaali"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Calendars are the values of map.json's calendar: Gregorian dates only, or Solar Hijri
// dates beside them.
var Calendars = []string{"gregorian", "persian"}

// DateFormat is how one language writes a date, taken from CLDR: the server formats with it
// and hands it to the browser in the page data (labels.dateFormat), whose
// static/model/dates.js formats with the same words. Handing it over, rather than asking the
// browser's Intl for them, keeps both sides to one output: Chromium has no Pashto data at
// all, and its ICU and the Go CLDR tables disagree on some languages' patterns. Golden
// cases: testdata/rules/dates.json.
type DateFormat struct {
	// Pattern holds {d}, {month} and {y}: "{d} {month} {y}", "{d}. {month} {y}".
	Pattern string `json:"pattern"`
	// Months are the Gregorian months' names, January first, in the form a date uses
	// (Russian's genitive "августа").
	Months [12]string `json:"months"`
	// Digits are the language's ten digits, zero first: ASCII, Eastern Arabic (ar) or
	// Persian (fa, ps).
	Digits string `json:"digits"`
	// SolarMonths are the Solar Hijri months' names, Hamal (Farvardin) first, from the
	// catalogue; set for a map whose calendar is persian.
	SolarMonths []string `json:"solarMonths,omitempty"`
	// Both is how a Gregorian and a Solar Hijri date are written together: {date} {solar}.
	Both string `json:"both,omitempty"`
}

// cldr is each language's CLDR data (github.com/go-playground/locales, generated from CLDR).
// English is British English's: the day before the month, as Frontline has always written.
var cldr = map[string]locales.Translator{
	"en": en_GB.New(), "fr": fr.New(), "es": es.New(), "de": de.New(), "ru": ru.New(),
	"uk": uk.New(), "ar": ar.New(), "fa": fa.New(), "ps": ps.New(),
}

// sample is the date the pattern is read from: a day, month and year that no other part of
// a long date can be mistaken for.
var sample = time.Date(2021, time.August, 14, 0, 0, 0, 0, time.UTC)

// Dates returns lang's date format for calendar ("gregorian" or "persian").
func (l *Localizer) Dates(calendar string) DateFormat {
	if f, ok := l.dates.Load(calendar); ok {
		return f.(DateFormat)
	}
	f := l.newDates(calendar)
	l.dates.Store(calendar, f)
	return f
}

func (l *Localizer) newDates(calendar string) DateFormat {
	t := cldr[l.lang]
	f := DateFormat{Digits: digits(l.lang)}
	for m := range 12 {
		f.Months[m] = t.MonthWide(time.Month(m + 1))
	}
	// go-playground/locales compiles CLDR's long date pattern into FmtDateLong; the pattern
	// is read back from the sample date.
	f.Pattern = strings.NewReplacer("14", "{d}", f.Months[7], "{month}", "2021", "{y}").Replace(t.FmtDateLong(sample))
	if calendar == "persian" {
		for m := range 12 {
			f.SolarMonths = append(f.SolarMonths, l.T("SolarMonth"+strconv.Itoa(m+1)))
		}
		f.Both = l.T("DateBoth")
	}
	return f
}

// digits are lang's ten digits, as CLDR's default numbering system for it writes them
// (golang.org/x/text).
func digits(lang string) string {
	p := message.NewPrinter(language.MustParse(lang))
	var b strings.Builder
	for d := range 10 {
		b.WriteString(p.Sprint(d))
	}
	return b.String()
}

// Format writes t, a whole UTC day, in f: the Gregorian date, and the Solar Hijri date
// beside it when f has solar months.
func (f DateFormat) Format(t time.Time) (string, error) {
	y, m, d := t.Date()
	g := f.fill(d, f.Months[m-1], y)
	if len(f.SolarMonths) != 12 {
		return g, nil
	}
	jy, jm, jd, err := jalaali.ToJalaali(y, m, d)
	if err != nil {
		return "", fmt.Errorf("solar hijri date of %s: %w", t.Format(time.DateOnly), err)
	}
	s := f.fill(jd, f.SolarMonths[jm-1], jy)
	return strings.NewReplacer("{date}", g, "{solar}", s).Replace(f.Both), nil
}

func (f DateFormat) fill(d int, month string, y int) string {
	return strings.NewReplacer("{d}", f.Number(strconv.Itoa(d)), "{month}", month, "{y}", f.Number(fmt.Sprintf("%04d", y))).Replace(f.Pattern)
}

// Number writes the ASCII digits of s in f's digits.
func (f DateFormat) Number(s string) string {
	ds := []rune(f.Digits)
	if len(ds) != 10 || ds[0] == '0' {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return ds[r-'0']
		}
		return r
	}, s)
}

// Count writes a whole number as lang writes it: CLDR's grouping of thousands, in the
// language's digits (652,864; 652 864; 652.864; ۶۵۲٬۸۶۴).
func (l *Localizer) Count(n int64) string {
	return l.Dates("").Number(cldr[l.lang].FmtNumber(float64(n), 0))
}
