package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// UpdateMap changes a map's title, description, attribution, dates and its factions' names
// and colours to those of edit, checked by the rules of map.json. Faction ids stay as they
// are, events name them: a faction of edit that the map has not is refused, and one it
// leaves out keeps its name and colour. The dates must still hold every live event.
func (s *Store) UpdateMap(ctx context.Context, slug string, edit Map) error {
	m, err := s.Map(ctx, slug)
	if err != nil {
		return err
	}
	next := *m
	next.Title, next.Description, next.Attribution = edit.Title, edit.Description, edit.Attribution
	next.Start, next.End, next.DefaultDate = edit.Start, edit.End, edit.DefaultDate
	next.Factions = append([]Faction(nil), m.Factions...)
	for _, fe := range edit.Factions {
		i := -1
		for j, f := range next.Factions {
			if f.ID == fe.ID {
				i = j
			}
		}
		if i < 0 {
			return Invalid(P("MapEditFaction", "faction", quote(fe.ID)))
		}
		next.Factions[i].Name, next.Factions[i].Color = fe.Name, fe.Color
	}
	raw, err := json.Marshal(&next)
	if err != nil {
		return err
	}
	var checked Map
	if err := decodeMap(raw, &checked); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := mapID(ctx, tx, slug)
		if err != nil {
			return err
		}
		var outside int
		var first sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT count(*), min(date) FROM events WHERE map_id = ? AND `+live+`
			AND (date < ? OR date > ?)`, id, checked.Start, checked.End).Scan(&outside, &first); err != nil {
			return fmt.Errorf("check dates: %w", err)
		}
		if outside > 0 {
			return Invalid(P("MapEditOutside", "count", outside, "start", checked.Start, "end", checked.End, "first", first.String))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE maps SET title = ?, description = ?, attribution = ?, start_date = ?, end_date = ?,
			default_date = ?, revision = revision + 1 WHERE id = ?`,
			checked.Title, checked.Description, checked.Attribution, checked.Start, checked.End, checked.DefaultDate, id); err != nil {
			return fmt.Errorf("update map %q: %w", slug, err)
		}
		for _, f := range checked.Factions {
			if _, err := tx.ExecContext(ctx, `UPDATE factions SET name = ?, color = ? WHERE map_id = ? AND id = ?`, f.Name, f.Color, id, f.ID); err != nil {
				return fmt.Errorf("update faction %q: %w", f.ID, err)
			}
		}
		return nil
	})
}
