// #/verify: choose the genesis to trust, then verify any receipt (pasted base64 or hex, or a saved .receipt file),
// with the view proofs of later views (a .receipt.views file, or the node's).
import { api } from '../api.js';
import { parseBinaryText } from '../canonical.js';
import { fill, h } from '../dom.js';
import { forgetGenesis, trustGenesisJson, trustServedGenesis, trustedGenesis } from '../trust.js';
import { verifyReceipt } from '../verify.js';
import { verdictPanel } from './receipt-panel.js';
import { servedViewProofs } from './transaction.js';

async function readFile(input) {
  const file = input.files?.[0];
  return file ? new Uint8Array(await file.arrayBuffer()) : null;
}

function trustPanel(onChange) {
  const state = h('div', { id: 'trust-state' });
  const error = h('div', { class: 'error', id: 'trust-error' });
  const json = h('textarea', { id: 'genesis-json', placeholder: 'paste genesis.json here' });
  const file = h('input', { type: 'file', accept: '.json,application/json' });
  const hash = h('input', { type: 'text', id: 'genesis-hash', placeholder: 'genesis hash (64 hex digits, as `smartchain testnet init` prints it)' });
  const show = () => {
    const g = trustedGenesis();
    fill(state, g ? h('p', {}, 'Trusting genesis ', h('span', { class: 'mono', id: 'trusted-hash' }, g.hashHex),
      ` of chain ${g.chainId} (${g.view}), from ${g.trust}.`) : h('p', { class: 'muted' }, 'No genesis trusted yet.'));
  };
  const attempt = async (action) => {
    fill(error);
    try { await action(); } catch (e) { fill(error, e.message); }
    show();
    onChange();
  };
  file.addEventListener('change', async () => {
    const bytes = await readFile(file);
    if (bytes) json.value = new TextDecoder().decode(bytes);
  });
  show();
  return h('div', { class: 'panel' }, h('h3', {}, '1. The genesis you trust'), state,
    h('p', { class: 'muted' }, 'Verification starts from a genesis, not from this node. Either give your own genesis.json, or let the page fetch the node\'s and accept it only if it hashes to the genesis hash you hold.'),
    h('div', { class: 'row' }, file),
    json,
    h('div', { class: 'row' }, h('button', { id: 'trust-json', onclick: () => attempt(() => trustGenesisJson(json.value)) }, 'Trust this genesis.json')),
    h('div', { class: 'row' }, hash,
      h('button', { id: 'trust-node', onclick: () => attempt(async () => trustServedGenesis(await api.genesisText(), hash.value)) }, "Use the node's genesis if it has this hash"),
      h('button', { class: 'secondary', onclick: () => attempt(async () => forgetGenesis()) }, 'Forget')),
    error);
}

export async function verifyPage({ view }) {
  const receipt = h('textarea', { id: 'receipt-input', placeholder: 'receipt: base64 or hex of its canonical bytes' });
  const receiptFile = h('input', { type: 'file' });
  const proofs = h('textarea', { id: 'views-input', placeholder: 'view proofs (optional): base64 or hex of a .receipt.views file; empty = ask the node for them' });
  const proofsFile = h('input', { type: 'file' });
  const output = h('div', { id: 'verify-output' });
  const run = async () => {
    const genesis = trustedGenesis();
    if (!genesis) { fill(output, h('div', { class: 'error' }, 'Choose the genesis you trust first (step 1).')); return; }
    const bytes = (await readFile(receiptFile)) ?? parseBinaryText(receipt.value);
    if (!bytes || bytes.length === 0) { fill(output, h('div', { class: 'error' }, 'The receipt is neither base64 nor hex.')); return; }
    let views = (await readFile(proofsFile)) ?? (proofs.value.trim() ? parseBinaryText(proofs.value) : null);
    if (proofs.value.trim() && !views) { fill(output, h('div', { class: 'error' }, 'The view proofs are neither base64 nor hex.')); return; }
    if (!views) {
      try { views = await servedViewProofs(); } catch { views = null; }
    }
    fill(output, verdictPanel(await verifyReceipt(genesis, bytes, views)));
  };
  fill(view, h('h2', {}, 'Verify a receipt in this browser'),
    trustPanel(() => fill(output)),
    h('div', { class: 'panel' }, h('h3', {}, '2. The receipt'),
      h('p', { class: 'muted' }, 'A receipt saved by `coin mint`/`coin spend`, or the bytes a transaction page shows. The checks are those of `smartchain receipt verify`.'),
      h('div', { class: 'row' }, receiptFile), receipt,
      h('div', { class: 'row' }, proofsFile), proofs,
      h('div', { class: 'row' }, h('button', { id: 'verify-button', onclick: run }, 'Verify'))),
    output);
}
