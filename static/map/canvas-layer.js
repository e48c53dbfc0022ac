// The regions on canvases, for large maps: the server asks for it from canvasMinRegions
// regions (web/map_show.go), and ./layer.js loads this module for those maps alone, so that a
// small map's page does not carry it. It implements the layer interface of ./layer.js.
//
// Leaflet's own canvas renderer projects and strokes each polygon anew on every redraw
// (about 150 ms at 5,000 regions here). This one projects each region once (or the server
// has: ./shapes.js), in pixels at WORLD_ZOOM, makes its Path2D once per zoom level with only the detail a pixel shows
// (./paths.js), and draws any view through the canvas transform with one fill per region.
// The outline and the borders, which change only with the view, are stroked once per view:
// stroking 5,000 regions with round joins every frame held the map at 4 frames a second.
// Fills, borders and marks (selection, hover, a comparison's changes) are three canvases
// stacked in Leaflet's place (./canvas-renderer.js), which the browser composites: a step
// of the slider fills again only the regions whose colour changed, where they are, rather
// than filling every region (at the world's 4,596 admin-1 regions a full fill cost more
// than a frame) or copying images of the fills and borders into one canvas. So a step costs
// what it changes: at 5,000 regions, mostly rasterising the fills it changed.

import { CHANGED_DASH, COLORS, FALLBACK_COLOR, bordersOpacity, canvasHatch, patternMatrix } from './paint.js';
import { pathOf, regionsOf, toleranceAt } from './paths.js';
import { canvasRenderer } from './canvas-renderer.js';

// The paths' coordinates are pixels at this zoom (the GeoJSON's; the server projects at
// geo.ProjectedZoom, which its shapes say), relative to the regions' north-west corner:
// small numbers, precise enough at any zoom a map of regions is read at.
const WORLD_ZOOM = 8;

// The outline, a dark band about 4 CSS pixels wide along every edge under the fills (so
// that only its outer half shows, around the map), is a line a pixel wide drawn at these
// shifts rather than one line 4 pixels wide: rasterising a wide line with round joins
// along every region's edge took 60 to 100 ms on the 3,230 US counties, the thin lines 20
// to 30 ms, and the band looks the same.
const OUTLINE_SHIFTS = [[-1.5, 0], [1.5, 0], [0, -1.5], [0, 1.5]];

/**
 * The regions on stacked canvases (options as ./layer.js says). Each change is drawn at the next
 * frame, or at once by flush.
 */
export class CanvasLayer {
  constructor(map, options) {
    this.o = options;
    this.map = map;
    this.hovered = null;
    this.selected = null;
    this.emphasized = new Set();
    this.hatches = new Map(); // faction -> CanvasPattern
    this.colors = new Map(); // faction -> colour
    this.frame = 0;
    this.strokesKey = '';
    this.dirty = new Set(); // entries whose fill changed since the fills' canvas was drawn
    this.unscale = null; // the hatches' pattern matrix at the view
    this.shownStale = true; // Leaflet sized (so cleared) the canvases: draw them whole
    this.marksBlank = true; // nothing on the marks' canvas (drawMarks)
    this.strokesShown = ''; // the selected, hovered and emphasized regions on the marks' canvas
    this.hitContext = null;
    this.tooltip = options.L.tooltip({ direction: 'top', offset: [0, -10], className: 'region-tooltip' });
    this.layer = null;
    this.regions = []; // see draw
    this.index = new Map(); // region id -> entry of regions
    this.bounds = null;
  }

  /**
   * The regions of features, each projected once in pixels at this.zoom (./paths.js's
   * regionsOf: the server's projection, ./shapes.js, or the GeoJSON's here; its paths are
   * made by atLevel), in the holders' colours.
   */
  draw(features) {
    const { L } = this.o;
    const shapes = regionsOf(features, { L, crs: this.map.options.crs, idOf: this.o.idOf, zoom: WORLD_ZOOM });
    this.zoom = shapes.zoom;
    this.regions = shapes.regions; // {id, rings, minX, minY, maxX, maxY, fill, path, lod, level}, in drawing order
    this.index = new Map(); // region id -> entry of regions
    this.all = null; // every region's edge at allLevel: the outline and the borders
    this.allLevel = null;
    for (const entry of this.regions) {
      // Its holder's colour from the start (options.holderOf), so that the first draw, which
      // Leaflet asks for when the layer is added, is the last: the page's paint of every
      // region that follows finds nothing changed, rather than filling the map twice. The
      // paths are made when a view needs them.
      entry.fill = this.fillOf(entry.id);
      this.index.set(entry.id, entry);
    }
    // A typical region's pixels across at this.zoom (their boxes' median): see flush.
    const sizes = this.regions.map((r) => Math.sqrt(Math.max(0, r.maxX - r.minX) * Math.max(0, r.maxY - r.minY))).sort((a, b) => a - b);
    this.typicalSize = sizes.length > 0 ? sizes[sizes.length >> 1] : 0;
    const [west, south, east, north] = shapes.bounds;
    this.bounds = west <= east && south <= north ? L.latLngBounds([south, west], [north, east]) : L.latLngBounds([]);
    if (!this.bounds.isValid()) throw new Error('the regions have no usable geometry');
    this.origin = shapes.origin;
    return this.regions.map((r) => r.id);
  }

  addTo(map) {
    this.layer = new (canvasRenderer(this))({ padding: 0.1 });
    map.addLayer(this.layer);
    return this;
  }

  /** A region's first fill: its holder's (options.holderOf), or the fallback colour. */
  fillOf(id) {
    const holder = this.o.holderOf?.(id);
    if (!holder) return FALLBACK_COLOR;
    return holder.claimed ? this.hatch(holder.faction) : this.colorOf(holder.faction);
  }

  paint(id, faction, claimed) {
    const entry = this.index.get(id);
    if (!entry) return;
    const fill = claimed ? this.hatch(faction) : this.colorOf(faction);
    if (fill === entry.fill) return;
    entry.fill = fill;
    this.dirty.add(entry);
    this.requestDraw();
  }

  select(id) {
    this.selected = id;
    this.requestDraw();
  }

  emphasize(ids) {
    this.emphasized = new Set(ids);
    this.emphasisVersion = (this.emphasisVersion ?? 0) + 1; // redraws whole, not by boxes
    this.requestDraw();
  }

  /** A faction's colour (options.colorOf, checked once a faction rather than once a paint). */
  colorOf(faction) {
    let color = this.colors.get(faction);
    if (color === undefined) {
      color = this.o.colorOf(faction);
      this.colors.set(faction, color);
    }
    return color;
  }

  /** A faction's hatch: the SVG layer's pattern, as a canvas pattern (turned when drawn). */
  hatch(faction) {
    let pattern = this.hatches.get(faction);
    if (!pattern) {
      this.hitContext ??= document.createElement('canvas').getContext('2d');
      pattern = canvasHatch(this.hitContext, this.o.colorOf(faction), this.o.hatch);
      if (this.unscale) pattern.setTransform(this.unscale);
      this.hatches.set(faction, pattern);
    }
    return pattern;
  }

  requestDraw() {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  /** Draw now (at most once a frame happens through requestDraw). */
  flush() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    const layer = this.layer;
    const b = layer?._bounds;
    const canvases = layer?.canvases;
    const map = this.map;
    if (!canvases || !b) return;
    const m = layer.retina;
    const scale = map.getZoomScale(map.getZoom(), this.zoom);
    const po = map.getPixelOrigin();
    // Pixels at this.zoom from the origin -> the canvases' device pixels.
    const transform = [m * scale, 0, 0, m * scale, m * (this.origin.x * scale - po.x - b.min.x), m * (this.origin.y * scale - po.y - b.min.y)];
    const { width, height } = canvases.fills;
    const key = [width, height, ...transform].join();
    // Leaflet sized the canvases (which cleared them), or the view moved: draw them all.
    const whole = key !== this.strokesKey || this.shownStale;
    if (whole) {
      this.strokesKey = key;
      this.shownStale = false;
      this.atLevel(Math.floor(map.getZoom()), m);
      // The borders over the fills, as opaque as a typical region is large on screen (none,
      // and no stroke, at a few pixels: paint.js); the outline goes under them (drawFills).
      const opacity = bordersOpacity(this.typicalSize * scale);
      canvases.borders.style.opacity = opacity < 1 ? String(opacity) : '';
      if (opacity > 0) this.stroked(canvases.borders, transform, COLORS.border, 1 / scale);
      else canvases.borders.getContext('2d').clearRect(0, 0, canvases.borders.width, canvases.borders.height);
      // Hatches keep their stripes' size on screen at any zoom.
      this.unscale = new DOMMatrix(patternMatrix(this.o.hatch, scale));
      for (const pattern of this.hatches.values()) pattern.setTransform(this.unscale);
    }
    this.drawFills(canvases.fills, transform, whole, m, scale);
    const strokes = `${this.selected}\u0000${this.hovered}\u0000${this.emphasisVersion}`;
    if (whole || strokes !== this.strokesShown) this.drawMarks(canvases.marks, transform, scale);
    this.strokesShown = strokes;
  }

  /**
   * The fills' canvas: drawn whole for a new view (the outline, then every region), else
   * only the regions whose fill changed, over their old fill, where they are. Fills are
   * opaque (colours, and hatches on an opaque ground), so a region's new fill covers its old
   * one; its antialiased edge lies under the borders' canvas. The regions are filled a
   * colour at a time (byFill), so that each colour is set once a step.
   */
  drawFills(canvas, transform, whole, m, scale) {
    const c = canvas.getContext('2d');
    let regions = this.dirty;
    if (whole) {
      c.setTransform(1, 0, 0, 1, 0, 0);
      c.clearRect(0, 0, canvas.width, canvas.height);
      // The outline under the fills, which paint over all but its outer half.
      const shifts = OUTLINE_SHIFTS.map(([x, y]) => [x * m, y * m]);
      this.stroked(canvas, transform, COLORS.outline, 1 / scale, shifts, false);
      regions = this.regions;
    }
    if ((regions.size ?? regions.length) === 0) return;
    c.setTransform(...transform);
    // What the canvas shows, in the paths' pixels: regions wholly outside it are not filled.
    const [a, , , d, e, f] = transform;
    const view = [-e / a, -f / d, (canvas.width - e) / a, (canvas.height - f) / d];
    const groups = byFill(regions, view);
    this.dirty.clear();
    // One fill a region, not one path a colour: rings are wound either way, so a region
    // is filled even-odd, and two regions of a colour that overlap a little (real layers'
    // slivers) would cancel out in one even-odd path.
    for (const [fill, group] of groups) {
      c.fillStyle = fill;
      for (const r of group) c.fill(r.lod, 'evenodd');
    }
    c.setTransform(1, 0, 0, 1, 0, 0);
  }

  /**
   * The marks' canvas: a comparison's changes, the selected region and the hovered one. A
   * canvas with nothing to mark that is blank already (as Leaflet's sizing leaves it) is left
   * without a context: one with a context is a layer that the compositor blends over the map
   * at every frame of a scrub, blank or not (a millisecond of the main thread's commit and two
   * or three of the compositor's a frame of the world layer), and making it cost the US
   * counties' start 8 to 9 ms (docs/benchmarks.md, session 10).
   */
  drawMarks(canvas, transform, scale) {
    const marked = [this.selected, this.hovered].some((id) => id !== null && this.index.has(id)) || [...this.emphasized].some((id) => this.index.has(id));
    if (!marked && this.marksBlank) return;
    this.marksBlank = !marked;
    const ctx = canvas.getContext('2d');
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(...transform);
    ctx.lineJoin = 'round';
    // A comparison's changes: a heavy dashed line, as #map path.changed in map.css.
    ctx.strokeStyle = COLORS.changed;
    ctx.lineWidth = 3 / scale;
    ctx.setLineDash(CHANGED_DASH.map((d) => d / scale));
    for (const id of this.emphasized) {
      const r = this.index.get(id);
      if (r) ctx.stroke(r.lod);
    }
    ctx.setLineDash([]);
    for (const [id, color, lineWidth] of [[this.selected, COLORS.selected, 3], [this.hovered, COLORS.hover, 2.5]]) {
      const r = id === null ? null : this.index.get(id);
      if (!r) continue;
      ctx.strokeStyle = color;
      ctx.lineWidth = lineWidth / scale;
      ctx.stroke(r.lod);
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
  }

  /**
   * Make every region's path at zoom level (./paths.js: positions closer than half a device
   * pixel dropped), and the edges of all of them, unless they are made already.
   */
  atLevel(level, ratio) {
    if (this.allLevel === level) return;
    const tol = toleranceAt(level, this.zoom, ratio);
    this.all = new Path2D();
    for (const r of this.regions) {
      if (r.level !== level) {
        r.lod = pathOf(r.rings, tol);
        r.level = level;
      }
      this.all.addPath(r.lod);
    }
    this.allLevel = level;
  }

  /**
   * Every region's edge stroked on canvas (cleared first unless clear is false), lineWidth
   * wide in the paths' pixels, once at each shift of shifts (the canvas's pixels).
   */
  stroked(canvas, transform, color, lineWidth, shifts = [[0, 0]], clear = true) {
    const c = canvas.getContext('2d');
    if (clear) {
      c.setTransform(1, 0, 0, 1, 0, 0);
      c.clearRect(0, 0, canvas.width, canvas.height);
    }
    c.lineJoin = 'bevel'; // as round at a pixel wide, and cheaper (docs/benchmarks.md, session 12)
    c.strokeStyle = color;
    c.lineWidth = lineWidth;
    const [a, b, cc, d, e, f] = transform;
    for (const [dx, dy] of shifts) {
      c.setTransform(a, b, cc, d, e + dx, f + dy);
      c.stroke(this.all);
    }
    c.setTransform(1, 0, 0, 1, 0, 0);
  }

  /** The region under a mouse event, or null. */
  regionAt(e) {
    const map = this.map;
    const lp = map.mouseEventToLayerPoint(e);
    const scale = map.getZoomScale(map.getZoom(), this.zoom);
    const po = map.getPixelOrigin();
    const x = (lp.x + po.x) / scale - this.origin.x;
    const y = (lp.y + po.y) / scale - this.origin.y;
    // An untransformed context: isPointInPath in the paths' own pixels.
    this.hitContext ??= document.createElement('canvas').getContext('2d');
    for (let k = this.regions.length - 1; k >= 0; k--) {
      const r = this.regions[k];
      if (x < r.minX || x > r.maxX || y < r.minY || y > r.maxY) continue;
      r.path ??= pathOf(r.rings, 0);
      if (this.hitContext.isPointInPath(r.path, x, y, 'evenodd')) return r;
    }
    return null;
  }

  hover(region, e) {
    const { map } = this;
    if ((region?.id ?? null) !== this.hovered) {
      this.hovered = region?.id ?? null;
      this.layer._container.style.cursor = region ? 'pointer' : '';
      this.requestDraw();
      if (region) {
        const name = document.createElement('span');
        name.className = 'region-tooltip-name';
        name.textContent = this.o.nameOf(region.id);
        this.tooltip.setContent(name);
      }
    }
    if (region) {
      this.tooltip.setLatLng(map.mouseEventToLatLng(e));
      if (!map.hasLayer(this.tooltip)) map.openTooltip(this.tooltip);
    } else if (map.hasLayer(this.tooltip)) map.closeTooltip(this.tooltip);
  }
}

/**
 * The regions (entries with a fill and a box minX, minY, maxX, maxY) that meet view
 * [x0, y0, x1, y1], grouped by fill: a Map fill -> entries, in the regions' order within each.
 */
export function byFill(regions, [x0, y0, x1, y1]) {
  const groups = new Map();
  for (const r of regions) {
    if (r.maxX < x0 || r.minX > x1 || r.maxY < y0 || r.minY > y1) continue;
    const group = groups.get(r.fill);
    if (group) group.push(r);
    else groups.set(r.fill, [r]);
  }
  return groups;
}
