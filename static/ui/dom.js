// Small DOM helpers the page's modules share.

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** The URL if it is http(s), else null: editors' links never become javascript: hrefs. */
export function safeHttpUrl(raw) {
  if (typeof raw !== 'string' || raw === '') return null;
  try {
    const u = new URL(raw, document.baseURI);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

export function isTextEntry(target) {
  if (!(target instanceof Element)) return false;
  if (target.isContentEditable) return true;
  return !!target.closest('input, select, textarea');
}

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A message over the map's box: role "status" while it loads, "alert" when it fails. */
export function showMapMessage(mapEl, text, role) {
  const box = el('div', 'map-message', text);
  box.setAttribute('role', role);
  mapEl.append(box);
  return box;
}

// The server renders <span class="swatch swatch-{faction}" style="background-color:…">.
export function paintSwatch(swatch, f, colorOf) {
  for (const c of [...swatch.classList]) if (c.startsWith('swatch-')) swatch.classList.remove(c);
  swatch.classList.add(`swatch-${f}`);
  swatch.style.backgroundColor = colorOf(f);
}
