// The regions on one canvas, for large maps: the server asks for it from canvasMinRegions
// regions (web/map_show.go), and ./layer.js loads this module for those maps alone, so that a
// small map's page does not carry it. It implements the layer interface of ./layer.js.
//
// Leaflet's own canvas renderer projects and strokes each polygon anew on every redraw
// (about 150 ms at 5,000 regions here). This one builds each region's Path2D once, in
// pixels at WORLD_ZOOM, and draws any view through the canvas transform with one fill per
// region. The outline and the borders, which change only with the view, are stroked once
// per view and copied in: stroking 5,000 regions with round joins every frame held the
// map at 4 frames a second. So restyling every region costs a few milliseconds and
// rasterising keeps up with the frames of a drag of the slider.

import { polygonsOf } from '../picture.js';
import { CHANGED_DASH, COLORS, FALLBACK_COLOR, canvasHatch, patternMatrix } from './paint.js';

// The paths' coordinates are pixels at this zoom, relative to the regions' north-west
// corner: small numbers, precise enough at any zoom a map of regions is read at.
const WORLD_ZOOM = 8;

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
    this.hitContext = null;
    this.tooltip = options.L.tooltip({ direction: 'top', offset: [0, -10], className: 'region-tooltip' });
    this.layer = null;
    this.regions = []; // {id, path, minX, minY, maxX, maxY, fill}, in drawing order
    this.index = new Map(); // region id -> entry of regions
    this.bounds = null;
  }

  /** Build each region's path once, in pixels at WORLD_ZOOM. */
  draw(features) {
    const { L } = this.o;
    const crs = this.map.options.crs;
    // Outer rings bound their holes: they are enough for the bounds.
    this.bounds = L.latLngBounds([]);
    for (const f of features) {
      for (const poly of polygonsOf(f.geometry)) for (const [lng, lat] of poly[0] ?? []) this.bounds.extend([lat, lng]);
    }
    if (!this.bounds.isValid()) throw new Error('the regions have no usable geometry');
    this.origin = crs.latLngToPoint(this.bounds.getNorthWest(), WORLD_ZOOM);
    this.regions = []; // {id, path, minX, minY, maxX, maxY, fill}, in drawing order
    this.index = new Map(); // region id -> entry of regions
    this.all = new Path2D(); // every region's edge: the outline and the borders
    for (const f of features) {
      const path = new Path2D();
      let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const poly of polygonsOf(f.geometry)) {
        for (const ring of poly) {
          for (let k = 0; k < ring.length; k++) {
            const p = crs.latLngToPoint(L.latLng(ring[k][1], ring[k][0]), WORLD_ZOOM);
            const x = p.x - this.origin.x;
            const y = p.y - this.origin.y;
            if (k === 0) path.moveTo(x, y);
            else path.lineTo(x, y);
            minX = Math.min(minX, x);
            minY = Math.min(minY, y);
            maxX = Math.max(maxX, x);
            maxY = Math.max(maxY, y);
          }
          path.closePath();
        }
      }
      // No colour until the first paint.
      const entry = { id: this.o.idOf(f), path, minX, minY, maxX, maxY, fill: FALLBACK_COLOR };
      this.regions.push(entry);
      this.index.set(entry.id, entry);
      this.all.addPath(path);
    }
    return this.regions.map((r) => r.id);
  }

  addTo(map) {
    this.layer = new (rendererClass(this))({ padding: 0.1 });
    map.addLayer(this.layer);
    return this;
  }

  paint(id, faction, claimed) {
    const entry = this.index.get(id);
    if (!entry) return;
    entry.fill = claimed ? this.hatch(faction) : this.o.colorOf(faction);
    this.requestDraw();
  }

  select(id) {
    this.selected = id;
    this.requestDraw();
  }

  emphasize(ids) {
    this.emphasized = new Set(ids);
    this.requestDraw();
  }

  /** A faction's hatch: the SVG layer's pattern, as a canvas pattern (turned when drawn). */
  hatch(faction) {
    let pattern = this.hatches.get(faction);
    if (!pattern) {
      this.hitContext ??= document.createElement('canvas').getContext('2d');
      pattern = canvasHatch(this.hitContext, this.o.colorOf(faction), this.o.hatch);
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
      // The outline under the fills, which paint over all but its outer half; the borders over them.
      this.outlineImage = this.stroked(this.outlineImage, width, height, transform, COLORS.outline, 4 / scale);
      this.bordersImage = this.stroked(this.bordersImage, width, height, transform, COLORS.border, 1 / scale);
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.drawImage(this.outlineImage, 0, 0);
    ctx.setTransform(...transform);
    // Hatches keep their stripes' size on screen at any zoom.
    const unscale = new DOMMatrix(patternMatrix(this.o.hatch, scale));
    for (const pattern of this.hatches.values()) pattern.setTransform(unscale);
    for (const r of this.regions) {
      ctx.fillStyle = r.fill;
      ctx.fill(r.path, 'evenodd');
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.bordersImage, 0, 0);
    ctx.setTransform(...transform);
    ctx.lineJoin = 'round';
    // A comparison's changes: a heavy dashed line, as #map path.changed in map.css.
    ctx.strokeStyle = COLORS.changed;
    ctx.lineWidth = 3 / scale;
    ctx.setLineDash(CHANGED_DASH.map((d) => d / scale));
    for (const id of this.emphasized) {
      const r = this.index.get(id);
      if (r) ctx.stroke(r.path);
    }
    ctx.setLineDash([]);
    for (const [id, color, lineWidth] of [[this.selected, COLORS.selected, 3], [this.hovered, COLORS.hover, 2.5]]) {
      const r = id === null ? null : this.index.get(id);
      if (!r) continue;
      ctx.strokeStyle = color;
      ctx.lineWidth = lineWidth / scale;
      ctx.stroke(r.path);
    }
  }

  /** Every region's edge stroked once, on a canvas the size of the map's (reused). */
  stroked(canvas, width, height, transform, color, lineWidth) {
    canvas ??= document.createElement('canvas');
    canvas.width = width; // also clears it
    canvas.height = height;
    const c = canvas.getContext('2d');
    c.setTransform(...transform);
    c.lineJoin = 'round';
    c.strokeStyle = color;
    c.lineWidth = lineWidth;
    c.stroke(this.all);
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

/** Leaflet's canvas renderer with its drawing and mouse handling replaced by the regions'. */
function rendererClass(regions) {
  const { L } = regions.o;
  const { map } = regions;
  return L.Canvas.extend({
    retina: L.Browser.retina ? 2 : 1,
    // Leaflet's canvas redraws its layers from these; there are none, the regions are drawn whole.
    _updatePaths() {
      if (!this._postponeUpdatePaths) regions.flush();
    },
    _redraw() {
      regions.flush();
    },
    _draw() {
      regions.flush();
    },
    _onClick(e) {
      const region = e.type === 'click' && !map.dragging?.moved?.() ? regions.regionAt(e) : null;
      if (!region) {
        this._fireEvent(false, e);
        return;
      }
      L.DomEvent.stop(e);
      if (map.hasLayer(regions.tooltip)) map.closeTooltip(regions.tooltip);
      regions.o.onOpen(region.id, map.mouseEventToLatLng(e));
    },
    _onMouseMove(e) {
      if (!this._map || this._map.dragging?.moving?.() || this._map._animatingZoom) return;
      regions.hover(regions.regionAt(e), e);
    },
    _handleMouseOut(e) {
      regions.hover(null, e);
    },
  });
}
