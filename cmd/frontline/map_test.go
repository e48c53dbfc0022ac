package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frontline-maps/frontline/data"
)

// TestMapDelete: without --yes off a terminal nothing is deleted; with it, what is
// destroyed is named, a private backup that still holds the map is kept beside the
// database, and the map and its grants are gone.
func TestMapDelete(t *testing.T) {
	db := seededDB(t)
	ctx := context.Background()
	const slug = "afghanistan-2021"
	if _, err := frontline(t, "user", "add", "bob", "--map", slug, "--db", db); err == nil {
		t.Fatal("user add read a password from empty input")
	}
	func() {
		s := openStore(t, db)
		if _, err := s.AddUser(ctx, data.NewUser{Name: "bob", Password: "correct horse battery", Maps: []string{slug}}); err != nil {
			t.Fatal(err)
		}
		s.Close()
	}()

	if _, err := frontline(t, "map", "delete", slug, "--db", db); err == nil || !strings.Contains(err.Error(), "add --yes (nothing was deleted)") {
		t.Errorf("delete without --yes off a terminal: err = %v", err)
	}
	if _, err := frontline(t, "map", "delete", "nowhere", "--yes", "--db", db); err == nil || !strings.Contains(err.Error(), `map "nowhere": not found`) {
		t.Errorf("delete of an unknown map: err = %v", err)
	}
	out, err := frontline(t, "map", "delete", slug, "--yes", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "destroys its 34 regions, 35 places and 75 events (0 recorded on the website by editors) and 1 grants of it to editors") {
		t.Errorf("output does not name what is destroyed:\n%s", out)
	}
	backups, _ := filepath.Glob(filepath.Join(filepath.Dir(db), "frontline.before-delete-"+slug+"-*.db"))
	if len(backups) != 1 || !strings.Contains(out, backups[0]) {
		t.Fatalf("backups %v; output:\n%s", backups, out)
	}
	if info, err := os.Stat(backups[0]); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("backup: %v, mode %v; want 0600", err, info.Mode().Perm())
	}
	kept := openStore(t, backups[0])
	if _, err := kept.Map(ctx, slug); err != nil {
		t.Errorf("the backup lacks the map: %v", err)
	}
	s := openStore(t, db)
	if _, err := s.Map(ctx, slug); err == nil {
		t.Error("the map is still there")
	}
	users, _ := s.Users(ctx)
	if len(users) != 1 || len(users[0].Maps) != 0 {
		t.Errorf("users after the delete: %+v, want bob with no grants", users)
	}
}

// TestImportReplaceKeepsEditorsChanges: import --replace of a folder that lacks an event an
// editor recorded is refused, naming it, with the database unchanged; --discard-edits
// goes ahead.
func TestImportReplaceKeepsEditorsChanges(t *testing.T) {
	db := seededDB(t)
	ctx := context.Background()
	const slug = "afghanistan-2021"
	dir := filepath.Join(t.TempDir(), "before")
	if _, err := frontline(t, "export", "--db", db, "--map", slug, "--out", dir); err != nil {
		t.Fatal(err)
	}
	func() {
		s := openStore(t, db)
		e := data.Event{Region: "AF-WAR", Faction: "resistance", Date: "2021-08-20", Source: "https://example.org/war", Confidence: data.Confirmed}
		if err := s.Record(ctx, slug, &e, "alice", 0); err != nil {
			t.Fatal(err)
		}
		s.Close()
	}()
	before := dbFiles(t, db)
	_, err := frontline(t, "import", "--db", db, "--replace", dir)
	if err == nil || !strings.Contains(err.Error(), "would lose 1 event recorded by editors on the website (alice)") {
		t.Fatalf("replace over an editor's event: err = %v", err)
	}
	after := dbFiles(t, db)
	if string(after[db]) != string(before[db]) || len(after) != len(before) {
		t.Error("the refused import changed the database")
	}
	if _, err := frontline(t, "import", "--db", db, "--replace", "--discard-edits", dir); err != nil {
		t.Errorf("with --discard-edits: %v", err)
	}
}
