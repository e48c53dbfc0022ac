package data

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

// TestBackupWhileWriting copies the database while an editor keeps recording events: the
// copy opens, passes the integrity check, and holds a prefix of the writes.
func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	importTest(t, s, "")
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			e := Event{Region: "R1", Faction: "reb", Date: "2021-01-05", Source: fmt.Sprintf("https://example.org/%d", i), Confidence: Confirmed}
			if err := s.Record(ctx, "test", &e, "writer", 0); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	out := filepath.Join(t.TempDir(), "backup.db")
	err := s.Backup(ctx, out)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	copy := openStoreAt(t, out)
	if v, err := copy.IntegrityCheck(ctx); err != nil || v != "ok" {
		t.Fatalf("integrity of the copy: %q, %v", v, err)
	}
	if _, err := copy.Map(ctx, "test"); err != nil {
		t.Errorf("the copy lacks the map: %v", err)
	}
	if err := s.Backup(ctx, out); err == nil {
		t.Error("a backup over an existing file succeeded")
	}
}
