package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/frontline-maps/frontline/static"
	"github.com/frontline-maps/frontline/web"
)

// exportStaticCmd runs `frontline export-static [--db DB] --map SLUG --out DIR`.
func exportStaticCmd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("export-static", flag.ContinueOnError)
	dbPath := fs.String("db", "frontline.db", "SQLite database file")
	slug := fs.String("map", "", "the map to export (its slug)")
	out := fs.String("out", "", "folder to write the site into; must not exist or be empty")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *slug == "" || *out == "" || fs.NArg() > 0 {
		return errors.New("usage: frontline export-static [--db frontline.db] --map SLUG --out DIR")
	}
	store, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	n, err := web.ExportStatic(ctx, store, static.FS, *slug, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Wrote %d files to %s: serve the folder with any static web server.\n", n, *out)
	return nil
}
