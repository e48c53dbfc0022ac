package data

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const translatedMap = `{"slug": "m", "title": {"en": "War", "fa": "جنگ"}, "description": "Plain",
 "start": "2021-08-01", "end": "2021-09-15", "default_date": "2021-08-14", "initial": "a",
 "locale": "fa", "calendar": "persian",
 "factions": [{"id": "a", "name": {"fa": "دولت", "ps": "دولت"}, "color": "#112233"}, {"id": "b", "name": "B", "color": "#445566"}]}`

// TestMapTranslations: map.json's texts may be strings or objects by language; the text
// shown by default is English's, else the locale's; export writes back what came in.
func TestMapTranslations(t *testing.T) {
	var m Map
	if err := decodeMap([]byte(translatedMap), &m); err != nil {
		t.Fatal(err)
	}
	if m.Title != "War" || m.TitleI18n.In("fa", m.Title) != "جنگ" || m.TitleI18n.In("fr", m.Title) != "War" {
		t.Errorf("title %q %v", m.Title, m.TitleI18n)
	}
	if m.Description != "Plain" || m.DescriptionI18n != nil {
		t.Errorf("description %q %v", m.Description, m.DescriptionI18n)
	}
	if m.Factions[0].Name != "دولت" || m.Factions[0].NameI18n.In("ps", "") != "دولت" {
		t.Errorf("faction without English shows the locale's name: %+v", m.Factions[0])
	}
	if m.Locale != "fa" || m.Calendar != "persian" {
		t.Errorf("locale %q calendar %q", m.Locale, m.Calendar)
	}
	out, err := encodeJSON(&m)
	if err != nil {
		t.Fatal(err)
	}
	var in, back map[string]any
	json.Unmarshal([]byte(translatedMap), &in)
	json.Unmarshal(out, &back)
	for _, k := range []string{"title", "description", "factions", "locale", "calendar"} {
		if d := cmp.Diff(in[k], back[k]); d != "" {
			t.Errorf("export's %s differs (-in +out):\n%s", k, d)
		}
	}
}

// TestMapTranslationsRefused: a language, locale or calendar not in the lists is refused
// with a message naming the valid values.
func TestMapTranslationsRefused(t *testing.T) {
	for _, tc := range []struct{ name, from, to, want string }{
		{"unknown language", `"fa": "جنگ"}`, `"xx": "?"}`, `title: language "xx" is not one of en, fr, es, de, ru, uk, ar, fa, ps`},
		{"unknown locale", `"locale": "fa"`, `"locale": "dari"`, `locale "dari" is not one of en, fr`},
		{"unknown calendar", `"calendar": "persian"`, `"calendar": "hijri"`, `calendar "hijri" is not one of gregorian, persian`},
		{"not a text", `"description": "Plain"`, `"description": 3`, `a text is a string or an object of strings by language`},
		{"control character in a translation", `"fa": "جنگ"}`, `"fa": "جنگ\u001b[2J"}`, `title (fa) holds the control character U+001B`},
		{"empty object", `"description": "Plain"`, `"description": {}`, `description: the object names no language`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var m Map
			err := decodeMap([]byte(strings.Replace(translatedMap, tc.from, tc.to, 1)), &m)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to hold %q", err, tc.want)
			}
		})
	}
}
