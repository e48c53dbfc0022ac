// The map's scale bar: Leaflet's own, in kilometres and miles, at the bottom left, where
// nothing else of the map sits (zoom top left, credits bottom right; the legend is outside
// the map box on every page), so that on a phone it covers neither.

/** Add the scale bar to map; returns the control. */
export function addScale(L, map) {
  return L.control.scale({ position: 'bottomleft', metric: true, imperial: true, maxWidth: 100 }).addTo(map);
}
