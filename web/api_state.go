package web

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// cacheState is how long browsers and caches keep a state document: an editor's change
// reaches every reader behind a cache within this time, and a cache in front of a viral
// embed asks this server about each date at most once per period (revalidating by ETag).
const cacheState = "public, max-age=10"

// stateRecheck is how long the server trusts the revision it last read of a map before it
// reads it again. Writes through this server's own store are seen at once (data.Store's
// Writes); this bounds how late a write by another process (`frontline import events` while
// serving) shows, and spares the hottest endpoint a database query per request.
const stateRecheck = 250 * time.Millisecond

// maxStateBytes bounds the encoded state documents kept in memory; past it the cache starts
// over. A document of 5,000 regions is about 100 kB with its gzipped copy.
const maxStateBytes = 64 << 20

// apiState serves GET /api/maps/{slug}/state?date=D:
// {"date": D, "regions": {id: faction}, "counts": {faction: n}}. It is the hottest read
// (embeds and scripts poll it; a viral embed brings many readers), so each date's document
// is kept encoded, and gzipped, with its ETag, until the map's revision changes: a request
// for a date asked before costs no database query and no encoding.
func (s *Server) apiState(c echo.Context) error {
	slug, err := param(c, "slug")
	if err != nil {
		return err
	}
	if strings.Contains(c.Request().URL.RawQuery, "compare") {
		return s.apiStateCompared(c, slug)
	}
	doc, err := s.states.document(c.Request().Context(), slug, dateQuery(c))
	if err != nil {
		return err
	}
	return doc.write(c, cacheState)
}

// dateQuery returns the request's date parameter as c.QueryParam("date") would. A query with
// nothing to unescape (every one a page or script sends) is read where it is, which spares
// the hottest endpoint parsing the whole query into a map.
func dateQuery(c echo.Context) string {
	raw := c.Request().URL.RawQuery
	if strings.ContainsAny(raw, "%+;") {
		return c.QueryParam("date")
	}
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if k, v, _ := strings.Cut(pair, "="); k == "date" {
			return v
		}
	}
	return ""
}

// apiStateBody is the contract's state document, which appendState writes.
type apiStateBody struct {
	Date    string            `json:"date"`
	Regions map[string]string `json:"regions"`
	Counts  map[string]int    `json:"counts"`
}

// stateStore is what the state cache reads.
type stateStore interface {
	Map(ctx context.Context, slug string) (*data.Map, error)
	Revision(ctx context.Context, slug string) (int64, error)
	Holders(ctx context.Context, m *data.Map, date string) (data.Holders, error)
	Writes() uint64
}

// stateCache keeps, per map, the map as last read and the encoded state documents of its
// current revision, by date. A map's revision never repeats, not even across a replacing
// import, so a document stays right as long as the revision it was made from is current.
type stateCache struct {
	store stateStore
	mu    sync.Mutex
	maps  map[string]*stateMap
	bytes int // encoded bytes held in documents
	// running holds the documents being computed, so that many readers asking for the same
	// date at once (the first requests after an edit) wait for one computation.
	running map[stateKey]*stateCall
	// hits counts documents answered without a query (kept, or computed for another
	// request at the same time), misses those computed: the metrics read both.
	hits, misses atomic.Uint64
}

func newStateCache(store stateStore) *stateCache {
	return &stateCache{store: store, maps: map[string]*stateMap{}, running: map[stateKey]*stateCall{}}
}

// stateMap is one map's entry in the cache.
type stateMap struct {
	m        *data.Map
	revision int64
	// checked is when revision was read from the database, and writes the store's count of
	// its own writes then: the entry is current while neither has moved on.
	checked time.Time
	writes  uint64
	docs    map[string]*body // by date
}

type stateKey struct {
	slug, date string
	revision   int64
}

type stateCall struct {
	done chan struct{}
	doc  *body
	err  error
}

// document returns the state document of the map slug at the date query (empty: the map's
// default date).
func (c *stateCache) document(ctx context.Context, slug, query string) (*body, error) {
	sm, err := c.current(ctx, slug)
	if err != nil {
		return nil, err
	}
	if query != "" {
		// A date with a document passed ParseDate when the document was made: the same
		// map, so the same range.
		c.mu.Lock()
		doc := sm.docs[query]
		c.mu.Unlock()
		if doc != nil {
			c.hits.Add(1)
			return doc, nil
		}
	}
	date, err := sm.m.ParseDate(query)
	if err != nil {
		return nil, err
	}
	key := stateKey{slug, date, sm.revision}
	c.mu.Lock()
	if doc := sm.docs[date]; doc != nil {
		c.mu.Unlock()
		c.hits.Add(1)
		return doc, nil
	}
	if call := c.running[key]; call != nil {
		c.mu.Unlock()
		c.hits.Add(1)
		select {
		case <-call.done:
			return call.doc, call.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	call := &stateCall{done: make(chan struct{})}
	c.running[key] = call
	c.mu.Unlock()
	c.misses.Add(1)

	h, err := c.store.Holders(ctx, sm.m, date)
	if err == nil {
		call.doc = newBody(echo.MIMEApplicationJSON, appendState(nil, date, sm.m, h)).gzipped(gzip.BestSpeed)
	}
	call.err = err
	c.mu.Lock()
	delete(c.running, key)
	switch {
	case err != nil:
	case h.Revision != sm.revision || c.maps[slug] != sm:
		// The map changed while this was computed: the document answers this request, and
		// the next one reads the revision again.
		if c.maps[slug] == sm {
			sm.checked = time.Time{}
		}
	default:
		if n := call.doc.size(); c.bytes+n > maxStateBytes {
			for _, other := range c.maps {
				clear(other.docs)
			}
			c.bytes = 0
		}
		sm.docs[date] = call.doc
		c.bytes += call.doc.size()
	}
	c.mu.Unlock()
	close(call.done)
	return call.doc, err
}

// revision is the map's current revision, as the state documents are kept by: read again
// from the database only when this process wrote or a moment has passed (stateRecheck).
func (c *stateCache) revision(ctx context.Context, slug string) (int64, error) {
	sm, err := c.current(ctx, slug)
	if err != nil {
		return 0, err
	}
	return sm.revision, nil
}

// current returns the map's entry, reading its revision again when the entry may be out of
// date, and the map itself when the revision moved on.
func (c *stateCache) current(ctx context.Context, slug string) (*stateMap, error) {
	writes := c.store.Writes()
	c.mu.Lock()
	sm := c.maps[slug]
	if sm != nil && sm.writes == writes && time.Since(sm.checked) < stateRecheck {
		c.mu.Unlock()
		return sm, nil
	}
	c.mu.Unlock()

	checked := time.Now()
	rev, err := c.store.Revision(ctx, slug)
	if err != nil {
		return nil, err
	}
	if sm != nil && sm.revision == rev {
		c.mu.Lock()
		if c.maps[slug] == sm {
			sm.checked, sm.writes = checked, writes
		}
		c.mu.Unlock()
		return sm, nil
	}
	// Read after the revision: should the map be replaced in between, the documents made
	// from the new map carry a revision this entry does not have, and are not kept.
	m, err := c.store.Map(ctx, slug)
	if err != nil {
		return nil, err
	}
	fresh := &stateMap{m: m, revision: rev, checked: checked, writes: writes, docs: map[string]*body{}}
	c.mu.Lock()
	if old := c.maps[slug]; old != nil {
		for _, doc := range old.docs {
			c.bytes -= doc.size()
		}
	}
	c.maps[slug] = fresh
	c.mu.Unlock()
	return fresh, nil
}

// appendState appends the contract's state document to b, byte for byte what encoding/json
// writes for an apiStateBody (whose maps' keys it sorts), without building the maps: h lists
// the regions already sorted by id.
func appendState(b []byte, date string, m *data.Map, h data.Holders) []byte {
	// A map has a handful of factions: a list searched in order beats a map here.
	type count struct {
		faction string
		n       int
	}
	counts := make([]count, len(m.Factions), len(m.Factions)+1)
	for i, f := range m.Factions {
		counts[i].faction = f.ID
	}
	last := 0 // neighbours often share a holder
	b = append(b, `{"date":`...)
	b = appendJSONString(b, date)
	b = append(b, `,"regions":{`...)
	for i, id := range h.Regions {
		if i > 0 {
			b = append(b, ',')
		}
		f := h.Factions[i]
		b = appendJSONString(b, id)
		b = append(b, ':')
		b = appendJSONString(b, f)
		if last >= len(counts) || counts[last].faction != f {
			last = slices.IndexFunc(counts, func(c count) bool { return c.faction == f })
			if last < 0 {
				last = len(counts)
				counts = append(counts, count{faction: f})
			}
		}
		counts[last].n++
	}
	// Places hold factions as regions do; counts stay counts of regions. A map without
	// places has no "places", so its document is as it was before places existed.
	for i, id := range h.Places {
		if i == 0 {
			b = append(b, `},"places":{`...)
		} else {
			b = append(b, ',')
		}
		b = appendJSONString(b, id)
		b = append(b, ':')
		b = appendJSONString(b, h.PlaceFactions[i])
	}
	b = append(b, `},"counts":{`...)
	slices.SortFunc(counts, func(a, b count) int { return strings.Compare(a.faction, b.faction) })
	for i, c := range counts {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, c.faction)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(c.n), 10)
	}
	return append(b, "}}"...)
}

// appendJSONString appends s as encoding/json writes it. Ids and dates are nearly always
// plain ASCII, copied as they are; anything else goes through encoding/json, which knows
// its escapes (HTML characters, invalid UTF-8, U+2028).
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
