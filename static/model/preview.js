// The change form's preview, with no DOM: what recording a change would do, in the same
// sentence as the server's (web/event_form.go, previewText): "Balkh: Government → Taliban
// from 2021-08-14 (was Government since 2021-08-01), marked as a claim."
// Golden cases: testdata/rules/preview.json.

/**
 * The sentence for a change of region (its name) to faction from date, with confidence
 * 'confirmed' or 'claimed', when held.faction has held it since held.since. factions
 * ([{id, name}]) name the factions; an unknown id is shown as it is.
 */
export function describeChange(factions, { region, held, faction, date, confidence }) {
  const names = new Map((factions ?? []).map((f) => [String(f.id), f.name]));
  const nameOf = (id) => names.get(String(id)) ?? String(id);
  const was = nameOf(held.faction);
  return `${region}: ${was} → ${nameOf(faction)} from ${date} (was ${was} since ${held.since})` +
    `${confidence === 'claimed' ? ', marked as a claim' : ''}.`;
}
