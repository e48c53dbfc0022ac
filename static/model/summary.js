// The summary sentence beside the legend ("Taliban: 21 of 34 regions confirmed, 23 with
// claims, on 14 August 2021. +5 since 13 August 2021."), with no DOM. The rule, as
// web/map_show.go's summary applies it on the server: the faction holding the most regions,
// claims included, the first in display order on a tie; the confirmed count when some are
// claimed; its change since the change date before, when it changed. The wording is the
// server's templates in the page's language (page data `labels`), the numbers in its digits.
// Golden cases: testdata/rules/summary.json.

import { localDigits } from './dates.js';
import { fillTemplate } from './template.js';

/**
 * The sentence for the factions in display order ([{id, name}]), countOf(id) regions each
 * (claims included), total regions in all, on the date labelled label; '' for a map with no
 * factions. more (optional): claimedOf(id), how many of a faction's regions are claimed, with
 * claimsTemplate; before {countOf(id), label}, what each held at the change date before,
 * with sinceTemplate; fmt, the page data's labels.dates, whose digits the numbers are
 * written in (ASCII without it).
 */
export function summarize(template, factions, countOf, total, label, more = {}) {
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
  const { claimedOf, claimsTemplate, before, sinceTemplate, fmt } = more;
  const digits = (n) => localDigits(n, fmt);
  const claimed = claimedOf ? Number(claimedOf(String(top.id))) || 0 : 0;
  const values = {
    faction: top.name ?? String(top.id), count: digits(topCount), confirmed: digits(topCount - claimed), total: digits(total), date: label,
  };
  const text = fillTemplate(claimed > 0 && claimsTemplate ? claimsTemplate : template, values);
  if (!before || !sinceTemplate) return text;
  const change = topCount - (Number(before.countOf(String(top.id))) || 0);
  if (change === 0) return text;
  return `${text} ${fillTemplate(sinceTemplate, { change: (change > 0 ? '+' : '-') + digits(Math.abs(change)), since: before.label })}`;
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
