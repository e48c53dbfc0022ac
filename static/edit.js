// Frontline change form: clicking a region on the map chooses it, the map follows the
// form's date, and the preview says what saving would do before the editor saves.
// The server renders the same preview on "Preview", so the form works without this script.
// The map is static/map.js's, once it has started.

import { started } from './map.js';
import { describeChange } from './model/preview.js';

const form = document.getElementById('event-form');
const dataNode = document.getElementById('map-data');
const map = form && dataNode ? await started : null;

if (map) {
  const data = JSON.parse(dataNode.textContent);
  const regions = new Map((data.regions ?? []).map((r) => [String(r.id), r.name]));
  const field = (name) => form.elements.namedItem(name);
  const preview = document.getElementById('change-preview');

  // The sentence is static/model/preview.js's, the same as the server's; this only reads the
  // form and says nothing until the input is complete.
  function describe() {
    const region = field('region').value;
    const faction = field('faction').value;
    const date = field('date').value;
    if (!region || !faction || !(date >= data.start && date <= data.end)) return '';
    const held = map.holder(region, date); // null while a large map's timeline loads
    if (!held) return '';
    const confidence = form.querySelector('input[name="confidence"]:checked')?.value ?? 'confirmed';
    return describeChange(data.factions, { region: regions.get(region) ?? region, held, faction, date, confidence });
  }

  function update() {
    if (preview) preview.textContent = describe();
    map.select(field('region').value || null);
  }

  form.addEventListener('input', update);
  form.addEventListener('change', (e) => {
    if (e.target === field('date')) {
      try {
        map.setDate(field('date').value);
      } catch {
        // An incomplete or out-of-range date, or a timeline still loading: the field's
        // own validation says the first; the second catches up on ready.
      }
    }
    update();
  });

  document.addEventListener('frontline:regionclick', (e) => {
    field('region').value = e.detail.region;
    update();
  });
  update();
  map.ready.then(update);
}
