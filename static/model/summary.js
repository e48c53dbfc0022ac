// The summary sentence beside the legend ("Taliban: 23 of 34 regions on 14 August 2021."),
// with no DOM. The rule, as web/map_show.go's summary applies it on the server: the faction
// holding the most regions, the first in display order on a tie. The wording is the
// server's template (page data `labels.summary`). Golden cases: testdata/rules/summary.json.

import { fillTemplate } from './template.js';

/**
 * The sentence for the factions in display order ([{id, name}]), countOf(id) regions each,
 * total regions in all, on the date labelled label; '' for a map with no factions.
 */
export function summarize(template, factions, countOf, total, label) {
  let top = null;
  let topCount = 0;
  for (const f of factions ?? []) {
    const n = Number(countOf(String(f.id))) || 0;
    if (top === null || n > topCount) {
      top = f;
      topCount = n;
    }
  }
  if (top === null) return '';
  return fillTemplate(template, { faction: top.name ?? String(top.id), count: topCount, total, date: label });
}

// What a region or a place is called to a screen reader and in the map's keyboard list
// (static/map/keys.js): its name and who holds it since when.

/**
 * "Kabul: Taliban, confirmed since 15 August 2021". kind ("capital", "city", …) marks a
 * place, whose name a region may share: "Kabul (capital): …".
 */
export function holdingName({ name, kind = '', faction, claimed = false, since }) {
  const who = kind ? `${name} (${kind})` : name;
  return `${who}: ${faction}, ${claimed ? 'claimed' : 'confirmed'} since ${since}`;
}
