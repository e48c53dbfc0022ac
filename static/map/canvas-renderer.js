// Leaflet's canvas renderer made to draw a CanvasLayer (./canvas-layer.js): Leaflet keeps
// sizing the canvas and routing the mouse to it, and the regions draw themselves whole and
// answer the clicks and hovers, so Leaflet never holds one of its own layers a region.

/** Leaflet's canvas renderer with its drawing and mouse handling replaced by the regions'. */
export function canvasRenderer(regions) {
  const { L } = regions.o;
  const { map } = regions;
  return L.Canvas.extend({
    retina: L.Browser.retina ? 2 : 1,
    // Leaflet sizes its canvas here, which clears it, then draws (update -> _updatePaths).
    _update() {
      regions.shownStale = true;
      L.Canvas.prototype._update.call(this);
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
