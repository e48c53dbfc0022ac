// The change form's preview, with no DOM: what recording a change would do, in the same
// sentences as the server's (web/event_form.go, previewText and previewSummary): "Balkh:
// Government → Taliban from 2021-08-14 (was Government since 2021-08-01), marked as a
// claim." Golden cases: testdata/rules/preview.json.

/**
 * The sentence for a change of region (its name) to faction from date, with confidence
 * 'confirmed' or 'claimed', when held.faction has held it since held.since; with corrects
 * ({faction, date, confidence}), compared with the event it corrects instead. factions
 * ([{id, name}]) name the factions; an unknown id is shown as it is.
 */
export function describeChange(factions, { region, held, faction, date, confidence, corrects }) {
  const names = new Map((factions ?? []).map((f) => [String(f.id), f.name]));
  const nameOf = (id) => names.get(String(id)) ?? String(id);
  const claim = confidence === 'claimed' ? ', marked as a claim' : '';
  if (corrects) {
    const was = `${nameOf(corrects.faction)} from ${corrects.date}${corrects.confidence === 'claimed' ? ' (claimed)' : ''}`;
    return `${region}: correcting ${was} to ${nameOf(faction)} from ${date}${claim}.`;
  }
  const was = nameOf(held.faction);
  if (String(held.faction) === String(faction)) {
    return `${region}: already held by ${was} since ${held.since}; the map does not change${claim}.`;
  }
  return `${region}: ${was} → ${nameOf(faction)} from ${date} (was ${was} since ${held.since})${claim}.`;
}

/**
 * The sentence above the list of a change of total regions, unchanged of which their
 * faction already holds; '' for one region, whose sentence says it all.
 */
export function summarizeChanges(total, unchanged) {
  if (total <= 1) return '';
  if (unchanged === 0) return `${total} regions change hands.`;
  const moving = total - unchanged;
  return `${total} regions: ${moving === 0 ? 'none changes' : `${moving} change`} hands, ${unchanged} already held (no change on the map).`;
}
