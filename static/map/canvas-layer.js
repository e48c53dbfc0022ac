// The regions on one canvas, for large maps: the server asks for it from canvasMinRegions
// regions (web/map_show.go), and ./layer.js loads this module for those maps alone, so that a
// small map's page does not carry it. It implements the layer interface of ./layer.js.
//
// Leaflet's own canvas renderer projects and strokes each polygon anew on every redraw
// (about 150 ms at 5,000 regions here). This one projects each region once, in pixels at
// WORLD_ZOOM, makes its Path2D once per zoom level with only the detail a pixel shows
// (./paths.js), and draws any view through the canvas transform with one fill per region.
// The outline and the borders, which change only with the view, are stroked once per view
// and copied in: stroking 5,000 regions with round joins every frame held the map at 4
// frames a second. The fills are kept too, on a canvas of their own under the borders
// (with the outline): a step of the slider fills again only the regions whose colour
// changed and copies in the boxes they cover, rather than filling every region each frame
// (at the world's 4,596 admin-1 regions a full fill cost more than a frame). So a step
// costs what it changes, and rasterising keeps up with the frames of a drag of the slider.

import { polygonsOf } from './start.js';
import { CHANGED_DASH, COLORS, FALLBACK_COLOR, canvasHatch, patternMatrix } from './paint.js';
import { pathOf, projector, toleranceAt } from './paths.js';
import { tileRuns } from './tiles.js';
import { canvasRenderer } from './canvas-renderer.js';

// The paths' coordinates are pixels at this zoom, relative to the regions' north-west
// corner: small numbers, precise enough at any zoom a map of regions is read at.
const WORLD_ZOOM = 8;

// The outline, a dark band about 4 CSS pixels wide along every edge under the fills (so
// that only its outer half shows, around the map), is a line a pixel wide drawn at these
// shifts rather than one line 4 pixels wide: rasterising a wide line with round joins
// along every region's edge took 60 to 100 ms on the 3,230 US counties, the thin lines 20
// to 30 ms, and the band looks the same.
const OUTLINE_SHIFTS = [[-1.5, 0], [1.5, 0], [0, -1.5], [0, 1.5]];

// The side, in device pixels, of the tiles a step copies in (boxesOf).
const TILE = 32;

/**
 * The regions on one canvas (options as ./layer.js says). Each change is drawn at the next
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
    this.frame = 0;
    this.strokesKey = '';
    this.outlineImage = null;
    this.bordersImage = null;
    this.fillsImage = null; // the outline and every fill, at the view of strokesKey
    this.dirty = new Set(); // entries whose fill changed since fillsImage was drawn
    this.allDirty = true; // fillsImage is to be drawn whole (a new view)
    this.unscale = null; // the hatches' pattern matrix at the view
    this.shownStale = true; // Leaflet cleared its canvas: composite the whole of it
    this.strokesShown = ''; // the selected and hovered regions outlined on it
    this.hitContext = null;
    this.tooltip = options.L.tooltip({ direction: 'top', offset: [0, -10], className: 'region-tooltip' });
    this.layer = null;
    this.regions = []; // see draw
    this.index = new Map(); // region id -> entry of regions
    this.bounds = null;
  }

  /**
   * Project each region once, in pixels at WORLD_ZOOM (its paths are made by atLevel). It
   * runs once, before the first draw, so it is written for code not yet optimised: plain
   * loops, indexes rather than destructuring, and no object made per position.
   */
  draw(features) {
    const { L } = this.o;
    const crs = this.map.options.crs;
    // Outer rings bound their holes: they are enough for the bounds.
    let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const f of features) {
      for (const poly of polygonsOf(f.geometry)) {
        const ring = poly[0] ?? [];
        for (let k = 0; k < ring.length; k++) {
          const lng = ring[k][0];
          const lat = ring[k][1];
          if (lng < west) west = lng;
          if (lng > east) east = lng;
          if (lat < south) south = lat;
          if (lat > north) north = lat;
        }
      }
    }
    this.bounds = west <= east && south <= north ? L.latLngBounds([south, west], [north, east]) : L.latLngBounds([]);
    if (!this.bounds.isValid()) throw new Error('the regions have no usable geometry');
    this.origin = crs.latLngToPoint(this.bounds.getNorthWest(), WORLD_ZOOM);
    const project = projector(L, crs, WORLD_ZOOM);
    const { x: ox, y: oy } = this.origin;
    const p = [0, 0];
    this.regions = []; // {id, rings, minX, minY, maxX, maxY, fill, path, lod, level}, in drawing order
    this.index = new Map(); // region id -> entry of regions
    this.all = null; // every region's edge at allLevel: the outline and the borders
    this.allLevel = null;
    for (const f of features) {
      const rings = [];
      let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const poly of polygonsOf(f.geometry)) {
        for (const ring of poly) {
          if (ring.length === 0) continue;
          const xy = new Float64Array(2 * ring.length);
          for (let k = 0; k < ring.length; k++) {
            project(ring[k][0], ring[k][1], p);
            const x = p[0] - ox;
            const y = p[1] - oy;
            xy[2 * k] = x;
            xy[2 * k + 1] = y;
            if (x < minX) minX = x;
            if (x > maxX) maxX = x;
            if (y < minY) minY = y;
            if (y > maxY) maxY = y;
          }
          rings.push(xy);
        }
      }
      // Its holder's colour from the start (options.holderOf), so that the first draw, which
      // Leaflet asks for when the layer is added, is the last: the page's paint of every
      // region that follows finds nothing changed, rather than filling the map twice. The
      // paths are made when a view needs them.
      const id = this.o.idOf(f);
      const entry = { id, rings, minX, minY, maxX, maxY, fill: this.fillOf(id), path: null, lod: null, level: null };
      this.regions.push(entry);
      this.index.set(entry.id, entry);
    }
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
    return holder.claimed ? this.hatch(holder.faction) : this.o.colorOf(holder.faction);
  }

  paint(id, faction, claimed) {
    const entry = this.index.get(id);
    if (!entry) return;
    const fill = claimed ? this.hatch(faction) : this.o.colorOf(faction);
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
    const ctx = layer?._ctx;
    const b = layer?._bounds;
    const map = this.map;
    if (!ctx || !b) return;
    const m = layer.retina;
    const scale = map.getZoomScale(map.getZoom(), WORLD_ZOOM);
    const po = map.getPixelOrigin();
    // Pixels at WORLD_ZOOM from the origin -> this canvas's device pixels.
    const transform = [m * scale, 0, 0, m * scale, m * (this.origin.x * scale - po.x - b.min.x), m * (this.origin.y * scale - po.y - b.min.y)];
    const { width, height } = ctx.canvas;
    const key = [width, height, ...transform].join();
    if (key !== this.strokesKey) {
      this.strokesKey = key;
      this.atLevel(Math.floor(map.getZoom()), m);
      // The outline under the fills, which paint over all but its outer half; the borders over them.
      this.outlineImage = this.stroked(this.outlineImage, width, height, transform, COLORS.outline, 1 / scale, OUTLINE_SHIFTS.map(([x, y]) => [x * m, y * m]));
      this.bordersImage = this.stroked(this.bordersImage, width, height, transform, COLORS.border, 1 / scale);
      // Hatches keep their stripes' size on screen at any zoom.
      this.unscale = new DOMMatrix(patternMatrix(this.o.hatch, scale));
      for (const pattern of this.hatches.values()) pattern.setTransform(this.unscale);
      this.allDirty = true;
    }
    const changed = this.allDirty ? null : [...this.dirty];
    this.drawFills(width, height, transform);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    // A step copies in only the boxes of the regions it changed, unless the outlined
    // regions changed, or lie in one of the boxes (their outline is drawn over the rest).
    const strokes = `${this.selected}\u0000${this.hovered}\u0000${this.emphasisVersion}`;
    const pad = 3 * m + 1; // the widest line along an edge, the selection's, and a pixel
    let boxes = changed && !this.shownStale && strokes === this.strokesShown ? this.boxesOf(changed, transform, width, height, pad) : null;
    const outlined = [this.selected, this.hovered, ...this.emphasized].filter((id) => id !== null && this.index.has(id)).map((id) => this.index.get(id));
    const outlinedBoxes = boxes && outlined.length > 0 ? this.boxesOf(outlined, transform, width, height, pad) ?? [[0, 0, width, height]] : [];
    if (boxes && outlinedBoxes.some((o) => boxes.some((x) => overlap(o, x)))) boxes = null;
    if (boxes) {
      // Whole device pixels, copied one to one: each box ends as a whole redraw leaves it.
      for (const [x, y, w, h] of boxes) {
        ctx.clearRect(x, y, w, h);
        ctx.drawImage(this.fillsImage, x, y, w, h, x, y, w, h);
        ctx.drawImage(this.bordersImage, x, y, w, h, x, y, w, h);
      }
      return;
    }
    this.shownStale = false;
    this.strokesShown = strokes;
    ctx.clearRect(0, 0, width, height);
    ctx.drawImage(this.fillsImage, 0, 0);
    ctx.drawImage(this.bordersImage, 0, 0);
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
  }

  /**
   * Bring the fills' image up to date: drawn whole for a new view (the outline, then every
   * region), else only the regions whose fill changed, over their old fill. Fills are
   * opaque (colours, and hatches on an opaque ground), so a region's new fill covers its
   * old one; its antialiased edge lies under the borders drawn over it.
   */
  drawFills(width, height, transform) {
    let c = this.fillsImage?.getContext('2d');
    let regions = this.dirty;
    if (this.allDirty || !c) {
      this.fillsImage ??= document.createElement('canvas');
      this.fillsImage.width = width; // also clears it
      this.fillsImage.height = height;
      c = this.fillsImage.getContext('2d');
      c.drawImage(this.outlineImage, 0, 0);
      regions = this.regions;
    }
    this.allDirty = false;
    if ((regions.size ?? regions.length) === 0) return;
    c.setTransform(...transform);
    // What the canvas shows, in the paths' pixels: regions wholly outside it are not filled.
    const [a, , , d, e, f] = transform;
    const [x0, y0, x1, y1] = [-e / a, -f / d, (width - e) / a, (height - f) / d];
    for (const r of regions) {
      if (r.maxX < x0 || r.minX > x1 || r.maxY < y0 || r.minY > y1) continue;
      c.fillStyle = r.fill;
      c.fill(r.lod, 'evenodd');
    }
    c.setTransform(1, 0, 0, 1, 0, 0);
    this.dirty.clear();
  }

  /**
   * The regions' boxes on the canvas, in whole device pixels grown by pad for the lines drawn
   * along their edges, as runs of TILE-pixel tiles [x, y, w, h] (./tiles.js); null when they
   * cover over half of the canvas, where copying it whole costs less.
   */
  boxesOf(regions, transform, width, height, pad) {
    const [a, , , d, e, f] = transform;
    const boxes = regions.map((r) => [
      Math.max(0, Math.floor(a * r.minX + e - pad)),
      Math.max(0, Math.floor(d * r.minY + f - pad)),
      Math.min(width, Math.ceil(a * r.maxX + e + pad)),
      Math.min(height, Math.ceil(d * r.maxY + f + pad)),
    ]);
    return tileRuns(boxes, width, height, TILE);
  }

  /**
   * Make every region's path at zoom level (./paths.js: positions closer than half a device
   * pixel dropped), and the edges of all of them, unless they are made already.
   */
  atLevel(level, ratio) {
    if (this.allLevel === level) return;
    const tol = toleranceAt(level, WORLD_ZOOM, ratio);
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
   * Every region's edge stroked once, on a canvas the size of the map's (reused), lineWidth
   * wide in the paths' pixels, once at each shift of shifts (the canvas's pixels).
   */
  stroked(canvas, width, height, transform, color, lineWidth, shifts = [[0, 0]]) {
    canvas ??= document.createElement('canvas');
    canvas.width = width; // also clears it
    canvas.height = height;
    const c = canvas.getContext('2d');
    c.lineJoin = 'round';
    c.strokeStyle = color;
    c.lineWidth = lineWidth;
    const [a, b, cc, d, e, f] = transform;
    for (const [dx, dy] of shifts) {
      c.setTransform(a, b, cc, d, e + dx, f + dy);
      c.stroke(this.all);
    }
    return canvas;
  }

  /** The region under a mouse event, or null. */
  regionAt(e) {
    const map = this.map;
    const lp = map.mouseEventToLayerPoint(e);
    const scale = map.getZoomScale(map.getZoom(), WORLD_ZOOM);
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

/** Whether two boxes [x, y, w, h] share a pixel. */
function overlap([ax, ay, aw, ah], [bx, by, bw, bh]) {
  return ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah;
}
