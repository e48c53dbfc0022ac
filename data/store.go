package data

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is Frontline's SQLite database.
type Store struct {
	db *sql.DB
	// timelines caches each map's live events in memory for the state at any date.
	timelines timelines
	// writes counts the transactions committed through this Store (see Writes).
	writes atomic.Uint64
}

// Open opens (creating if needed) the SQLite database at path and brings its schema up to date.
// A new database file is made readable by its owner only: it holds password hashes.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	return open(ctx, path)
}

// OpenExisting opens the database at path as Open does, but refuses when there is no file
// there: a command acting on a database must not make an empty one of a mistyped --db.
func OpenExisting(ctx context.Context, path string) (*Store, error) {
	info, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, Invalidf("database %s does not exist: check --db (frontline serve creates one)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if info.IsDir() {
		return nil, Invalidf("%s is a directory, not a database: check --db", path)
	}
	return open(ctx, path)
}

// createPrivate creates an empty file at path with mode 0600 unless something is there.
// SQLite gives its -wal and -shm files the database file's mode, so they are private too.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open database %s: %w", path, err)
	}
	return f.Close()
}

// DSN is the data source name that opens the file at path exactly: as a file: URI, so
// the path is escaped ("#" and "?" are part of a file name, not a fragment or query) and
// the pragmas follow as parameters that every pooled connection applies.
func DSN(path string, pragmas ...string) string {
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	u := url.URL{Scheme: "file", Opaque: (&url.URL{Path: path}).EscapedPath(), RawQuery: q.Encode()}
	return u.String()
}

func open(ctx context.Context, path string) (*Store, error) {
	// Pragmas go in the DSN so that every pooled connection gets them, not just the first.
	dsn := DSN(path, "foreign_keys(1)", "busy_timeout(5000)", "journal_mode(WAL)", "synchronous(NORMAL)") + "&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	s := &Store{db: db, timelines: timelines{maps: map[int64]*timeline{}}}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate database %s: %w", path, err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// migrate runs, each in its own transaction, the embedded migrations the database has not
// seen. It reads first which have run, without a write lock: a command started while an
// import holds the lock waits only when it has a migration to apply.
func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	applied, err := s.appliedMigrations(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
			return fmt.Errorf("create migrations table: %w", err)
		}
	}
	for _, name := range names {
		if applied[name] {
			continue
		}
		if err := s.migrateOne(ctx, name); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// appliedMigrations returns the names of the migrations run, none in a new database.
func (s *Store) appliedMigrations(ctx context.Context) (map[string]bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'migrations'`).Scan(&n); err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	applied := map[string]bool{}
	if n == 0 {
		return applied, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM migrations`)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		applied[name] = true
	}
	return applied, rows.Err()
}

func (s *Store) migrateOne(ctx context.Context, name string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`, name, now())
		return err
	})
}

// inTx runs fn in a transaction, committing when it returns nil and rolling back otherwise.
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	return s.runTx(ctx, s.db, fn)
}

// txBeginner is the pool (*sql.DB) or one connection of it (*sql.Conn).
type txBeginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// runTx is inTx on a given pool or connection: an import runs on a connection it has
// tuned for the time being.
func (s *Store) runTx(ctx context.Context, db txBeginner, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	s.writes.Add(1)
	return nil
}

// Writes counts the write transactions committed through this Store. Caches in this process
// compare it, at the cost of an atomic load, to know that nothing was written through the
// Store since they last asked the database; writes by other processes it cannot see.
func (s *Store) Writes() uint64 { return s.writes.Load() }

// now is the time format stored in created_at columns: UTC, sortable as text.
func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// IsBusy reports whether err is SQLite's "database is locked": another connection or
// process (an import) held the write lock for longer than the busy timeout. Nothing was
// written; the same write can be tried again.
func IsBusy(err error) bool {
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		switch coded.Code() & 0xff {
		case sqliteBusy, sqliteLocked:
			return true
		}
	}
	return false
}

// SQLite's primary result codes for a lock not obtained.
const (
	sqliteBusy   = 5
	sqliteLocked = 6
)
