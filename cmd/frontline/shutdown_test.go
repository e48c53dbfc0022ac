package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/frontline-maps/frontline/data"
)

// TestSIGTERMDrainsRequests sends the test process a real SIGTERM while readers keep
// requesting pictures from `frontline serve`: every request the server accepted is
// answered in full, serve returns cleanly, and the database is sound afterwards.
func TestSIGTERMDrainsRequests(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	db := filepath.Join(t.TempDir(), "frontline.db")
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), []string{"serve", "--addr", addr, "--db", db}, nil, io.Discard, slog.New(slog.DiscardHandler))
	}()
	base := "http://" + addr
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("server never answered /healthz")
		}
	}

	var answered, truncated atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	client := &http.Client{Timeout: 20 * time.Second}
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each reader asks for dates not drawn yet, so requests take real work.
			for d := 1 + i; ; d += 8 {
				select {
				case <-stop:
					return
				default:
				}
				date := time.Date(2021, 8, 1+d%46, 0, 0, 0, 0, time.UTC).Format(data.DateLayout)
				resp, err := client.Get(base + "/maps/afghanistan-2021/" + date + ".png?r=" + date)
				if err != nil {
					continue // refused after shutdown began: never accepted, so not in flight
				}
				n, err := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK || (resp.ContentLength >= 0 && n != resp.ContentLength) {
					truncated.Add(1)
				} else {
					answered.Add(1)
				}
			}
		}()
	}
	time.Sleep(500 * time.Millisecond)
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve returned %v after SIGTERM", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30 s of SIGTERM")
	}
	close(stop)
	wg.Wait()
	if truncated.Load() != 0 {
		t.Errorf("%d accepted requests were cut off by the shutdown", truncated.Load())
	}
	if answered.Load() == 0 {
		t.Error("no request was answered before the shutdown")
	}
	store := openStore(t, db)
	if v, err := store.IntegrityCheck(context.Background()); v != "ok" || err != nil {
		t.Errorf("integrity after SIGTERM: %q, %v", v, err)
	}
	t.Logf("%d requests answered in full, none cut off", answered.Load())
}
