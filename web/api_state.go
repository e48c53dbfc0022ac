package web

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/frontline-maps/frontline/data"
)

// apiStateBody is the contract's state document.
type apiStateBody struct {
	Date    string            `json:"date"`
	Regions map[string]string `json:"regions"`
	Counts  map[string]int    `json:"counts"`
}

// apiState serves GET /api/maps/{slug}/state?date=D. It is the hottest read (embeds poll
// it, and a viral embed brings many readers), so each date's answer is kept encoded,
// with its ETag, until the map's revision changes: a request then costs one indexed
// lookup of the revision.
func (s *Server) apiState(c echo.Context) error {
	ctx := c.Request().Context()
	m, err := s.mapParam(c)
	if err != nil {
		return err
	}
	date, err := m.ParseDate(c.QueryParam("date"))
	if err != nil {
		return err
	}
	rev, err := s.store.Revision(ctx, m.Slug)
	if err != nil {
		return err
	}
	key := m.Slug + "\x00" + date
	if r, ok := s.states.get(key, rev); ok {
		return writeWithETag(c, echo.MIMEApplicationJSON, cacheShort, r.body, r.etag)
	}
	holders, rev, err := s.store.Holders(ctx, m, date)
	if err != nil {
		return err
	}
	out := apiStateBody{Date: date, Regions: holders, Counts: counts(m, holders)}
	body, err := json.Marshal(out)
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	r := s.states.put(key, rev, body)
	return writeWithETag(c, echo.MIMEApplicationJSON, cacheShort, r.body, r.etag)
}

// counts returns how many regions each faction holds, every faction of m present.
func counts(m *data.Map, holders map[string]string) map[string]int {
	n := make(map[string]int, len(m.Factions))
	for _, f := range m.Factions {
		n[f.ID] = 0
	}
	for _, f := range holders {
		n[f]++
	}
	return n
}

// stateCache keeps encoded state documents by map and date, each valid for one revision.
type stateCache struct {
	mu    sync.Mutex
	items map[string]cachedState
}

type cachedState struct {
	revision int64
	body     []byte
	etag     string
}

// maxCachedStates bounds the cache: a map has a few hundred dates at most, and a server a
// handful of maps; past this the cache starts over rather than grow without bound.
const maxCachedStates = 10000

func (c *stateCache) get(key string, rev int64) (cachedState, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.items[key]
	return r, ok && r.revision == rev
}

func (c *stateCache) put(key string, rev int64, body []byte) cachedState {
	r := cachedState{revision: rev, body: body, etag: etagOf(body)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.items) >= maxCachedStates {
		clear(c.items)
	}
	c.items[key] = r
	return r
}
