package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
		{"database_in_missing_directory", []string{"serve", "--addr", "127.0.0.1:0", "--db", "/nonexistent/dir/x.db"}, "open database"},
	}
	log := slog.New(slog.DiscardHandler)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), tt.args, io.Discard, log)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("run(%q) = %v, want an error containing %q", tt.args, err, tt.want)
			}
		})
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
		done <- run(ctx, []string{"serve", "--addr", addr, "--db", db}, io.Discard, slog.New(slog.DiscardHandler))
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
