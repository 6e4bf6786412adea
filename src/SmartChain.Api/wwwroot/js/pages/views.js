// #/views: the view history, from the genesis view through each reconfiguration block to the current view; with a
// trusted genesis every step is checked here (ViewChain.Step: certified by a quorum of the view before it).
import { api } from '../api.js';
import { EncodingError, fromBase64, toHex } from '../canonical.js';
import { decodeReceipt } from '../ledger.js';
import { fill, h, link, short } from '../dom.js';
import { viewStep } from '../verify.js';

function members(v) {
  return h('div', { class: 'members' }, v.members.map((m) => h('div', { class: 'member' },
    h('strong', {}, `replica ${m.id}`), ` ${m.host}:${m.port}`, h('br'), 'identity ', short(m.publicKey, 10), h('br'), 'view key ', short(m.viewKey, 10))));
}

/** A proven view's members in the shape the node's JSON gives them (what `members` draws). */
function shown(view) {
  return {
    members: view.members.map((m) => ({ id: m.id, host: m.host, port: m.port, publicKey: toHex(m.publicKey), viewKey: toHex(m.viewKey.key) })),
  };
}

/** True if the node's view has the proven one's members: ids, endpoints, identities and view keys. */
function sameMembers(provenView, served) {
  const members = Array.isArray(served?.members) ? served.members : [];
  return provenView.members.length === members.length &&
    provenView.members.every((m, i) => members[i].id === m.id && members[i].host === m.host && members[i].port === m.port &&
      members[i].publicKey === toHex(m.publicKey) && members[i].viewKey === toHex(m.viewKey.key));
}

/** A view proof's receipt, or null if its bytes are not one (the step then does not hold). */
function decodeProof(p) {
  try {
    return decodeReceipt(fromBase64(String(p.encoded ?? '')) ?? new Uint8Array(0));
  } catch (e) {
    if (e instanceof EncodingError) return null;
    throw e;
  }
}

export async function viewsPage({ view, genesis, isCurrent }) {
  const v = await api.view();
  if (!isCurrent()) return;
  const trusted = genesis();
  const rows = [];
  // With a trusted genesis, the members drawn under a green badge are the proven ones, never the node's JSON: a node
  // could otherwise name its own hosts and keys beside a proof that holds.
  const sameAsTrusted = trusted ? sameMembers(trusted.view, v.genesis) : null;
  rows.push(h('div', { class: 'panel', dataset: { view: v.genesis.id } },
    h('h3', {}, `View ${v.genesis.id} (genesis) — n=${v.genesis.n}, f=${v.genesis.f}, Q=${v.genesis.q}`),
    trusted ? (sameAsTrusted
      ? h('span', { class: 'badge ok' }, 'as in the genesis you trust')
      : h('span', { class: 'badge bad' }, 'the node names other members than the genesis you trust; shown: the trusted ones')) : null,
    members(trusted ? shown(trusted.view) : v.genesis)));
  let reached = trusted?.view ?? null;
  for (let i = 0; i < v.proofs.length; i++) {
    const p = v.proofs[i];
    const last = i === v.proofs.length - 1;
    let badge = h('span', { class: 'badge warn' }, 'not checked: no genesis trusted');
    let installed = last ? v.current : null;
    if (reached) {
      const proof = decodeProof(p);
      const step = proof ? await viewStep(reached, trusted.chainId, proof) : { problem: 'the proof is not a receipt' };
      badge = step.view ? h('span', { class: 'badge ok' }, `verified: certified by a quorum of view ${reached.id}`)
        : h('span', { class: 'badge bad' }, `does not hold: ${step.problem}`);
      installed = step.view ? shown(step.view) : null;
      if (step.view && last && !sameMembers(step.view, v.current)) {
        badge = [badge, ' ', h('span', { class: 'badge bad' }, 'the node names other members for it; shown: the proven ones')];
      }
      reached = step.view ?? null;
    }
    rows.push(h('div', { class: 'panel' },
      h('h3', {}, `View ${BigInt(v.genesis.id) + BigInt(i + 1)} — installed by `, link(`block/${p.block}`, `block ${p.block}`)), badge,
      installed ? members(installed) : null));
  }
  if (!isCurrent()) return;
  fill(view, h('h2', {}, `Views: current view ${v.current.id} (n=${v.current.n}, f=${v.current.f}, Q=${v.current.q})`),
    h('p', { class: 'muted' }, 'Each later view is proven by the receipt of the entry that installed it, certified by the view before it.'),
    rows);
}
