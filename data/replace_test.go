package data

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
)

// TestReplaceKeepsEditorsChanges: `import --replace` of a folder that lacks what editors
// did on the website is refused, naming how many and by whom, and changes nothing; with
// DiscardEdits it goes ahead; a folder exported after the edits replaces the map.
func TestReplaceKeepsEditorsChanges(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t, withBuiltins())
	const slug = "afghanistan-2021"
	original, err := Builtin(slug)
	if err != nil {
		t.Fatal(err)
	}
	e := Event{Region: "AF-WAR", Faction: "resistance", Date: "2021-08-20", Source: "https://example.org/war", Confidence: Confirmed}
	if err := s.Record(ctx, slug, &e, "alice", 0); err != nil {
		t.Fatal(err)
	}
	balkh, err := s.RegionEvents(ctx, slug, "AF-BAL")
	if err != nil || len(balkh) == 0 {
		t.Fatalf("Balkh: %v %v", balkh, err)
	}
	if err := s.Retract(ctx, slug, balkh[0].ID, "bob", "wrong date in the wire copy"); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Events(ctx, slug)

	_, err = s.ImportFolder(ctx, original, ImportOptions{Author: "import", Replace: true})
	if err == nil || !strings.Contains(err.Error(), "would lose 1 event recorded and 1 retraction by editors on the website (alice, bob)") ||
		!strings.Contains(err.Error(), "--discard-edits") {
		t.Fatalf("replace over editors' changes: err = %v", err)
	}
	if after, _ := s.Events(ctx, slug); len(after) != len(before) {
		t.Errorf("the refused import changed the map: %d live events, were %d", len(after), len(before))
	}

	// Exported after the edits, the folder holds them: it replaces the map.
	files, err := s.ExportFolder(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: body}
	}
	exported, err := LoadFolder(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportFolder(ctx, exported, ImportOptions{Author: "import", Replace: true}); err != nil {
		t.Errorf("replace with a folder exported after the edits: %v", err)
	}

	// Once the edits are the import's own, nothing of an editor's is left to lose.
	if err := s.Record(ctx, slug, &Event{Region: "AF-KAB", Faction: "resistance", Date: "2021-08-21", Source: "https://example.org/kab", Confidence: Confirmed}, "carol", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportFolder(ctx, original, ImportOptions{Author: "import", Replace: true, DiscardEdits: true}); err != nil {
		t.Errorf("replace with DiscardEdits: %v", err)
	}
	if after, _ := s.Events(ctx, slug); len(after) != len(original.Events) {
		t.Errorf("after replacing with DiscardEdits: %d live events, want the folder's %d", len(after), len(original.Events))
	}
}
