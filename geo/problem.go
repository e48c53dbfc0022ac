package geo

import (
	"cmp"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Message is something geo says about a layer: the id of its words in ProblemEnglish and
// the values that fill their {name} placeholders, so that a page says it in the reader's
// language (data turns it into a data.Problem, which web/i18n's catalogues word), and, in
// Msg, its English, as the command line and the logs show it.
type Message struct {
	ID string
	// Args fill the placeholders: a string verbatim (an id, a type, a file's name, a Go
	// library's own error), an int as a number in the reader's digits, a Message by its
	// own words (a ring's problem inside "region …: ring 0: …").
	Args map[string]any
	// Msg is the message in English.
	Msg string
}

// String is the message in English.
func (m Message) String() string { return m.Msg }

// say is message id filled from name, value pairs, its English written by format from the
// values in the order given, as fmt writes them (a Message by its English). format is the
// English of ProblemEnglish[id], with a verb where the template has a placeholder: the
// command line keeps exactly the English it had, and TestGeoProblemsWorded holds the two
// to each other through data's one filler.
func say(id, format string, pairs ...any) Message {
	m := Message{ID: id, Args: make(map[string]any, len(pairs)/2)}
	values := make([]any, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		m.Args[pairs[i].(string)] = pairs[i+1]
		values = append(values, pairs[i+1])
	}
	m.Msg = fmt.Sprintf(format, values...)
	return m
}

// quote is a value of the file, quoted as the English messages quote it.
func quote(s string) string { return strconv.Quote(s) }

// Problem is one thing wrong with one feature of a layer.
type Problem struct {
	// Feature is the feature's index in the FeatureCollection, from 0; -1 for the whole file.
	Feature int
	// Message is what is wrong (Msg in English).
	Message
	// Kind, when set, is Msg without what is particular to the feature (its id): problems
	// of one kind are reported once, with the features that have it.
	Kind string
	// Undrawable is set, with Region its id, when the feature is a region whose geometry
	// has nothing to draw once repaired (a line or a point at the file's precision): what
	// WithoutUndrawable may leave out.
	Undrawable bool
	Region     string
}

// String is the problem in English, with the feature it is in.
func (p Problem) String() string { return p.where().Msg }

// where is the problem with the feature it is in: its message alone for the whole file.
func (p Problem) where() Message {
	if p.Feature < 0 {
		return p.Message
	}
	return say("GeoFeature", "feature %d: %s", "feature", p.Feature, "problem", p.Message)
}

func (p Problem) kind() string { return cmp.Or(p.Kind, p.Msg) }

// fileProblem is a layer's one problem, with the file as a whole.
func fileProblem(m Message) Problems { return Problems{{Feature: -1, Message: m}} }

// Problems is every problem found in a layer. A layer with problems is rejected whole.
type Problems []Problem

// maxProblems bounds the report: past it, a file is broken in a way a list does not help
// with. Problems of one kind count once.
const maxProblems = 20

// maxFeaturesListed is how many features of one kind of problem are named.
const maxFeaturesListed = 5

// Error lists the problems in English, one a line, as Report groups them.
func (ps Problems) Error() string {
	report := ps.Report()
	lines := make([]string, len(report))
	for i, m := range report {
		lines[i] = m.Msg
	}
	return strings.Join(lines, "\n")
}

// Report is the problems as a person reads them, one message a line: those of one kind
// (the same message, or Problem.Kind) once with the features that have it, in the order
// first found, up to maxProblems of them, then how many kinds more.
func (ps Problems) Report() []Message {
	type group struct {
		first    Problem
		features []int
	}
	var groups []*group
	byKind := map[string]*group{}
	for _, p := range ps {
		if g, ok := byKind[p.kind()]; ok && p.Feature >= 0 {
			g.features = append(g.features, p.Feature)
			continue
		}
		g := &group{first: p, features: []int{p.Feature}}
		byKind[p.kind()] = g
		groups = append(groups, g)
	}
	lines := make([]Message, 0, min(len(groups), maxProblems+1))
	for i, g := range groups {
		if i == maxProblems {
			lines = append(lines, say("GeoTooMany", "too many problems: %d more kinds not listed", "count", len(groups)-i))
			break
		}
		lines = append(lines, inFeatures(g.first, g.features))
	}
	return lines
}

// inFeatures is a problem found in the given features: as the first of them alone when it
// is the only one.
func inFeatures(p Problem, features []int) Message {
	if len(features) == 1 {
		return p.where()
	}
	n := len(features)
	var where Message
	if features[n-1]-features[0]+1 == n {
		where = say("GeoFeatureRange", "%d-%d", "from", features[0], "to", features[n-1])
	} else {
		shown := features[:min(n, maxFeaturesListed)]
		where = say("GeoFeatureItem", "%d", "feature", shown[0])
		for _, f := range shown[1:] {
			where = say("GeoFeatureList", "%s, %d", "list", where, "next", f)
		}
		if n > len(shown) {
			where = say("GeoFeatureMore", "%s and %d more", "list", where, "more", n-len(shown))
		}
	}
	return say("GeoFeatures", "features %s (%d features): %s", "features", where, "count", n, "problem", p.Message)
}

var (
	quoted    = regexp.MustCompile(`"[^"]*"`)
	positions = regexp.MustCompile(`\[[^\]]*\]`)
)

// add records a problem of feature i (-1 for the file as a whole), its kind derived from
// its message, as every reader of a layer reports them.
func (ps *Problems) add(i int, m Message) {
	*ps = append(*ps, Problem{Feature: i, Message: m, Kind: problemKind(m.Msg)})
}

// problemKind is a problem's message without the feature's id and positions, so that one
// cause found in many features is reported once.
func problemKind(msg string) string {
	return positions.ReplaceAllString(quoted.ReplaceAllString(msg, `"…"`), "[…]")
}

// ProblemEnglish is every message of geo's in English: the source of the words, which
// web/i18n's English catalogue repeats (TestGeoProblemsCatalogued holds it to this) and
// every other catalogue translates, and which each say's format writes with verbs
// (TestSayAsCatalogued). To add one: add its id and English here and in
// web/i18n/active.en.toml, its translation to every other catalogue, and say(id, …).
var ProblemEnglish = map[string]string{
	// Where a problem is, and how many.
	"GeoFeature":      "feature {feature}: {problem}",
	"GeoFeatures":     "features {features} ({count} features): {problem}",
	"GeoFeatureRange": "{from}-{to}",
	"GeoFeatureItem":  "{feature}",
	"GeoFeatureList":  "{list}, {next}",
	"GeoFeatureMore":  "{list} and {more} more",
	"GeoTooMany":      "too many problems: {count} more kinds not listed",
	"GeoInFile":       "{file}: {problem}",
	// A GeoJSON file.
	"GeoJSONNot":             "not valid JSON: {detail}",
	"GeoNotCollection":       "not a GeoJSON FeatureCollection (type is {type})",
	"GeoNotCollectionDetail": "not a GeoJSON FeatureCollection: {detail}",
	"GeoNoFeatures":          "the FeatureCollection has no features",
	"GeoLayerEmpty":          "the layer has no features",
	"GeoFeatureNot":          "not a valid GeoJSON feature: {detail}",
	// A feature's id.
	"GeoNoID":           `no id: the feature has no "id" member`,
	"GeoNoIDProperty":   "no id: property {property} is missing or empty; {hint}",
	"GeoPropertyCase":   "did you mean {property}? (id_property and name_property are matched exactly)",
	"GeoPropertyNone":   `the feature has no properties with a value: set id_property to "" to use the feature's id`,
	"GeoProperties":     "the feature's properties are {properties}",
	"GeoPropertiesMore": "the feature's properties are {properties} and {more} more",
	"GeoDuplicateID":    "duplicate id {id} (also feature {first})",
	// A region's geometry: what cannot be drawn, once repaired.
	"GeoRegion":           "region {region}: {problem}",
	"GeoRegionNoGeometry": "region {region} has no geometry",
	"GeoRegionType":       "region {region} is a {type}; only Polygon and MultiPolygon are regions",
	"GeoNoGeometry":       "no geometry",
	"GeoNotPolygon":       "is a {type}; only Polygon and MultiPolygon are regions",
	"GeoEmptyMulti":       "empty MultiPolygon: nothing to draw",
	"GeoPolygon":          "polygon {polygon}: {problem}",
	"GeoRing":             "ring {ring}: {problem}",
	"GeoPositionNaN":      "position {position} is not a number",
	"GeoLongitude":        "position {position} has longitude outside -180..180 (RFC 7946: cut a polygon that crosses the antimeridian into a MultiPolygon at 180)",
	"GeoLatitude":         "position {position} has latitude outside -90..90",
	"GeoNoPolygonLeft":    "no polygon is left once rings with no area are dropped: nothing to draw (at the file's precision the region is a line or a point; take it out of the layer, or use a finer layer)",
	"GeoRebuiltNothing":   "not a valid polygon ({detail}), and rebuilding it as Leaflet fills it left nothing to draw",
	// What was repaired (the Repair constants; Repaired.Message).
	"GeoRepairClosed":     RepairClosed,
	"GeoRepairDuplicates": RepairDuplicates,
	"GeoRepairSpikes":     RepairSpikes,
	"GeoRepairDegenerate": RepairDegenerate,
	"GeoRepairCrossing":   RepairCrossing,
	"GeoRepairRings":      RepairRings,
	"GeoRepairWinding":    RepairWinding,
	// A places layer.
	"GeoPlaceNoGeometry": "place {place} has no geometry",
	"GeoPlaceType":       "place {place} is a {type}; only Point features are places",
	"GeoPlaceRange":      "place {place}: position {position} is out of range: longitude -180..180 first, then latitude -90..90",
	"GeoPlaceIDTaken":    "id {id} is also a region's: a place's id must differ from every region's, as events name either",
	// A context layer.
	"GeoContextNoGeometry": "geometry is missing; a context layer holds polygons (land) and lines (borders, coasts)",
	"GeoContextType":       "geometry is {type}; a context layer holds polygons (land) and lines (borders, coasts)",
	// A TopoJSON file.
	"GeoNotTopology":     "not a TopoJSON Topology (type is {type})",
	"GeoObjectsNot":      "objects: {detail}",
	"GeoNoObjects":       "the topology has no objects",
	"GeoNoObject":        "the topology has no object {object}; its objects are {objects}",
	"GeoObjectNot":       "object {object}: {detail}",
	"GeoTopoGeometryNot": "not a valid TopoJSON geometry: {detail}",
	"GeoArcs":            "arcs: {problem}",
	"GeoArcMissing":      "arc {arc} does not exist; the topology has {arcs}",
	// A zipped Shapefile.
	"GeoZipNot":          "not a zip file: {detail}",
	"GeoZipNoShp":        "the zip holds no .shp file; a zipped Shapefile holds NAME.shp, NAME.dbf and NAME.prj",
	"GeoZipLayers":       "the zip holds {count} layers ({files}); zip only the one to import",
	"GeoZipLarge":        "{file} is larger than {size} MB",
	"GeoZipNoDbf":        "the zip holds {layer}.shp but no {layer}.dbf, which holds the regions' ids and names",
	"GeoShpDbfCount":     "{layer}.shp has {shapes} shapes and {layer}.dbf {records} records; they must be one layer's",
	"GeoPrjProjected":    "{layer}.prj says the layer is projected in {projection}; Frontline reads WGS84 longitude and latitude (EPSG:4326) or Web Mercator (EPSG:3857): reproject it first, e.g. ogr2ogr -t_srs EPSG:4326 out.shp {layer}.shp",
	"GeoPrjDatum":        "{layer}.prj says the layer is in {system} (datum {datum}); Frontline reads WGS84 longitude and latitude (EPSG:4326) or Web Mercator (EPSG:3857): reproject it first, e.g. ogr2ogr -t_srs EPSG:4326 out.shp {layer}.shp",
	"GeoPrjUnknown":      "{layer}.prj is not a projection Frontline can read (it begins {start}); Frontline reads WGS84 longitude and latitude (EPSG:4326) or Web Mercator (EPSG:3857)",
	"GeoShpNot":          "not a Shapefile (no file code 9994 in its header)",
	"GeoShpCut":          "record {record} is cut short ({bytes} bytes of {length})",
	"GeoShpRecord":       "record {record}: {problem}",
	"GeoShpPolygonShort": "a polygon record of {bytes} bytes",
	"GeoShpPartsFit":     "{parts} parts of {points} points do not fit in {bytes} bytes",
	"GeoShpPartStart":    "part {part} starts at point {start} of {points}",
	"GeoShapeType":       "region {region} is a {type}; only Polygon shapes are regions",
	"GeoShapeNumber":     "region {region} is a shape of type {type}; only Polygon shapes are regions",
	"GeoDbfNot":          "not a dBASE table ({bytes} bytes)",
	"GeoDbfHeader":       "a header of {header} bytes in a file of {bytes}",
	"GeoDbfFields":       "fields of {fields} bytes in records of {record}",
	"GeoDbfRecords":      "{count} records of {record} bytes do not fit in the file",
}
