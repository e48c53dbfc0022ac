// How a region is painted, one definition each: the lines of the map, each faction's colour
// and name (a neutral colour for a faction the data does not know or colours badly), and the
// hatch of a claimed holding. The hatch comes from the server in the page data (`hatch`, from
// geo.HatchPeriod and its neighbours; the style sheet's swatches read the same numbers as
// custom properties): stripes of the holder's colour `stripe` pixels wide every `period`
// pixels, on `ground`, turned `angle` degrees clockwise from vertical. The SVG layer, the
// canvas layer and the server's inline map (geo/inline.go, from the same numbers) draw it.

const COLOR = /^#[0-9a-fA-F]{3,8}$/;

export const FALLBACK_COLOR = '#9aa0a6';

/** The lines of the map, the same in the SVG and canvas layers and geo/inline.go's inline map. */
export const COLORS = Object.freeze({
  outline: '#2b3137', // around the whole area, under the fills
  border: '#ffffff', // between regions
  hover: '#15191d',
  selected: '#111111', // as #map path.selected in map.css
  changed: '#111111', // a comparison's changes, dashed: as #map path.changed in map.css
});

// The borders between regions fade in as the regions grow on screen: a typical region (the
// median of their boxes) BORDERS_FROM_PX across or less shows none, BORDERS_WHOLE_PX or more
// shows them whole. At the US counties' first view a county is 3 or 4 pixels across, and
// white lines a pixel wide covered most of each: the east read as white. The pictures follow
// the same rule (geo.BordersOpacity; testdata/rules/borders.json holds both).
export const BORDERS_FROM_PX = 4;
export const BORDERS_WHOLE_PX = 16;

/** The borders' opacity, 0 to 1 in steps of 0.05, where a typical region is sizePx across. */
export function bordersOpacity(sizePx) {
  if (!(sizePx > BORDERS_FROM_PX)) return 0;
  if (sizePx >= BORDERS_WHOLE_PX) return 1;
  return Math.round((20 * (sizePx - BORDERS_FROM_PX)) / (BORDERS_WHOLE_PX - BORDERS_FROM_PX)) / 20;
}

/** The dashes of a comparison's changes, in screen pixels (map.css: stroke-dasharray). */
export const CHANGED_DASH = Object.freeze([7, 4]);

/** {byId, colorOf(f), nameOf(f)} of the page data's factions (data.factions). */
export function createFactions(list) {
  const byId = new Map((list ?? []).map((f) => [String(f.id), f]));
  return {
    /** Each faction by its id, in display order. */
    byId,
    colorOf(f) {
      const c = byId.get(f)?.color;
      return typeof c === 'string' && COLOR.test(c) ? c : FALLBACK_COLOR;
    },
    nameOf(f) {
      return byId.get(f)?.name ?? f;
    },
  };
}

const SVG_NS = 'http://www.w3.org/2000/svg';
/**
 * The page data's hatch, checked: {period, stripe, angle, ground}. Throws on anything else,
 * naming the field, so that a page with a bad hatch says its data is unreadable.
 */
export function parseHatch(raw) {
  if (raw === null || typeof raw !== 'object') throw new TypeError('hatch: want {period, stripe, angle, ground}');
  const { period, stripe, angle, ground } = raw;
  if (!(Number.isFinite(period) && period > 0)) throw new RangeError(`hatch.period: want a number of pixels > 0, got ${period}`);
  if (!(Number.isFinite(stripe) && stripe > 0 && stripe < period)) {
    throw new RangeError(`hatch.stripe: want a number of pixels between 0 and the period (${period}), got ${stripe}`);
  }
  if (!Number.isFinite(angle)) throw new RangeError(`hatch.angle: want degrees, got ${angle}`);
  if (typeof ground !== 'string' || !COLOR.test(ground)) throw new RangeError(`hatch.ground: want a #rrggbb colour, got ${ground}`);
  return { period, stripe, angle, ground };
}

// A canvas tile's pixels per screen pixel of the hatch: enough for a sharp edge on a
// high-density screen once the pattern is scaled to the map.
const TILE_RESOLUTION = 4;

/**
 * The tile of a canvas hatch: `size` pixels square, standing for `side` screen pixels, and
 * whether the pattern must be turned (`turn`). Software rasterisers fill a turned pattern
 * at about half the speed of an upright one (22 ms against 13 for 5,000 regions in headless
 * Chromium), so a hatch at a multiple of 45° gets a tile with its stripes drawn turned
 * already, which repeats seamlessly across `side` = period / max(|cos|, |sin|); any other
 * angle gets the upright tile of the SVG pattern, turned by the pattern's transform.
 */
export function hatchTile(hatch) {
  if (hatch.angle % 45 !== 0) {
    const size = Math.max(1, Math.round(hatch.period * TILE_RESOLUTION));
    return { size, side: hatch.period, turn: true };
  }
  const rad = (hatch.angle * Math.PI) / 180;
  const side = hatch.period / Math.max(Math.abs(Math.cos(rad)), Math.abs(Math.sin(rad)));
  return { size: Math.max(1, Math.ceil(side * TILE_RESOLUTION)), side, turn: false };
}

/**
 * The pattern transform of a canvas hatch, as DOMMatrix's [a, b, c, d, e, f]: the tile at
 * its size on screen (turned when hatchTile says so), at 1/scale so that the stripes keep
 * their size on screen when the context is scaled by `scale`.
 */
export function patternMatrix(hatch, scale = 1) {
  const tile = hatchTile(hatch);
  const k = tile.side / tile.size / scale;
  if (!tile.turn) return [k, 0, 0, k, 0, 0];
  const rad = (hatch.angle * Math.PI) / 180;
  const cos = Math.cos(rad) * k;
  const sin = Math.sin(rad) * k;
  return [cos, sin, -sin, cos, 0, 0];
}

/** The SVG pattern element for colour's hatch, id `id`: the SVG layer puts it in its <defs>. */
export function svgPattern(doc, id, color, hatch) {
  const pattern = doc.createElementNS(SVG_NS, 'pattern');
  pattern.setAttribute('id', id);
  pattern.setAttribute('patternUnits', 'userSpaceOnUse');
  pattern.setAttribute('width', String(hatch.period));
  pattern.setAttribute('height', String(hatch.period));
  pattern.setAttribute('patternTransform', `rotate(${hatch.angle})`);
  const ground = doc.createElementNS(SVG_NS, 'rect');
  ground.setAttribute('width', String(hatch.period));
  ground.setAttribute('height', String(hatch.period));
  ground.setAttribute('fill', hatch.ground);
  const stripe = doc.createElementNS(SVG_NS, 'rect');
  stripe.setAttribute('width', String(hatch.stripe));
  stripe.setAttribute('height', String(hatch.period));
  stripe.setAttribute('fill', color);
  pattern.append(ground, stripe);
  return pattern;
}

/**
 * A repeating canvas pattern of colour's hatch for context ctx. Set its transform with
 * patternMatrix before each fill when the context is scaled: canvasHatch does it for scale 1.
 */
export function canvasHatch(ctx, color, hatch) {
  const { size, side, turn } = hatchTile(hatch);
  const tile = ctx.canvas.ownerDocument.createElement('canvas');
  tile.width = tile.height = size;
  const t = tile.getContext('2d');
  t.fillStyle = hatch.ground;
  t.fillRect(0, 0, size, size);
  t.fillStyle = color;
  t.scale(size / side, size / side);
  if (!turn) {
    // Stripes turned as the SVG pattern's, over the tile and beyond its corners.
    t.rotate((hatch.angle * Math.PI) / 180);
  }
  const reach = turn ? 0 : 2 * side;
  const first = -Math.ceil(reach / hatch.period) * hatch.period;
  for (let x = first; x < side + reach; x += hatch.period) t.fillRect(x, -reach, hatch.stripe, side + 2 * reach);
  const pattern = ctx.createPattern(tile, 'repeat');
  pattern.setTransform(new DOMMatrix(patternMatrix(hatch)));
  return pattern;
}
