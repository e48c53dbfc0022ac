package web

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/static"
)

// TestMapInFirstFrame checks what the first paint needs: on the map page and the embed the
// head holds the first frame (rel=expect, blocking=render) until the parser is past the map
// box (#map-parsed, right after it), so that Chromium, which paints what it has parsed so
// far, never draws a frame of the page without the map; and the document stays in reading
// order, the date controls and the chart before the map, as they are shown.
func TestMapInFirstFrame(t *testing.T) {
	h := newTestServer(t).h
	for _, tt := range []struct {
		name, path string
		// before is what comes before the map box; after, what follows it.
		before, after []string
	}{
		{"map page", "/maps/afghanistan-2021?date=2021-08-14", []string{"#map-title", "#date-form", "#series-chart"}, []string{"#summary", "#regions-table"}},
		{"embed", "/embed/afghanistan-2021?date=2021-08-14", []string{".embed-head", "#date-form", "#series-chart"}, []string{"#legend", "#summary"}},
		{"embed in Persian", "/embed/afghanistan-2021?date=2021-08-14&lang=fa&compare=2021-08-01", []string{".embed-head", "#date-form", "#series-chart"}, []string{"#compare"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, h, tt.path)
			if rec.Code != 200 {
				t.Fatalf("GET %s: %d", tt.path, rec.Code)
			}
			doc := parseHTML(t, rec)
			expect := doc.Find(`head link[rel="expect"]`)
			if href, _ := expect.Attr("href"); expect.Length() != 1 || href != "#map-parsed" || expect.AttrOr("blocking", "") != "render" {
				t.Errorf("head's rel=expect links: %d, href %q, blocking %q; want one, #map-parsed, render", expect.Length(), href, expect.AttrOr("blocking", ""))
			}
			// The map box is followed by #map-parsed at once, and that by the light map's early
			// table and script (early_map.go): the first frame waits for the map and for
			// nothing after it. The script that shows the controls as they stay follows the
			// date form, before the map, so that that frame shows them so.
			next := doc.Find("#map").Next()
			if next.AttrOr("id", "") != "map-parsed" {
				t.Errorf("the map box is followed by %s#%s, want #map-parsed", goquery.NodeName(next), next.AttrOr("id", ""))
			}
			if next = next.Next(); !next.Is(`script#map-early[type="application/json"]`) || !next.Next().Is("script:not([src]):not([type]):not([id])") {
				t.Errorf("#map-parsed is followed by %s#%s, want the early table and script", goquery.NodeName(next), next.AttrOr("id", ""))
			}
			if form := doc.Find("#date-form").Next(); !form.Is("script:not([src]):not([type]):not([id])") || form.Text() != ourEarlyControls(t) {
				t.Errorf("the date form is followed by %s, want the early controls' script", goquery.NodeName(form))
			}
			order := documentOrder(doc)
			at := func(sel string) int {
				n := doc.Find(sel)
				if n.Length() != 1 {
					t.Fatalf("%s: %d elements, want 1", sel, n.Length())
				}
				return order[n.Get(0)]
			}
			m := at("#map")
			for _, sel := range tt.before {
				if at(sel) > m {
					t.Errorf("%s comes after the map box, want it before, in reading order", sel)
				}
			}
			for _, sel := range tt.after {
				if at(sel) < m {
					t.Errorf("%s comes before the map box, want it after", sel)
				}
			}
		})
	}
}

// TestDateFieldsForScripts checks a light map's date fields (dateField): a reader without
// scripting gets the date field (type=date) of the no-JavaScript form; a browser running
// scripts parses no date field at all (a date field it parsed cost its first frame the
// browser's date field, though the script makes it a text field before that frame), only
// the same field as a text field in a template, for the early script to put in place.
func TestDateFieldsForScripts(t *testing.T) {
	h := newTestServer(t).h
	for _, tt := range []struct {
		name, path string
		fields     []string // the date fields' ids
	}{
		{"map page", "/maps/afghanistan-2021?date=2021-08-14", []string{"date-input", "compare-input"}},
		{"map page comparing", "/maps/afghanistan-2021?date=2021-08-14&compare=2021-08-01", []string{"date-input", "compare-input"}},
		{"embed", "/embed/afghanistan-2021?date=2021-08-14", []string{"date-input"}},
		{"embed in Persian", "/embed/afghanistan-2021?date=2021-08-14&lang=fa&compare=2021-08-01", []string{"date-input"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, h, tt.path)
			if rec.Code != 200 {
				t.Fatalf("GET %s: %d", tt.path, rec.Code)
			}
			page := rec.Body.String()
			without := parseHTMLWithoutScripts(t, rec)
			with, err := goquery.NewDocumentFromReader(strings.NewReader(page))
			if err != nil {
				t.Fatal(err)
			}
			if n := with.Find(`input[type="date"]`).Not(`template input`).Length(); n != 0 {
				t.Errorf("a browser running scripts parses %d date fields, want none", n)
			}
			for _, id := range tt.fields {
				field := without.Find("#date-form noscript[data-date-field] > input#" + id)
				if field.Length() != 1 || field.AttrOr("type", "") != "date" {
					t.Errorf("without scripts: %d #%s in a noscript of the form, type %q; want one, date", field.Length(), id, field.AttrOr("type", ""))
					continue
				}
				typed := with.Find("#date-form template[data-date-field] > input#" + id)
				if typed.Length() != 1 || typed.AttrOr("type", "") != "text" {
					t.Errorf("with scripts: %d #%s in a template of the form, type %q; want one, text", typed.Length(), id, typed.AttrOr("type", ""))
					continue
				}
				// The same field but for its type: its name, value, range, whether it is required.
				attrs := func(s *goquery.Selection) map[string]string {
					out := map[string]string{}
					for _, a := range s.Get(0).Attr {
						if a.Key != "type" {
							out[a.Key] = a.Val
						}
					}
					return out
				}
				if diff := cmp.Diff(attrs(field), attrs(typed)); diff != "" {
					t.Errorf("#%s for scripts differs from the no-script field (-without +with):\n%s", id, diff)
				}
			}
		})
	}
}

// documentOrder numbers a document's elements in the order they are parsed.
func documentOrder(doc *goquery.Document) map[any]int {
	order := map[any]int{}
	doc.Find("*").Each(func(i int, s *goquery.Selection) { order[s.Get(0)] = i })
	return order
}

// TestEmbedStylesMinified checks that the embed's inline style sheet, which the browser
// parses whole before its first frame, comes without the sources' comments and white space,
// and still holds the rules the embed's layout needs.
func TestEmbedStylesMinified(t *testing.T) {
	rec := get(t, newTestServer(t).h, "/embed/afghanistan-2021")
	css := parseHTML(t, rec).Find("head style").Text()
	if strings.Contains(css, "/*") || strings.Contains(css, "\n  ") {
		t.Errorf("the embed's style sheet keeps comments or indentation: %.200q", css)
	}
	for _, want := range []string{".series-chart~#map.embed-map{max-height:", ".map-inline", "light-dark("} {
		if !strings.Contains(css, want) {
			t.Errorf("the embed's style sheet lacks %q", want)
		}
	}
	// style.css, map.css and embed.css were 24 kB with their comments, before the live
	// inline map's rules (its zoom buttons, popup and hover) joined them.
	if len(css) > 18_000 {
		t.Errorf("the embed's style sheet is %d bytes, want at most 18,000", len(css))
	}
}

// TestEmbedPageKept checks the kept embed pages: the same embed asked again is the same page
// (same ETag), not rendered again; another query, or a change to the map, is rendered anew;
// a bad option is refused and keeps nothing.
func TestEmbedPageKept(t *testing.T) {
	ctx := context.Background()
	store := newTestServer(t).store
	srv := newServer(store, slog.New(slog.DiscardHandler), static.FS)
	h := srv.handler()
	const page = "/embed/afghanistan-2021?date=2021-08-14"
	first := get(t, h, page, "Accept-Encoding", "gzip")
	again := get(t, h, page, "Accept-Encoding", "gzip")
	if first.Code != 200 || again.Code != 200 {
		t.Fatalf("GET %s: %d then %d", page, first.Code, again.Code)
	}
	etag := first.Header().Get("ETag")
	if etag == "" || again.Header().Get("ETag") != etag || !bytes.Equal(first.Body.Bytes(), again.Body.Bytes()) {
		t.Errorf("asked twice, the embed differs: ETag %q then %q", etag, again.Header().Get("ETag"))
	}
	if got := first.Header().Get("Content-Encoding"); got != "gzip" {
		t.Errorf("Content-Encoding = %q, want gzip", got)
	}
	if got := srv.embeds.drawn.Load(); got != 1 {
		t.Errorf("the same embed asked twice was rendered %d times, want once", got)
	}
	if rec := get(t, h, page, "If-None-Match", etag); rec.Code != http.StatusNotModified {
		t.Errorf("revalidated by its ETag: %d, want 304", rec.Code)
	}

	// The embed's options are checked before the kept pages are looked at; a comparison's
	// date while the page is rendered, which then keeps nothing: asked again, it is refused
	// again.
	for _, bad := range []string{page + "&slider=no", page + "&compare=1999-01-01", page + "&compare=1999-01-01"} {
		if rec := get(t, h, bad); rec.Code != http.StatusBadRequest {
			t.Errorf("GET %s: %d, want 400", bad, rec.Code)
		}
	}
	french := get(t, h, page+"&lang=fr")
	if !strings.Contains(french.Body.String(), `lang="fr"`) {
		t.Errorf("the embed in French is not in French")
	}
	if got := srv.embeds.drawn.Load(); got != 4 {
		t.Errorf("after a bad option, a bad comparison twice and the page in French, %d renderings, want 4", got)
	}

	// Kabul falls a day early: the next reader sees it.
	taliban := func(rec *httptest.ResponseRecorder) string {
		return parseHTML(t, rec).Find(`[data-testid="count-taliban"]`).Text()
	}
	before := taliban(get(t, h, page))
	err := store.AppendEvents(ctx, "afghanistan-2021", []data.Event{{Region: "AF-KAB", Faction: "taliban", Date: "2021-08-14",
		Source: "https://example.com/kabul", Confidence: "confirmed"}}, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	after := get(t, h, page)
	if got := taliban(after); got == before || after.Header().Get("ETag") == etag {
		t.Errorf("after Kabul's change the embed's Taliban count is %q (was %q), ETag %q (was %q): the kept page was answered",
			got, before, after.Header().Get("ETag"), etag)
	}
}
