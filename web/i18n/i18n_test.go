package i18n

import (
	"bytes"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/geo"
)

// TestCataloguesComplete fails when a catalogue misses a message English has, or holds one
// English does not (a renamed id left behind).
func TestCataloguesComplete(t *testing.T) {
	c := MustNew(slog.New(slog.DiscardHandler))
	en := c.IDs("en")
	for _, lang := range Langs[1:] {
		t.Run(lang, func(t *testing.T) {
			have := map[string]bool{}
			for _, id := range c.IDs(lang) {
				have[id] = true
			}
			for _, id := range en {
				if !have[id] {
					t.Errorf("active.%s.toml misses %s", lang, id)
				}
				delete(have, id)
			}
			for id := range have {
				t.Errorf("active.%s.toml holds %s, which active.en.toml does not", lang, id)
			}
		})
	}
}

// TestCataloguesUsed fails when an English message is used nowhere in web's code: ids are
// looked up by name, so a message whose use was removed is found by searching for its name
// in quotes. The Solar Hijri months are looked up by number.
func TestCataloguesUsed(t *testing.T) {
	var code bytes.Buffer
	files, err := filepath.Glob("../*.go")
	if err != nil {
		t.Fatal(err)
	}
	templs, _ := filepath.Glob("../*.templ")
	for _, f := range append(append(files, templs...), "dates.go") {
		if strings.HasSuffix(f, "_test.go") || strings.HasSuffix(f, "_templ.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		code.Write(b)
	}
	solar := regexp.MustCompile(`^SolarMonth\d+$`)
	for _, id := range MustNew(slog.New(slog.DiscardHandler)).IDs("en") {
		if _, ok := data.ProblemEnglish[id]; ok {
			continue // data's problems, whose use TestProblemsCatalogued looks for in data
		}
		if _, ok := geo.ProblemEnglish[id]; ok {
			continue // geo's messages, whose use geo's TestSayAsCatalogued looks for in geo
		}
		if !solar.MatchString(id) && !bytes.Contains(code.Bytes(), []byte(`"`+id+`"`)) {
			t.Errorf("%s is in active.en.toml but used nowhere in web", id)
		}
	}
}

// TestProblemsCatalogued holds the English catalogue to data's English problems and geo's
// English messages, word for word, and every catalogue's problem messages to English's
// placeholders (a placeholder
// lost in a translation would show a value nowhere, one invented would show its braces); and
// fails when a problem is used nowhere in data's code.
func TestProblemsCatalogued(t *testing.T) {
	c := MustNew(slog.New(slog.DiscardHandler))
	var code bytes.Buffer
	files, err := filepath.Glob("../../data/*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || strings.HasSuffix(f, "problem.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		code.Write(b)
	}
	placeholders := regexp.MustCompile(`\{\w+\}`)
	names := func(s string) []string {
		ps := placeholders.FindAllString(s, -1)
		slices.Sort(ps)
		return ps
	}
	for id := range data.ProblemEnglish {
		if !bytes.Contains(code.Bytes(), []byte(`"`+id+`"`)) {
			t.Errorf("%s is in data.ProblemEnglish but used nowhere in data", id)
		}
		if _, ok := geo.ProblemEnglish[id]; ok {
			t.Errorf("%s is both data's problem and geo's message", id)
		}
	}
	for source, problems := range map[string]map[string]string{"data": data.ProblemEnglish, "geo": geo.ProblemEnglish} {
		for id, english := range problems {
			if got := c.For("en").T(id); got != english {
				t.Errorf("active.en.toml's %s = %q, %s.ProblemEnglish's %q", id, got, source, english)
			}
			for _, lang := range Langs[1:] {
				if got, want := names(c.For(lang).T(id)), names(english); !slices.Equal(got, want) {
					t.Errorf("active.%s.toml's %s has the placeholders %v, English %v", lang, id, got, want)
				}
			}
		}
	}
}

// TestProblemWorded: a problem inside a problem, a number and a value given are each filled
// as a page's language writes them: the words translated, the number in its digits, the
// value verbatim (braces typed into a form are not read as a placeholder), isolated in a
// language written right to left.
func TestProblemWorded(t *testing.T) {
	c := MustNew(slog.New(slog.DiscardHandler))
	p := data.P("ProblemInFile", "file", "events.csv", "problem",
		data.P("ProblemLine", "line", 12, "problem", data.P("ProblemField", "field", "region", "problem",
			data.P("EventRegionUnknown", "region", `"{line}"`))))
	for _, tc := range []struct{ lang, want string }{
		{"en", `events.csv: line 12: region: "{line}" is not a region of this map`},
		{"fr", `events.csv : ligne 12 : region : "{line}" n'est pas une région de cette carte`},
		// Right to left, each value is a bidi isolate, so its own punctuation stays with it.
		{"fa", "\u2068events.csv\u2069: سطر ۱۲: \u2068region\u2069: \u2068\"{line}\"\u2069 منطقه‌ای از این نقشه نیست"},
		{"ar", "\u2068events.csv\u2069: السطر ١٢: \u2068region\u2069: \u2068\"{line}\"\u2069 ليست منطقة في هذه الخريطة"},
	} {
		if got := c.For(tc.lang).Problem(p); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.lang, got, tc.want)
		}
	}
	if got, want := p.String(), `events.csv: line 12: region: "{line}" is not a region of this map`; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// TestMissingFallsBack: a message a catalogue lacks is English on the page, never its id,
// and logged once however often it is asked for.
func TestMissingFallsBack(t *testing.T) {
	var log bytes.Buffer
	c := MustNew(slog.New(slog.NewTextHandler(&log, nil)))
	// A catalogue with a gap: French without "Play".
	delete(c.ids["fr"], "Play")
	fr := c.For("fr")
	for range 3 {
		if got := fr.T("Play"); got != "Play" {
			t.Fatalf(`T("Play") in fr without it = %q, want English "Play"`, got)
		}
	}
	if n := strings.Count(log.String(), "missing translation"); n != 1 {
		t.Errorf("logged %d times, want once:\n%s", n, log.String())
	}
	if !strings.Contains(log.String(), "lang=fr") || !strings.Contains(log.String(), "id=Play") {
		t.Errorf("log does not name the language and id: %s", log.String())
	}
	if got := fr.T("Pause"); got != "Pause" { // French's own word, which is the same
		t.Errorf(`T("Pause") = %q`, got)
	}
	if got := c.For("fa").T("Play"); got != "پخش" {
		t.Errorf(`fa T("Play") = %q`, got)
	}
	if got := c.For("xx").Lang(); got != "en" {
		t.Errorf("For(xx) is %s, want en", got)
	}
}

// TestCataloguesParse: every catalogue is one embedded TOML file a language.
func TestCataloguesParse(t *testing.T) {
	names, err := fs.Glob(catalogues, "active.*.toml")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != len(Langs) {
		t.Errorf("%d catalogues %v, want one for each of %v", len(names), names, Langs)
	}
	if _, err := New(slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
}

// TestPluralsComplete: every plural message has, in every language, the form CLDR gives
// each count in that language (Arabic's zero, one, two, few, many, other; Russian's and
// Ukrainian's one, few, many; French's and Spanish's many for millions), so no count falls
// back to English.
func TestPluralsComplete(t *testing.T) {
	var log bytes.Buffer
	c := MustNew(slog.New(slog.NewTextHandler(&log, nil)))
	counts := []int{1_000_000, 2_000_000}
	for n := range 1001 {
		counts = append(counts, n)
	}
	for _, lang := range Langs {
		for id := range c.forms[Default] {
			for _, n := range counts {
				if got := c.For(lang).N(id, n); got == "" {
					t.Errorf("%s %s(%d) is empty", lang, id, n)
				}
			}
		}
	}
	if log.Len() > 0 {
		t.Errorf("plural forms missing:\n%s", log.String())
	}
	// Spot checks of the forms chosen.
	for _, c2 := range []struct {
		lang, id string
		n        int
		want     string
	}{
		{"en", "RegionsCount", 1, "{count} region"},
		{"en", "RegionsCount", 0, "{count} regions"},
		{"ru", "RegionsCount", 22, "{count} региона"},
		{"ru", "RegionsCount", 25, "{count} регионов"},
		{"uk", "EventsCount", 21, "{count} подія"},
		{"ar", "RegionsCount", 2, "منطقتان"},
		{"ar", "RegionsCount", 5, "{count} مناطق"},
		{"ar", "RegionsCount", 34, "{count} منطقةً"},
		{"ar", "RegionsCount", 100, "{count} منطقة"},
		{"fa", "RegionsCount", 34, "{count} منطقه"},
		{"ps", "RegionsCount", 34, "{count} سیمې"},
		{"fr", "RegionsCount", 0, "{count} région"},
	} {
		if got := c.For(c2.lang).N(c2.id, c2.n); got != c2.want {
			t.Errorf("%s %s(%d) = %q, want %q", c2.lang, c2.id, c2.n, got, c2.want)
		}
	}
	if got := c.For("ar").Forms("RegionsCount"); len(got) != 6 {
		t.Errorf("ar forms of RegionsCount = %v, want all six", got)
	}
}
