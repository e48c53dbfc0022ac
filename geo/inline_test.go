package geo

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// inlineDoc is what a test checks of an inline map.
type inlineDoc struct {
	viewBox     string
	regions     map[string]string // data-inline-region -> fill
	fills       int               // region paths with a fill
	uses        int               // the outline's <use>s
	places      map[string]int    // data-inline-place -> discs (2 a place)
	labels      map[string]string // group class -> ids labelled, joined
	hatchPeriod string
	rings       map[string]int // fill -> rings drawn in it, over all its paths
	stroked     int            // region paths with a fill and a stroke, their own or a group's
	borders     int            // paths in the borders' group, and the rings in them
	borderRings int
}

func renderInline(t *testing.T, s Scene, o Inline) inlineDoc {
	t.Helper()
	var buf bytes.Buffer
	if err := RenderInline(&buf, s, o); err != nil {
		t.Fatalf("RenderInline: %v", err)
	}
	doc := inlineDoc{regions: map[string]string{}, places: map[string]int{}, labels: map[string]string{}, rings: map[string]int{}}
	dec := xml.NewDecoder(&buf)
	dec.Strict = true
	group := ""
	var strokes []bool // per open <g>: whether it or a group around it sets a stroke
	borders := 0       // depth of the open <g>s from the borders' group
	for {
		tok, err := dec.Token()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatalf("the inline SVG is not well-formed XML: %v", err)
		}
		if end, ok := tok.(xml.EndElement); ok && end.Name.Local == "g" {
			strokes = strokes[:len(strokes)-1]
			if borders > 0 {
				borders--
			}
			continue
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		a := map[string]string{}
		for _, at := range el.Attr {
			a[at.Name.Local] = at.Value
		}
		switch el.Name.Local {
		case "svg":
			doc.viewBox = a["viewBox"]
			if a["preserveAspectRatio"] != "xMidYMid meet" {
				t.Errorf("preserveAspectRatio %q, want xMidYMid meet, as Leaflet's fitBounds centres", a["preserveAspectRatio"])
			}
		case "pattern":
			doc.hatchPeriod = a["width"]
		case "use":
			doc.uses++
		case "g":
			strokes = append(strokes, a["stroke"] != "" || len(strokes) > 0 && strokes[len(strokes)-1])
			if borders > 0 || a["class"] == "map-inline-borders" {
				borders++
			}
			if strings.Contains(a["class"], "map-inline-labels ") {
				group = a["class"]
			} else if strings.Contains(a["class"], "map-inline-scale") {
				group = "" // the scale bar's distances are not labels
			}
		case "text":
			if group != "" {
				doc.labels[group] += a["data-inline-label"] + " "
			}
		case "path":
			if id, ok := a["data-inline-place"]; ok {
				doc.places[id]++
				if !regexp.MustCompile(`^M-?\d+(\.\d)? -?\d+(\.\d)?h0$`).MatchString(a["d"]) {
					t.Errorf("place %s's disc d=%q, want a line of no length", id, a["d"])
				}
				continue
			}
			if borders > 0 {
				doc.borders++
				doc.borderRings += strings.Count(a["d"], "M")
			}
			if a["fill"] != "" && a["fill"] != "none" {
				if a["stroke"] != "" || len(strokes) > 0 && strokes[len(strokes)-1] {
					doc.stroked++
				}
				doc.fills++
				doc.rings[a["fill"]] += strings.Count(a["d"], "M")
				if id, ok := a["data-inline-region"]; ok {
					doc.regions[id] = a["fill"]
				}
				if strings.Contains(a["d"], ".") {
					t.Errorf("region path d=%q has fractions: want whole units", a["d"][:min(40, len(a["d"]))])
				}
			}
		}
	}
	return doc
}

// TestInlineAspectWithoutExtent: a map with no regions, or one whose regions have no width,
// has no aspect, which leaves the page's map box its default height.
func TestInlineAspectWithoutExtent(t *testing.T) {
	for _, regions := range [][]SceneRegion{nil, {{ID: "flat", Geometry: orb.Polygon{{{1, 1}, {1, 2}, {1, 3}, {1, 1}}}}}} {
		if a, err := InlineAspect(regions); err != nil || a != 0 {
			t.Errorf("InlineAspect(%d regions) = %v, %v; want 0", len(regions), a, err)
		}
	}
}

// TestRenderInline draws scenes as inline maps: the viewBox has the regions' aspect (Web
// Mercator, as Leaflet), every region a filled path (hatched for a claim, the stripes as
// many pixels as the browser's in the first view's box), the places' discs, and a group of
// labels per view; the coarse picture leaves the outline, the borders and the ids out and
// draws a path a fill, holding the rings of every region of that fill.
func TestRenderInline(t *testing.T) {
	withPlaces := squares([]string{government, taliban, resistance}, 1)
	withPlaces.Places = []ScenePlace{
		{ID: "b", Name: "Town", Point: orb.Point{3, 1}, Color: taliban},
		{ID: "a", Name: "Capital", Point: orb.Point{1, 1}, Color: government, Capital: true},
	}
	views := []InlineView{{Name: "narrow", Width: 300, Height: 300}, {Name: "wide", Width: 1200, Height: 400}}
	tests := []struct {
		name        string
		scene       Scene
		opts        Inline
		wantViewBox string
		wantRegions map[string]string
		wantRings   map[string]int
		wantFills   int
		wantUses    int
		// The strokes: fills with one, and the borders' paths and their rings.
		wantStroked, wantBorders, wantBorderRings int
		wantPlaces                                map[string]int
		wantLabels                                map[string]string
		wantHatch                                 string
	}{
		{
			name: "three squares, one claimed, two places", scene: withPlaces,
			opts:        Inline{Side: 600, Tolerance: 0.5, Views: views},
			wantViewBox: "0 0 600 200",
			wantRegions: map[string]string{"R-0": government, "R-1": "url(#fp-hatch-0)", "R-2": resistance},
			wantRings:   map[string]int{government: 1, "url(#fp-hatch-0)": 1, resistance: 1},
			// The outline is one <use> of the borders' path, which holds every region's
			// ring once; the fills have no stroke (a step of the live map changes fills
			// alone, and a fill's box holds no stroke to rasterise again).
			wantFills: 3, wantUses: 1,
			wantStroked: 0, wantBorders: 1, wantBorderRings: 3,
			wantPlaces: map[string]int{"a": 2, "b": 2},
			// The capital first, then the town, 100 px apart in the narrow box (half a pixel
			// a unit): both fit in either box.
			wantLabels: map[string]string{
				"map-inline-labels map-inline-labels-narrow": "a b ",
				"map-inline-labels map-inline-labels-wide":   "a b ",
			},
			// 8 px stripes at 0.5 px a unit.
			wantHatch: "16",
		},
		{
			name: "coarse: no outline, no ids, no labels", scene: squares([]string{government, taliban}),
			opts:        Inline{Side: 400, Tolerance: 0.5, Coarse: true},
			wantViewBox: "0 0 400 200",
			wantRegions: map[string]string{}, wantFills: 2, wantUses: 0,
			wantStroked: 0, // no borders: a region of thousands is a few pixels across
			wantRings:   map[string]int{government: 1, taliban: 1},
			wantPlaces:  map[string]int{}, wantLabels: map[string]string{},
		},
		{
			name: "coarse: a path a fill, claims apart", scene: squares([]string{government, taliban, government, taliban, taliban}, 4),
			opts:        Inline{Side: 400, Tolerance: 0.5, Coarse: true},
			wantViewBox: "0 0 400 80",
			wantRegions: map[string]string{}, wantFills: 3, wantUses: 0,
			wantStroked: 0,
			wantRings:   map[string]int{government: 2, taliban: 2, "url(#fp-hatch-0)": 1},
			wantPlaces:  map[string]int{}, wantLabels: map[string]string{},
			wantHatch: "8",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := renderInline(t, tt.scene, tt.opts)
			if got.viewBox != tt.wantViewBox {
				t.Errorf("viewBox %q, want %q", got.viewBox, tt.wantViewBox)
			}
			// The page sizes a phone's map box by InlineAspect: the viewBox's own.
			var w, h float64
			if _, err := fmt.Sscanf(got.viewBox, "0 0 %g %g", &w, &h); err != nil {
				t.Fatalf("viewBox %q: %v", got.viewBox, err)
			}
			if a, err := InlineAspect(tt.scene.Regions); err != nil || math.Abs(a-w/h) > 0.01*w/h { // the viewBox is written in whole units
				t.Errorf("InlineAspect = %v, %v; want the viewBox's %.3f", a, err, w/h)
			}
			if !mapsEqual(got.regions, tt.wantRegions) {
				t.Errorf("regions %v, want %v", got.regions, tt.wantRegions)
			}
			if got.fills != tt.wantFills || got.uses != tt.wantUses {
				t.Errorf("%d filled paths and %d outline <use>s, want %d and %d", got.fills, got.uses, tt.wantFills, tt.wantUses)
			}
			if got.stroked != tt.wantStroked || got.borders != tt.wantBorders || got.borderRings != tt.wantBorderRings {
				t.Errorf("%d stroked fills, %d borders' paths of %d rings, want %d, %d and %d",
					got.stroked, got.borders, got.borderRings, tt.wantStroked, tt.wantBorders, tt.wantBorderRings)
			}
			if !mapsEqual(got.rings, tt.wantRings) {
				t.Errorf("rings per fill %v, want %v", got.rings, tt.wantRings)
			}
			if !mapsEqual(got.places, tt.wantPlaces) {
				t.Errorf("place discs %v, want %v", got.places, tt.wantPlaces)
			}
			if !mapsEqual(got.labels, tt.wantLabels) {
				t.Errorf("labels %v, want %v", got.labels, tt.wantLabels)
			}
			if got.hatchPeriod != tt.wantHatch {
				t.Errorf("hatch period %q units, want %q", got.hatchPeriod, tt.wantHatch)
			}
		})
	}
}

// TestRenderInlineLabelDirection: the labels are left to right whatever the page around them
// (an SVG <text> inherits a right-to-left page's direction, which would put a Latin name that
// starts at a marker's right on its left), and a name in Arabic script reads right to left
// with its anchor swapped, so it still starts beside its marker.
func TestRenderInlineLabelDirection(t *testing.T) {
	scene := squares([]string{government, taliban, resistance}, 1)
	scene.Places = []ScenePlace{
		{ID: "k", Name: "Kabul", Point: orb.Point{1, 1}, Color: government, Capital: true},
		{ID: "m", Name: "مزار شریف", Point: orb.Point{3, 1}, Color: taliban},
	}
	var buf bytes.Buffer
	if err := RenderInline(&buf, scene, Inline{Side: 600, Tolerance: 0.5, Views: []InlineView{{Name: "wide", Width: 1200, Height: 400}}}); err != nil {
		t.Fatal(err)
	}
	svg := buf.String()
	for _, want := range []string{
		`class="map-inline-labels map-inline-labels-wide" `,
		` direction="ltr" dominant-baseline="central">`,
		`data-inline-label="m" `,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("the inline map lacks %q:\n%s", want, svg)
		}
	}
	latin := regexp.MustCompile(`<text data-inline-label="k"[^>]*>`).FindString(svg)
	arabic := regexp.MustCompile(`<text data-inline-label="m"[^>]*>`).FindString(svg)
	if strings.Contains(latin, "direction") {
		t.Errorf("Kabul's label %s sets a direction of its own, want its group's", latin)
	}
	// The town's label is at its marker's right (anchor start in left to right): in right to
	// left that is its end.
	if !strings.Contains(arabic, `direction="rtl" text-anchor="end"`) {
		t.Errorf("the Arabic name's label %s, want direction rtl anchored at its end", arabic)
	}
}

// TestRenderInlineRejects: options out of range and bad colours are errors, nothing written.
func TestRenderInlineRejects(t *testing.T) {
	bad := squares([]string{government})
	bad.Regions[0].Color = "red"
	for _, tt := range []struct {
		name  string
		scene Scene
		opts  Inline
		want  string
	}{
		{"side too small", squares([]string{government}), Inline{Side: 5, Tolerance: 0.5}, "side of 10"},
		{"no tolerance", squares([]string{government}), Inline{Side: 600}, "tolerance above 0"},
		{"view without a size", squares([]string{government}), Inline{Side: 600, Tolerance: 0.5, Views: []InlineView{{Name: "x"}}}, "a size above 0"},
		{"bad colour", bad, Inline{Side: 600, Tolerance: 0.5}, "is not #rrggbb"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := RenderInline(&buf, tt.scene, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one saying %q", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes on error", buf.Len())
			}
		})
	}
}

func mapsEqual[K comparable, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestInlineFill: with Hatches, the picture defines every colour's hatch in that order,
// whatever the scene claims, and InlineFill says how it fills each region, claimed or not;
// a claim of a colour not among Hatches has no fill to give.
func TestInlineFill(t *testing.T) {
	s := squares([]string{government, taliban, resistance}, 2)
	o := Inline{Side: 600, Tolerance: 0.5, Hatches: []string{taliban, resistance, government}}
	var buf bytes.Buffer
	if err := RenderInline(&buf, s, o); err != nil {
		t.Fatal(err)
	}
	svg := buf.String()
	for i, color := range o.Hatches {
		want := fmt.Sprintf(`<pattern id="fp-hatch-%d"`, i)
		at := strings.Index(svg, want)
		if at < 0 || !strings.Contains(svg[at:min(len(svg), at+400)], color) {
			t.Errorf("no %s hatch of %s in the picture", want, color)
		}
	}
	doc := renderInline(t, s, o)
	for _, r := range s.Regions {
		fill, factionColor, ok := o.InlineFill(r.Color, r.Claimed)
		if !ok || doc.regions[r.ID] != fill {
			t.Errorf("%s: InlineFill = %q, %v; the picture fills it %q", r.ID, fill, ok, doc.regions[r.ID])
		}
		if r.Claimed != (factionColor == r.Color) {
			t.Errorf("%s claimed %t: InlineFill's faction colour %q", r.ID, r.Claimed, factionColor)
		}
	}
	if got, want := doc.regions["R-2"], "url(#fp-hatch-1)"; got != want {
		t.Errorf("the claimed region's fill %q, want %q (Hatches' order)", got, want)
	}
	if _, _, ok := (Inline{Hatches: []string{government}}).InlineFill(taliban, true); ok {
		t.Error("InlineFill of a claim in a colour without a hatch: ok, want not")
	}
}
