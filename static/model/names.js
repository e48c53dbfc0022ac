// What a region or a place is called to a screen reader and in the map's keyboard list
// (static/map/keys.js): its name and who holds it since when, with no DOM.

/**
 * "Kabul: Taliban, confirmed since 15 August 2021". kind ("capital", "city", …) marks a
 * place, whose name a region may share: "Kabul (capital): …".
 */
export function holdingName({ name, kind = '', faction, claimed = false, since }) {
  const who = kind ? `${name} (${kind})` : name;
  return `${who}: ${faction}, ${claimed ? 'claimed' : 'confirmed'} since ${since}`;
}

/**
 * The index a key moves the focus to in a list of count items from index, or -1 for a key
 * that does not move it: arrows step (and wrap), Home and End jump, Page keys move by ten.
 */
export function rovingIndex(key, index, count) {
  if (count <= 0) return -1;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return (index + 1) % count;
    case 'ArrowLeft':
    case 'ArrowUp':
      return (index - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    case 'PageDown':
      return Math.min(index + 10, count - 1);
    case 'PageUp':
      return Math.max(index - 10, 0);
    default:
      return -1;
  }
}
