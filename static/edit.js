// Frontline change form: clicking a region on the map chooses it, the map follows the
// form's date, and the preview says what saving would do before the editor saves.
// The server renders the same preview on "Preview", so the form works without this script.

import { createTimeline, epochDay } from './map.js';

const form = document.getElementById('event-form');
const dataNode = document.getElementById('map-data');

if (form && dataNode) {
  const data = JSON.parse(dataNode.textContent);
  const timeline = createTimeline(data);
  const factions = new Map((data.factions ?? []).map((f) => [String(f.id), f.name]));
  const regions = new Map((data.regions ?? []).map((r) => [String(r.id), r.name]));
  const field = (name) => form.elements.namedItem(name);
  const preview = document.getElementById('change-preview');
  const mapEl = document.getElementById('map');

  const factionName = (id) => factions.get(id) ?? id;

  // The same sentence as the server's (web/event_form.go, preview).
  function describe() {
    const region = field('region').value;
    const faction = field('faction').value;
    const date = field('date').value;
    const day = epochDay(date);
    if (!region || !faction || !Number.isFinite(day) || day < timeline.startDay || day > timeline.endDay) return '';
    const ev = timeline.holding(region, day);
    const was = factionName(timeline.factionOf(ev));
    const since = ev ? ev.date : data.start;
    const claimed = form.querySelector('input[name="confidence"]:checked')?.value === 'claimed';
    return `${regions.get(region) ?? region}: ${was} → ${factionName(faction)} from ${date} (was ${was} since ${since})` +
      `${claimed ? ', marked as a claim' : ''}.`;
  }

  function markSelected() {
    const region = field('region').value;
    for (const p of mapEl?.querySelectorAll('path.selected') ?? []) p.classList.remove('selected');
    if (region) mapEl?.querySelector(`path[data-region="${CSS.escape(region)}"]`)?.classList.add('selected');
  }

  function update() {
    if (preview) preview.textContent = describe();
    markSelected();
  }

  form.addEventListener('input', update);
  form.addEventListener('change', (e) => {
    if (e.target === field('date') && window.frontline) {
      try {
        window.frontline.setDate(field('date').value);
      } catch {
        // An incomplete or out-of-range date: the field's own validation says so.
      }
    }
    update();
  });

  // Paths appear when the shapes load; delegation catches clicks on them whenever that is.
  mapEl?.addEventListener('click', (e) => {
    const path = e.target.closest?.('path[data-region]');
    if (!path) return;
    field('region').value = path.dataset.region;
    update();
  });
  if (mapEl) new MutationObserver(markSelected).observe(mapEl, { childList: true, subtree: true });
  update();
}
