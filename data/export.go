package data

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/frontline-maps/frontline/geo"
)

// FolderFiles is a map folder as file name to content, ready to write.
type FolderFiles map[string][]byte

// folderNames are the files an export writes, in the order they are written.
var folderNames = []string{"map.json", "regions.geojson", PlacesFile, geo.ContextFile, "events.csv", historyFile}

// ExportFolder returns the map folder of the map with the given slug, such that importing
// it gives the same map: map.json, regions.geojson with each region's id as the feature id
// and its name, capital and population as properties (so map.json names the id and name
// properties accordingly, whatever the original file used), and events.csv with the live
// events in date and recording order, which keeps the state at every date. Retracted and
// superseded events, authors and recording times are in history.csv, written when there
// is any of them to keep. Everything is read in one transaction, so the files agree.
func (s *Store) ExportFolder(ctx context.Context, slug string) (FolderFiles, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("export map %q: begin: %w", slug, err)
	}
	defer tx.Rollback() // read only: nothing to commit
	files, err := exportFolder(ctx, tx, slug)
	if err != nil {
		return nil, fmt.Errorf("export map %q: %w", slug, err)
	}
	return files, nil
}

func exportFolder(ctx context.Context, tx *sql.Tx, slug string) (FolderFiles, error) {
	var m Map
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id, `+mapColumns+` FROM maps WHERE slug = ?`, slug).Scan(append([]any{&id}, mapFields(&m)...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("map %q: %w", slug, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get map: %w", err)
	}
	m.IDProperty, m.NameProperty = "", "name"
	rows, err := tx.QueryContext(ctx, `SELECT id, name, color, name_i18n FROM factions WHERE map_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, fmt.Errorf("get factions: %w", err)
	}
	for rows.Next() {
		var f Faction
		if err := rows.Scan(&f.ID, &f.Name, &f.Color, &f.NameI18n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("get factions: %w", err)
		}
		m.Factions = append(m.Factions, f)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("get factions: %w", err)
	}
	files := FolderFiles{}
	if files["map.json"], err = encodeJSON(&m); err != nil {
		return nil, err
	}
	if files["regions.geojson"], err = exportRegions(ctx, tx, id); err != nil {
		return nil, err
	}
	if files["places.geojson"], err = exportPlaces(ctx, tx, id); err != nil {
		return nil, err
	}
	if files["places.geojson"] == nil {
		delete(files, "places.geojson")
	}
	// The context as stored, clipped: importing it again clips it to the same area.
	if c, err := contextGeoJSON(ctx, tx, id); err != nil {
		return nil, err
	} else if c != nil {
		files[geo.ContextFile] = c
	}
	if files["events.csv"], err = exportEvents(ctx, tx, id); err != nil {
		return nil, err
	}
	history, err := exportHistory(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if history != nil {
		files[historyFile] = history
	}
	return files, nil
}

// exportRegions writes the regions as RegionsGeoJSON serves them, one feature per line so
// that a diff of two exports reads region by region.
func exportRegions(ctx context.Context, tx *sql.Tx, mapID int64) ([]byte, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, name, capital, population, geometry FROM regions WHERE map_id = ? AND place = 0 ORDER BY position`, mapID)
	if err != nil {
		return nil, fmt.Errorf("get regions: %w", err)
	}
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for n := 0; rows.Next(); n++ {
		f := feature{Type: "Feature"}
		var geom string
		if err := rows.Scan(&f.ID, &f.Properties.Name, &f.Properties.Capital, &f.Properties.Population, &geom); err != nil {
			rows.Close()
			return nil, fmt.Errorf("get regions: %w", err)
		}
		f.Geometry = json.RawMessage(geom)
		line, err := json.Marshal(f)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("encode region %q: %w", f.ID, err)
		}
		if n > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
		b.Write(line)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("get regions: %w", err)
	}
	b.WriteString("\n]}\n")
	return b.Bytes(), nil
}

// exportEvents writes the live events in the order Events returns them.
func exportEvents(ctx context.Context, tx *sql.Tx, mapID int64) ([]byte, error) {
	rows, err := tx.QueryContext(ctx, `SELECT region_id, faction_id, date, source, note, confidence FROM events
		WHERE map_id = ? AND `+live+` ORDER BY date, id`, mapID)
	if err != nil {
		return nil, fmt.Errorf("get events: %w", err)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(eventsHeader)
	rec := make([]string, len(eventsHeader))
	for rows.Next() {
		if err := rows.Scan(&rec[0], &rec[1], &rec[2], &rec[3], &rec[4], &rec[5]); err != nil {
			rows.Close()
			return nil, fmt.Errorf("get events: %w", err)
		}
		w.Write(rec)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("get events: %w", err)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("encode events: %w", err)
	}
	return b.Bytes(), nil
}

// closeRows closes rows and returns the error that ended the iteration, if any.
func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}

// encodeJSON writes map.json as people write it: indented, with & and < left alone.
func encodeJSON(m *Map) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(fileOf(m)); err != nil {
		return nil, fmt.Errorf("encode map.json: %w", err)
	}
	return b.Bytes(), nil
}

// WriteFolder writes files into dir, creating it if needed. Each file is written to a
// temporary file in dir and renamed over its name, so a reader, or an export that fails
// half-way, never leaves a file half-written. dir must be empty or hold nothing but the
// files of a map folder, as an earlier export leaves it: anything else is refused, so that
// a mistyped --out never overwrites someone's work.
func WriteFolder(dir string, files FolderFiles) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read %s: %w", dir, err)
	}
	var foreign []string
	for _, e := range entries {
		if !e.Type().IsRegular() || !slices.Contains(folderNames, e.Name()) {
			foreign = append(foreign, e.Name())
		}
	}
	if len(foreign) > 0 {
		return Invalidf("%s holds %s, which a map folder does not: export into an empty directory, or one an earlier export wrote",
			dir, strings.Join(foreign, ", "))
	}
	for _, name := range folderNames {
		body, ok := files[name]
		if !ok {
			// An earlier export's file that this one has not (its places, its history) would be read
			// back with the new files: it goes.
			if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("remove the earlier %s: %w", name, err)
			}
			continue
		}
		if err := writeAtomic(filepath.Join(dir, name), body); err != nil {
			return err
		}
	}
	return nil
}

// writeAtomic replaces the file at path with body through a synced temporary file in the
// same directory and a rename.
func writeAtomic(path string, body []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(body); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(fs.FileMode(0o644)); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
