// The regions chosen on the change form, shown as removable chips: the DOM side of the
// choice; static/edit.js keeps the list and says when it changes.

import { fillTemplate } from '../model/template.js';

/**
 * Draw ids as chips in list (a <ul>), each with its name and a button that calls
 * remove(id), named by removeLabel ("Remove {name}", in the page's language). Focus stays
 * on the list after a removal, so a keyboard user is not lost.
 */
export function drawChips(list, ids, names, remove, removeLabel = '{name}') {
  const doc = list.ownerDocument;
  list.replaceChildren(
    ...ids.map((id) => {
      const name = names.get(id) ?? id;
      const chip = doc.createElement('li');
      chip.className = 'chip';
      chip.dataset.region = id;
      const label = doc.createElement('span');
      label.textContent = name;
      const button = doc.createElement('button');
      button.type = 'button';
      button.className = 'chip-remove';
      button.textContent = '×';
      button.setAttribute('aria-label', fillTemplate(removeLabel, { name }));
      button.addEventListener('click', () => {
        const next = chip.nextElementSibling?.querySelector('button') ?? chip.previousElementSibling?.querySelector('button');
        remove(id);
        (next?.isConnected ? next : list).focus?.();
      });
      chip.append(label, ' ', button);
      return chip;
    }),
  );
  list.hidden = ids.length === 0;
}
