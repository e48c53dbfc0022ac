package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/frontline-maps/frontline/data"
)

// userCmd runs `frontline user add NAME [--db DB]`: it creates an editor whose password is
// read from standard input, twice and without echo when that is a terminal.
func userCmd(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: frontline user add NAME [--db frontline.db] (the password is read from standard input)")
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	dbPath := fs.String("db", "frontline.db", "SQLite database file")
	// Accept the flag before or after the name, as people type both.
	name, rest := "", args[1:]
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		name, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return errUsage
	}
	if name == "" && fs.NArg() > 0 {
		name = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return fmt.Errorf("user add takes one NAME, got also %q", fs.Args())
	}
	if name == "" {
		return errors.New("user add needs a NAME")
	}
	password, err := readPassword(stdin, stdout)
	if err != nil {
		return err
	}
	store, err := data.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := store.CreateUser(ctx, name, password); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Created editor %q in %s.\n", name, *dbPath)
	return nil
}

// readPassword reads a password: from a terminal twice, without echo; otherwise the first
// line of the input, so scripts can pipe it in.
func readPassword(stdin io.Reader, stdout io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stdout, "Password: ")
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdout)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(stdout, "Password again: ")
		second, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdout)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(first) != string(second) {
			return "", errors.New("the two passwords differ; nothing was created")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", errors.New("no password on standard input (pipe it in, or run in a terminal)")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
