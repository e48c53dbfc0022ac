package geo

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"io"
	"math"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// maxShapefilePart bounds what is read of one file of a zipped Shapefile, so that a zip
// bomb cannot take the server's memory: 1 GiB, more than any region layer needs.
const maxShapefilePart = 1 << 30

// ParseShapefileZip reads the regions of a zipped Shapefile (what governments and GADM
// publish): the .shp's Polygon records, the .dbf's attributes as properties, and the
// .prj, which must say WGS84 longitude and latitude or Web Mercator (EPSG:3857), which is
// projected back; any other projection is refused, naming it. Each record becomes a
// feature read as ParseRegions reads one (idProp, nameProp, the same repairs and
// refusals); features are counted from 0 in the file's order.
func ParseShapefileZip(raw []byte, idProp, nameProp string, opts ...Option) ([]Region, error) {
	fail := func(m Message) ([]Region, error) { return nil, fileProblem(m) }
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return fail(say("GeoZipNot", "not a zip file: %s", "detail", err.Error()))
	}
	files := map[string]*zip.File{} // by lower-case extension, for the one .shp's base name
	var shps []string
	for _, f := range zr.File {
		if strings.EqualFold(path.Ext(f.Name), ".shp") && !strings.HasPrefix(path.Base(f.Name), ".") {
			shps = append(shps, f.Name)
		}
	}
	switch len(shps) {
	case 0:
		return fail(say("GeoZipNoShp", "the zip holds no .shp file; a zipped Shapefile holds NAME.shp, NAME.dbf and NAME.prj"))
	case 1:
	default:
		return fail(say("GeoZipLayers", "the zip holds %d layers (%s); zip only the one to import", "count", len(shps), "files", strings.Join(shps, ", ")))
	}
	base := strings.TrimSuffix(shps[0], path.Ext(shps[0]))
	for _, f := range zr.File {
		if strings.EqualFold(strings.TrimSuffix(f.Name, path.Ext(f.Name)), base) {
			files[strings.ToLower(path.Ext(f.Name))] = f
		}
	}
	// read returns the file of the layer with extension ext, nil when the zip has none.
	read := func(ext string) ([]byte, Message) {
		f, ok := files[ext]
		if !ok {
			return nil, Message{}
		}
		rc, err := f.Open()
		if err != nil {
			return nil, say("GeoInFile", "%s: %s", "file", f.Name, "problem", err.Error())
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, maxShapefilePart+1))
		if err != nil {
			return nil, say("GeoInFile", "%s: %s", "file", f.Name, "problem", err.Error())
		}
		if len(b) > maxShapefilePart {
			return nil, say("GeoZipLarge", "%s is larger than %d MB", "file", f.Name, "size", maxShapefilePart>>20)
		}
		return b, Message{}
	}
	var layerFiles [4][]byte // .shp, .dbf, .prj, .cpg
	for i, ext := range []string{".shp", ".dbf", ".prj", ".cpg"} {
		var m Message
		if layerFiles[i], m = read(ext); m.ID != "" {
			return fail(m)
		}
	}
	shp, dbf, prj, cpg := layerFiles[0], layerFiles[1], layerFiles[2], layerFiles[3]
	if dbf == nil {
		return fail(say("GeoZipNoDbf", "the zip holds %s.shp but no %s.dbf, which holds the regions' ids and names", "layer", base, "layer", base))
	}
	unproject, m := projection(prj, base)
	if m.ID != "" {
		return fail(m)
	}
	shapes, m := readShp(shp)
	if m.ID != "" {
		return fail(say("GeoInFile", "%s: %s", "file", base+".shp", "problem", m))
	}
	records, m := readDbf(dbf, latin1(cpg))
	if m.ID != "" {
		return fail(say("GeoInFile", "%s: %s", "file", base+".dbf", "problem", m))
	}
	if len(records) != len(shapes) {
		return fail(say("GeoShpDbfCount", "%s.shp has %d shapes and %s.dbf %d records; they must be one layer's",
			"layer", base, "shapes", len(shapes), "layer", base, "records", len(records)))
	}
	l := newLayer(len(shapes), idProp, nameProp, opts)
	for i, s := range shapes {
		f := &geojson.Feature{Type: "Feature", Properties: records[i]}
		switch {
		case s.typ == 0:
			// A null shape: region() says it has no geometry.
		case s.typ != 5 && s.typ != 15 && s.typ != 25:
			l.problems.add(i, shapeType(scalar(f.Properties[idProp]), s.typ))
			continue
		default:
			f.Geometry = assemble(s.rings, unproject)
		}
		l.add(i, f)
	}
	return l.result()
}

// latin1 reports whether a .cpg names a Latin-1 or Windows code page rather than UTF-8;
// a .dbf with no .cpg is read as UTF-8 when it is valid UTF-8, else as Latin-1.
func latin1(cpg []byte) bool {
	c := strings.ToUpper(strings.TrimSpace(string(cpg)))
	return c != "" && !strings.Contains(c, "UTF") && (strings.Contains(c, "8859") || strings.Contains(c, "1252") || strings.Contains(c, "LATIN"))
}

var (
	projcsName = regexp.MustCompile(`^\s*PROJCS\s*\[\s*"([^"]*)"`)
	geogcsName = regexp.MustCompile(`GEOGCS\s*\[\s*"([^"]*)"`)
	datumName  = regexp.MustCompile(`DATUM\s*\[\s*"([^"]*)"`)
)

// webMercatorRadius is the sphere's radius of Web Mercator (EPSG:3857), in metres.
const webMercatorRadius = 6378137.0

// projection reads a .prj and returns what turns its coordinates into longitude and
// latitude, or a Message naming the projection when it is neither WGS84 nor Web Mercator.
// A Shapefile without a .prj is taken as longitude and latitude, as most tools do; the
// range check refuses it when it is not.
func projection(prj []byte, base string) (func(orb.Point) orb.Point, Message) {
	wkt := strings.TrimSpace(string(prj))
	if wkt == "" {
		return nil, Message{}
	}
	upper := strings.ToUpper(wkt)
	if m := projcsName.FindStringSubmatch(wkt); m != nil {
		name := strings.ToUpper(m[1])
		if strings.Contains(name, "PSEUDO") && strings.Contains(name, "MERCATOR") || strings.Contains(name, "WEB_MERCATOR") ||
			strings.Contains(name, "WEB MERCATOR") || strings.Contains(upper, "MERCATOR_AUXILIARY_SPHERE") || strings.Contains(upper, `"EPSG","3857"`) {
			return func(p orb.Point) orb.Point {
				lon := p[0] / webMercatorRadius * 180 / math.Pi
				lat := (2*math.Atan(math.Exp(p[1]/webMercatorRadius)) - math.Pi/2) * 180 / math.Pi
				// A border on the antimeridian comes back a rounding error past it.
				if math.Abs(lon) > 180 && math.Abs(lon) < 180+1e-9 {
					lon = math.Copysign(180, lon)
				}
				return orb.Point{lon, lat}
			}, Message{}
		}
		return nil, say("GeoPrjProjected", "%s.prj says the layer is projected in %s; Frontline reads WGS84 longitude and latitude (EPSG:4326) or Web Mercator (EPSG:3857): reproject it first, e.g. ogr2ogr -t_srs EPSG:4326 out.shp %s.shp",
			"layer", base, "projection", quote(m[1]), "layer", base)
	}
	if geogcsName.MatchString(wkt) {
		datum := ""
		if m := datumName.FindStringSubmatch(wkt); m != nil {
			datum = strings.ToUpper(m[1])
		}
		if strings.Contains(datum, "WGS_1984") || strings.Contains(datum, "WGS 1984") || strings.Contains(datum, "WGS84") || strings.Contains(datum, "WORLD GEODETIC SYSTEM 1984") {
			return nil, Message{}
		}
		name := geogcsName.FindStringSubmatch(wkt)[1]
		return nil, say("GeoPrjDatum", "%s.prj says the layer is in %s (datum %s); Frontline reads WGS84 longitude and latitude (EPSG:4326) or Web Mercator (EPSG:3857): reproject it first, e.g. ogr2ogr -t_srs EPSG:4326 out.shp %s.shp",
			"layer", base, "system", quote(name), "datum", quote(datum), "layer", base)
	}
	return nil, say("GeoPrjUnknown", "%s.prj is not a projection Frontline can read (it begins %s); Frontline reads WGS84 longitude and latitude (EPSG:4326) or Web Mercator (EPSG:3857)",
		"layer", base, "start", quote(wkt[:min(len(wkt), 40)]))
}

// shape is one record of a .shp: its type and, for polygons, its rings as written.
type shape struct {
	typ   int32
	rings []orb.Ring
}

// readShp reads the records of a .shp file (ESRI Shapefile Technical Description, 1998):
// a 100-byte header, then records of a big-endian header and a little-endian body.
func readShp(b []byte) ([]shape, Message) {
	if len(b) < 100 || binary.BigEndian.Uint32(b) != 9994 {
		return nil, say("GeoShpNot", "not a Shapefile (no file code 9994 in its header)")
	}
	var shapes []shape
	for off := 100; off+8 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[off+4:])) * 2 // content length, in 16-bit words
		body := b[off+8:]
		if n < 4 || n > len(body) {
			return nil, say("GeoShpCut", "record %d is cut short (%d bytes of %d)", "record", len(shapes)+1, "bytes", len(body), "length", n)
		}
		body = body[:n]
		s := shape{typ: int32(binary.LittleEndian.Uint32(body))}
		if s.typ == 5 || s.typ == 15 || s.typ == 25 {
			rings, m := polygonRecord(body)
			if m.ID != "" {
				return nil, say("GeoShpRecord", "record %d: %s", "record", len(shapes)+1, "problem", m)
			}
			s.rings = rings
		}
		shapes = append(shapes, s)
		off += 8 + n
	}
	return shapes, Message{}
}

// polygonRecord reads a Polygon record's parts: type, box, part and point counts, the
// parts' starts, then the points (any Z or M values follow, and are left).
func polygonRecord(body []byte) ([]orb.Ring, Message) {
	if len(body) < 44 {
		return nil, say("GeoShpPolygonShort", "a polygon record of %d bytes", "bytes", len(body))
	}
	parts := int(binary.LittleEndian.Uint32(body[36:]))
	points := int(binary.LittleEndian.Uint32(body[40:]))
	if parts < 0 || points < 0 || parts > len(body) || points > len(body) || 44+4*parts+16*points > len(body) {
		return nil, say("GeoShpPartsFit", "%d parts of %d points do not fit in %d bytes", "parts", parts, "points", points, "bytes", len(body))
	}
	starts := make([]int, parts+1)
	for i := range parts {
		starts[i] = int(binary.LittleEndian.Uint32(body[44+4*i:]))
	}
	starts[parts] = points
	pts := body[44+4*parts:]
	rings := make([]orb.Ring, 0, parts)
	for i := range parts {
		a, z := starts[i], starts[i+1]
		if a < 0 || a > z || z > points {
			return nil, say("GeoShpPartStart", "part %d starts at point %d of %d", "part", i, "start", a, "points", points)
		}
		ring := make(orb.Ring, z-a)
		for j := range ring {
			p := pts[16*(a+j):]
			ring[j] = orb.Point{math.Float64frombits(binary.LittleEndian.Uint64(p)), math.Float64frombits(binary.LittleEndian.Uint64(p[8:]))}
		}
		rings = append(rings, ring)
	}
	return rings, Message{}
}

// assemble turns a Shapefile polygon's rings into a Polygon or MultiPolygon: in a
// Shapefile, outer rings run clockwise and holes counter-clockwise, and a hole belongs to
// the smallest outer ring around it. Rings are wound as RFC 7946 says on the way.
func assemble(rings []orb.Ring, unproject func(orb.Point) orb.Point) orb.Geometry {
	var shells, holes []orb.Ring
	for _, r := range rings {
		if unproject != nil {
			for i, p := range r {
				r[i] = unproject(p)
			}
		}
		if ringArea2(r) <= 0 { // clockwise (or no area: repair drops it)
			shells = append(shells, reverseRing(r))
		} else {
			holes = append(holes, reverseRing(r))
		}
	}
	if len(shells) == 0 {
		// Holes only: a file wound the other way round. Its rings are its shells.
		shells, holes = holes, nil
		for i := range shells {
			shells[i] = reverseRing(shells[i])
		}
	}
	polys := make([]orb.Polygon, len(shells))
	for i, s := range shells {
		polys[i] = orb.Polygon{s}
	}
	for _, h := range holes {
		best, bestArea := -1, math.Inf(1)
		for i, s := range shells {
			if len(h) > 0 && s.Bound().Contains(h[0]) && planar.RingContains(s, h[0]) {
				if a := math.Abs(ringArea2(s)); a < bestArea {
					best, bestArea = i, a
				}
			}
		}
		if best < 0 {
			best = 0 // a hole outside every ring: repair rebuilds it as Leaflet fills it
		}
		polys[best] = append(polys[best], h)
	}
	if len(polys) == 1 {
		return polys[0]
	}
	return orb.MultiPolygon(polys)
}

func reverseRing(r orb.Ring) orb.Ring {
	out := slices.Clone(r)
	slices.Reverse(out)
	return out
}

// shapeType says that region id is a Shapefile shape of type t, which is no region.
func shapeType(id string, t int32) Message {
	name := ""
	switch {
	case t%10 == 1:
		name = "Point"
	case t%10 == 3:
		name = "PolyLine"
	case t%10 == 8:
		name = "MultiPoint"
	case t == 31:
		name = "MultiPatch"
	default:
		return say("GeoShapeNumber", "region %s is a shape of type %d; only Polygon shapes are regions", "region", quote(id), "type", int(t))
	}
	return say("GeoShapeType", "region %s is a %s; only Polygon shapes are regions", "region", quote(id), "type", name)
}

// readDbf reads the records of a dBASE III table (.dbf) as properties: character fields
// as trimmed text, numeric ones as numbers, logical ones as booleans, dates as text.
// Deleted records are kept, as the .shp still has their shapes.
func readDbf(b []byte, isLatin1 bool) ([]geojson.Properties, Message) {
	if len(b) < 32 {
		return nil, say("GeoDbfNot", "not a dBASE table (%d bytes)", "bytes", len(b))
	}
	count := int(binary.LittleEndian.Uint32(b[4:]))
	headerLen := int(binary.LittleEndian.Uint16(b[8:]))
	recordLen := int(binary.LittleEndian.Uint16(b[10:]))
	if headerLen > len(b) || recordLen < 1 {
		return nil, say("GeoDbfHeader", "a header of %d bytes in a file of %d", "header", headerLen, "bytes", len(b))
	}
	type field struct {
		name   string
		kind   byte
		offset int
		size   int
	}
	var fields []field
	offset := 1 // the deletion flag
	for p := 32; p+32 <= headerLen && b[p] != 0x0d; p += 32 {
		name := string(bytes.TrimRight(b[p:p+11], "\x00 "))
		f := field{name: name, kind: b[p+11], offset: offset, size: int(b[p+16])}
		offset += f.size
		fields = append(fields, f)
	}
	if offset > recordLen {
		return nil, say("GeoDbfFields", "fields of %d bytes in records of %d", "fields", offset, "record", recordLen)
	}
	if headerLen+count*recordLen > len(b) {
		return nil, say("GeoDbfRecords", "%d records of %d bytes do not fit in the file", "count", count, "record", recordLen)
	}
	text := func(raw []byte) string {
		s := string(bytes.TrimSpace(bytes.TrimRight(raw, "\x00")))
		if isLatin1 || !utf8.ValidString(s) {
			r := make([]rune, len(raw))
			for i, c := range []byte(s) {
				r[i] = rune(c)
			}
			s = string(r[:len(s)])
		}
		return s
	}
	records := make([]geojson.Properties, count)
	for i := range count {
		rec := b[headerLen+i*recordLen : headerLen+(i+1)*recordLen]
		props := make(geojson.Properties, len(fields))
		for _, f := range fields {
			v := text(rec[f.offset : f.offset+f.size])
			switch f.kind {
			case 'N', 'F':
				if n, err := strconv.ParseFloat(v, 64); err == nil {
					props[f.name] = n
				} else {
					props[f.name] = nil
				}
			case 'L':
				props[f.name] = v == "T" || v == "t" || v == "Y" || v == "y"
			default:
				props[f.name] = v
			}
		}
		records[i] = props
	}
	return records, Message{}
}
