package data

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOpenUsesThePathExactly: a path with "#", "?" or "%" in it names the file opened,
// not a shorter one, and a new database (and its write-ahead log) is private to its owner.
func TestOpenUsesThePathExactly(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"a#b.db", "what?.db", "100%.db", "sp ace.db", "x?_pragma=journal_mode(DELETE).db"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, name)
			s, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.CreateUser(ctx, "alice", "correct horse battery"); err != nil {
				t.Fatal(err)
			}
			s.Close()
			entries, _ := os.ReadDir(dir)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
				info, _ := e.Info()
				if perm := info.Mode().Perm(); perm&0o077 != 0 {
					t.Errorf("%s has mode %v, readable by others", e.Name(), perm)
				}
			}
			if len(names) == 0 || names[0] != name {
				t.Errorf("files = %q, want %q", names, name)
			}
		})
	}
}

// TestOpenExistingRefusesAMissingFile: commands on an existing database do not create one.
func TestOpenExistingRefusesAMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "typo.db")
	_, err := OpenExisting(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), "database "+path+" does not exist") {
		t.Errorf("err = %v, want database %s does not exist", err, path)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the missing database was created: %v", err)
	}
}

// TestOpenTakesNoWriteLock: with no migration pending, opening a database while another
// process holds its write lock (an import) neither waits for it nor fails.
func TestOpenTakesNoWriteLock(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "busy.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	other, err := sql.Open("sqlite", DSN(path, "busy_timeout(5000)"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, `ROLLBACK`)
	start := time.Now()
	s, err = OpenExisting(ctx, path)
	if err != nil {
		t.Fatalf("open while another holds the write lock: %v", err)
	}
	defer s.Close()
	if took := time.Since(start); took > time.Second {
		t.Errorf("open took %v: it waited for the write lock", took)
	}
	if _, err := s.Users(ctx); err != nil {
		t.Errorf("read while another holds the write lock: %v", err)
	}
}
