// A few DOM helpers. Everything a node sends is put into the page as text, never as HTML: a node the reader does not
// trust must not be able to run script in the page that checks its receipts.

/** Creates an element: h('div', {class: 'x', onclick: f}, child, 'text', ...). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `element`. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A shortened hash with the whole one in its tooltip. */
export function short(hex, length = 12) {
  if (!hex) return '';
  return h('span', { class: 'mono', title: hex }, hex.length > length ? `${hex.slice(0, length)}…` : hex);
}

/** A link inside the page (hash routing). */
export function link(route, ...children) {
  return h('a', { href: `#/${route}` }, ...children);
}

/** A two-column table of label → value rows. */
export function facts(rows) {
  return h('table', { class: 'facts' }, h('tbody', {}, rows.filter(Boolean).map(([label, value, attrs]) =>
    h('tr', attrs ?? {}, h('th', {}, label), h('td', {}, value)))));
}

/** A table with a header row. */
export function table(headers, rows, attrs = {}) {
  return h('table', { class: 'list', ...attrs },
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', {}, x)))),
    h('tbody', {}, rows));
}

/** A human age, e.g. "3 s ago". */
export function ago(ms) {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.floor(s / 60)} min ago` : `${Math.floor(s / 3600)} h ago`;
}
