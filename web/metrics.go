package web

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
)

// httpMetrics counts requests by route, method and status and times them by route. The
// counters of each (route, method, status) are looked up once and kept: the client's
// WithLabelValues hashes its labels and builds a slice on every call, which the state
// endpoint, answering from memory in microseconds, would feel.
type httpMetrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec

	mu     sync.RWMutex
	series map[seriesKey]*series
}

type seriesKey struct {
	route, method string
	status        int
}

type series struct {
	count   prometheus.Counter
	latency prometheus.Observer
}

// newHTTPMetrics registers the server's metrics with reg, or returns nil when reg is nil:
// then observe costs nothing.
func newHTTPMetrics(reg prometheus.Registerer, states *stateCache, images *imageCache) *httpMetrics {
	if reg == nil {
		return nil
	}
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "frontline_http_requests_total",
			Help: "HTTP requests answered, by route (the pattern in routes.go), method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "frontline_http_request_duration_seconds",
			Help: "Time from a request's arrival to its answer, by route.",
			// From the state endpoint's tens of microseconds to a large PNG's second.
			Buckets: []float64{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5},
		}, []string{"route"}),
		series: map[seriesKey]*series{},
	}
	reg.MustRegister(m.requests, m.latency,
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "frontline_state_cache_hits_total",
			Help: "State documents answered from memory, without a database query.",
		}, func() float64 { return float64(states.hits.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "frontline_state_cache_misses_total",
			Help: "State documents computed from the database.",
		}, func() float64 { return float64(states.misses.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "frontline_pictures_drawn_total",
			Help: "Map pictures (PNG and SVG) drawn; the rest were answered from memory.",
		}, func() float64 { return float64(images.drawn.Load()) }),
	)
	return m
}

// observe is the middleware that records each request once it is answered. It runs
// outside logRequests, which has the error handler answer any error, so the status is the
// one the reader got.
func (m *httpMetrics) observe(next echo.HandlerFunc) echo.HandlerFunc {
	if m == nil {
		return next
	}
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		s := m.seriesOf(c.Path(), c.Request().Method, c.Response().Status)
		s.count.Inc()
		s.latency.Observe(time.Since(start).Seconds())
		return err
	}
}

// seriesOf returns the counters of a route, method and status, made on first use. The
// labels are bounded: routes are routes.go's patterns (echo names an unknown path by the
// nearest one) and methods outside HTTP's own are counted as "other".
func (m *httpMetrics) seriesOf(route, method string, status int) *series {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
	default:
		method = "other"
	}
	if route == "" {
		route = "none"
	}
	k := seriesKey{route, method, status}
	m.mu.RLock()
	s := m.series[k]
	m.mu.RUnlock()
	if s != nil {
		return s
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if s = m.series[k]; s == nil {
		s = &series{
			count:   m.requests.WithLabelValues(route, method, strconv.Itoa(status)),
			latency: m.latency.WithLabelValues(route),
		}
		m.series[k] = s
	}
	return s
}
