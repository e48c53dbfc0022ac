package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/PuerkitoBio/goquery"

	"github.com/frontline-maps/frontline/data"
)

// TestUploadMapRulesInReadersLanguage: an upload whose map.json breaks a rule (each rule
// once), whose regions' own words hold a control character, or whose history.csv breaks
// one of its own, is refused (422, as every
// refused upload on this page) with the problem in the page's language, naming the valid
// values or the fix, and nothing is stored; the command line reads the same folder's
// problems in its own English, unchanged.
func TestUploadMapRulesInReadersLanguage(t *testing.T) {
	lab := newTestServer(t, withUser("root", data.RoleAdmin))
	admin := newClient(t, lab.h)
	admin.signInAs("root")
	withRegions := func(regions string) map[string]string {
		f := labFolder()
		f["regions.geojson"] = regions
		return f
	}
	named := func(id, name string) string {
		return `{"type":"Feature","id":"` + id + `","properties":{"name":"` + name + `"},"geometry":` + square(0) + `}`
	}
	factions := func(second string) string {
		return withMap("factions", `[{"id":"red","name":"Red","color":"#aa0000"},`+second+`]`)
	}
	history := func(rows string) map[string]string {
		f := labFolder()
		f["history.csv"] = "id,region,faction,date,source,note,confidence,author,created_at,retracted_at,retracted_by,retract_reason,superseded_by\n" + rows
		return f
	}
	tests := []struct {
		name    string
		mapJSON string            // labFolder's map.json changed, or
		folder  map[string]string // a whole folder
		english string            // the command line's message, whole
		french  string            // the French page's, after "map.zip : "
		// stored is set for a problem found as the events are stored, after the folder was
		// read: the command line names the map, the page (which has named it) not the file.
		stored bool
	}{
		{name: "slug", mapJSON: withMap("slug", `"Bad Lab"`),
			english: `map.json: slug "Bad Lab" must be lower-case letters, digits and hyphens`,
			french:  `map.json : le slug "Bad Lab" doit s'écrire en lettres minuscules, chiffres et traits d'union`},
		{name: "title_empty", mapJSON: withMap("title", `"  "`),
			english: `map.json: title is empty`,
			french:  `map.json : le titre (title) est vide`},
		{name: "title_control_character", mapJSON: withMap("title", `"Bad\u001blab"`),
			english: `map.json: title holds the control character U+001B, which terminals and pages may act on; remove it`,
			french:  `map.json : le titre (title) contient le caractère de contrôle U+001B, sur lequel terminaux et pages peuvent agir ; supprimez-le`},
		{name: "attribution_control_character", mapJSON: withMap("attribution", `"Data\u0007"`),
			english: `map.json: attribution holds the control character U+0007, which terminals and pages may act on; remove it`,
			french:  `map.json : l'attribution (attribution) contient le caractère de contrôle U+0007, sur lequel terminaux et pages peuvent agir ; supprimez-le`},
		{name: "date_not_real", mapJSON: withMap("end", `"2022-02-30"`),
			english: `map.json: end: date "2022-02-30" is not a real date in the form YYYY-MM-DD`,
			french:  `map.json : end : la date "2022-02-30" n'est pas une vraie date au format YYYY-MM-DD`},
		{name: "range", mapJSON: withMap("default_date", `"2023-06-01"`),
			english: `map.json: the dates must satisfy start <= default_date <= end (2022-01-01, 2023-06-01, 2022-12-31)`,
			french:  `map.json : les dates doivent respecter start <= default_date <= end (2022-01-01, 2023-06-01, 2022-12-31)`},
		{name: "no_factions", mapJSON: withMap("factions", `[]`),
			english: `map.json: factions is empty: a map needs at least one`,
			french:  `map.json : factions est vide : une carte a besoin d'au moins une faction`},
		{name: "faction_id", mapJSON: factions(`{"id":"Blue Team","name":"Blue","color":"#0000aa"}`),
			english: `map.json: faction 2: id "Blue Team" must be lower-case letters, digits and hyphens ("blue-team" would do)`,
			french:  `map.json : faction 2 : l'identifiant "Blue Team" doit s'écrire en lettres minuscules, chiffres et traits d'union ("blue-team" conviendrait)`},
		{name: "faction_duplicate", mapJSON: factions(`{"id":"red","name":"Also red","color":"#0000aa"}`),
			english: `map.json: faction 2: duplicate id "red"`,
			french:  `map.json : faction 2 : identifiant "red" en double`},
		{name: "faction_name_empty", mapJSON: factions(`{"id":"blue","name":" ","color":"#0000aa"}`),
			english: `map.json: faction 2 (blue): name is empty`,
			french:  `map.json : faction 2 (blue) : le nom est vide`},
		{name: "faction_name_control_character", mapJSON: factions(`{"id":"blue","name":"Blue\u0007","color":"#0000aa"}`),
			english: `map.json: faction 2 (blue): name holds the control character U+0007; remove it`,
			french:  `map.json : faction 2 (blue) : le nom contient le caractère de contrôle U+0007 ; supprimez-le`},
		{name: "faction_color", mapJSON: factions(`{"id":"blue","name":"Blue","color":"blue"}`),
			english: `map.json: faction 2 (blue): color "blue" must be #rrggbb, such as #c0392b`,
			french:  `map.json : faction 2 (blue) : la couleur "blue" doit s'écrire #rrggbb, comme #c0392b`},
		{name: "initial_names_the_factions", mapJSON: withMap("initial", `"ukr"`),
			english: `map.json: initial "ukr" is not one of the factions (red, blue)`,
			french:  `map.json : initial "ukr" n'est pas l'une des factions (red, blue)`},
		{name: "initial_in_another_case", mapJSON: withMap("initial", `"Red"`),
			english: `map.json: initial "Red" is not one of the factions (red, blue); did you mean "red"?`,
			french:  `map.json : initial "Red" n'est pas l'une des factions (red, blue) ; vouliez-vous dire "red" ?`},
		{name: "locale", mapJSON: withMap("slug", `"bad-lab","locale":"dari"`),
			english: `map.json: locale "dari" is not one of en, fr, es, de, ru, uk, ar, fa, ps`,
			french:  `map.json : locale "dari" n'est pas l'une de en, fr, es, de, ru, uk, ar, fa, ps`},
		{name: "calendar", mapJSON: withMap("slug", `"bad-lab","calendar":"julian"`),
			english: `map.json: calendar "julian" is not one of gregorian, persian`,
			french:  `map.json : calendar "julian" n'est pas l'un de gregorian, persian`},
		{name: "title_language", mapJSON: withMap("title", `{"en":"Bad lab","xx":"?"}`),
			english: `map.json: title: language "xx" is not one of en, fr, es, de, ru, uk, ar, fa, ps`,
			french:  `map.json : le titre (title) : la langue "xx" n'est pas l'une de en, fr, es, de, ru, uk, ar, fa, ps`},
		{name: "title_translation_control_character", mapJSON: withMap("title", `{"en":"Bad lab","fr":"Labo\u001b"}`),
			english: `map.json: title (fr) holds the control character U+001B, which terminals and pages may act on; remove it`,
			french:  `map.json : le titre (title) (fr) contient le caractère de contrôle U+001B, sur lequel terminaux et pages peuvent agir ; supprimez-le`},
		{name: "faction_name_no_language", mapJSON: factions(`{"id":"blue","name":{},"color":"#0000aa"}`),
			english: "map.json: faction 2 name: the object names no language; give a string or {\"en\": \"...\"}\nmap.json: faction 2 (blue): name is empty",
			french:  "map.json : nom de la faction 2 : l'objet ne nomme aucune langue ; donnez une chaîne ou {\"en\": \"...\"}\nmap.zip : map.json : faction 2 (blue) : le nom est vide"},
		{name: "not_a_map_description", mapJSON: strings.Replace(labFolder()["map.json"], `"title"`, `"colour":"red","title"`, 1),
			english: `map.json: not a valid map description: json: unknown field "colour"`,
			french:  `map.json : description de carte non valide : json: unknown field "colour"`},
		{name: "id_property_in_another_case", mapJSON: withMap("id_property", `"Name"`),
			english: `regions.geojson: features 0-1 (2 features): no id: property "Name" is missing or empty; did you mean "name"? (id_property and name_property are matched exactly)`,
			french:  `regions.geojson : entités 0 à 1 (2 entités) : pas d'identifiant : la propriété "Name" manque ou est vide ; vouliez-vous dire "name" ? (id_property et name_property sont comparés à l'identique)`},
		{name: "map_and_regions_together", mapJSON: strings.Replace(withMap("id_property", `"Name"`), `"initial":"red"`, `"initial":"ukr"`, 1),
			english: `map.json: initial "ukr" is not one of the factions (red, blue)` + "\n" +
				`regions.geojson: features 0-1 (2 features): no id: property "Name" is missing or empty; did you mean "name"? (id_property and name_property are matched exactly)`,
			french: `map.json : initial "ukr" n'est pas l'une des factions (red, blue)` + "\n" +
				`map.zip : regions.geojson : entités 0 à 1 (2 entités) : pas d'identifiant : la propriété "Name" manque ou est vide ; vouliez-vous dire "name" ? (id_property et name_property sont comparés à l'identique)`},
		{name: "region_name_control_character", folder: withRegions(featureCollection(named("A", "Kab\\u001bul"), named("B", "Herat"))),
			english: `regions: feature 0 ("A"): name holds the control character U+001B; remove it`,
			french:  `regions : entité 0 ("A") : le nom contient le caractère de contrôle U+001B ; supprimez-le`},
		{name: "history_header", folder: map[string]string{"map.json": labFolder()["map.json"], "regions.geojson": labFolder()["regions.geojson"], "history.csv": "id,region\n"},
			english: `history.csv: line 1: the header must be id,region,faction,date,source,note,confidence,author,created_at,retracted_at,retracted_by,retract_reason,superseded_by`,
			french:  `history.csv : ligne 1 : l'en-tête doit être id,region,faction,date,source,note,confidence,author,created_at,retracted_at,retracted_by,retract_reason,superseded_by`},
		{name: "history_lines", folder: history("x,A,blue,2022-03-01,https://example.org/a,Taken,confirmed,alice,2022-03-01T10:00:00Z,,,,\n" +
			"2,A,green,2022-03-01,https://example.org/a,Taken,confirmed,alice,yesterday,,bob,,1\n"),
			english: `history.csv: line 2: id "x" is not a positive whole number` + "\n" +
				`history.csv: line 3: faction: "green" is not a faction of this map` + "\n" +
				`history.csv: line 3: created_at "yesterday" is not a time such as 2021-08-15T09:30:00Z` + "\n" +
				`history.csv: line 3: retracted_by and retract_reason need retracted_at` + "\n" +
				`history.csv: line 3: superseded_by "1" must be the id of a later row` + "\n" +
				`history.csv: event 2: superseded_by 1 is no event of the file`,
			french: `history.csv : ligne 2 : l'id "x" n'est pas un nombre entier positif` + "\n" +
				`map.zip : history.csv : ligne 3 : faction : "green" n'est pas une faction de cette carte` + "\n" +
				`map.zip : history.csv : ligne 3 : created_at "yesterday" n'est pas une heure telle que 2021-08-15T09:30:00Z` + "\n" +
				`map.zip : history.csv : ligne 3 : retracted_by et retract_reason demandent retracted_at` + "\n" +
				`map.zip : history.csv : ligne 3 : superseded_by "1" doit être l'id d'une ligne ultérieure` + "\n" +
				`map.zip : history.csv : événement 2 : superseded_by 1 n'est aucun événement du fichier`},
		{name: "history_disagrees_with_events", stored: true, folder: history("1,B,blue,2022-03-02,https://example.org/b,,confirmed,alice,2022-03-02T10:00:00Z,,,,\n"),
			english: `events.csv and history.csv disagree: 1 live events of history.csv are not in events.csv, and 1 events of events.csv are not live in history.csv (the first: A, blue, 2022-03-01); ` +
				`change both alike, or remove history.csv to import events.csv alone (the authors and past revisions are then lost)`,
			french: `events.csv et history.csv ne concordent pas : événements en vigueur de history.csv absents de events.csv : 1 ; événements de events.csv qui ne sont pas en vigueur dans history.csv : 1 (le premier : A, blue, 2022-03-01) ; ` +
				`modifiez les deux de la même façon, ou retirez history.csv pour importer events.csv seul (les auteurs et les révisions passées sont alors perdus)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			folder := tc.folder
			if folder == nil {
				folder = labFolder()
				folder["map.json"] = tc.mapJSON
			}
			fsys := fstest.MapFS{}
			for name, body := range folder {
				fsys[name] = &fstest.MapFile{Data: []byte(body)}
			}
			// As `frontline import` reads and stores a folder: some problems (history.csv
			// against events.csv) show only as the events are stored, which stores nothing.
			before := lab.file.checksum()
			f, err := data.LoadFolder(fsys)
			if err == nil {
				_, err = lab.store.ImportFolder(context.Background(), f, data.ImportOptions{Author: data.ImportAuthor})
			}
			english := tc.english
			if tc.stored {
				english = `import map "bad-lab": ` + english
			}
			if err == nil || err.Error() != english {
				t.Errorf("the command line says\n%v\nwant\n%s", err, english)
			}
			lab.file.unchanged(t, before, tc.name)
			pages := []struct{ lang, want string }{{"fr", "map.zip : " + tc.french}, {"en", "map.zip: " + strings.ReplaceAll(tc.english, "\n", "\nmap.zip: ")}}
			if tc.stored {
				pages = []struct{ lang, want string }{{"fr", tc.french}, {"en", tc.english}}
			}
			for _, page := range pages {
				before := lab.file.checksum()
				form := url.Values{uploadField: {zipFiles(folder)}, "intent": {"save"}, "_csrf": {admin.csrf()}}
				body, contentType := formBody(form)
				req, _ := http.NewRequest(http.MethodPost, "/admin/maps?lang="+page.lang, body)
				req.Header.Set("Content-Type", contentType)
				rec := admin.do(req)
				if rec.Code != http.StatusUnprocessableEntity {
					t.Errorf("%s: status %d, want 422", page.lang, rec.Code)
				}
				if got := parseHTML(t, rec).Find(`[data-testid="form-error"]`).Text(); got != page.want {
					t.Errorf("the %s page says\n%q\nwant\n%q", page.lang, got, page.want)
				}
				lab.file.unchanged(t, before, tc.name)
			}
		})
	}
}

// TestAdminMapsRefusalsInReadersLanguage: the maps page's other refusals (an upload's
// unknown intent, an edit that breaks map.json's rules or leaves events outside the
// dates) read in the page's language too, and change nothing.
func TestAdminMapsRefusalsInReadersLanguage(t *testing.T) {
	const slug = "afghanistan-2021"
	lab := newTestServer(t, withUser("root", data.RoleAdmin))
	admin := newClient(t, lab.h)
	admin.signInAs("root")
	edit := func(field, value string) url.Values {
		v := url.Values{"_csrf": {admin.csrf()}, "title": {"Afghanistan"}, "start": {"2021-08-01"}, "end": {"2021-09-15"},
			"default_date": {"2021-08-15"}, "name_taliban": {"Taliban"}, "color_taliban": {"#112233"}}
		v.Set(field, value)
		return v
	}
	for _, tc := range []struct {
		name, target string
		form         url.Values
		want         string
	}{
		{"upload_intent", "/admin/maps?lang=fr", url.Values{uploadField: {zipFiles(labFolder())}, "intent": {"publish"}, "_csrf": {admin.csrf()}},
			`intent "publish" n'est pas l'un de preview, save`},
		{"edit_colour", "/admin/maps/" + slug + "?lang=fr", edit("color_taliban", "red"),
			`faction 2 (taliban) : la couleur "red" doit s'écrire #rrggbb, comme #c0392b`},
		{"edit_events_outside", "/admin/maps/" + slug + "?lang=fr", edit("end", "2021-08-16"),
			`des événements sont datés hors de la période 2021-08-01 à 2021-08-16 (4, le premier le 2021-08-17) ; élargissez la période pour les inclure`},
		{"edit_events_outside_persian_digits", "/admin/maps/" + slug + "?lang=fa", edit("end", "2021-08-16"),
			"رویدادهایی بیرون از بازهٔ \u20682021-08-01\u2069 تا \u20682021-08-16\u2069 تاریخ خورده‌اند (۴ رویداد، نخستین در \u20682021-08-17\u2069)؛ بازه را گسترده‌تر کنید تا آن‌ها را دربر گیرد"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := lab.file.checksum()
			res := admin.postForm(tc.target, tc.form)
			defer res.Body.Close()
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("status %d, want 422", res.StatusCode)
			}
			doc, err := goquery.NewDocumentFromReader(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			if got := doc.Find(`[data-testid="form-error"]`).Text(); got != tc.want {
				t.Errorf("the page says\n%q\nwant\n%q", got, tc.want)
			}
			lab.file.unchanged(t, before, tc.name)
		})
	}
}
