package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// logFlushEvery is how often the server's buffered log reaches its file. A crash (a kill -9,
// the machine losing power, a panic outside any handler) loses at most the lines of the last
// this long: about a second of access-log lines. Errors and a graceful shutdown lose none.
const logFlushEvery = time.Second

// logBufferSize bounds what the log holds between flushes; a full buffer is written at once.
const logBufferSize = 64 << 10

// logWriter buffers the log, so that the access log's line per request costs a copy rather
// than a write to the file each: under load that write was a seventh of the server's work.
// It is written out every interval, when full, on Flush (every error line, see
// flushOnError) and on Close (after serve has drained its requests).
type logWriter struct {
	mu     sync.Mutex
	out    io.Writer
	buf    *bufio.Writer
	closed bool
	stop   chan struct{}
	done   chan struct{}
}

// newLogWriter buffers out, written at least every interval until Close.
func newLogWriter(out io.Writer, interval time.Duration) *logWriter {
	w := &logWriter{out: out, buf: bufio.NewWriterSize(out, logBufferSize), stop: make(chan struct{}), done: make(chan struct{})}
	go w.flushEvery(interval)
	return w
}

func (w *logWriter) flushEvery(interval time.Duration) {
	defer close(w.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			w.Flush()
		case <-w.stop:
			return
		}
	}
}

// Write adds p, one log line from slog's handler, to the buffer; after Close it writes p
// through, so that a straggler's line is not left behind.
func (w *logWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return w.out.Write(p)
	}
	n, err := w.buf.Write(p)
	if err != nil {
		w.dropFailed()
	}
	return n, err
}

// Flush writes out what the buffer holds.
func (w *logWriter) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.flush()
}

func (w *logWriter) flush() error {
	if w.buf.Buffered() == 0 {
		return nil
	}
	err := w.buf.Flush()
	if err != nil {
		w.dropFailed()
	}
	return err
}

// dropFailed forgets the lines a failed write could not save. A bufio.Writer keeps its
// first error for good: without this, a log file that was full for a moment would take no
// line ever again.
func (w *logWriter) dropFailed() {
	w.buf.Reset(w.out)
}

// Close stops the timer and writes out what is left; later lines are written through.
func (w *logWriter) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	err := w.flush()
	w.mu.Unlock()
	close(w.stop)
	<-w.done
	return err
}

// flushOnError passes records to h and flushes the log after each error, so that a server
// fault's lines (the error and its request's access-log line) are in the file at once,
// whatever happens next.
type flushOnError struct {
	slog.Handler
	w *logWriter
}

func (h flushOnError) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelError {
		h.w.Flush()
	}
	return err
}

func (h flushOnError) WithAttrs(attrs []slog.Attr) slog.Handler {
	return flushOnError{h.Handler.WithAttrs(attrs), h.w}
}

func (h flushOnError) WithGroup(name string) slog.Handler {
	return flushOnError{h.Handler.WithGroup(name), h.w}
}

// newLog returns the text log written to out through a logWriter, and the writer, which
// the caller closes when done.
func newLog(out io.Writer, interval time.Duration) (*slog.Logger, *logWriter) {
	w := newLogWriter(out, interval)
	return slog.New(flushOnError{slog.NewTextHandler(w, nil), w}), w
}
