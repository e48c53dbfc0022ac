package geo

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
)

func TestSurroundings(t *testing.T) {
	tests := []struct {
		name string
		in   orb.Bound
		want orb.Bound
	}{
		{"the longer side each way", orb.Bound{Min: orb.Point{60, 30}, Max: orb.Point{74, 38}}, orb.Bound{Min: orb.Point{46, 16}, Max: orb.Point{88, 52}}},
		{"a degree at least", orb.Bound{Min: orb.Point{10, 10}, Max: orb.Point{10.5, 10.2}}, orb.Bound{Min: orb.Point{9, 9}, Max: orb.Point{11.5, 11.2}}},
		{"within what Web Mercator draws", orb.Bound{Min: orb.Point{-170, 60}, Max: orb.Point{170, 80}}, orb.Bound{Min: orb.Point{-180, -85}, Max: orb.Point{180, 85}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Surroundings(tt.in)); diff != "" {
				t.Errorf("Surroundings(%v) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// A clipped country keeps its land inside the box, and only its own borders as lines: the
// box's edges, along which its land was cut, are not coasts, not even when a clipped layer
// is clipped again (an exported map imported).
func TestClipContextDrawsNoEdgeOfTheBox(t *testing.T) {
	box := orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{10, 10}}
	square := orb.Ring{{5, 5}, {20, 5}, {20, 20}, {5, 20}, {5, 5}}
	shapes := []ContextShape{{Name: "A", Land: orb.MultiPolygon{{square}}, Lines: orb.MultiLineString{orb.LineString(square)}}}
	once := ClipContext(shapes, box)
	wantLines := orb.MultiLineString{{{5, 5}, {10, 5}}, {{5, 10}, {5, 5}}}
	for round, got := range [][]ContextShape{once, ClipContext(once, box)} {
		if len(got) != 1 {
			t.Fatalf("round %d: %d shapes, want 1", round, len(got))
		}
		if b := got[0].Land.Bound(); b != (orb.Bound{Min: orb.Point{5, 5}, Max: orb.Point{10, 10}}) {
			t.Errorf("round %d: land bound %v, want the square's corner inside the box", round, b)
		}
		if diff := cmp.Diff(wantLines, got[0].Lines); diff != "" {
			t.Errorf("round %d: lines (-want +got):\n%s", round, diff)
		}
	}
	if far := ClipContext([]ContextShape{{Land: orb.MultiPolygon{{{{50, 50}, {51, 50}, {51, 51}, {50, 50}}}}}}, box); len(far) != 0 {
		t.Errorf("land outside the box kept: %v", far)
	}
}

func TestContextRoundTrips(t *testing.T) {
	shapes := []ContextShape{
		{Name: "A", Land: orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}}},
		{Name: "A", Lines: orb.MultiLineString{{{0, 0}, {1, 0}}}},
	}
	b, err := MarshalContext(shapes)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseContext(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(shapes, got); diff != "" {
		t.Errorf("context after MarshalContext and ParseContext (-want +got):\n%s", diff)
	}
}
