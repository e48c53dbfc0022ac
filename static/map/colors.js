// The map's colours: the lines every picture of it draws, and each faction's colour and name
// as the page data lists them, with a neutral colour for a faction the data does not know or
// colours badly. (The hatch's colours come from the server: ./hatch.js.)

export const FALLBACK_COLOR = '#9aa0a6';

/** The lines of the map, the same in the SVG and canvas layers and the first picture. */
export const COLORS = Object.freeze({
  outline: '#2b3137', // around the whole area, under the fills
  border: '#ffffff', // between regions
  hover: '#15191d',
  selected: '#111111', // as #map path.selected in map.css
});
const COLOR = /^#[0-9a-fA-F]{3,8}$/;

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
