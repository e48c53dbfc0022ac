package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUserCommands runs each user subcommand on a real database and checks what it did
// through the store.
func TestUserCommands(t *testing.T) {
	db := seededDB(t)
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	do := func(stdin string, args ...string) (string, error) {
		var out strings.Builder
		err := run(ctx, append(append([]string{"user"}, args...), "--db", db), strings.NewReader(stdin), &out, log)
		return out.String(), err
	}
	steps := []struct {
		name, stdin string
		args        []string
		want        string // in the output, or in the error when fail
		fail        bool
	}{
		{"first_admin", "correct horse battery\n", []string{"add", "Root", "--admin"}, `Created admin "root"`, false},
		{"editor_with_a_map", "correct horse battery\n", []string{"add", "bob", "--map", "afghanistan-2021"}, "granted afghanistan-2021", false},
		{"editor_with_no_map", "correct horse battery\n", []string{"add", "alice"}, "frontline user grant alice SLUG", false},
		{"same_name_other_case", "correct horse battery\n", []string{"add", "ALICE "}, "already exists", true},
		{"unknown_map", "correct horse battery\n", []string{"add", "carol", "--map", "nowhere"}, `map "nowhere": not found`, true},
		{"trivial_password", "aaaaaaaaaa\n", []string{"add", "dave"}, "one character repeated", true},
		{"grant", "", []string{"grant", "alice", "afghanistan-2021"}, `"alice" may now edit afghanistan-2021`, false},
		{"grant_unknown_user", "", []string{"grant", "zed", "afghanistan-2021"}, `no user named "zed"`, true},
		{"grant_without_slug", "", []string{"grant", "alice"}, "needs a NAME and one SLUG or more", true},
		{"map_flag_outside_add", "", []string{"disable", "bob", "--map", "x"}, "--admin and --map go with user add", true},
		{"disable", "", []string{"disable", "bob"}, "ended their sessions", false},
		{"passwd", "another good passphrase\n", []string{"passwd", "alice"}, "their sessions have ended", false},
		{"remove", "", []string{"remove", "root"}, `Removed "root"`, false},
		{"unknown_subcommand", "", []string{"delete", "bob"}, `unknown user command "delete"`, true},
	}
	for _, st := range steps {
		out, err := do(st.stdin, st.args...)
		got := out
		if st.fail {
			if err == nil {
				t.Errorf("%s: succeeded, want an error containing %q", st.name, st.want)
				continue
			}
			got = err.Error()
		} else if err != nil {
			t.Errorf("%s: %v", st.name, err)
			continue
		}
		if !strings.Contains(got, st.want) {
			t.Errorf("%s: %q, want %q in it", st.name, got, st.want)
		}
	}
	list, err := do("", "list")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"alice  editor  active    afghanistan-2021", "bob    editor  disabled  afghanistan-2021"} {
		if !strings.Contains(list, want) {
			t.Errorf("user list:\n%s\nlacks %q", list, want)
		}
	}
	if strings.Contains(list, "root") || strings.Contains(list, "carol") || strings.Contains(list, "dave") {
		t.Errorf("user list shows a removed or refused user:\n%s", list)
	}
	store := openStore(t, db)
	if _, err := store.Authenticate(ctx, "alice", "another good passphrase"); err != nil {
		t.Errorf("alice's new password: %v", err)
	}
}

// TestCommandsRefuseAMissingDatabase: a mistyped --db is named, and no empty database is
// left behind with a report of success.
func TestCommandsRefuseAMissingDatabase(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "frontlin.db")
	log := slog.New(slog.DiscardHandler)
	for _, args := range [][]string{
		{"user", "add", "alice", "--admin", "--db", missing},
		{"user", "list", "--db", missing},
		{"user", "grant", "alice", "afghanistan-2021", "--db", missing},
		{"backup", "--db", missing, filepath.Join(dir, "copy.db")},
		{"export-static", "--db", missing, "--map", "afghanistan-2021", "--out", filepath.Join(dir, "site")},
	} {
		err := run(context.Background(), args, strings.NewReader("correct horse battery\n"), io.Discard, log)
		if err == nil || !strings.Contains(err.Error(), "database "+missing+" does not exist: check --db") {
			t.Errorf("%q: err = %v, want the missing database named", args, err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left behind: %v", entries)
	}
}

// TestExportStaticRefusesToDestroy: --out onto a file or a folder with files in it is
// refused, naming it, and what was there is intact.
func TestExportStaticRefusesToDestroy(t *testing.T) {
	db := seededDB(t)
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte("years of work"), 0o600); err != nil {
		t.Fatal(err)
	}
	full := filepath.Join(dir, "full")
	os.Mkdir(full, 0o755)
	os.WriteFile(filepath.Join(full, "thesis.tex"), []byte("more work"), 0o600)
	dbBefore := dbFiles(t, db)
	for _, tc := range []struct{ out, want string }{
		{db, "is a file"},
		{notes, "is a file (13 bytes), not a folder, and would be lost"},
		{full, "is not empty (it holds thesis.tex)"},
	} {
		_, err := frontline(t, "export-static", "--db", db, "--map", "afghanistan-2021", "--out", tc.out)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("--out %s: err = %v, want %q", tc.out, err, tc.want)
		}
	}
	if body, err := os.ReadFile(notes); err != nil || string(body) != "years of work" {
		t.Errorf("notes.txt after the refusal: %q, %v", body, err)
	}
	if body, err := os.ReadFile(filepath.Join(full, "thesis.tex")); err != nil || string(body) != "more work" {
		t.Errorf("thesis.tex after the refusal: %q, %v", body, err)
	}
	if after := dbFiles(t, db); len(after) != len(dbBefore) || string(after[db]) != string(dbBefore[db]) {
		t.Errorf("the database changed after export-static --out onto it")
	}
}

// TestBackupIsPrivate: a backup holds password hashes, so only its owner may read it.
func TestBackupIsPrivate(t *testing.T) {
	db := seededDB(t)
	out := filepath.Join(t.TempDir(), "copy.db")
	if _, err := frontline(t, "backup", "--db", db, out); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{db, out} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s has mode %v, want -rw-------", filepath.Base(p), perm)
		}
	}
}
