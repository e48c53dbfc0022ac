// Command map-context writes a map folder's context.geojson: the countries and coasts around
// its regions, from Natural Earth's countries as the npm package world-atlas ships them
// (TopoJSON), clipped to the map's surroundings and simplified as an import does
// (geo.Surroundings, geo.ClipContext). Maintainers run it through `go tool task context`;
// its output is committed, so building or setting up Frontline never needs it.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/paulmach/orb"

	"github.com/frontline-maps/frontline/geo"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "map-context:", err)
		os.Exit(1)
	}
}

// run parses flags, clips the countries to the folder's surroundings and writes them.
func run(args []string, stderr io.Writer) error {
	flags := flag.NewFlagSet("map-context", flag.ContinueOnError)
	flags.SetOutput(stderr)
	atlas := flags.String("atlas", ".cache/world-atlas/package/countries-50m.json", "world-atlas countries TopoJSON (Natural Earth)")
	folder := flags.String("folder", "data/maps/afghanistan-2021", "map folder whose regions.geojson the context surrounds, and where context.geojson is written")
	if err := flags.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	raw, err := os.ReadFile(*atlas)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s not found: run `go tool task context`, which downloads it first", *atlas)
	}
	if err != nil {
		return fmt.Errorf("read atlas: %w", err)
	}
	// Countries are read as regions (ids by name: some of world-atlas's have no id), which
	// repairs what the TopoJSON's rings get wrong.
	countries, err := geo.ParseTopoJSON(raw, "countries", "name", "name")
	if err != nil {
		return fmt.Errorf("%s: %w", *atlas, err)
	}
	regionsRaw, err := os.ReadFile(filepath.Join(*folder, "regions.geojson"))
	if err != nil {
		return fmt.Errorf("read regions: %w", err)
	}
	regions, err := geo.ParseRegions(regionsRaw, "", "name")
	if err != nil {
		return fmt.Errorf("regions.geojson: %w", err)
	}
	shapes := make([]geo.ContextShape, 0, len(countries))
	for _, c := range countries {
		s := geo.ContextShape{Name: c.Name}
		switch g := c.Geometry.(type) {
		case orb.Polygon:
			s.Land = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			s.Land = g
		}
		for _, p := range s.Land {
			for _, r := range p {
				s.Lines = append(s.Lines, orb.LineString(r))
			}
		}
		shapes = append(shapes, s)
	}
	around := geo.SurroundingsOf(regions)
	clipped := geo.ClipContext(shapes, around...)
	b, err := geo.MarshalContext(clipped)
	if err != nil {
		return err
	}
	out := filepath.Join(*folder, geo.ContextFile)
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	fmt.Fprintf(stderr, "%s: %d of %d countries within %v, %d bytes\n", out, len(clipped), len(countries), around, len(b))
	return nil
}
