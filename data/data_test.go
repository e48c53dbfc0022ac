package data

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// openTestStore opens a fresh database file in a temporary directory.
func openTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

const testMapJSON = `{
  "slug": "test", "title": "Test map", "description": "", "attribution": "",
  "start": "2021-01-01", "end": "2021-01-31", "default_date": "2021-01-10",
  "initial": "gov", "id_property": "", "name_property": "name",
  "factions": [{"id": "gov", "name": "Government", "color": "#0000ff"},
               {"id": "reb", "name": "Rebels", "color": "#FF0000"}]
}`

// squares returns a FeatureCollection of n unit squares in a row, ids R0..Rn-1.
func squares(n int) string {
	var fs []string
	for i := 0; i < n; i++ {
		fs = append(fs, fmt.Sprintf(`{"type":"Feature","id":"R%d","properties":{"name":"Region %d"},
			"geometry":{"type":"Polygon","coordinates":[[[%d,0],[%d,0],[%d,1],[%d,1],[%d,0]]]}}`, i, i, i, i+1, i+1, i, i))
	}
	return `{"type":"FeatureCollection","features":[` + strings.Join(fs, ",") + `]}`
}

func testFolder(events string) fstest.MapFS {
	fsys := fstest.MapFS{
		"map.json":        {Data: []byte(testMapJSON)},
		"regions.geojson": {Data: []byte(squares(3))},
	}
	if events != "" {
		fsys["events.csv"] = &fstest.MapFile{Data: []byte(events)}
	}
	return fsys
}

// importTest loads a test folder with the given events CSV body (after the header) into s.
func importTest(t *testing.T, s *Store, rows string) *Map {
	t.Helper()
	f, err := LoadFolder(testFolder("region,faction,date,source,note,confidence\n" + rows))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Import(context.Background(), f, "test", false); err != nil {
		t.Fatal(err)
	}
	m, err := s.Map(context.Background(), "test")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestState(t *testing.T) {
	const src = "https://example.org/a"
	tests := []struct {
		name string
		rows string
		date string
		want map[string]string // region -> "faction since"
	}{
		{
			name: "no_event_holds_initial_since_start",
			date: "2021-01-10",
			want: map[string]string{"R0": "gov 2021-01-01", "R1": "gov 2021-01-01", "R2": "gov 2021-01-01"},
		},
		{
			name: "latest_event_on_or_before_date_wins",
			rows: "R0,reb,2021-01-05," + src + ",,\nR0,gov,2021-01-08," + src + ",,\nR0,reb,2021-01-20," + src + ",,\n",
			date: "2021-01-10",
			want: map[string]string{"R0": "gov 2021-01-08", "R1": "gov 2021-01-01", "R2": "gov 2021-01-01"},
		},
		{
			name: "event_on_the_date_counts",
			rows: "R1,reb,2021-01-10," + src + ",,\n",
			date: "2021-01-10",
			want: map[string]string{"R0": "gov 2021-01-01", "R1": "reb 2021-01-10", "R2": "gov 2021-01-01"},
		},
		{
			name: "event_after_the_date_does_not_count",
			rows: "R1,reb,2021-01-11," + src + ",,\n",
			date: "2021-01-10",
			want: map[string]string{"R0": "gov 2021-01-01", "R1": "gov 2021-01-01", "R2": "gov 2021-01-01"},
		},
		{
			name: "same_date_later_recorded_wins",
			rows: "R2,reb,2021-01-05," + src + ",,\nR2,gov,2021-01-05," + src + ",,\n",
			date: "2021-01-31",
			want: map[string]string{"R0": "gov 2021-01-01", "R1": "gov 2021-01-01", "R2": "gov 2021-01-05"},
		},
		{
			name: "recording_order_not_file_position_of_dates",
			rows: "R2,reb,2021-01-09," + src + ",,\nR2,gov,2021-01-02," + src + ",,\n",
			date: "2021-01-10",
			want: map[string]string{"R0": "gov 2021-01-01", "R1": "gov 2021-01-01", "R2": "reb 2021-01-09"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTestStore(t)
			m := importTest(t, s, tt.rows)
			st, err := s.State(context.Background(), m, tt.date)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, h := range st.Holdings {
				got[h.Region.ID] = h.Faction + " " + h.Since
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("state at %s (-want +got):\n%s", tt.date, diff)
			}
		})
	}
}

func TestStateCounts(t *testing.T) {
	s := openTestStore(t)
	m := importTest(t, s, "R0,reb,2021-01-05,https://example.org,,claimed\n")
	st, err := s.State(context.Background(), m, "2021-01-06")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int{"gov": 2, "reb": 1}, st.Counts(m)); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if !st.Holdings[0].Claimed() {
		t.Errorf("R0 holding should be a claim: %+v", st.Holdings[0])
	}
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
