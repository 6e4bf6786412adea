// #/views: the view history, from the genesis view through each reconfiguration block to the current view; with a
// trusted genesis every step is checked here (ViewChain.Step: certified by a quorum of the view before it).
import { api } from '../api.js';
import { fromBase64, toHex } from '../canonical.js';
import { decodeReceipt } from '../ledger.js';
import { fill, h, link, short } from '../dom.js';
import { viewStep } from '../verify.js';

function members(v) {
  return h('div', { class: 'members' }, v.members.map((m) => h('div', { class: 'member' },
    h('strong', {}, `replica ${m.id}`), ` ${m.host}:${m.port}`, h('br'), 'identity ', short(m.publicKey, 10), h('br'), 'view key ', short(m.viewKey, 10))));
}

/** True if the node's genesis view has the trusted one's members with the same view keys. */
function sameMembers(trustedView, served) {
  return trustedView.members.length === served.members.length &&
    trustedView.members.every((m, i) => served.members[i].id === m.id && served.members[i].viewKey === toHex(m.viewKey.key));
}

export async function viewsPage({ view, genesis, isCurrent }) {
  const v = await api.view();
  if (!isCurrent()) return;
  const trusted = genesis();
  const rows = [];
  rows.push(h('div', { class: 'panel', dataset: { view: v.genesis.id } },
    h('h3', {}, `View ${v.genesis.id} (genesis) — n=${v.genesis.n}, f=${v.genesis.f}, Q=${v.genesis.q}`),
    trusted ? (sameMembers(trusted.view, v.genesis)
      ? h('span', { class: 'badge ok' }, 'as in the genesis you trust') : h('span', { class: 'badge bad' }, 'differs from the genesis you trust')) : null,
    members(v.genesis)));
  let reached = trusted?.view ?? null;
  for (let i = 0; i < v.proofs.length; i++) {
    const p = v.proofs[i];
    let badge = h('span', { class: 'badge warn' }, 'not checked: no genesis trusted');
    if (reached) {
      const step = await viewStep(reached, trusted.chainId, decodeReceipt(fromBase64(p.encoded)));
      badge = step.view ? h('span', { class: 'badge ok' }, `verified: certified by a quorum of view ${reached.id}`)
        : h('span', { class: 'badge bad' }, `does not hold: ${step.problem}`);
      reached = step.view ?? null;
    }
    const installed = i === v.proofs.length - 1 ? v.current : null;
    rows.push(h('div', { class: 'panel' },
      h('h3', {}, `View ${BigInt(v.genesis.id) + BigInt(i + 1)} — installed by `, link(`block/${p.block}`, `block ${p.block}`)), badge,
      installed ? members(installed) : null));
  }
  if (!isCurrent()) return;
  fill(view, h('h2', {}, `Views: current view ${v.current.id} (n=${v.current.n}, f=${v.current.f}, Q=${v.current.q})`),
    h('p', { class: 'muted' }, 'Each later view is proven by the receipt of the entry that installed it, certified by the view before it.'),
    rows);
}
