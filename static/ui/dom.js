// Small DOM helpers: the table and the popup build nodes from editors' text with them, and
// what follows the slider writes with them only what changed (every write, even of the same
// value, makes the browser look at the element's style and often its layout again).

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

// The server renders <span class="swatch swatch-{faction}" style="background-color:…">.
export function paintSwatch(swatch, f, colorOf) {
  const name = `swatch-${f}`;
  if (swatch.classList.contains(name)) return; // painted in the faction's colour already
  for (const c of [...swatch.classList]) if (c.startsWith('swatch-')) swatch.classList.remove(c);
  swatch.classList.add(name);
  swatch.style.backgroundColor = colorOf(f);
}

/**
 * Show text in node, writing only when it differs, and into the node's one text node when it
 * has one: textContent would put a new text node in its place, which the browser styles and
 * lays out anew, where a changed text only lays its line out again.
 */
export function setText(node, text) {
  if (!node) return;
  const s = text === undefined || text === null ? '' : String(text);
  const only = node.firstChild;
  if (s !== '' && only && only === node.lastChild && only.nodeType === 3) {
    if (only.data !== s) only.data = s;
  } else if (node.textContent !== s) {
    node.textContent = s; // '' leaves no text node, for :empty
  }
}

/** Hide or show node, writing the attribute only when that changes. */
export function setHidden(node, hidden) {
  if (node && node.hidden !== hidden) node.hidden = hidden;
}

/** Set an attribute only when its value changes. */
export function setAttr(node, name, value) {
  if (node && node.getAttribute(name) !== value) node.setAttribute(name, value);
}
