// Command frontline serves territorial-control maps and manages their data.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"

	"github.com/frontline-maps/frontline/data"
	"github.com/frontline-maps/frontline/static"
	"github.com/frontline-maps/frontline/web"
)

const usage = `frontline: territorial-control maps

Usage:
  frontline [serve] [--addr :8080] [--db frontline.db]   serve the maps (the default command)
  frontline user add NAME [--admin] [--map SLUG]... [--db frontline.db]
                                                         create an admin or an editor of the maps; the password is read
                                                         from standard input (the first admin is made here)
  frontline user list|passwd NAME|grant NAME SLUG...|revoke NAME SLUG...|disable NAME|enable NAME|remove NAME [--db frontline.db]
                                                         manage users; passwd and disable end the user's sessions
  frontline map delete SLUG [--db frontline.db] [--yes]  delete a map, keeping a backup of the database first
  frontline import [--db frontline.db] [--replace [--discard-edits]] [--object NAME] [--skip-undrawable] [--date-format DD/MM/YYYY] DIR|FOLDER.zip
                                                         load a map folder (map.json; regions.geojson, .topojson
                                                         or .zip, a zipped Shapefile; events.csv)
  frontline import events [--db frontline.db] [--date-format DD/MM/YYYY] --map SLUG FILE.csv
                                                         append events to a map (a folder named "events": ./events)
  frontline export [--db frontline.db] --map SLUG --out DIR
                                                         write a map's folder, which import reads back
  frontline export-static [--db frontline.db] --map SLUG --out DIR
                                                         write a site any static host serves (embed page, data, images)
  frontline backup [--db frontline.db] OUT.db            a consistent copy of the database, safe while serving
  frontline restore --replica URL [--at TIME] OUT.db     rebuild a database from serve --replica's replica

Run 'frontline serve --help' for the flags.
`

func main() {
	// The log is buffered (see logWriter): written every second, after each error and here,
	// once run has returned, which for serve is after its requests have drained.
	log, logw := newLog(os.Stderr, logFlushEvery)
	err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, log)
	logw.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, "frontline:", err)
		os.Exit(1)
	}
}

// errUsage reports a command line that could not be parsed; the flag package has already
// said why.
var errUsage = errors.New("see 'frontline --help'")

func run(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer, log *slog.Logger) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	// `frontline --help` asks what frontline does, not what serve's flags are (serve --help).
	if cmd == "serve" && len(args) == 1 && slices.Contains([]string{"-h", "-help", "--help"}, args[0]) {
		cmd = "help"
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, log)
	case "user":
		return userCmd(ctx, args, stdin, stdout)
	case "import":
		return importCmd(ctx, args, stdout)
	case "export":
		return exportCmd(ctx, args, stdout)
	case "export-static":
		return exportStaticCmd(ctx, args, stdout)
	case "backup":
		return backupCmd(ctx, args, stdout)
	case "map":
		return mapCmd(ctx, args, stdin, stdout)
	case "restore":
		return restoreCmd(ctx, args, stdout)
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
}

func serve(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", ":8080", "address to listen on")
	dbPath := fs.String("db", "frontline.db", "SQLite database file (created when missing)")
	var opsf opsFlags
	opsf.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve takes no arguments, got %q", fs.Args())
	}
	if err := opsf.check(ctx, *dbPath); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	store, err := data.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Seed(ctx, log); err != nil {
		return fmt.Errorf("load built-in maps: %w", err)
	}
	running, opts, err := opsf.start(ctx, *dbPath, store, log)
	if err != nil {
		return err
	}
	// Deferred after the store's Close, so run before it: the last changes reach the replica.
	defer running.close(context.Background(), log)

	srv := &http.Server{
		Addr:              *addr,
		Handler:           web.New(store, log, static.FS, opts...),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("serving", "addr", *addr, "db", *dbPath, "url", "http://localhost"+portOf(*addr))

	select {
	case err := <-errc:
		return fmt.Errorf("listen on %s: %w", *addr, err)
	case <-ctx.Done():
	}
	log.Info("shutting down: draining requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// portOf returns the ":port" part of a listen address, for the log line readers click.
func portOf(addr string) string {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			return addr[i:]
		}
	}
	return addr
}
