package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"time"

	"github.com/benbjohnson/litestream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/web"
)

// opsFlags are serve's operations flags (the contract's Operations section): replication,
// metrics, and what the server believes of the proxy in front of it.
type opsFlags struct {
	replica      string
	syncInterval time.Duration
	metricsAddr  string
	baseURL      *url.URL
	tiles        string
	trusted      []netip.Prefix
	trustedSet   bool
	client       litestream.ReplicaClient // made from replica by check
}

func (o *opsFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&o.replica, "replica", "", "replicate the database continuously to this replica: "+replicaHelp)
	fs.DurationVar(&o.syncInterval, "sync-interval", time.Second, "with --replica, how often changes are shipped: the most edits a lost disk can take")
	fs.StringVar(&o.metricsAddr, "metrics-addr", "", "serve Prometheus metrics at /metrics on this address, such as 127.0.0.1:9090 (off when empty; never on --addr)")
	fs.Func("base-url", "the public scheme and host readers use, such as https://maps.example.org: absolute links (feeds, embeds, social cards) use it, never request headers", func(v string) error {
		u, err := web.ParseBaseURL(v)
		o.baseURL = u
		return err
	})
	fs.Func("tiles", "draw map tiles from this URL template under every map, such as https://tile.example.org/{z}/{x}/{y}.png (off by default: no third-party server is asked for anything)", func(v string) error {
		t, err := web.ParseTileURL(v)
		o.tiles = t
		return err
	})
	fs.Func("trusted-proxy", "an address or CIDR prefix of a proxy whose X-Forwarded-For and X-Forwarded-Proto are believed; repeat for more (default: loopback only, 127.0.0.0/8 and ::1)", func(v string) error {
		p, err := web.ParseTrustedProxy(v)
		o.trusted, o.trustedSet = append(o.trusted, p), true
		return err
	})
}

// check refuses bad values before serve opens anything, so that a mistake changes nothing.
func (o *opsFlags) check(ctx context.Context, dbPath string) error {
	if o.syncInterval <= 0 {
		return fmt.Errorf("--sync-interval %s: want a positive duration such as 1s", o.syncInterval)
	}
	if o.replica == "" {
		return nil
	}
	c, err := replicaClient(o.replica)
	if err != nil {
		return err
	}
	o.client = c
	// After a lost disk, serve (or systemd restarting it) would otherwise create a new
	// database, give it the built-in map and ship that to the replica as its latest state.
	if _, err := os.Stat(dbPath); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	_, updated, err := litestream.NewReplicaWithClient(nil, c).TimeBounds(ctx)
	if err != nil {
		return fmt.Errorf("read replica %s: %w", o.replica, err)
	}
	if !updated.IsZero() {
		return fmt.Errorf("%s does not exist, but the replica %s holds a database (last change %s): "+
			"bring it back first with 'frontline restore --replica %s %s', or give serve a new replica",
			dbPath, o.replica, updated.UTC().Format(time.RFC3339), o.replica, dbPath)
	}
	return nil
}

// ops is what start set running, for serve to stop once its requests have drained.
type ops struct {
	replication *replication
	metrics     *http.Server
}

// start, after check, starts replication and the metrics listener when asked for, and returns the web
// options that go with them.
func (o *opsFlags) start(ctx context.Context, dbPath string, store *data.Store, log *slog.Logger) (*ops, []web.Option, error) {
	opts := []web.Option{web.WithReadyCheck("database", store.CheckWritable)}
	if o.baseURL != nil {
		opts = append(opts, web.WithBaseURL(o.baseURL))
	}
	if o.trustedSet {
		opts = append(opts, web.WithTrustedProxies(o.trusted))
	}
	if o.tiles != "" {
		opts = append(opts, web.WithTiles(o.tiles))
	}
	running := &ops{}
	reg := prometheus.NewRegistry()
	if o.client != nil {
		rep, err := startReplication(ctx, dbPath, o.client, o.syncInterval, log)
		if err != nil {
			return nil, nil, err
		}
		running.replication = rep
		opts = append(opts, web.WithReadyCheck("replica", rep.Current))
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "frontline_replica_lag_seconds",
			Help: "How long the oldest change not yet on the replica has waited (0: the replica is current).",
		}, func() float64 { return rep.Lag().Seconds() }))
		log.Info("replicating", "replica", o.replica, "sync_interval", o.syncInterval)
	}
	if o.metricsAddr != "" {
		opts = append(opts, web.WithMetrics(reg))
		l, err := net.Listen("tcp", o.metricsAddr)
		if err != nil {
			running.close(ctx, log)
			return nil, nil, fmt.Errorf("metrics listener on %s: %w", o.metricsAddr, err)
		}
		mux := http.NewServeMux()
		// Frontline's own metrics, then the Go runtime's, the process's and Litestream's,
		// which register with the client's default registry.
		mux.Handle("GET /metrics", promhttp.HandlerFor(prometheus.Gatherers{reg, prometheus.DefaultGatherer}, promhttp.HandlerOpts{}))
		running.metrics = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := running.metrics.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error("metrics listener stopped", "err", err)
			}
		}()
		log.Info("serving metrics", "addr", l.Addr().String(), "path", "/metrics")
	}
	return running, opts, nil
}

// close stops the metrics listener and ships the last changes to the replica.
func (r *ops) close(ctx context.Context, log *slog.Logger) {
	if r.metrics != nil {
		if err := r.metrics.Shutdown(ctx); err != nil {
			log.Error("stop metrics listener", "err", err)
		}
	}
	if r.replication != nil {
		if err := r.replication.Close(ctx); err != nil {
			log.Error("stop replication", "err", err)
		}
	}
}
