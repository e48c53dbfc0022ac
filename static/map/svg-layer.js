// The regions as SVG paths in Leaflet's SVG renderer, one element per region: what maps of
// up to a few hundred regions use (see ./layer.js for the interface it shares with the
// canvas layer).

import { COLORS, svgPattern } from './paint.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

export class SvgLayer {
  constructor(map, options) {
    this.o = options;
    this.map = map;
    this.layers = new Map(); // region id -> L.Polygon
    this.selected = null;
    this.emphasized = new Set();
    this.bounds = null;
    this.pending = null; // what draw made, until addTo
    // The renderer's <svg> and its hatch patterns exist before the shapes arrive, so that
    // each region is drawn in its final colour at once.
    this.renderer = options.L.svg({ padding: 0.5 });
    map.addLayer(this.renderer);
    const svg = map.getPane('overlayPane')?.querySelector(':scope > svg');
    this.defs = null;
    if (svg) {
      this.defs = svg.querySelector(':scope > defs') ?? svg.insertBefore(svg.ownerDocument.createElementNS(SVG_NS, 'defs'), svg.firstChild);
      for (const f of options.factions) this.ensureHatch(f);
    }
  }

  draw(features) {
    const { L, idOf } = this.o;
    const renderer = this.renderer;
    const fill = L.geoJSON({ type: 'FeatureCollection', features }, {
      renderer,
      style: (feature) => this.style(idOf(feature)),
      onEachFeature: (feature, layer) => {
        const id = idOf(feature);
        this.layers.set(id, layer);
        this.bind(id, layer);
      },
    });
    // The outline under the fills (which paint over all but the outer edge) shares the
    // fills' coordinates rather than reading the GeoJSON a second time; one path for all of
    // it: the outline's look is the same, its cost a single element.
    const rings = [];
    for (const layer of fill.getLayers()) {
      const latlngs = layer.getLatLngs();
      if (L.LineUtil.isFlat(latlngs[0])) rings.push(latlngs);
      else rings.push(...latlngs);
    }
    const outline = L.polygon(rings, { renderer, interactive: false, stroke: true, color: COLORS.outline, weight: 4, opacity: 1, fill: false, lineJoin: 'round' });
    const bounds = fill.getBounds();
    if (!bounds.isValid()) throw new Error('the regions have no usable geometry');
    this.bounds = bounds;
    this.pending = [outline, fill]; // added by addTo, once the view is fitted
    return [...this.layers.keys()];
  }

  /** Add what draw made to the map (after the view is fitted to bounds). */
  addTo(map) {
    for (const layer of this.pending ?? []) layer.addTo(map); // the outline first, under the fills
    this.pending = null;
    return this;
  }

  paint(id, faction, claimed) {
    const layer = this.layers.get(id);
    if (!layer) return;
    const fill = this.fillOf(faction, claimed);
    const path = layer.getElement?.();
    if (path) {
      // Only the fill changes: Leaflet's setStyle would rewrite every style attribute of
      // the path. Its options are kept in step, for the hover's setStyle.
      layer.options.fillColor = fill;
      if (path.getAttribute('fill') !== fill) path.setAttribute('fill', fill);
    } else {
      layer.setStyle({ fillColor: fill });
    }
    this.mark(id, faction, claimed);
  }

  select(id) {
    const before = this.selected;
    this.selected = id;
    if (before !== null) this.layers.get(before)?.getElement?.()?.classList.remove('selected');
    if (id !== null) this.layers.get(id)?.getElement?.()?.classList.add('selected');
  }

  emphasize(ids) {
    for (const id of this.emphasized) {
      if (!ids.has(id)) this.layers.get(id)?.getElement?.()?.classList.remove('changed');
    }
    for (const id of ids) {
      const layer = this.layers.get(id);
      const path = layer?.getElement?.();
      if (!path || path.classList.contains('changed')) continue;
      path.classList.add('changed');
      // Above its neighbours, whose white borders would cover half the outline.
      layer.bringToFront();
    }
    this.emphasized = new Set(ids);
    if (this.selected !== null) this.layers.get(this.selected)?.bringToFront();
  }

  flush() {}

  fillOf(faction, claimed) {
    if (claimed && this.ensureHatch(faction)) return `url(#hatch-${faction})`;
    return this.o.colorOf(faction);
  }

  style(id) {
    const { faction, claimed } = this.o.holderOf(id);
    return {
      stroke: true,
      color: COLORS.border,
      weight: 1,
      opacity: 1,
      lineJoin: 'round',
      fill: true,
      fillOpacity: 1,
      // Leaflet writes fillColor straight to the fill attribute, so a url()
      // survives later setStyle calls (hover) without re-applying it.
      fillColor: this.fillOf(faction, claimed),
    };
  }

  // The data attributes the page's tests and styles read: region, faction, claimed. Each is
  // written only when it changes: any write makes the browser look at the path's style again.
  mark(id, faction, claimed) {
    const path = this.layers.get(id)?.getElement?.();
    if (!path) return;
    const c = String(claimed);
    if (path.dataset.region !== id) path.dataset.region = id;
    if (path.dataset.faction !== faction) path.dataset.faction = faction;
    if (path.dataset.claimed !== c) path.dataset.claimed = c;
  }

  bind(id, layer) {
    const tip = document.createElement('span');
    tip.className = 'region-tooltip-name';
    tip.textContent = this.o.nameOf(id);
    layer.bindTooltip(tip, { sticky: true, direction: 'top', offset: [0, -10], className: 'region-tooltip' });
    layer.on('mouseover', () => {
      layer.setStyle({ color: COLORS.hover, weight: 2.5 });
      layer.bringToFront();
    });
    layer.on('mouseout', () => layer.setStyle({ color: COLORS.border, weight: 1 }));
    layer.on('click', (e) => {
      layer.closeTooltip();
      this.o.onOpen(id, e.latlng);
    });
  }

  // One <pattern> per faction: stripes of its colour on the hatch's ground.
  ensureHatch(f) {
    if (!this.defs) return false;
    const id = `hatch-${f}`;
    if (this.defs.ownerDocument.getElementById(id)) return true;
    this.defs.append(svgPattern(this.defs.ownerDocument, id, this.o.colorOf(f), this.o.hatch));
    return true;
  }
}
