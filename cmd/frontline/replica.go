package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/benbjohnson/litestream"
	"github.com/benbjohnson/litestream/file"
	_ "github.com/benbjohnson/litestream/s3"   // registers s3:// replicas
	_ "github.com/benbjohnson/litestream/sftp" // registers sftp:// replicas
	"github.com/superfly/ltx"
)

// replicaSchemes are the replica URLs the contract names; Litestream knows more, which
// Frontline does not promise.
const replicaHelp = "file:///srv/replica (or a plain directory path), sftp://user@host/path or s3://bucket/path"

// replicaClient returns the Litestream client of a --replica value: a directory path, a
// file:// URL, sftp:// or s3:// (an S3-compatible store's endpoint comes from the
// environment, LITESTREAM_S3_ENDPOINT, or the URL's ?endpoint=).
func replicaClient(raw string) (litestream.ReplicaClient, error) {
	if raw == "" {
		return nil, fmt.Errorf("--replica is required: %s", replicaHelp)
	}
	if !strings.Contains(raw, "://") {
		dir, err := filepath.Abs(raw)
		if err != nil {
			return nil, fmt.Errorf("replica directory %q: %w", raw, err)
		}
		return file.NewReplicaClient(dir), nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("replica %q: %v; want %s", raw, err, replicaHelp)
	}
	switch u.Scheme {
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return nil, fmt.Errorf("replica %q: a file URL names a directory on this machine, such as file:///srv/replica", raw)
		}
		if u.Path == "" {
			return nil, fmt.Errorf("replica %q: no directory; want file:///srv/replica", raw)
		}
		return file.NewReplicaClient(u.Path), nil
	case "sftp", "s3":
		c, err := litestream.NewReplicaClientFromURL(raw)
		if err != nil {
			return nil, fmt.Errorf("replica %q: %w", raw, err)
		}
		return c, nil
	}
	return nil, fmt.Errorf("replica %q: scheme %q is not one Frontline replicates to; want %s", raw, u.Scheme, replicaHelp)
}

// replication runs Litestream in this process: every committed transaction is shipped to
// the replica within the sync interval. It also measures its own lag for /readyz and the
// metrics: how long the oldest change not yet on the replica has waited.
type replication struct {
	store    *litestream.Store
	db       *litestream.DB
	interval time.Duration

	mu      sync.Mutex
	pending []pendingTX // local positions not yet on the replica, oldest first
	lag     time.Duration
	err     error // the last failure to read a position
	stop    chan struct{}
	stopped chan struct{}
}

type pendingTX struct {
	txid ltx.TXID
	seen time.Time
}

// maxPending bounds the positions kept while the replica is behind.
const maxPending = 4096

// lagCheckEvery is how often the lag is measured; it bounds how early a lag is seen.
const lagCheckEvery = 100 * time.Millisecond

// startReplication starts replicating the database at dbPath, which must exist (the store
// has opened and migrated it), to the replica of client, syncing every interval.
func startReplication(ctx context.Context, dbPath string, client litestream.ReplicaClient, interval time.Duration, log *slog.Logger) (*replication, error) {
	db := litestream.NewDB(dbPath)
	r := litestream.NewReplicaWithClient(db, client)
	// A change goes from the WAL into Litestream's own files at the next look (every
	// MonitorInterval), then to the replica, which ships at most every SyncInterval and at
	// once when it has waited that long. Together they take at most 35% of the interval
	// asked for, which leaves the upload itself the rest on a busy machine (measured: at a
	// fifth and a half, 0.8 s of the 1 s went by under load). An idle database sends
	// nothing; a busy one sends a file every quarter interval.
	db.MonitorInterval = interval / 10
	r.SyncInterval = interval / 4
	db.Replica = r
	if fc, ok := client.(*file.ReplicaClient); ok {
		fc.Replica = r
	}
	// Level 0 holds each sync's changes; level 1 compacts them every 10 s, and daily
	// snapshots (the store's default) keep a restore from replaying a long history.
	st := litestream.NewStore([]*litestream.DB{db}, litestream.CompactionLevels{
		{Level: 0},
		{Level: 1, Interval: 10 * time.Second},
	})
	st.Logger = log.With("component", "litestream")
	db.SetLogger(st.Logger)
	if err := st.Open(ctx); err != nil {
		return nil, fmt.Errorf("start replication of %s: %w", dbPath, err)
	}
	rep := &replication{store: st, db: db, interval: interval, stop: make(chan struct{}), stopped: make(chan struct{})}
	go rep.watch()
	return rep, nil
}

// watch measures the lag until close.
func (r *replication) watch() {
	defer close(r.stopped)
	t := time.NewTicker(lagCheckEvery)
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case now := <-t.C:
			r.measure(now)
		}
	}
}

func (r *replication) measure(now time.Time) {
	local, err := r.db.Pos()
	remote := r.db.Replica.Pos()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.err = err
	if err != nil {
		return
	}
	r.pending, r.lag = advance(r.pending, local.TXID, remote.TXID, now)
}

// advance takes the positions seen so far and not yet on the replica, the local and the
// replica's positions now, and returns the positions still waiting and how long the oldest
// of them has waited: the lag.
func advance(pending []pendingTX, local, remote ltx.TXID, now time.Time) ([]pendingTX, time.Duration) {
	if n := len(pending); local > remote && (n == 0 || pending[n-1].txid < local) {
		if n < maxPending {
			pending = append(pending, pendingTX{local, now})
		} else {
			// A long outage under edits: the newest entry stands for the later ones, which
			// keeps the oldest wait, the lag, exact.
			pending[n-1].txid = local
		}
	}
	i := 0
	for i < len(pending) && pending[i].txid <= remote {
		i++
	}
	pending = pending[i:]
	if len(pending) == 0 {
		return pending, 0
	}
	return pending, now.Sub(pending[0].seen)
}

// Lag is how long the oldest change not yet on the replica has waited.
func (r *replication) Lag() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lag
}

// staleAfter is the lag past which the replica is not current: ten syncs missed.
func (r *replication) staleAfter() time.Duration { return 10 * r.interval }

// Current is /readyz's replica check.
func (r *replication) Current(context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return fmt.Errorf("replication position unreadable: %w", r.err)
	}
	if r.lag > r.staleAfter() {
		return fmt.Errorf("replica %s behind (more than %s)", r.lag.Round(time.Millisecond), r.staleAfter())
	}
	return nil
}

// Close ships what is left and stops replicating.
func (r *replication) Close(ctx context.Context) error {
	close(r.stop)
	<-r.stopped
	if err := r.store.Close(ctx); err != nil {
		return fmt.Errorf("stop replication: %w", err)
	}
	return nil
}

// restoreCmd is `frontline restore --replica URL [--at TIME] OUT.db`: a database rebuilt
// from the replica, at its latest point or as it was at TIME, written to a new file.
func restoreCmd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	replica := fs.String("replica", "", "the replica to restore from: "+replicaHelp)
	at := fs.String("at", "", "restore the database as it was at this time (RFC 3339, such as 2026-11-21T18:00:00Z); default: the latest point")
	// OUT.db may come before the flags, as backup takes it.
	out, rest := "", args
	if len(rest) > 0 && rest[0] != "" && rest[0][0] != '-' {
		out, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	switch {
	case out == "" && fs.NArg() == 1:
		out = fs.Arg(0)
	case fs.NArg() > 0:
		return fmt.Errorf("restore takes one OUT.db, got also %q", fs.Args())
	}
	if out == "" {
		return errors.New("usage: frontline restore --replica URL [--at TIME] OUT.db")
	}
	var opt litestream.RestoreOptions
	opt.OutputPath = out
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return fmt.Errorf("--at %q: want a time in RFC 3339, such as 2026-11-21T18:00:00Z", *at)
		}
		opt.Timestamp = t
	}
	client, err := replicaClient(*replica)
	if err != nil {
		return err
	}
	// Restoring over a database would mix two: the file is new, or the command refuses.
	for _, p := range []string{out, out + "-wal", out + "-shm"} {
		if _, err := os.Stat(p); err == nil {
			return fmt.Errorf("%s exists: restore writes a new database; move it aside or name another OUT.db", p)
		}
	}
	r := litestream.NewReplicaWithClient(nil, client)
	start := time.Now()
	if err := r.Restore(ctx, opt); err != nil {
		if errors.Is(err, litestream.ErrTxNotAvailable) || errors.Is(err, litestream.ErrNoSnapshots) {
			if *at != "" {
				return fmt.Errorf("restore from %s: the replica holds nothing at or before %s", *replica, *at)
			}
			return fmt.Errorf("restore from %s: the replica holds no database (is it the right URL?)", *replica)
		}
		return fmt.Errorf("restore from %s: %w", *replica, err)
	}
	fmt.Fprintf(stdout, "Restored %s from %s in %s.\n", out, *replica, time.Since(start).Round(time.Millisecond))
	return nil
}
