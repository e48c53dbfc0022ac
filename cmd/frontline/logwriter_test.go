package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontline-maps/frontline/data"
)

// lockedBuffer is a log's destination that tests read while the log writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	// fail makes the next writes fail, as a full disk would.
	fail int
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fail > 0 {
		b.fail--
		return 0, errors.New("no space left on device")
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestLogWriter(t *testing.T) {
	t.Run("info_waits_and_an_error_flushes_everything_before_it", func(t *testing.T) {
		var out lockedBuffer
		log, w := newLog(&out, time.Hour)
		defer w.Close()
		log.Info("request", "uri", "/a")
		if out.String() != "" {
			t.Fatalf("an info line was written at once: %q", out.String())
		}
		log.WithGroup("req").Error("request failed", "uri", "/b")
		got := out.String()
		if i, j := strings.Index(got, "uri=/a"), strings.Index(got, "req.uri=/b"); i < 0 || j < i {
			t.Errorf("after an error line the log holds %q", got)
		}
	})
	t.Run("close_writes_what_is_left_and_later_lines_go_through", func(t *testing.T) {
		var out lockedBuffer
		log, w := newLog(&out, time.Hour)
		log.Info("last before close")
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "last before close") {
			t.Errorf("after Close the log holds %q", out.String())
		}
		log.Info("straggler")
		if !strings.Contains(out.String(), "straggler") {
			t.Errorf("a line after Close was not written: %q", out.String())
		}
		if err := w.Close(); err != nil {
			t.Errorf("a second Close: %v", err)
		}
	})
	t.Run("written_every_interval", func(t *testing.T) {
		var out lockedBuffer
		log, w := newLog(&out, 10*time.Millisecond)
		defer w.Close()
		log.Info("soon")
		for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "soon"); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the line never reached the log")
			}
		}
	})
	t.Run("a_failed_write_does_not_stop_the_log", func(t *testing.T) {
		out := lockedBuffer{fail: 1}
		log, w := newLog(&out, time.Hour)
		log.Info("lost")
		if err := w.Flush(); err == nil {
			t.Error("Flush reported no error")
		}
		log.Info("kept")
		w.Close()
		if got := out.String(); !strings.Contains(got, "kept") {
			t.Errorf("after a failed write the log holds %q", got)
		}
	})
}

// TestServeLogIsCompleteAfterShutdown runs `frontline serve` with its buffered log, flushed
// only on Close, stops it while readers keep asking for the state, and finds an access-log
// line for every request answered.
func TestServeLogIsCompleteAfterShutdown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	logPath := filepath.Join(t.TempDir(), "frontline.log")
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	log, w := newLog(f, time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	db := filepath.Join(t.TempDir(), "frontline.db")
	go func() { done <- run(ctx, []string{"serve", "--addr", addr, "--db", db}, nil, io.Discard, log) }()
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

	var answered atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 20 * time.Second}
			for d := i; ; d += 4 {
				select {
				case <-stop:
					return
				default:
				}
				date := time.Date(2021, 8, 1+d%46, 0, 0, 0, 0, time.UTC).Format(data.DateLayout)
				resp, err := client.Get(base + "/api/maps/afghanistan-2021/state?date=" + date)
				if err != nil {
					continue // refused after shutdown began
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err == nil && resp.StatusCode == http.StatusOK {
					answered.Add(1)
				}
			}
		}()
	}
	time.Sleep(300 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30 s")
	}
	close(stop)
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	logged := strings.Count(string(raw), `req.uri="/api/maps/afghanistan-2021/state?date=`)
	if answered.Load() == 0 || int64(logged) < answered.Load() {
		t.Errorf("%d requests answered, %d logged", answered.Load(), logged)
	}
	if !strings.Contains(string(raw), "shutting down") {
		t.Error("the shutdown line is missing")
	}
	t.Logf("%d requests answered, %d logged", answered.Load(), logged)
}
