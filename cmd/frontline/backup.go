package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
)

// backupCmd runs `frontline backup [--db DB] OUT.db`: a consistent copy of the database,
// safe to take while the server is running and editors are writing.
func backupCmd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	dbPath := fs.String("db", "frontline.db", "SQLite database file to copy")
	out, rest := "", args
	if len(rest) > 0 && rest[0] != "" && rest[0][0] != '-' {
		out, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return errUsage
	}
	switch {
	case out == "" && fs.NArg() == 1:
		out = fs.Arg(0)
	case fs.NArg() > 0:
		return fmt.Errorf("backup takes one OUT.db, got also %q", fs.Args())
	}
	if out == "" {
		return errors.New("usage: frontline backup [--db frontline.db] OUT.db")
	}
	store, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Backup(ctx, out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backed up %s to %s.\n", *dbPath, out)
	return nil
}
