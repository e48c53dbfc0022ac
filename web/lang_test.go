package web

import (
	"net/http"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

// TestLangUnknown: an unknown ?lang= is a 400 naming the valid languages, on every kind of
// page that takes it.
func TestLangUnknown(t *testing.T) {
	h := newTestServer(t).h
	for _, target := range []string{
		"/maps/afghanistan-2021?lang=xx", "/embed/afghanistan-2021?lang=EN", "/maps/afghanistan-2021/2021-08-14.svg?lang=dari",
		"/maps/afghanistan-2021/regions/AF-KAB?lang=", "/?lang=english", "/login?lang=fa-IR",
	} {
		t.Run(target, func(t *testing.T) {
			rec := get(t, h, target)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", rec.Code)
			}
			if body := rec.Body.String(); !strings.Contains(body, "is not one of en, fr, es, de, ru, uk, ar, fa, ps") {
				t.Errorf("the message does not list the languages: %s", body)
			}
		})
	}
}

// TestLangPages: the page's words, title, date, summary, direction and links in the
// language asked for; English and left to right without one.
func TestLangPages(t *testing.T) {
	h := newTestServer(t).h
	for _, tc := range []struct {
		target, lang, dir, title, label, summary, share string
		rtlCSS                                          bool
	}{
		{"/maps/afghanistan-2021", "en", "ltr", "Afghanistan: the Taliban offensive, 2021", "14 August 2021", "Taliban: 21 of 34 regions confirmed, 23 with claims, on 14 August 2021. +5 since 13 August 2021.", "/maps/afghanistan-2021?date=2021-08-14", false},
		{"/maps/afghanistan-2021?lang=fa", "fa", "rtl", "افغانستان: تهاجم طالبان، ۲۰۲۱", "۱۴ اوت ۲۰۲۱", "طالبان: ۲۱ از ۳۴ منطقه تأییدشده، ۲۳ با ادعاها، در ۱۴ اوت ۲۰۲۱. +۵ از ۱۳ اوت ۲۰۲۱.", "/maps/afghanistan-2021?date=2021-08-14&lang=fa", true},
		{"/maps/afghanistan-2021?lang=fr", "fr", "ltr", "Afghanistan : l’offensive des talibans, 2021", "14 août 2021", "Talibans : 21 régions sur 34 confirmées, 23 avec les revendications, le 14 août 2021. +5 depuis le 13 août 2021.", "/maps/afghanistan-2021?date=2021-08-14&lang=fr", false},
		{"/maps/afghanistan-2021?lang=de", "de", "ltr", "Afghanistan: the Taliban offensive, 2021", "14. August 2021", "Taliban: 21 von 34 Regionen bestätigt, 23 mit Behauptungen, am 14. August 2021. +5 seit dem 13. August 2021.", "/maps/afghanistan-2021?date=2021-08-14&lang=de", false},
		{"/maps/afghanistan-2021?lang=ar", "ar", "rtl", "Afghanistan: the Taliban offensive, 2021", "١٤ أغسطس ٢٠٢١", "Taliban: ٢١ من ٣٤ منطقة مؤكدة، و٢٣ مع الادعاءات، في ١٤ أغسطس ٢٠٢١. +٥ منذ ١٣ أغسطس ٢٠٢١.", "/maps/afghanistan-2021?date=2021-08-14&lang=ar", true},
	} {
		t.Run(tc.target, func(t *testing.T) {
			rec := get(t, h, tc.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			doc := parseHTML(t, rec)
			html := doc.Find("html")
			if l, _ := html.Attr("lang"); l != tc.lang {
				t.Errorf("lang=%q, want %q", l, tc.lang)
			}
			if d, _ := html.Attr("dir"); d != tc.dir {
				t.Errorf("dir=%q, want %q", d, tc.dir)
			}
			for sel, want := range map[string]string{"#map-title": tc.title, "[data-testid=date-label]": tc.label, "[data-testid=summary]": tc.summary} {
				if got := strings.TrimSpace(doc.Find(sel).Text()); got != want {
					t.Errorf("%s = %q, want %q", sel, got, want)
				}
			}
			if href, _ := doc.Find("#share-link").Attr("href"); href != tc.share {
				t.Errorf("share link %q, want %q", href, tc.share)
			}
			if got := doc.Find(`link[href*="rtl.css"]`).Length() == 1; got != tc.rtlCSS {
				t.Errorf("rtl.css linked: %t, want %t", got, tc.rtlCSS)
			}
		})
	}
}

// TestLangMapLocale: a map whose map.json names a locale is read in it when the reader asks
// for no language, and in the language asked for otherwise.
func TestLangMapLocale(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, name := range []string{"map.json", "regions.geojson", "places.geojson", "events.csv"} {
		b, err := os.ReadFile("../data/maps/afghanistan-2021/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if name == "map.json" {
			b = []byte(strings.Replace(string(b), `"initial":`, `"locale": "ps", "initial":`, 1))
		}
		fsys[name] = &fstest.MapFile{Data: b}
	}
	h := newTestServer(t, withMaps(fsys)).h
	for target, want := range map[string]string{
		"/embed/afghanistan-2021":         "ps",
		"/embed/afghanistan-2021?lang=en": "en",
		"/maps/afghanistan-2021":          "ps",
	} {
		doc := parseHTML(t, get(t, h, target))
		if l, _ := doc.Find("html").Attr("lang"); l != want {
			t.Errorf("%s: lang=%q, want %q", target, l, want)
		}
	}
	doc := parseHTML(t, get(t, h, "/embed/afghanistan-2021"))
	if got := doc.Find(".embed-title").Text(); got != "افغانستان: د طالبانو برید، ۲۰۲۱" {
		t.Errorf("title in the map's locale = %q", got)
	}
	if got := doc.Find("#play").Text(); got != "غږول" {
		t.Errorf("play in Pashto = %q", got)
	}
}

// TestLangPicture: the SVG in Persian has its words and digits, each Persian line marked
// right to left, the English credit line not, and fonts that carry Arabic script; the PNG
// and the GIF in Persian are drawn in Persian (geo's shaping, with the pages' Vazirmatn),
// not the English ones.
func TestLangPicture(t *testing.T) {
	h := newTestServer(t).h
	svg := get(t, h, "/maps/afghanistan-2021/2021-08-14.svg?lang=fa").Body.String()
	for _, want := range []string{`direction="rtl" fill="#15191e">۱۴ اوت ۲۰۲۱</text>`, `>۲۳</text>`, `هاشورخورده: ادعاشده، تأییدنشده`, `text-anchor="end"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("the Persian SVG lacks %s", want)
		}
	}
	if strings.Contains(svg, `direction="rtl" text-anchor="end" fill="#697079">Boundaries`) {
		t.Error("the English credit line is marked right to left")
	}
	if !strings.Contains(svg, `font-family="Go, Vazirmatn, `) {
		t.Error("the Persian SVG names no font for Arabic script")
	}
	for _, ext := range []string{".png", "_2021-08-15.gif"} {
		en := get(t, h, "/maps/afghanistan-2021/2021-08-14"+ext).Body.String()
		fa := get(t, h, "/maps/afghanistan-2021/2021-08-14"+ext+"?lang=fa").Body.String()
		if en == fa || len(en) < 1000 || len(fa) < 1000 {
			t.Errorf("the Persian %s (%d bytes) is the English one (%d bytes)", ext, len(fa), len(en))
		}
	}
	fr := get(t, h, "/maps/afghanistan-2021/2021-08-14.svg?lang=fr").Body.String()
	if !strings.Contains(fr, "14 août 2021") || strings.Contains(fr, `direction="rtl"`) {
		t.Error("the French SVG has not its date, or is marked right to left")
	}
}
