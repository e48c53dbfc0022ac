package data

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// TestFolderRefusesControlCharacters: a title, faction name or region name with a terminal
// escape or a bell is refused, named, and the message holds no raw control character.
func TestFolderRefusesControlCharacters(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(fstest.MapFS)
		want   string
	}{
		{"escape_in_title", func(f fstest.MapFS) {
			f["map.json"].Data = []byte(strings.Replace(testMapJSON, `"title": "Test map"`, `"title": "War\u001b[2J"`, 1))
		}, "title holds the control character U+001B"},
		{"bell_in_faction_name", func(f fstest.MapFS) {
			f["map.json"].Data = []byte(strings.Replace(testMapJSON, `"name": "Rebels"`, `"name": "Rebels\u0007"`, 1))
		}, "faction 2 (reb): name holds the control character U+0007"},
		{"escape_in_region_name", func(f fstest.MapFS) {
			f["regions.geojson"].Data = []byte(strings.Replace(squares(3), `"Region 1"`, `"Region\u001b]0;pwned\u0007"`, 1))
		}, `regions: feature 1 ("R1"): name holds the control character U+001B`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := testFolder("")
			tc.change(f)
			_, err := LoadFolder(f)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if strings.ContainsAny(err.Error(), "\x1b\x07") {
				t.Errorf("the message holds a raw control character: %q", err.Error())
			}
		})
	}
	// A description may have lines.
	f := testFolder("")
	f["map.json"].Data = []byte(strings.Replace(testMapJSON, `"description": ""`, `"description": "Two\nlines"`, 1))
	if _, err := LoadFolder(f); err != nil {
		t.Errorf("a description with a newline: %v", err)
	}
}

// TestDirFolderRefusesSymlinks: a map folder's symbolic link is named and not followed.
func TestDirFolderRefusesSymlinks(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "map.json"), []byte(testMapJSON), 0o600)
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "regions.geojson")); err != nil {
		t.Fatal(err)
	}
	_, err := DirFolder(dir)
	if err == nil || !strings.Contains(err.Error(), "regions.geojson (to /etc/passwd)") {
		t.Fatalf("err = %v, want the link named", err)
	}
	if strings.Contains(err.Error(), "root:") {
		t.Errorf("the message echoes the link's target: %v", err)
	}
}
