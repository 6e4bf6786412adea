// #/block/N or #/block/HASH: header, Merkle roots, certificate (signers and their view), entries with results.
import { api } from '../api.js';
import { fromBase64, fromHex } from '../canonical.js';
import { describeOperation, describeResult } from '../coin.js';
import { decodeRequest } from '../ledger.js';
import { facts, fill, h, link, short, table } from '../dom.js';
import { blockContentProblem, certificateProblem, followViews } from '../verify.js';
import { servedViewProofs } from './transaction.js';

/** The certificate checked in this browser from the trusted genesis, as a badge. */
async function certificateCheck(genesis, b) {
  if (!b.certificate) return null;
  if (!genesis) return h('span', { class: 'badge warn' }, 'not checked here: no genesis trusted');
  let proofs = null;
  try { proofs = await servedViewProofs(); } catch { proofs = null; }
  const { history } = await followViews(genesis, proofs);
  const signatures = b.certificate.signatures.map((s) => ({ replicaId: s.replica, signature: fromHex(s.signature) ?? new Uint8Array(0) }));
  const headerBytes = fromBase64(b.header.encoded) ?? new Uint8Array(0);
  // The certificate proves the header bytes; what the page shows besides (number, fields, entries, results) is the
  // node's JSON until it is compared with them.
  const problem = await certificateProblem(genesis, history, headerBytes, b.hash, signatures) ?? await blockContentProblem(headerBytes, b);
  return problem ? h('span', { class: 'badge bad', id: 'certificate-check' }, `does not hold: ${problem}`)
    : h('span', { class: 'badge ok', id: 'certificate-check' }, 'checked here: a quorum of the view signed this block, and its header, entries and results are the ones shown');
}

function describeEntry(bytes) {
  try {
    return describeOperation(decodeRequest(bytes).operation);
  } catch {
    return `${bytes.length} bytes (not a client request)`;
  }
}

export async function blockPage({ view, genesis }, id) {
  const b = await api.block(id);
  const check = await certificateCheck(genesis(), b);
  const hd = b.header;
  const certificate = b.certificate
    ? h('div', {}, `signed by ${b.certificate.signatures.length} members of `,
      b.certificate.viewId === null || b.certificate.viewId === undefined ? 'a view this replica does not know' : link('views', `view ${b.certificate.viewId}`),
      ': ', b.certificate.signatures.map((s, i) => [i ? ', ' : '', h('span', { title: s.signature }, `replica ${s.replica}`)]))
    : h('span', { class: 'badge warn' }, 'not certified yet');
  const entries = b.entries.map((e) => {
    const entry = fromBase64(e.entry) ?? new Uint8Array(0);
    const result = fromBase64(e.result) ?? new Uint8Array(0);
    return h('tr', {},
      h('td', {}, e.index),
      h('td', {}, e.client ? link(`tx/${e.id}`, short(e.id, 16)) : short(e.id, 16)),
      h('td', {}, e.client ? short(e.client, 12) : '–'),
      h('td', {}, e.sequence ?? '–'),
      h('td', {}, b.number === 0 ? 'genesis (canonical form)' : describeEntry(entry)),
      h('td', {}, b.number === 0 ? '–' : describeResult(result)));
  });
  fill(view,
    h('h2', {}, `Block ${b.number} `, b.certified ? h('span', { class: 'badge ok' }, 'certified') : h('span', { class: 'badge warn' }, 'durable, not certified')),
    facts([
      ['hash (block id)', h('span', { class: 'mono', id: 'block-hash' }, b.hash)],
      ['previous block', b.number > 0 ? link(`block/${hd.hashLastBlock}`, h('span', { class: 'mono' }, hd.hashLastBlock)) : h('span', { class: 'mono' }, hd.hashLastBlock)],
      ['hashTransactions (Merkle root)', h('span', { class: 'mono' }, hd.hashTransactions)],
      ['hashResults (Merkle root)', h('span', { class: 'mono' }, hd.hashResults)],
      ['last reconfiguration', hd.lastReconfig === b.number && b.number > 0 ? `this block installs a new view` : link(`block/${hd.lastReconfig}`, `block ${hd.lastReconfig}`)],
      ['last checkpoint', link(`block/${hd.lastCheckpoint}`, `block ${hd.lastCheckpoint}`)],
      ['consensus instance', b.consensusId],
      ['certificate', certificate],
      b.certificate ? ['certificate, checked here', check] : null,
    ]),
    h('div', { class: 'row' },
      b.number > 0 ? link(`block/${b.number - 1}`, '← previous') : null,
      link(`block/${b.number + 1}`, 'next →')),
    h('h3', {}, `Entries (${b.transactionCount})`),
    table(['#', 'transaction id', 'client', 'sequence', 'operation', 'result'], entries, { id: 'entries' }));
}
