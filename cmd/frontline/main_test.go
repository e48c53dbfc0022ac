package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontline-maps/frontline/data"
)

func TestRunRejectsBadCommandLines(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown_command", []string{"destroy"}, `unknown command "destroy"`},
		{"unknown_flag", []string{"serve", "--port", "80"}, "see 'frontline --help'"},
		{"stray_argument", []string{"serve", "now"}, `serve takes no arguments, got ["now"]`},
		{"user_without_subcommand", []string{"user"}, "usage: frontline user add NAME"},
		{"user_add_without_name", []string{"user", "add"}, "user add needs a NAME"},
		{"user_add_without_password", []string{"user", "add", "alice", "--db", seededDB(t)}, "no password on standard input"},
		{"database_in_missing_directory", []string{"serve", "--addr", "127.0.0.1:0", "--db", "/nonexistent/dir/x.db"}, "open database"},
	}
	log := slog.New(slog.DiscardHandler)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), tt.args, strings.NewReader(""), io.Discard, log)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("run(%q) = %v, want an error containing %q", tt.args, err, tt.want)
			}
		})
	}
}

// TestHelp: --help and help list every command; serve --help gives serve's flags.
func TestHelp(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		var out strings.Builder
		if err := run(context.Background(), args, nil, &out, log); err != nil {
			t.Fatalf("run(%q) = %v", args, err)
		}
		for _, want := range []string{"frontline user add NAME", "frontline import ", "frontline export-static ", "frontline restore "} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("run(%q) printed no %q:\n%s", args, want, out.String())
			}
		}
	}
}

// TestServeCreatesDatabaseAndShutsDown runs `frontline serve` on a free port against a new
// database file, fetches the built-in map, and stops it as SIGTERM would.
func TestServeCreatesDatabaseAndShutsDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	db := filepath.Join(t.TempDir(), "frontline.db")
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr, "--db", db}, nil, io.Discard, slog.New(slog.DiscardHandler))
	}()

	var resp *http.Response
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err = http.Get("http://" + addr + "/api/maps/afghanistan-2021"); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("server never answered: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET the built-in map: status %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestUserAdd(t *testing.T) {
	db := seededDB(t)
	log := slog.New(slog.DiscardHandler)
	ctx := context.Background()
	if err := run(ctx, []string{"user", "add", "alice", "--db", db}, strings.NewReader("short\n"), io.Discard, log); err == nil ||
		!strings.Contains(err.Error(), "at least 10 characters") {
		t.Fatalf("short password: err = %v", err)
	}
	var out strings.Builder
	if err := run(ctx, []string{"user", "add", "--db", db, "alice"}, strings.NewReader("correct horse battery\n"), &out, log); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `Created editor "alice"`) {
		t.Errorf("output = %q", out.String())
	}
	if err := run(ctx, []string{"user", "add", "alice", "--db", db}, strings.NewReader("another good password\n"), io.Discard, log); err == nil ||
		!strings.Contains(err.Error(), "already exists") {
		t.Errorf("second alice: err = %v", err)
	}
	store := openStore(t, db)
	if _, err := store.Authenticate(ctx, "alice", "correct horse battery"); err != nil {
		t.Errorf("alice cannot sign in: %v", err)
	}
}

func TestBackupAndExportStatic(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := seededDB(t)
	log := slog.New(slog.DiscardHandler)

	out := filepath.Join(dir, "copy.db")
	if err := run(ctx, []string{"backup", "--db", db, out}, nil, io.Discard, log); err != nil {
		t.Fatal(err)
	}
	copy, err := data.Open(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := copy.IntegrityCheck(ctx); v != "ok" || err != nil {
		t.Errorf("backup integrity: %q %v", v, err)
	}
	if _, err := copy.Map(ctx, "afghanistan-2021"); err != nil {
		t.Errorf("backup lacks the map: %v", err)
	}
	copy.Close()
	if err := run(ctx, []string{"backup", "--db", db, out}, nil, io.Discard, log); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("backup over an existing file: %v", err)
	}
	if err := run(ctx, []string{"backup", "--db", db}, nil, io.Discard, log); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("backup without OUT: %v", err)
	}

	site := filepath.Join(dir, "site")
	var stdout strings.Builder
	if err := run(ctx, []string{"export-static", "--db", db, "--map", "afghanistan-2021", "--out", site}, nil, &stdout, log); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(site, "index.html")); err != nil || !strings.Contains(stdout.String(), "Wrote") {
		t.Errorf("export-static: %v, %q", err, stdout.String())
	}
	if err := run(ctx, []string{"export-static", "--db", db, "--map", "nowhere", "--out", filepath.Join(dir, "x")}, nil, io.Discard, log); err == nil {
		t.Error("export-static of an unknown map succeeded")
	}
}
