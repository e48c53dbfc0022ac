package data

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
)

// builtin holds the map folders shipped inside the binary, one directory each.
//
//go:embed maps
var builtin embed.FS

// BuiltinAuthor is the author recorded on the events of built-in maps.
const BuiltinAuthor = "frontline"

// ImportAuthor is the author recorded on events that `frontline import` reads from a file.
const ImportAuthor = "import"

// Builtin returns the built-in map folder with the given slug.
func Builtin(slug string) (*Folder, error) {
	sub, err := fs.Sub(builtin, "maps/"+slug)
	if err != nil {
		return nil, fmt.Errorf("built-in map %q: %w", slug, err)
	}
	f, err := LoadFolder(sub)
	if err != nil {
		return nil, fmt.Errorf("built-in map %q: %w", slug, err)
	}
	return f, nil
}

// BuiltinSlugs lists the built-in maps.
func BuiltinSlugs() []string {
	entries, _ := fs.ReadDir(builtin, "maps")
	slugs := make([]string, 0, len(entries))
	for _, e := range entries {
		if e.IsDir() {
			slugs = append(slugs, e.Name())
		}
	}
	return slugs
}

// Seed gives an empty database the built-in maps, through the same loader as any map folder.
// A database that holds any map is left as it is.
func (s *Store) Seed(ctx context.Context, log *slog.Logger) error {
	has, err := s.HasMaps(ctx)
	if err != nil || has {
		return err
	}
	for _, slug := range BuiltinSlugs() {
		f, err := Builtin(slug)
		if err != nil {
			return err
		}
		if err := s.Import(ctx, f, BuiltinAuthor, false); err != nil {
			return err
		}
		log.Info("loaded built-in map", "map", slug, "regions", len(f.Regions), "events", len(f.Events))
	}
	return nil
}
