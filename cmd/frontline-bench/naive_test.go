package main

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/frontline-maps/frontline/geo"
)

// TestCountiesOf: the subset keeps the counties of the states named, by their ids' first two
// digits, and the arcs; a subset with no county is an error naming the states.
func TestCountiesOf(t *testing.T) {
	topo := `{"type":"Topology","objects":{"counties":{"type":"GeometryCollection","geometries":[
		{"type":"Polygon","id":"48001","properties":{"name":"A"},"arcs":[[0]]},
		{"type":"Polygon","id":"06001","properties":{"name":"B"},"arcs":[[1]]},
		{"type":"Polygon","id":"22001","properties":{"name":"C"},"arcs":[[2]]}]},"states":{"type":"GeometryCollection","geometries":[]}},
		"arcs":[[[0,0],[1,0],[1,1],[0,1],[0,0]],[[2,0],[3,0],[3,1],[2,1],[2,0]],[[4,0],[5,0],[5,1],[4,1],[4,0]]]}`
	tests := []struct {
		states []string
		want   []string
		err    string
	}{
		{[]string{"48", "22"}, []string{"48001", "22001"}, ""},
		{[]string{"06"}, []string{"06001"}, ""},
		{[]string{"99"}, nil, "no counties of the states [99]"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.states, ","), func(t *testing.T) {
			raw, err := countiesOf(tt.states...)([]byte(topo))
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			regions, err := geo.ParseTopoJSON(raw, "", "", "name")
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range regions {
				ids = append(ids, r.ID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("counties %v, want %v", ids, tt.want)
			}
		})
	}
}

// TestRealEvents: the generated events name only the layer's regions, in date order over
// 2024, a tenth of them claims, as events.csv's header says.
func TestRealEvents(t *testing.T) {
	ids := []string{"A", "B", "C"}
	rows, err := csv.NewReader(bytes.NewReader(realEvents(ids, 1000))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "region,faction,date,source,note,confidence" || len(rows) != 1001 {
		t.Fatalf("header %q, %d rows; want events.csv's header and 1,000 events", got, len(rows)-1)
	}
	claims, last := 0, ""
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		seen[r[0]] = true
		if !slices.Contains(ids, r[0]) || r[2] < last || r[2] < "2024-01-01" || r[2] > "2024-12-31" {
			t.Fatalf("event %v: want a region of %v, dates in order within 2024", r, ids)
		}
		last = r[2]
		if r[5] == "claimed" {
			claims++
		}
	}
	if claims != 100 || len(seen) != len(ids) {
		t.Errorf("%d claims, %d regions named; want 100 and all %d", claims, len(seen), len(ids))
	}
}

// TestDisplayFrames: frame times compared in display frames, so that two worst frames of
// one vsync each tie whatever their jitter, and a dropped frame still loses.
func TestDisplayFrames(t *testing.T) {
	for _, tt := range []struct {
		ms   float64
		want float64
	}{{16.79, 1}, {16.81, 1}, {16.7, 1}, {24.9, 1}, {25.1, 2}, {33.3, 2}, {50.1, 3}, {0, 0}} {
		if got := displayFrames(tt.ms); got != tt.want {
			t.Errorf("displayFrames(%v) = %v, want %v", tt.ms, got, tt.want)
		}
	}
}
