package data

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

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
