// #/tx/ID: status, block and entry, result, and the receipt verified here against the trusted genesis.
import { api, ApiError } from '../api.js';
import { fromBase64 } from '../canonical.js';
import { describeResult } from '../coin.js';
import { facts, fill, h, link } from '../dom.js';
import { encodeViewProofs, verifyReceipt } from '../verify.js';
import { verdictPanel } from './receipt-panel.js';

/** The view proofs a node offers (its current view's chain from genesis), in `.receipt.views` form. */
export async function servedViewProofs() {
  const v = await api.view();
  return v.proofs.length > 0 ? encodeViewProofs(v.proofs.map((p) => fromBase64(p.encoded))) : null;
}

export async function transactionPage({ view, genesis, onNewBlock, isCurrent }, id) {
  const render = async () => {
    let t;
    try {
      t = await api.transaction(id);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        fill(view, h('h2', {}, 'Transaction'), h('div', { class: 'error' }, `This node does not know transaction ${id} (${e.detail ?? 'not found'}).`));
        return false;
      }
      throw e;
    }
    if (!isCurrent()) return true;
    const verification = h('div', { id: 'verification' });
    fill(view,
      h('h2', {}, 'Transaction ', h('span', { class: `badge ${t.state === 'certified' ? 'ok' : t.state === 'rejected' ? 'bad' : 'warn'}`, id: 'tx-state' }, t.state)),
      facts([
        ['id', h('span', { class: 'mono', id: 'tx-id' }, t.id)],
        t.reason ? ['reason', t.reason] : null,
        t.block !== null && t.block !== undefined ? ['block', link(`block/${t.block}`, `${t.block}`), { id: 'tx-block' }] : null,
        t.index !== null && t.index !== undefined ? ['entry', t.index] : null,
        t.result ? ['result', describeResult(fromBase64(t.result) ?? new Uint8Array(0))] : null,
      ]),
      h('h3', {}, 'Receipt'),
      verification);
    if (!t.receipt) {
      fill(verification, h('p', { class: 'muted' }, t.state === 'durable' || t.state === 'pending'
        ? 'No receipt yet: it comes with the block certificate. This page updates when the block is certified.'
        : 'No receipt.'));
      return t.state === 'certified' || t.state === 'rejected';
    }
    const trusted = genesis();
    if (!trusted) {
      fill(verification, h('p', {}, 'To verify this receipt here, ', link('verify', 'set the genesis you trust'), ' first.'));
      return true;
    }
    // The facts above are the node's word: the receipt must be of this very transaction, in that block and entry, with
    // that result, or its verdict proves nothing about them.
    const bytes = fromBase64(t.receipt.encoded);
    const expected = { transactionId: id, block: t.block, index: t.index, result: t.result ? fromBase64(t.result) ?? new Uint8Array(0) : null };
    const result = await verifyReceipt(trusted, bytes, await servedViewProofs(), expected);
    if (!isCurrent()) return true;
    fill(verification, verdictPanel(result),
      h('details', {}, h('summary', {}, 'receipt bytes (base64, what `smartchain receipt verify` reads)'),
        h('textarea', { readonly: true, id: 'receipt-bytes' }, t.receipt.encoded)));
    return true;
  };
  let final = await render();
  if (!final) {
    onNewBlock(async () => { if (!final) final = await render(); });
  }
}
