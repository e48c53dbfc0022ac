// Frontline map page: the embed dialog (pinned or live code, Pym.js or plain iframe, copy,
// preview) and download links that follow the date on the slider. Each link that follows
// the date carries its template (data-href-template, data-src-template, data-iframe-template,
// data-pym-template: web/links.go), which static/model/links.js fills; no URL is rewritten
// by pattern, so a slug holding a date keeps it.

import { linkAt } from './model/links.js';

const dialog = document.getElementById('embed-dialog');
const button = document.getElementById('embed-button');
const code = document.getElementById('embed-code');
const pin = document.getElementById('embed-pin');
const preview = document.getElementById('embed-preview');
const copied = document.getElementById('embed-copied');

// The date the page shows; the server rendered the pinned codes for it.
let shownDate = code?.dataset.date ?? '';
// The date compared with (?compare=D0), '' for none: the codes and links carry it.
let compare = new URLSearchParams(location.search).get('compare') ?? '';

function currentCode() {
  const kind = dialog.querySelector('input[name="embed-kind"]:checked')?.value ?? 'pym';
  // A pinned code is its template at the date now shown; a live one has no date.
  if (pin.checked) return linkAt(code.dataset[`${kind}Template`] ?? '', shownDate, compare);
  return code.dataset[`${kind}Live`] ?? '';
}

function refresh() {
  code.value = currentCode();
  if (copied) copied.textContent = '';
  if (preview && dialog.open) {
    const src = linkAt(preview.dataset.srcTemplate ?? '', shownDate, compare);
    if (preview.getAttribute('src') !== src) preview.setAttribute('src', src);
  }
}

if (dialog && button && code && pin && typeof dialog.showModal === 'function') {
  button.hidden = false;
  button.addEventListener('click', () => {
    dialog.showModal();
    refresh();
  });
  dialog.addEventListener('change', refresh);
  document.getElementById('embed-copy')?.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(code.value);
    } catch {
      // Clipboard access needs a secure context; selecting the text still lets people copy.
      code.select();
      document.execCommand?.('copy');
    }
    if (copied) copied.textContent = copied.dataset.copied || 'Copied';
  });
}

// The links and codes follow the date once the slider rests, as the table of regions does
// (static/ui/settle.js, SETTLE_DELAY_MS): a drag or play moves the date every frame, and a frame
// of a large map has no time to spare.
const FOLLOW_DELAY_MS = 150;
let shownLabel = '';
let followTimer = 0;

function follow() {
  for (const a of document.querySelectorAll('a[data-href-template]')) {
    a.setAttribute('href', linkAt(a.dataset.hrefTemplate, shownDate, compare));
  }
  for (const el of document.querySelectorAll('.embed-date')) el.textContent = shownLabel;
  if (code) refresh();
}

document.addEventListener('frontline:datechange', (e) => {
  shownDate = e.detail.date;
  shownLabel = e.detail.label;
  compare = e.detail.compare ?? '';
  clearTimeout(followTimer);
  followTimer = setTimeout(follow, FOLLOW_DELAY_MS);
});
