package geo

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Projected shapes are how a large map's regions reach the browser's canvas layer
// (static/map/canvas-layer.js): already in its pixels, in arrays it reads without parsing
// (typed arrays over the response's bytes). As GeoJSON, the 3,230 US counties cost the page's
// start a JSON parse of 855 kB (about 65 ms of the main thread), the garbage of 30,000
// position arrays, and a projection of each position, all before the map could be drawn
// (docs/benchmarks.md, session 13). The server projects them once per version of the map,
// from the GeoJSON it serves (RoundForDisplay), so the canvas draws the same positions.
//
// Layout, little-endian:
//
//	"FLS1"                          magic and format version
//	uint32 n                        length of the header
//	n bytes                         header, JSON: projectedHeader
//	0-3 zero bytes                  padding to a multiple of 4
//	uint32 ringStarts[regions+1]    index of each region's first ring; the last is rings
//	uint32 pointStarts[rings+1]     index of each ring's first position; the last is points
//	float32 xy[2*points]            each position's x, y: pixels at the header's zoom in Web
//	                                Mercator (Leaflet's EPSG:3857), from the header's origin
//	float32 labels[2*regions]       each region's label point (LabelPoint), lon and lat; NaN
//	                                for a region without one
//
// Longitudes are drawn within 180° of the span's centre for a map across the antimeridian
// (Span.Lon), as the browser moves the GeoJSON's (static/map/wrap.js); single floats from a
// nearby origin are what the canvas draws with anyway.
//
// ProjectedFormat is the magic: a new one with any change of the layout, as it is part of
// the shapes' URL (web's shapesURL), which browsers keep for good.
const ProjectedFormat = "FLS1"

// ProjectedZoom is the zoom level of the projected shapes' pixels: 256·2^8 pixels round the
// world, about 600 m a pixel at the equator, a 128th of a pixel as a single float's step
// 60,000 pixels from the origin.
const ProjectedZoom = 8

// projectedHeader is the JSON header of the projected shapes.
type projectedHeader struct {
	Zoom int `json:"zoom"`
	// Origin is the regions' north-west corner in pixels at Zoom from the world's: the
	// positions count from it.
	Origin [2]float64 `json:"origin"`
	// Bounds are the regions' west, south, east and north, in degrees, longitudes as drawn.
	Bounds [4]float64 `json:"bounds"`
	// Regions are the regions' ids, in the GeoJSON's order.
	Regions []string `json:"regions"`
	// Capitals are the regions' capital properties, by id, when any has one.
	Capitals map[string]string `json:"capitals,omitempty"`
	Rings    int               `json:"rings"`
	Points   int               `json:"points"`
}

// leafletMaxLat is Web Mercator's largest latitude, as Leaflet's SphericalMercator clamps it.
const leafletMaxLat = 85.0511287798

// MercatorPixel is where lon, lat lands in Web Mercator at zoom, in pixels from the world's
// north-west corner (256·2^zoom pixels round it), as Leaflet's crs.latLngToPoint puts it
// (static/map/paths.js's projector; testdata/rules/mercator.json holds both).
func MercatorPixel(lon, lat float64, zoom int) (x, y float64) {
	size := 256 * math.Exp2(float64(zoom))
	sin := math.Sin(math.Max(math.Min(leafletMaxLat, lat), -leafletMaxLat) * math.Pi / 180)
	return size * (0.5 + lon/360), size * (0.5 - math.Log((1+sin)/(1-sin))/(4*math.Pi))
}

// ProjectedShapes returns the regions of a FeatureCollection (the GeoJSON served for display,
// RoundForDisplay's) in the projected form above, longitudes drawn as span says. Features
// without an id or a polygon are left out, as the browser leaves them out of the GeoJSON.
func ProjectedShapes(display []byte, span Span) ([]byte, error) {
	fc, err := geojson.UnmarshalFeatureCollection(display)
	if err != nil {
		return nil, fmt.Errorf("project shapes: %w", err)
	}
	h := projectedHeader{Zoom: ProjectedZoom, Bounds: [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}}
	var (
		ringStarts, pointStarts []uint32
		xy, labels              []float32
		pixels                  []float64 // xy before the origin is known
	)
	for _, f := range fc.Features {
		id := featureID(f)
		var polygons []orb.Polygon
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			polygons = []orb.Polygon{g}
		case orb.MultiPolygon:
			polygons = g
		}
		if id == "" || len(polygons) == 0 {
			continue
		}
		h.Regions = append(h.Regions, id)
		if c, ok := f.Properties["capital"].(string); ok && c != "" {
			if h.Capitals == nil {
				h.Capitals = map[string]string{}
			}
			h.Capitals[id] = c
		}
		ringStarts = append(ringStarts, uint32(len(pointStarts)))
		for _, p := range polygons {
			for _, r := range p {
				if len(r) == 0 {
					continue
				}
				pointStarts = append(pointStarts, uint32(len(pixels)/2))
				for _, pt := range r {
					lon := span.Lon(pt[0])
					h.Bounds = [4]float64{min(h.Bounds[0], lon), min(h.Bounds[1], pt[1]), max(h.Bounds[2], lon), max(h.Bounds[3], pt[1])}
					x, y := MercatorPixel(lon, pt[1], ProjectedZoom)
					pixels = append(pixels, x, y)
				}
			}
		}
		label := [2]float32{float32(math.NaN()), float32(math.NaN())}
		if l, ok := labelOf(f); ok {
			label = [2]float32{float32(span.Lon(l[0])), float32(l[1])}
		}
		labels = append(labels, label[0], label[1])
	}
	if len(h.Regions) == 0 {
		return nil, fmt.Errorf("project shapes: no region has an id and a polygon")
	}
	ringStarts = append(ringStarts, uint32(len(pointStarts)))
	pointStarts = append(pointStarts, uint32(len(pixels)/2))
	h.Rings, h.Points = len(pointStarts)-1, len(pixels)/2
	h.Origin[0], h.Origin[1] = MercatorPixel(h.Bounds[0], h.Bounds[3], ProjectedZoom)
	xy = make([]float32, len(pixels))
	for k := 0; k < len(pixels); k += 2 {
		xy[k], xy[k+1] = float32(pixels[k]-h.Origin[0]), float32(pixels[k+1]-h.Origin[1])
	}
	head, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(ProjectedFormat)
	binary.Write(&b, binary.LittleEndian, uint32(len(head)))
	b.Write(head)
	b.Write(make([]byte, (4-b.Len()%4)%4))
	for _, part := range []any{ringStarts, pointStarts, xy, labels} {
		binary.Write(&b, binary.LittleEndian, part)
	}
	return b.Bytes(), nil
}

// featureID is a feature's region id as the browser reads it (static/map/start.js's
// regionIdOf): its id, else properties.id; "" for none.
func featureID(f *geojson.Feature) string {
	id := f.ID
	if id == nil {
		id = f.Properties["id"]
	}
	switch id := id.(type) {
	case nil:
		return ""
	case string:
		return id
	default:
		return fmt.Sprint(id)
	}
}

// labelOf is a feature's label property (RoundForDisplay's), [lon, lat].
func labelOf(f *geojson.Feature) (orb.Point, bool) {
	l, ok := f.Properties["label"].([]any)
	if !ok || len(l) != 2 {
		return orb.Point{}, false
	}
	lon, ok1 := l[0].(float64)
	lat, ok2 := l[1].(float64)
	return orb.Point{lon, lat}, ok1 && ok2
}
