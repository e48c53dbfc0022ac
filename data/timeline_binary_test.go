package data

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"testing"
	"testing/fstest"
	"time"

	"github.com/frontline-maps/frontline/geo/geotest"
)

// decodeCompact reads a compact timeline the way static/map.js does and returns who holds
// each region (by id) at each day of the map, and whether by a claim.
func decodeCompact(t *testing.T, b []byte, initial string) (compactHeader, func(day int) map[string]string) {
	t.Helper()
	if !bytes.HasPrefix(b, []byte(compactMagic)) {
		t.Fatalf("no magic: % x", b[:min(8, len(b))])
	}
	n := int(binary.LittleEndian.Uint32(b[4:]))
	var h compactHeader
	if err := json.Unmarshal(b[8:8+n], &h); err != nil {
		t.Fatal(err)
	}
	off := 8 + n
	off += (4 - off%4) % 4
	u32 := func(i int) int { return int(binary.LittleEndian.Uint32(b[i:])) }
	dayStarts := make([]int, h.Days+1)
	for d := range dayStarts {
		dayStarts[d] = u32(off + 4*d)
	}
	off += 4 * (h.Days + 1)
	regions, factions := off, off+4*h.Events
	if want := factions + 2*h.Events; want != len(b) {
		t.Fatalf("length %d, layout says %d", len(b), want)
	}
	if dayStarts[h.Days] != h.Events {
		t.Fatalf("dayStarts ends at %d, not %d events", dayStarts[h.Days], h.Events)
	}
	return h, func(day int) map[string]string {
		out := map[string]string{}
		for _, id := range h.Regions {
			out[id] = initial
		}
		for i := 0; i < dayStarts[day+1]; i++ {
			f := binary.LittleEndian.Uint16(b[factions+2*i:])
			name := h.Factions[f&^claimedBit]
			if f&claimedBit != 0 {
				name += " (claimed)"
			}
			out[h.Regions[u32(regions+4*i)]] = name
		}
		return out
	}
}

func TestCompactTimelineMatchesState(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	// Many events a day, so that the order of events on one day matters.
	fsys := fstest.MapFS{
		"map.json":        {Data: []byte(testMapJSON)},
		"regions.geojson": {Data: geotest.GridLayer(40)},
		"events.csv":      {Data: geotest.GridEvents(40, 1500, []string{"gov", "reb"}, start, start.AddDate(0, 0, 30))},
	}
	f, err := LoadFolder(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Import(ctx, f, "test", false); err != nil {
		t.Fatal(err)
	}
	m, err := s.Map(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	// A claim, and a correction recorded later for the same region and day.
	regions, err := s.Regions(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	r := regions[3].ID
	claim := &Event{Region: r, Faction: "reb", Date: "2021-01-05", Source: "https://example.org/1", Confidence: Claimed}
	if err := s.Record(ctx, "test", claim, "ed", 0); err != nil {
		t.Fatal(err)
	}

	b, rev, err := s.CompactTimeline(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	h, at := decodeCompact(t, b, m.Initial)
	if h.Revision != rev || h.Start != m.Start || h.Days != 31 {
		t.Fatalf("header %+v, want revision %d, start %s, 31 days", h, rev, m.Start)
	}
	n, err := s.LiveEvents(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	if h.Events != n {
		t.Fatalf("%d events encoded, %d live", h.Events, n)
	}
	for day := 0; day < h.Days; day++ {
		date := start.AddDate(0, 0, day).Format(DateLayout)
		st, err := s.State(ctx, m, date)
		if err != nil {
			t.Fatal(err)
		}
		got := at(day)
		for _, hd := range st.Holdings {
			want := hd.Faction
			if hd.Claimed() {
				want += " (claimed)"
			}
			if got[hd.Region.ID] != want {
				t.Fatalf("%s, %s: compact timeline says %q, state %q", date, hd.Region.ID, got[hd.Region.ID], want)
			}
		}
	}
	if got := at(4)[r]; got != "reb (claimed)" {
		t.Errorf("the recorded claim: %q at 2021-01-05", got)
	}
}

func TestCompactTimelineEmptyMap(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	m := importTest(t, s, "")
	b, _, err := s.CompactTimeline(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	h, at := decodeCompact(t, b, m.Initial)
	if h.Events != 0 || len(h.Regions) != 3 || len(h.Factions) != 0 {
		t.Fatalf("header %+v", h)
	}
	if got := at(h.Days - 1)["R1"]; got != "gov" {
		t.Errorf("R1 at the end: %q, want the initial gov", got)
	}
	if _, _, err := s.CompactTimeline(ctx, &Map{Slug: "nope", Start: m.Start, End: m.End}); err == nil {
		t.Error("an unknown map gave no error")
	}
}

// BenchmarkCompactTimeline is what a large map's page costs the server once per revision:
// encoding its timeline for the browser (gzipping it is the web package's, once too).
func BenchmarkCompactTimeline(b *testing.B) {
	for _, bm := range benchMaps {
		b.Run(bm.name, func(b *testing.B) {
			ctx := context.Background()
			s, m := benchStore(b, bm.regions, bm.events)
			tl, _, err := s.timeline(ctx, m.Slug)
			if err != nil {
				b.Fatal(err)
			}
			var size int
			for b.Loop() {
				body, err := tl.compact(m)
				if err != nil {
					b.Fatal(err)
				}
				size = len(body)
			}
			b.ReportMetric(float64(size), "bytes")
		})
	}
}
