// The change form's preview, with no DOM: what recording a change would do, in the same
// sentences as the server's (web/event_form.go, previewText and previewSummary), filling the
// same templates in the page's language (words: the change form's page data, labels.preview,
// from the catalogues): "Balkh: Government → Taliban from 2021-08-14 (was Government since
// 2021-08-01), marked as a claim." Golden cases: testdata/rules/preview.json.

import { fillTemplate } from './template.js';

/**
 * The sentence for a change of region (its name) to faction from date, with confidence
 * 'confirmed' or 'claimed', when held.faction has held it since held.since; with corrects
 * ({faction, date, confidence}), compared with the event it corrects instead. factions
 * ([{id, name}]) name the factions; an unknown id is shown as it is. words are the
 * templates ({change, held, correcting, was, wasClaimed, claim}).
 */
export function describeChange(words, factions, { region, held, faction, date, confidence, corrects }) {
  const names = new Map((factions ?? []).map((f) => [String(f.id), f.name]));
  const nameOf = (id) => names.get(String(id)) ?? String(id);
  const claim = confidence === 'claimed' ? words.claim : '';
  if (corrects) {
    const was = fillTemplate(corrects.confidence === 'claimed' ? words.wasClaimed : words.was, { faction: nameOf(corrects.faction), date: corrects.date });
    return fillTemplate(words.correcting, { region, was, faction: nameOf(faction), date, claim });
  }
  if (String(held.faction) === String(faction)) {
    return fillTemplate(words.held, { region, faction: nameOf(held.faction), since: held.since, claim });
  }
  return fillTemplate(words.change, { region, was: nameOf(held.faction), faction: nameOf(faction), date, since: held.since, claim });
}

/**
 * The sentence above the list of a change of total regions, unchanged of which their
 * faction already holds; '' for one region, whose sentence says it all. The words' summary
 * templates ({allMove, noneMove, someMove}) are by CLDR plural category of total, in
 * words.lang (English's rules for a language the browser lacks, such as Pashto, whose
 * rules are the same).
 */
export function summarizeChanges(words, total, unchanged) {
  if (total <= 1) return '';
  let forms = words.someMove;
  if (unchanged === 0) forms = words.allMove;
  else if (unchanged === total) forms = words.noneMove;
  const lang = Intl.PluralRules.supportedLocalesOf([words.lang ?? 'en']).length > 0 ? words.lang : 'en';
  const template = forms?.[new Intl.PluralRules(lang).select(total)] ?? forms?.other ?? '';
  return fillTemplate(template, { total, moving: total - unchanged, unchanged });
}
