package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"
)

const mapUsage = "usage: frontline map delete SLUG [--db frontline.db] [--yes]   (a backup of the database is kept first)"

// mapCmd runs `frontline map delete SLUG`: it names what will be destroyed, asks for the
// slug again on a terminal (--yes in scripts), keeps a backup of the whole database beside
// it, and only then deletes the map.
func mapCmd(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "delete" {
		return errors.New(mapUsage)
	}
	fs := flag.NewFlagSet("map delete", flag.ContinueOnError)
	dbPath := fs.String("db", "frontline.db", "SQLite database file")
	yes := fs.Bool("yes", false, "delete without asking (for scripts); the backup is still kept")
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return errUsage
	}
	if len(pos) != 1 {
		return errors.New(mapUsage)
	}
	slug := pos[0]
	store, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	c, err := store.MapContents(ctx, slug)
	if err != nil {
		return fmt.Errorf("map delete: %w", err)
	}
	fmt.Fprintf(stdout, "Deleting map %q destroys its %d regions, %d places and %d events (%d recorded on the website by editors) and %d grants of it to editors.\n",
		slug, c.Regions, c.Places, c.Events, c.ByEditors, c.Grants)
	if !*yes {
		f, ok := stdin.(*os.File)
		if !ok || !term.IsTerminal(int(f.Fd())) {
			return fmt.Errorf("map delete asks for the slug again on a terminal; in a script, add --yes (nothing was deleted)")
		}
		fmt.Fprintf(stdout, "Type the slug again to delete it: ")
		line, _ := bufio.NewReader(stdin).ReadString('\n')
		if strings.TrimSpace(line) != slug {
			return fmt.Errorf("%q is not %q: nothing was deleted", strings.TrimSpace(line), slug)
		}
	}
	backup := filepath.Join(filepath.Dir(*dbPath), fmt.Sprintf("%s.before-delete-%s-%s.db",
		strings.TrimSuffix(filepath.Base(*dbPath), filepath.Ext(*dbPath)), slug, time.Now().UTC().Format("20060102T150405Z")))
	if err := store.Backup(ctx, backup); err != nil {
		return fmt.Errorf("map delete: keep a backup first: %w (nothing was deleted)", err)
	}
	if _, err := store.DeleteMap(ctx, slug); err != nil {
		return fmt.Errorf("map delete: %w (the backup %s was kept)", err, backup)
	}
	fmt.Fprintf(stdout, "Deleted map %q. The database as it was is kept in %s; to bring the map back: frontline export --db %s --map %s --out DIR, then frontline import DIR.\n",
		slug, backup, backup, slug)
	return nil
}
