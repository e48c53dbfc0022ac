// What a Leaflet map adds once its regions are drawn (static/map.js's drawShapes): the
// regions' names on the map (./labels.js) and the keyboard's list of regions and places
// (./keys.js). Places go first: their labels are placed before the regions' names, which
// fit around them.

import { createMapKeys, keyItems } from './keys.js';
import { RegionLabels } from './labels.js';

/**
 * Name features on map and list them, then places, for the keyboard. idOf(feature) and
 * nameOf(id) as keyItems takes them; label names the list; describe and onOpen as
 * createMapKeys takes them. Returns the keys (createMapKeys's {refresh, focus}).
 */
export function addNamesAndKeys(L, map, { features, places, idOf, nameOf, rtl, label, describe, onOpen }) {
  new RegionLabels(L, map, { features, idOf, nameOf, rtl }).addTo(map);
  return createMapKeys(L, map, { label, items: keyItems(L, features, places ?? [], { idOf, nameOf }), describe, onOpen });
}
