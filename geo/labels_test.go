package geo

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPlaceLabelRules checks testdata/rules/place_labels.json, the golden cases that
// static/test/rules.test.js runs against the browser's placeLabels too.
func TestPlaceLabelRules(t *testing.T) {
	raw, err := os.ReadFile("../testdata/rules/place_labels.json")
	if err != nil {
		t.Fatal(err)
	}
	var rules struct {
		Cases []struct {
			Name       string            `json:"name"`
			Size       [2]float64        `json:"size"`
			RTL        bool              `json:"rtl"`
			Avoid      [][4]float64      `json:"avoid"`
			Candidates []LabelCandidate  `json:"candidates"`
			Shown      map[string]string `json:"shown"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(raw, &rules); err != nil {
		t.Fatalf("place_labels.json: %v", err)
	}
	if len(rules.Cases) == 0 {
		t.Fatal("place_labels.json has no cases")
	}
	for _, c := range rules.Cases {
		t.Run(c.Name, func(t *testing.T) {
			got := PlaceLabels(c.Candidates, c.Size[0], c.Size[1], c.RTL, c.Avoid...)
			if diff := cmp.Diff(c.Shown, got); diff != "" {
				t.Errorf("shown (-want +got):\n%s", diff)
			}
		})
	}
}
