package data

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the database to path while the server keeps running:
// VACUUM INTO reads one snapshot of the database (WAL readers do not block writers), and
// the copy is a plain, compact SQLite file that opens on its own. path must not exist.
func (s *Store) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return Invalidf("%s already exists; back up to a new file", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	// Made empty first with mode 0600, which VACUUM INTO keeps: a backup holds the
	// password hashes the database does. O_EXCL: nothing there is ever written over.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	f.Close()
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		os.Remove(path) // a half-written copy is worse than none
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// IntegrityCheck runs SQLite's integrity check and returns its verdict, "ok" when sound.
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	var verdict string
	if err := s.db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&verdict); err != nil {
		return "", fmt.Errorf("integrity check: %w", err)
	}
	return verdict, nil
}
