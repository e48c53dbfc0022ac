package web

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestMapFirstInDocument checks the order the first paint needs: on the map page and the
// embed the map box comes straight after the title, before the date controls and the chart
// (which the style sheets show above it), so that the browser's first frame, painted from
// the part of the document parsed by then, holds the map.
func TestMapFirstInDocument(t *testing.T) {
	h := newTestServer(t).h
	for _, tt := range []struct {
		name, path string
		// before is what comes before the map box; after, what follows it.
		before, after []string
	}{
		{"map page", "/maps/afghanistan-2021?date=2021-08-14", []string{"#map-title"}, []string{"#date-form", "#series-chart", "#regions-table"}},
		{"embed", "/embed/afghanistan-2021?date=2021-08-14", []string{".embed-head"}, []string{"#date-form", "#series-chart", "#legend", "#summary"}},
		{"embed in Persian", "/embed/afghanistan-2021?date=2021-08-14&lang=fa&compare=2021-08-01", []string{".embed-head"}, []string{"#date-form", "#series-chart", "#compare"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, h, tt.path)
			if rec.Code != 200 {
				t.Fatalf("GET %s: %d", tt.path, rec.Code)
			}
			doc := parseHTML(t, rec)
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
					t.Errorf("%s comes after the map box, want it before", sel)
				}
			}
			for _, sel := range tt.after {
				if at(sel) < m {
					t.Errorf("%s comes before the map box, want it after: the first frame could be painted without the map", sel)
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
	for _, want := range []string{"#map.embed-map{order:1}", ".map-inline", "light-dark("} {
		if !strings.Contains(css, want) {
			t.Errorf("the embed's style sheet lacks %q", want)
		}
	}
	// style.css, map.css and embed.css were 24 kB with their comments.
	if len(css) > 17_000 {
		t.Errorf("the embed's style sheet is %d bytes, want at most 17,000", len(css))
	}
}
