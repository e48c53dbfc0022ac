package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/frontline-maps/frontline/geo"
)

// Progress is told how far a long step has got: done of total, total -1 when unknown. step
// names the step for a person ("storing").
type Progress func(step string, done, total int)

// progressEvery is how many rows pass between two calls of a Progress.
const progressEvery = 1000

// StepEvents is the step of an import that reads, checks and stores the events of a file
// as it goes (ImportOptions.Events, AppendEventsFrom). Its done and total count bytes of
// the file, not rows, so that the whole file is measured before its rows are counted; when
// the file's size is unknown, done counts events and total is -1.
const StepEvents = "storing events"

// ImportOptions says how ImportFolder stores a map folder.
type ImportOptions struct {
	// Author is recorded as the author of the imported events.
	Author string
	// Replace lets the import replace, whole, a map with the same slug; without it an
	// existing slug is an error.
	Replace bool
	// Progress, when set, follows the simplifying and the storing.
	Progress Progress
	// DiscardEdits lets a replacing import lose what editors did on the website that the
	// new folder lacks; without it such an import is refused (see ErrEditsLost).
	DiscardEdits bool
	// Events, when set, is read for the events instead of the folder's Events: each is
	// stored as soon as it is read and checked, so that a file of any size is imported in
	// little memory. A problem it finds fails the import, whose error is then its Err.
	Events *EventReader
}

// ImportSummary says what an import stored.
type ImportSummary struct {
	Regions, Places, Events int
	// Simplification says how the regions were simplified for display.
	Simplification geo.Simplification
	// GeometryBytes is the size of the regions' geometry as stored, RFC 7946 GeoJSON.
	GeometryBytes int
	// Repairs says which regions' geometry was repaired on reading, and how.
	Repairs []geo.Repaired
	// ContextBytes is the size of the context as stored, clipped and simplified; 0 without.
	ContextBytes int
}

// Import stores a map folder in one transaction: on any error nothing is stored. A map with
// the same slug is an error unless replace is set, in which case it is replaced whole.
// Imported events are recorded with author as their author. See ImportFolder.
func (s *Store) Import(ctx context.Context, f *Folder, author string, replace bool) error {
	_, err := s.ImportFolder(ctx, f, ImportOptions{Author: author, Replace: replace})
	return err
}

// ImportFolder stores a map folder in one transaction, as Import does, and says what it
// stored. The regions are stored simplified for display (geo.SimplifyRegions). The events
// come from opt.Events when set, else from f.Events, and are stored in their order, which
// breaks ties between events of one date. f is not modified, except that its events get
// their ids.
func (s *Store) ImportFolder(ctx context.Context, f *Folder, opt ImportOptions) (ImportSummary, error) {
	m := &f.Map
	progress := opt.Progress
	if progress == nil {
		progress = func(string, int, int) {}
	}
	// A slice's events count on after the regions in the one "storing" step.
	var src eventSource = &sliceSource{events: f.Events, base: len(f.Regions)}
	if opt.Events != nil {
		src = &readerSource{r: opt.Events}
	}
	progress("simplifying regions", 0, -1)
	regions, simplification := geo.SimplifyRegions(f.Regions)
	sum := ImportSummary{Regions: len(regions), Places: len(f.Places), Simplification: simplification, Repairs: geo.RepairSummary(f.Regions)}
	// Encoding before the transaction keeps the write lock for writing only.
	geoms := make([]string, len(regions))
	for i, r := range regions {
		g, err := geo.MarshalGeometry(r.Geometry)
		if err != nil {
			return ImportSummary{}, fmt.Errorf("import map %q: region %q: %w", m.Slug, r.ID, err)
		}
		geoms[i] = string(g)
		sum.GeometryBytes += len(g)
	}
	contextJSON, err := encodeContext(f)
	if err != nil {
		return ImportSummary{}, fmt.Errorf("import map %q: %w", m.Slug, err)
	}
	sum.ContextBytes = len(contextJSON)
	// The rows counted by the "storing" step: events too, unless read from a file (StepEvents).
	total := len(regions)
	if opt.Events == nil {
		total += len(f.Events)
	}
	err = s.importTx(ctx, func(tx *sql.Tx) error {
		// A replacing map's revision starts past the old one's, so that a revision names
		// one content of a slug for good, and caches keyed by slug and revision (the
		// server's state documents) never mistake the new map for the old.
		var revision int64
		if old, rev, err := mapRevision(ctx, tx, m.Slug); err == nil {
			if !opt.Replace {
				// The file's own problems come first, as they did when a folder was
				// read whole before its import began.
				src.drain()
				if err := src.err(); err != nil {
					return err
				}
				return Invalidf("a map with slug %q already exists; import with --replace to replace it", m.Slug)
			}
			if err := keepEdits(ctx, tx, old, opt.Author); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM maps WHERE id = ?`, old); err != nil {
				return fmt.Errorf("delete old map: %w", err)
			}
			revision = rev + 1
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO maps (`+mapColumns+`, created_at, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.Slug, m.Title, m.Description, m.Attribution, m.Start, m.End, m.DefaultDate, m.Initial,
			m.IDProperty, m.NameProperty, m.Locale, m.Calendar, m.TitleI18n, m.DescriptionI18n, now(), revision)
		if err != nil {
			return fmt.Errorf("insert map: %w", err)
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		for i, fa := range m.Factions {
			if _, err := tx.ExecContext(ctx, `INSERT INTO factions (map_id, id, name, color, position, name_i18n) VALUES (?, ?, ?, ?, ?, ?)`,
				id, fa.ID, fa.Name, fa.Color, i, fa.NameI18n); err != nil {
				return fmt.Errorf("insert faction %q: %w", fa.ID, err)
			}
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO regions (map_id, id, name, capital, population, geometry, position) VALUES (?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return fmt.Errorf("prepare region insert: %w", err)
		}
		defer stmt.Close()
		progress("storing", 0, total)
		for i, r := range regions {
			if _, err := stmt.ExecContext(ctx, id, r.ID, r.Name, r.Capital, r.Population, geoms[i], i); err != nil {
				return fmt.Errorf("insert region %q: %w", r.ID, err)
			}
			if (i+1)%progressEvery == 0 {
				progress("storing", i+1, total)
			}
		}
		if err := insertPlaces(ctx, tx, id, f.Places, len(regions)); err != nil {
			return err
		}
		if err := insertContext(ctx, tx, id, contextJSON); err != nil {
			return err
		}
		if opt.Events != nil {
			progress("storing", total, total)
		}
		w, err := newEventWriter(ctx, tx, id, opt.Author)
		if err != nil {
			return err
		}
		defer w.close()
		// With a history file, events.csv is only checked against it: the history is
		// stored, with its authors, retractions and corrections.
		var match *historyMatch
		if f.History != nil {
			match = newHistoryMatch(f.History)
		}
		for {
			e, _ := src.next()
			if e == nil {
				break
			}
			if src.failed() {
				continue // nothing will be stored: read on only for the file's other problems
			}
			if match != nil {
				match.see(e)
			} else if err := w.add(ctx, e); err != nil {
				return err
			}
			sum.Events++
			if sum.Events%progressEvery == 0 {
				progress(src.progress(sum.Events))
			}
		}
		if err := src.err(); err != nil {
			return err
		}
		if err := w.flush(ctx); err != nil {
			return err
		}
		if match != nil {
			if err := match.err(); err != nil {
				return err
			}
			if err := insertHistory(ctx, tx, id, f.History); err != nil {
				return err
			}
		}
		if revision > 0 {
			if err := lostEdits(ctx, tx, id, m.Slug, opt.DiscardEdits); err != nil {
				return err
			}
		}
		progress(src.progress(sum.Events))
		return nil
	})
	if err != nil {
		return ImportSummary{}, fmt.Errorf("import map %q: %w", m.Slug, err)
	}
	return sum, nil
}

// keepEdits notes, before a replacing import deletes the old map, what editors did on it:
// the events they recorded (their author is neither the import's nor the built-in maps')
// that are still live, and the events they retracted. lostEdits compares them with the new
// map once its events are stored.
func keepEdits(ctx context.Context, tx *sql.Tx, old int64, importAuthor string) error {
	for _, q := range []string{
		`CREATE TEMP TABLE IF NOT EXISTS replaced_edits (kind TEXT, region_id TEXT, faction_id TEXT, date TEXT, source TEXT, author TEXT)`,
		`DELETE FROM temp.replaced_edits`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("note editors' changes: %w", err)
		}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO temp.replaced_edits
		SELECT 'recorded', region_id, faction_id, date, source, author FROM events
			WHERE map_id = ?1 AND retracted_at IS NULL AND superseded_by IS NULL AND author NOT IN (?2, ?3)
		UNION ALL
		SELECT 'retracted', region_id, faction_id, date, source, retracted_by FROM events
			WHERE map_id = ?1 AND retracted_at IS NOT NULL AND retracted_by NOT IN (?2, ?3)`,
		old, importAuthor, BuiltinAuthor)
	if err != nil {
		return fmt.Errorf("note editors' changes: %w", err)
	}
	return nil
}

// lostEdits refuses, unless discard, a replacing import whose new map (id) lacks an event
// an editor recorded on the old one (the same change: region, faction, date and source,
// live) or has live again an event an editor retracted, naming how many and by whom.
func lostEdits(ctx context.Context, tx *sql.Tx, id int64, slug string, discard bool) error {
	var recorded, retracted int
	var authors sql.NullString
	err := tx.QueryRowContext(ctx, `WITH lost AS (
			SELECT kind, author FROM temp.replaced_edits r WHERE (kind = 'recorded') = NOT EXISTS (
				SELECT 1 FROM events e WHERE e.map_id = ? AND e.region_id = r.region_id AND e.date = r.date
					AND e.faction_id = r.faction_id AND e.source = r.source
					AND e.retracted_at IS NULL AND e.superseded_by IS NULL))
		SELECT count(*) FILTER (WHERE kind = 'recorded'), count(*) FILTER (WHERE kind = 'retracted'),
			(SELECT group_concat(author, ', ') FROM (SELECT DISTINCT author FROM lost ORDER BY author))
		FROM lost`, id).Scan(&recorded, &retracted, &authors)
	if err != nil {
		return fmt.Errorf("compare editors' changes: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE temp.replaced_edits`); err != nil {
		return fmt.Errorf("compare editors' changes: %w", err)
	}
	if recorded+retracted == 0 || discard {
		return nil
	}
	var what []string
	if recorded > 0 {
		what = append(what, plural(recorded, "event recorded", "events recorded"))
	}
	if retracted > 0 {
		what = append(what, plural(retracted, "retraction", "retractions"))
	}
	return Invalidf("replacing map %q would lose %s by editors on the website (%s) that the new folder lacks: "+
		"export the map first (frontline export --map %s --out DIR) and work from that folder, or import with --discard-edits to lose them",
		slug, strings.Join(what, " and "), authors.String, slug)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// DuplicateError is AppendEvents refusing events that repeat live events of the map.
type DuplicateError struct {
	// Index holds the position of each repeating event among those appended, from 0, and
	// Existing the id of the live event it repeats.
	Index    []int
	Existing []int64
	// Line holds, for events read from a file (AppendEventsFrom), the line on which each
	// repeating event starts.
	Line []int
}

func (e *DuplicateError) Error() string {
	lines := make([]string, len(e.Index))
	for k, i := range e.Index {
		lines[k] = fmt.Sprintf("event %d is already recorded as event %d (same region, faction, date and source)", i+1, e.Existing[k])
	}
	return strings.Join(lines, "\n")
}

// maxDuplicates bounds a DuplicateError: past it, the whole file was most likely imported
// before, and a longer list does not help.
const maxDuplicates = 20

// AppendEvents adds events to the map with the given slug in one transaction: on any error
// none is added. The caller has checked them with CheckEvent against the map. As Record
// does, it refuses an event identical in region, faction, date and source to a live event
// already recorded on the map, with a *DuplicateError, so that importing one file twice is
// an error rather than a doubled history.
func (s *Store) AppendEvents(ctx context.Context, slug string, events []Event, author string, progress Progress) error {
	_, err := s.appendEvents(ctx, slug, &sliceSource{events: events}, author, progress)
	return err
}

// AppendEventsFrom adds the events of an events file to the map with the given slug, as
// AppendEvents does, storing each as soon as it is read and checked, so that a file of any
// size takes little memory. r is read against the map and its regions (NewEventReader). It
// returns how many events it added. Any problem of the file (r.Err) or any repeat
// (a *DuplicateError naming the lines) adds nothing; the file's problems come first.
func (s *Store) AppendEventsFrom(ctx context.Context, slug string, r *EventReader, author string, progress Progress) (int, error) {
	return s.appendEvents(ctx, slug, &readerSource{r: r}, author, progress)
}

func (s *Store) appendEvents(ctx context.Context, slug string, src eventSource, author string, progress Progress) (int, error) {
	if progress == nil {
		progress = func(string, int, int) {}
	}
	n := 0
	err := s.importTx(ctx, func(tx *sql.Tx) error {
		mid, err := mapID(ctx, tx, slug)
		if err != nil {
			return err
		}
		// Only events recorded before this call count: repeats within events are let be, as
		// in a map folder's events.csv. So the database, not a set of the events read,
		// answers for repeats, however far apart the file holds them.
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM events`).Scan(&last); err != nil {
			return fmt.Errorf("find last event: %w", err)
		}
		find, err := tx.PrepareContext(ctx, `SELECT id FROM events WHERE map_id = ? AND region_id = ? AND date = ?
			AND faction_id = ? AND source = ? AND `+live+` AND id <= ? LIMIT 1`)
		if err != nil {
			return fmt.Errorf("prepare duplicate search: %w", err)
		}
		defer find.Close()
		w, err := newEventWriter(ctx, tx, mid, author)
		if err != nil {
			return err
		}
		defer w.close()
		var dups DuplicateError
		var recorded *changeSet // built once the events are many enough to pay for it
		progress(src.progress(0))
		for i := 0; ; i++ {
			e, line := src.next()
			if e == nil {
				break
			}
			// A few events are looked up one by one; past them, the file is large
			// and the recorded changes are read once.
			if i == progressEvery {
				if recorded, err = recordedChanges(ctx, tx, mid, last); err != nil {
					return err
				}
			}
			var existing int64
			err := sql.ErrNoRows
			if recorded == nil || recorded.has(e) {
				err = find.QueryRowContext(ctx, mid, e.Region, e.Date, e.Faction, e.Source, last).Scan(&existing)
			}
			switch {
			case err == nil:
				dups.Index, dups.Existing = append(dups.Index, i), append(dups.Existing, existing)
				if line > 0 {
					dups.Line = append(dups.Line, line)
				}
				if len(dups.Index) >= maxDuplicates {
					// A file's own problems come before repeats, as when it was read
					// whole before anything was stored.
					src.drain()
					if err := src.err(); err != nil {
						return err
					}
					return &dups
				}
				continue
			case !errors.Is(err, sql.ErrNoRows):
				return fmt.Errorf("look for duplicates: %w", err)
			}
			if src.failed() {
				continue // nothing will be stored: read on only for the file's other problems
			}
			if err := w.add(ctx, e); err != nil {
				return err
			}
			n++
			if (i+1)%progressEvery == 0 {
				progress(src.progress(i + 1))
			}
		}
		if err := src.err(); err != nil {
			return err
		}
		if len(dups.Index) > 0 {
			return &dups
		}
		if err := w.flush(ctx); err != nil {
			return err
		}
		progress(src.progress(n))
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("append events to map %q: %w", slug, err)
	}
	return n, nil
}

// importCacheKiB is the page cache of an import's connection, in KiB. SQLite's default,
// 2 MB, is far smaller than the indexes a large import adds to, so it spilled pages to the
// WAL and read them back for every few rows. The cache fills only as far as an import
// needs, and is given back when it ends; it costs about twice its size in memory, as each
// page is allocated with room to spare.
const importCacheKiB = 32 << 10

// importTx runs fn in a transaction, as inTx does, on a connection set up for large writes
// for the while: importCacheKiB of page cache, and temporary files in memory. Every event
// inserted fires a trigger (the map's revision), so SQLite journals each INSERT statement
// apart in case it fails halfway; on disk that journal cost a write system call per page,
// more than half the time of a large import. In memory it holds one statement's pages at a
// time: a few kilobytes.
func (s *Store) importTx(ctx context.Context, fn func(*sql.Tx) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	for _, p := range []struct{ name, value string }{{"cache_size", strconv.Itoa(-importCacheKiB)}, {"temp_store", "MEMORY"}} {
		var old string
		if err := conn.QueryRowContext(ctx, `PRAGMA `+p.name).Scan(&old); err != nil {
			return fmt.Errorf("read pragma %s: %w", p.name, err)
		}
		if _, err := conn.ExecContext(ctx, `PRAGMA `+p.name+` = `+p.value); err != nil {
			return fmt.Errorf("set pragma %s: %w", p.name, err)
		}
		// The connection goes back to the pool as it came.
		defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA `+p.name+` = `+old)
	}
	return s.runTx(ctx, conn, fn)
}

// changeSet is a compact set of changes, each an event's region, faction, date and source,
// which make two events the same change: it holds a hash of each, 8 bytes a change. A
// hash says only that an event may be in the set; the database says whether it is.
type changeSet struct {
	seed   maphash.Seed
	hashes []uint64 // sorted
}

// recordedChanges returns the changes of the live events of a map, up to event last.
// Looking an appended event up in the database costs some 30µs, reading a recorded event
// into the set some 1.2µs: the set pays for itself once the events appended are more than
// a small part of those recorded, and asking the database about the few events it may
// hold keeps the answer exact.
func recordedChanges(ctx context.Context, tx *sql.Tx, mapID, last int64) (*changeSet, error) {
	set := &changeSet{seed: maphash.MakeSeed()}
	rows, err := tx.QueryContext(ctx, `SELECT region_id, faction_id, date, source FROM events WHERE map_id = ? AND `+live+` AND id <= ?`, mapID, last)
	if err != nil {
		return nil, fmt.Errorf("read recorded changes: %w", err)
	}
	defer rows.Close()
	var region, faction, date, source sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&region, &faction, &date, &source); err != nil {
			return nil, fmt.Errorf("read recorded changes: %w", err)
		}
		var h maphash.Hash
		h.SetSeed(set.seed)
		for _, f := range [...][]byte{region, faction, date, source} {
			h.Write(f)
			h.WriteByte(0)
		}
		set.hashes = append(set.hashes, h.Sum64())
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read recorded changes: %w", err)
	}
	slices.Sort(set.hashes)
	return set, nil
}

// has reports whether the set may hold e's change. The fields are hashed as in
// recordedChanges, each followed by a zero byte; where a field itself holds one, two
// changes may share a hash, which costs only a query.
func (s *changeSet) has(e *Event) bool {
	var h maphash.Hash
	h.SetSeed(s.seed)
	for _, f := range [...]string{e.Region, e.Faction, e.Date, e.Source} {
		h.WriteString(f)
		h.WriteByte(0)
	}
	_, found := slices.BinarySearch(s.hashes, h.Sum64())
	return found
}

// eventSource is where an import's events come from, one at a time: a slice in memory, or a
// file read and checked as it is stored.
type eventSource interface {
	// next returns the next event and the line of its file on which it starts (0 for a
	// slice), or nil after the last.
	next() (e *Event, line int)
	// failed reports whether the source found a problem in its input; err returns it.
	failed() bool
	err() error
	// drain reads to the end, for the input's problems.
	drain()
	// progress says how far the source has got after n events, as a Progress is told.
	progress(n int) (step string, done, total int)
}

// sliceSource hands out the events of a slice, which were checked when they were read.
type sliceSource struct {
	events []Event
	i      int
	base   int // rows counted before the events in the "storing" step
}

func (s *sliceSource) next() (*Event, int) {
	if s.i == len(s.events) {
		return nil, 0
	}
	s.i++
	return &s.events[s.i-1], 0
}

func (s *sliceSource) failed() bool { return false }
func (s *sliceSource) err() error   { return nil }
func (s *sliceSource) drain()       {}
func (s *sliceSource) progress(n int) (string, int, int) {
	return "storing", s.base + n, s.base + len(s.events)
}

// readerSource hands out the good events of an EventReader; only the current one is held.
type readerSource struct {
	r   *EventReader
	cur Event
}

func (s *readerSource) next() (*Event, int) {
	e, line, ok := s.r.Next()
	if !ok {
		return nil, 0
	}
	s.cur = e
	return &s.cur, line
}

func (s *readerSource) failed() bool { return s.r.failed() }
func (s *readerSource) err() error   { return s.r.Err() }
func (s *readerSource) drain()       { s.r.drain() }
func (s *readerSource) progress(n int) (string, int, int) {
	done, total := s.r.progress(n)
	return StepEvents, done, total
}

// eventBatch is how many events one INSERT statement stores. With one statement per event,
// starting, journaling and ending each statement cost about as much as storing the row.
const eventBatch = 100

// insertColumns are the columns of an event an import fills, insertColumnCount of them.
const (
	insertColumns     = `map_id, region_id, faction_id, date, source, note, confidence, author, created_at`
	insertColumnCount = 9
)

// eventWriter inserts many events, eventBatch to a statement. They share an author and a
// creation time, that of the import; their ids follow the order in which they were added,
// which breaks ties between events of one date.
type eventWriter struct {
	one, batch *sql.Stmt
	mapID      int64
	author     string
	created    string
	createdAt  time.Time
	// rows are the events added and not yet stored, copied, as a source may reuse its
	// Event; targets are where they came from, to be given their ids.
	rows    []Event
	targets []*Event
	args    []any
}

func newEventWriter(ctx context.Context, tx *sql.Tx, mapID int64, author string) (*eventWriter, error) {
	one, err := tx.PrepareContext(ctx, `INSERT INTO events (`+insertColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, fmt.Errorf("prepare event insert: %w", err)
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", insertColumnCount), ", ") + ")"
	batch, err := tx.PrepareContext(ctx, `INSERT INTO events (`+insertColumns+`) VALUES `+
		strings.TrimSuffix(strings.Repeat(row+", ", eventBatch), ", "))
	if err != nil {
		one.Close()
		return nil, fmt.Errorf("prepare event batch insert: %w", err)
	}
	created := now()
	return &eventWriter{one: one, batch: batch, mapID: mapID, author: author, created: created, createdAt: parseTime(created),
		rows: make([]Event, 0, eventBatch), targets: make([]*Event, 0, eventBatch), args: make([]any, 0, eventBatch*insertColumnCount)}, nil
}

// add records e, storing it with the events added before it once there are eventBatch of
// them; flush stores the rest. When e is stored it gets its id, author and creation time.
func (w *eventWriter) add(ctx context.Context, e *Event) error {
	w.rows, w.targets = append(w.rows, *e), append(w.targets, e)
	if len(w.rows) < eventBatch {
		return nil
	}
	return w.flush(ctx)
}

// flush stores the events added and not yet stored.
func (w *eventWriter) flush(ctx context.Context) error {
	defer func() { w.rows, w.targets = w.rows[:0], w.targets[:0] }()
	if len(w.rows) < eventBatch {
		for i := range w.rows {
			if err := w.insertOne(ctx, i); err != nil {
				return err
			}
		}
		return nil
	}
	w.args = w.args[:0]
	for _, e := range w.rows {
		w.args = append(w.args, w.mapID, e.Region, e.Faction, e.Date, e.Source, e.Note, e.Confidence, w.author, w.created)
	}
	res, err := w.batch.ExecContext(ctx, w.args...)
	if err != nil {
		// The failed statement stored none of the batch: one event at a time, the error
		// names the event at fault, as it did before events were batched.
		for i := range w.rows {
			if err := w.insertOne(ctx, i); err != nil {
				return err
			}
		}
		return fmt.Errorf("insert %d events: %w", len(w.rows), err)
	}
	last, err := res.LastInsertId()
	if err != nil {
		return err
	}
	// One statement's rows get consecutive ids, the last one's last: a new row's id is one
	// past the largest in the table.
	for i, e := range w.targets {
		e.ID, e.Author, e.CreatedAt = last-int64(len(w.targets)-1-i), w.author, w.createdAt
	}
	return nil
}

// insertOne stores the i-th pending event alone.
func (w *eventWriter) insertOne(ctx context.Context, i int) error {
	e := &w.rows[i]
	res, err := w.one.ExecContext(ctx, w.mapID, e.Region, e.Faction, e.Date, e.Source, e.Note, e.Confidence, w.author, w.created)
	if err != nil {
		return fmt.Errorf("insert event for %q on %s: %w", e.Region, e.Date, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	w.targets[i].ID, w.targets[i].Author, w.targets[i].CreatedAt = id, w.author, w.createdAt
	return nil
}

func (w *eventWriter) close() {
	w.one.Close()
	w.batch.Close()
}

// insertEvent records e, setting its id, author and creation time.
func insertEvent(ctx context.Context, tx *sql.Tx, mapID int64, e *Event, author string) error {
	created := now()
	res, err := tx.ExecContext(ctx, `
		INSERT INTO events (map_id, region_id, faction_id, date, source, note, confidence, author, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		mapID, e.Region, e.Faction, e.Date, e.Source, e.Note, e.Confidence, author, created)
	if err != nil {
		return fmt.Errorf("insert event for %q on %s: %w", e.Region, e.Date, err)
	}
	if e.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	e.Author, e.CreatedAt = author, parseTime(created)
	return nil
}

// HasMaps reports whether the database holds any map.
func (s *Store) HasMaps(ctx context.Context) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM maps`).Scan(&n); err != nil {
		return false, fmt.Errorf("count maps: %w", err)
	}
	return n > 0, nil
}
