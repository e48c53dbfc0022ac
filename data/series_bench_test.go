package data

import (
	"context"
	"testing"
)

// BenchmarkSeries is what a map's series costs once per revision: one sweep of the timeline
// in memory (loaded, and the regions' areas read, before the timer starts). The goal is 1 s
// at 5,000 regions and a million events.
func BenchmarkSeries(b *testing.B) {
	for _, bm := range benchMaps {
		b.Run(bm.name, func(b *testing.B) {
			ctx := context.Background()
			s, m := benchStore(b, bm.regions, bm.events)
			tl, id, err := s.timeline(ctx, m.Slug)
			if err != nil {
				b.Fatal(err)
			}
			areas, err := s.regionAreas(ctx, tl, id, m.Slug)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if tl.seriesOf(m, areas) == nil {
					b.Fatal("no series")
				}
			}
		})
	}
}

// BenchmarkSeriesAreas is the once-per-import part of the series: every region's geometry
// read and measured by orb.
func BenchmarkSeriesAreas(b *testing.B) {
	for _, bm := range benchMaps {
		b.Run(bm.name, func(b *testing.B) {
			ctx := context.Background()
			s, m := benchStore(b, bm.regions, bm.events)
			tl, id, err := s.timeline(ctx, m.Slug)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := s.readAreas(ctx, tl, id, m.Slug); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
