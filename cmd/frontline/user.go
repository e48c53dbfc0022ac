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
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/frontline-maps/frontline/data"
)

const userUsage = `usage: frontline user add NAME [--admin] [--map SLUG]... [--db frontline.db]   (the password is read from standard input)
       frontline user list [--db frontline.db]
       frontline user passwd NAME [--db frontline.db]     (ends NAME's sessions)
       frontline user grant NAME SLUG... [--db frontline.db]
       frontline user revoke NAME SLUG... [--db frontline.db]
       frontline user disable NAME [--db frontline.db]    (ends NAME's sessions at once)
       frontline user enable NAME [--db frontline.db]
       frontline user remove NAME [--db frontline.db]`

// userCmd runs `frontline user SUBCOMMAND`: the users of an existing database, their roles,
// passwords and grants. The first admin is made here: `frontline user add NAME --admin`.
func userCmd(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(userUsage)
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	dbPath := fs.String("db", "frontline.db", "SQLite database file (must exist: frontline serve creates one)")
	admin := fs.Bool("admin", false, "user add: make the user an admin, who manages users and maps and edits every map")
	var maps []string
	fs.Func("map", "user add: grant the map with this slug (repeat for more)", func(v string) error {
		maps = append(maps, v)
		return nil
	})
	pos, err := parseArgs(fs, args)
	if err != nil {
		return errUsage
	}
	// want checks the number of names and slugs a subcommand takes, before anything is read.
	want := func(min, max int, what string) error {
		if len(pos) < min {
			return fmt.Errorf("user %s needs %s", sub, what)
		}
		if max >= 0 && len(pos) > max {
			return fmt.Errorf("user %s takes %s, got also %q", sub, what, pos[max:])
		}
		return nil
	}
	flagsOnlyForAdd := func() error {
		if *admin || len(maps) > 0 {
			return fmt.Errorf("--admin and --map go with user add; use user grant NAME SLUG to grant a map")
		}
		return nil
	}
	var run func(s *data.Store) error
	switch sub {
	case "add":
		if err := want(1, 1, "a NAME"); err != nil {
			return err
		}
		run = func(s *data.Store) error {
			password, err := readPassword(stdin, stdout)
			if err != nil {
				return err
			}
			nu := data.NewUser{Name: pos[0], Password: password, Role: data.RoleEditor, Maps: maps}
			if *admin {
				nu.Role = data.RoleAdmin
			}
			u, err := s.AddUser(ctx, nu)
			if err != nil {
				return err
			}
			granted := ""
			if len(u.Maps) > 0 {
				granted = ", granted " + strings.Join(u.Maps, ", ")
			} else if !u.Admin() {
				granted = ", with no maps yet (frontline user grant " + u.Name + " SLUG)"
			}
			fmt.Fprintf(stdout, "Created %s %q in %s%s.\n", u.Role, u.Name, *dbPath, granted)
			return nil
		}
	case "list":
		if err := want(0, 0, "no arguments"); err != nil {
			return err
		}
		run = func(s *data.Store) error { return listUsers(ctx, s, stdout) }
	case "passwd":
		if err := want(1, 1, "a NAME"); err != nil {
			return err
		}
		run = func(s *data.Store) error {
			password, err := readPassword(stdin, stdout)
			if err != nil {
				return err
			}
			if err := s.SetPassword(ctx, pos[0], password); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "New password set for %q; their sessions have ended.\n", data.NormalizeName(pos[0]))
			return nil
		}
	case "grant", "revoke":
		if err := want(2, -1, "a NAME and one SLUG or more"); err != nil {
			return err
		}
		run = func(s *data.Store) error {
			for _, slug := range pos[1:] {
				f, verb := s.Grant, "may now edit"
				if sub == "revoke" {
					f, verb = s.Revoke, "may no longer edit"
				}
				if err := f(ctx, pos[0], slug); err != nil {
					return err
				}
				fmt.Fprintf(stdout, "%q %s %s.\n", data.NormalizeName(pos[0]), verb, slug)
			}
			return nil
		}
	case "disable", "enable":
		if err := want(1, 1, "a NAME"); err != nil {
			return err
		}
		run = func(s *data.Store) error {
			if err := s.SetDisabled(ctx, pos[0], sub == "disable"); err != nil {
				return err
			}
			if sub == "disable" {
				fmt.Fprintf(stdout, "Disabled %q and ended their sessions.\n", data.NormalizeName(pos[0]))
			} else {
				fmt.Fprintf(stdout, "Enabled %q.\n", data.NormalizeName(pos[0]))
			}
			return nil
		}
	case "remove":
		if err := want(1, 1, "a NAME"); err != nil {
			return err
		}
		run = func(s *data.Store) error {
			if err := s.RemoveUser(ctx, pos[0]); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Removed %q, their sessions and grants; what they wrote keeps their name.\n", data.NormalizeName(pos[0]))
			return nil
		}
	default:
		return fmt.Errorf("unknown user command %q\n%s", sub, userUsage)
	}
	if sub != "add" {
		if err := flagsOnlyForAdd(); err != nil {
			return err
		}
	}
	store, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	return run(store)
}

// listUsers prints a table of the users: name, role, whether disabled, maps granted.
func listUsers(ctx context.Context, s *data.Store, stdout io.Writer) error {
	users, err := s.Users(ctx)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		fmt.Fprintln(stdout, "No users yet: frontline user add NAME --admin")
		return nil
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tROLE\tSTATUS\tMAPS")
	for _, u := range users {
		status, maps := "active", strings.Join(u.Maps, ",")
		if u.Disabled {
			status = "disabled"
		}
		if u.Admin() {
			maps = "(all)"
		} else if maps == "" {
			maps = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", u.Name, u.Role, status, maps)
	}
	return w.Flush()
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
			return "", errors.New("the two passwords differ; nothing was changed")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", errors.New("no password on standard input (pipe it in, or run in a terminal)")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
