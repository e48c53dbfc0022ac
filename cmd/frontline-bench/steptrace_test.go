package main

import (
	"encoding/json"
	"math"
	"testing"
)

// TestStepCostsOtherThreads: a step is charged the CPU of the other processes' threads
// within its marks, by process, each thread's outermost events only, an event across a
// mark in proportion; the page's main thread, other pages' renderers and events outside
// every step count nowhere.
func TestStepCostsOtherThreads(t *testing.T) {
	raw := `[
		{"name": "process_name", "ph": "M", "pid": 1, "tid": 0, "args": {"name": "Renderer"}},
		{"name": "process_name", "ph": "M", "pid": 2, "tid": 0, "args": {"name": "Browser"}},
		{"name": "process_name", "ph": "M", "pid": 3, "tid": 0, "args": {"name": "GPU Process"}},
		{"name": "process_name", "ph": "M", "pid": 4, "tid": 0, "args": {"name": "Renderer"}},
		{"name": "step-start", "ph": "R", "pid": 1, "tid": 1, "ts": 1000},
		{"name": "step-end", "ph": "R", "pid": 1, "tid": 1, "ts": 5000},
		{"name": "ThreadControllerImpl::RunTask", "ph": "X", "pid": 1, "tid": 1, "ts": 1100, "dur": 3000, "tdur": 2900},
		{"name": "ThreadControllerImpl::RunTask", "ph": "X", "pid": 1, "tid": 2, "ts": 1500, "dur": 200, "tdur": 200},
		{"name": "ThreadControllerImpl::RunTask", "ph": "X", "pid": 2, "tid": 7, "ts": 2000, "dur": 1000, "tdur": 800},
		{"name": "Receive mojo message", "ph": "X", "pid": 2, "tid": 7, "ts": 2100, "dur": 100, "tdur": 100},
		{"name": "ThreadControllerImpl::RunTask", "ph": "X", "pid": 3, "tid": 9, "ts": 4500, "dur": 1000, "tdur": 1000},
		{"name": "ThreadControllerImpl::RunTask", "ph": "X", "pid": 4, "tid": 1, "ts": 2000, "dur": 500, "tdur": 500},
		{"name": "ThreadControllerImpl::RunTask", "ph": "X", "pid": 2, "tid": 7, "ts": 6000, "dur": 500, "tdur": 500}
	]`
	var events []traceEvent
	if err := json.Unmarshal([]byte(raw), &events); err != nil {
		t.Fatal(err)
	}
	steps, _, _ := stepCosts(events)
	if len(steps) != 1 {
		t.Fatalf("%d steps, want 1", len(steps))
	}
	for _, tt := range []struct {
		figure string
		want   float64
	}{
		{"browser process CPU ms", 0.8},          // the nested mojo message is inside the task
		{"GPU process CPU ms", 0.5},              // half of it within the step
		{"renderer's other threads CPU ms", 0.2}, // the compositor's, not the main thread's
		{"main thread CPU ms", 2.9},              // its task's CPU, not its wall time
	} {
		if got := steps[0][tt.figure]; math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s = %g, want %g", tt.figure, got, tt.want)
		}
	}
}
