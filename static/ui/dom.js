// Small DOM helpers of the table and the popup, which build nodes from editors' text.

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
  for (const c of [...swatch.classList]) if (c.startsWith('swatch-')) swatch.classList.remove(c);
  swatch.classList.add(`swatch-${f}`);
  swatch.style.backgroundColor = colorOf(f);
}
