package data

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
)

// The compact timeline is how a map with many events reaches the browser: the page's
// script needs, per event, only its day, region, faction and whether it is a claim to
// compute the state at any date, and a million events as JSON (with sources and notes) is
// some 130 MB. Here they take 6 bytes each before gzip, in arrays the browser reads without
// parsing (typed arrays over the response's bytes). Sources and notes stay on the server;
// the page asks for a region's events when a reader opens it.
//
// Layout, little-endian:
//
//	"FLT1"                      magic and format version
//	uint32 n                    length of the header
//	n bytes                     header, JSON: compactHeader
//	0-3 zero bytes              padding to a multiple of 4
//	uint32 dayStarts[days+1]    index of the first event on or after each day of the map,
//	                            counted from its start; dayStarts[days] = events
//	uint32 region[events]       index into header.regions
//	uint16 faction[events]      index into header.factions; bit 15 set: claimed
//
// Events are in order of day, then of recording (id): for two events of one region on
// one day, the later one in the arrays is in force, as in the state the server computes.
// Events after the map's end are left out, and events before its start count from its
// first day; neither changes the state at any date the map shows.
const compactMagic = "FLT1"

// compactHeader is the JSON header of the compact timeline.
type compactHeader struct {
	Revision int64    `json:"revision"`
	Start    string   `json:"start"` // the map's first day: dayStarts[0]
	Days     int      `json:"days"`  // days from the start to the end, the end included
	Events   int      `json:"events"`
	Regions  []string `json:"regions"`
	Factions []string `json:"factions"`
}

// claimedBit marks a claimed event in the faction array.
const claimedBit = 1 << 15

// CompactTimeline returns the map's live events in the compact binary form above and the
// revision it encodes.
func (s *Store) CompactTimeline(ctx context.Context, m *Map) ([]byte, int64, error) {
	tl, _, err := s.timeline(ctx, m.Slug)
	if err != nil {
		return nil, 0, err
	}
	b, err := tl.compact(m)
	if err != nil {
		return nil, 0, fmt.Errorf("compact timeline of %q: %w", m.Slug, err)
	}
	return b, tl.revision, nil
}

// LiveEvents returns how many live events a map has, from its in-memory timeline.
func (s *Store) LiveEvents(ctx context.Context, slug string) (int, error) {
	tl, _, err := s.timeline(ctx, slug)
	if err != nil {
		return 0, err
	}
	return len(tl.events), nil
}

func (tl *timeline) compact(m *Map) ([]byte, error) {
	start, end := dayOf(m.Start), dayOf(m.End)
	days := int(end-start) + 1
	if len(tl.factions) >= claimedBit {
		return nil, fmt.Errorf("%d factions: the format holds %d", len(tl.factions), claimedBit-1)
	}
	type entry struct {
		id      int64
		day     int32
		region  uint32
		faction uint16
	}
	all := make([]entry, 0, len(tl.events))
	for r := range tl.regions {
		for _, e := range tl.events[tl.starts[r]:tl.starts[r+1]] {
			if e.day > end {
				continue
			}
			f := e.faction
			if e.claimed {
				f |= claimedBit
			}
			all = append(all, entry{id: e.id, day: max(e.day-start, 0), region: uint32(r), faction: f})
		}
	}
	slices.SortFunc(all, func(a, b entry) int {
		if a.day != b.day {
			return int(a.day - b.day)
		}
		return int(a.id - b.id)
	})

	h := compactHeader{Revision: tl.revision, Start: m.Start, Days: days, Events: len(all),
		Regions: make([]string, len(tl.regions)), Factions: tl.factions}
	if h.Factions == nil {
		h.Factions = []string{}
	}
	for i, r := range tl.regions {
		h.Regions[i] = r.ID
	}
	header, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	pad := (4 - (len(compactMagic)+4+len(header))%4) % 4
	size := len(compactMagic) + 4 + len(header) + pad + 4*(days+1) + 4*len(all) + 2*len(all)
	b := make([]byte, 0, size)
	b = append(b, compactMagic...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(header)))
	b = append(b, header...)
	b = append(b, make([]byte, pad)...)
	next := 0
	for d := 0; d <= days; d++ {
		for next < len(all) && int(all[next].day) < d {
			next++
		}
		b = binary.LittleEndian.AppendUint32(b, uint32(next))
	}
	for _, e := range all {
		b = binary.LittleEndian.AppendUint32(b, e.region)
	}
	for _, e := range all {
		b = binary.LittleEndian.AppendUint16(b, e.faction)
	}
	return b, nil
}
