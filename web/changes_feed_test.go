package web

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestChangeFeedLanguage: the changes feed speaks the language asked for (its title, each
// entry's title and summary, xml:lang), dates in its words and digits where a person reads
// them and RFC 3339 where Atom's readers do; an unknown language is a 400 naming the valid
// ones, answered before anything else.
func TestChangeFeedLanguage(t *testing.T) {
	h := newTestServer(t).h
	type entry struct {
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Summary string `xml:"summary"`
	}
	type feed struct {
		Lang    string  `xml:"lang,attr"`
		Title   string  `xml:"title"`
		Updated string  `xml:"updated"`
		Entries []entry `xml:"entry"`
	}
	read := func(t *testing.T, target string) feed {
		t.Helper()
		rec := get(t, h, target)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body.String())
		}
		var f feed
		if err := xml.Unmarshal(rec.Body.Bytes(), &f); err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		if len(f.Entries) == 0 {
			t.Fatalf("%s: no entries", target)
		}
		for _, ts := range append([]string{f.Updated}, f.Entries[0].Updated, f.Entries[len(f.Entries)-1].Updated) {
			if _, err := time.Parse(time.RFC3339, ts); err != nil {
				t.Errorf("%s: updated %q is not RFC 3339", target, ts)
			}
		}
		return f
	}
	tests := []struct {
		lang, title, entryHas, summaryHas string
		noneOf                            []string
	}{
		{"en", "Latest changes: ", " recorded: Taliban from ", "recorded ", nil},
		{"fa", "تازه‌ترین تغییرها: ", "، ثبت شد: ", "ثبت", []string{"recorded", "from", "August", "2021"}},
		{"fr", "Derniers changements : ", " enregistrée : ", "", []string{"recorded", " from ", "August"}},
	}
	for _, tc := range tests {
		t.Run(tc.lang, func(t *testing.T) {
			f := read(t, "/maps/afghanistan-2021/changes.atom?lang="+tc.lang)
			if f.Lang != tc.lang || !strings.HasPrefix(f.Title, tc.title) {
				t.Errorf("xml:lang %q, title %q; want %s and a title starting %q", f.Lang, f.Title, tc.lang, tc.title)
			}
			e := f.Entries[0]
			if !strings.Contains(e.Title, tc.entryHas) || !strings.Contains(e.Summary, tc.summaryHas) {
				t.Errorf("entry title %q (want %q in it), summary %q (want %q)", e.Title, tc.entryHas, e.Summary, tc.summaryHas)
			}
			for _, word := range tc.noneOf {
				if strings.Contains(e.Title, word) {
					t.Errorf("entry title %q holds %q", e.Title, word)
				}
			}
		})
	}
	if got := read(t, "/maps/afghanistan-2021/changes.atom?lang=fa").Entries[0].Title; !strings.ContainsAny(got, "۰۱۲۳۴۵۶۷۸۹") {
		t.Errorf("fa entry title %q has no Persian digits", got)
	}
	rec := get(t, h, "/maps/afghanistan-2021/changes.atom?lang=xx")
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "en, fr, es, de, ru, uk, ar, fa, ps") {
		t.Errorf("lang=xx: %d %s", rec.Code, rec.Body.String())
	}
}
