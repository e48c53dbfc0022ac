package data

import (
	"context"
	"fmt"
)

// CheckWritable tells whether the database would take a write now: it takes SQLite's write
// lock (the pool's transactions begin IMMEDIATE) and lets it go without writing, so a
// readiness probe neither grows the WAL nor sends anything to a replica. A full disk, a
// read-only file or a writer holding the lock past ctx's deadline are errors.
func (s *Store) CheckWritable(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("database not writable: %w", err)
	}
	if err := tx.Rollback(); err != nil {
		return fmt.Errorf("database not writable: %w", err)
	}
	return nil
}
