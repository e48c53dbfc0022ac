package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/frontline-maps/frontline/data"
)

// exportCmd runs `frontline export [--db DB] --map SLUG --out DIR`: it writes the map
// folder of a map, which `frontline import` reads back into the same map.
func exportCmd(ctx context.Context, args []string, stdout io.Writer) error {
	const use = "usage: frontline export [--db frontline.db] --map SLUG --out DIR"
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	dbPath := fs.String("db", "frontline.db", "SQLite database file")
	slug := fs.String("map", "", "slug of the map to export")
	out := fs.String("out", "", "directory to write the map folder into: empty, new, or an earlier export")
	pos, err := parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return errUsage
	}
	if len(pos) > 0 {
		return fmt.Errorf("export takes no arguments, got %q\n%s", pos, use)
	}
	if *slug == "" || *out == "" {
		return errors.New(use)
	}
	store, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	files, err := store.ExportFolder(ctx, *slug)
	if errors.Is(err, data.ErrNotFound) {
		return fmt.Errorf("export: %s has no map %q", *dbPath, *slug)
	} else if err != nil {
		return err
	}
	if err := data.WriteFolder(*out, files); err != nil {
		return fmt.Errorf("export %q: %w", *slug, err)
	}
	fmt.Fprintf(stdout, "Exported map %q from %s to %s: map.json %s, regions.geojson %s, events.csv %s.\n", *slug, *dbPath, *out,
		size(int64(len(files["map.json"]))), size(int64(len(files["regions.geojson"]))), size(int64(len(files["events.csv"]))))
	return nil
}
