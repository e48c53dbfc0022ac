package data

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestDatesChanged reads the change dates of compare.json's map over periods: after the
// first date, up to and including the last, each date once.
func TestDatesChanged(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "rules", "compare.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rules compareRules
	if err := json.Unmarshal(raw, &rules); err != nil {
		t.Fatal(err)
	}
	state := stateRules{Events: rules.Events}
	if err := json.Unmarshal(rules.Map, &state.Map); err != nil {
		t.Fatal(err)
	}
	s := openTestStore(t)
	m := importRulesMap(t, s, state)
	for _, c := range []struct {
		name, from, to string
		want           []string
	}{
		{"the whole map, two events on 5 January", "2021-01-01", "2021-01-31",
			[]string{"2021-01-05", "2021-01-08", "2021-01-10", "2021-01-12", "2021-01-15", "2021-01-20"}},
		{"the first date left out, the last kept", "2021-01-05", "2021-01-10", []string{"2021-01-08", "2021-01-10"}},
		{"nothing in between", "2021-01-21", "2021-01-31", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.DatesChanged(context.Background(), m, c.from, c.to)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("DatesChanged(%s, %s) (-want +got):\n%s", c.from, c.to, diff)
			}
		})
	}
}
