// Leaflet's canvas renderer made to draw a CanvasLayer (./canvas-layer.js): Leaflet keeps
// sizing and placing it and routing the mouse to it, and the regions draw themselves whole
// and answer the clicks and hovers, so Leaflet never holds one of its own layers a region.
//
// Its container is not one canvas but a stack of three, the size of Leaflet's, which the
// browser composites: the fills (with the outline under them), the borders over them, and
// the marks (the selection, the hovered region, a comparison's changes) on top. A step of
// the slider then fills again only the regions it changed on the first, and a hover draws
// only the last: nothing is copied. Composited into one canvas, a step of the 5,000-region
// map (half of it changed) copied whole images of the fills and borders in, and a hover
// redrew the whole map (docs/benchmarks.md, branch canvas).

/** The stack's canvases, bottom to top; each is named by its data-layer attribute. */
export const STACK = Object.freeze(['fills', 'borders', 'marks']);

/** Leaflet's canvas renderer with its container, drawing and mouse handling replaced by the regions'. */
export function canvasRenderer(regions) {
  const { L } = regions.o;
  const { map } = regions;
  const place = (el) => Object.assign(el.style, { position: 'absolute', left: '0', top: '0' });
  return L.Canvas.extend({
    retina: L.Browser.retina ? 2 : 1,
    // As L.Canvas's, with a box of canvases in place of the canvas; _ctx is the fills'.
    _initContainer() {
      const container = (this._container = document.createElement('div'));
      container.className = 'map-canvas-stack';
      place(container);
      this.canvases = {};
      for (const name of STACK) {
        const canvas = document.createElement('canvas');
        canvas.dataset.layer = name;
        place(canvas);
        container.appendChild(canvas);
        this.canvases[name] = canvas;
      }
      L.DomEvent.on(container, 'mousemove', this._onMouseMove, this);
      L.DomEvent.on(container, 'click dblclick mousedown mouseup contextmenu', this._onClick, this);
      L.DomEvent.on(container, 'mouseout', this._handleMouseOut, this);
      container._leaflet_disable_events = true;
      this._ctx = this.canvases.fills.getContext('2d');
    },
    // As L.Canvas's: every canvas sized to the bounds (which clears them all), then drawn.
    _update() {
      if (this._map._animatingZoom && this._bounds) return;
      L.Renderer.prototype._update.call(this);
      const b = this._bounds;
      const size = b.getSize();
      const m = this.retina;
      L.DomUtil.setPosition(this._container, b.min);
      Object.assign(this._container.style, { width: `${size.x}px`, height: `${size.y}px` });
      for (const canvas of Object.values(this.canvases)) {
        canvas.width = m * size.x;
        canvas.height = m * size.y;
        Object.assign(canvas.style, { width: `${size.x}px`, height: `${size.y}px` });
      }
      regions.shownStale = true;
      regions.marksBlank = true;
      this.fire('update');
    },
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
