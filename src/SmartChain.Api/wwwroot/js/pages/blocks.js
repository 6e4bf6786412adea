// #/ : the newest blocks, newest first, with new certified blocks prepended as the stream announces them.
import { api } from '../api.js';
import { fill, h, link, short } from '../dom.js';

function row(b, fresh = false) {
  return h('tr', { class: fresh ? 'fresh' : null, dataset: { number: b.number } },
    h('td', {}, link(`block/${b.number}`, b.number)),
    h('td', {}, link(`block/${b.hash}`, short(b.hash, 16))),
    h('td', {}, b.transactionCount),
    h('td', {}, b.consensusId),
    h('td', {}, b.certified ? h('span', { class: 'badge ok' }, 'certified') : h('span', { class: 'badge warn' }, 'durable')));
}

export async function blocksPage({ view, onNewBlock, isCurrent }) {
  const body = h('tbody', { id: 'blocks-body' });
  const more = h('button', { class: 'secondary' }, 'Older blocks');
  fill(view, h('h2', {}, 'Blocks'),
    h('table', { class: 'list', id: 'blocks' },
      h('thead', {}, h('tr', {}, ['block', 'hash', 'transactions', 'consensus instance', ''].map((x) => h('th', {}, x)))), body),
    h('div', { class: 'row' }, more));
  let next = null;
  const seen = new Set();
  const load = async (from) => {
    const page = await api.blocks(from, 20);
    if (!isCurrent()) return;
    for (const b of page.blocks) {
      if (seen.has(b.number)) continue;
      seen.add(b.number);
      body.append(row(b));
    }
    next = page.next;
    more.disabled = next === null || next === undefined;
  };
  more.addEventListener('click', () => load(next));
  onNewBlock((b) => {
    if (seen.has(b.number)) {
      // a block listed as durable is now certified
      const existing = body.querySelector(`tr[data-number="${b.number}"]`);
      if (existing) existing.replaceWith(row(b, true));
      return;
    }
    seen.add(b.number);
    body.prepend(row(b, true));
    while (body.children.length > 200) body.lastElementChild.remove();
  });
  await load(null);
}

