// Shows the outcome of verify.js: the verdict ("verified from genesis" or exactly which check failed and why) and
// every check in order, passed, failed or not reached.
import { checks } from '../verify.js';
import { facts, h, link, short } from '../dom.js';
import { toHex } from '../canonical.js';
import { describeResult } from '../coin.js';

export function verdictPanel(result) {
  const failedAt = result.check;
  const done = new Map(result.steps.map((s) => [s.check, s]));
  // The view proofs and the match with the page's transaction are checked only when there is something to check.
  const optional = new Set(['viewProofs', 'matches']);
  const items = Object.entries(checks).filter(([c]) => !optional.has(c) || done.has(c)).map(([check, label]) => {
    const step = done.get(check);
    const state = step ? (step.ok ? 'ok' : 'fail') : 'skipped';
    return h('li', { class: state, dataset: { check } }, label,
      state === 'fail' ? h('div', { class: 'detail' }, step.problem) : null,
      state === 'skipped' ? ' (not reached)' : null);
  });
  const box = result.ok
    ? h('div', { class: 'verdict ok', id: 'verdict', dataset: { ok: 'true' } }, '✔ verified from genesis',
      h('div', { class: 'detail' }, `Block ${result.receipt.header.number} (${result.blockId.slice(0, 16)}…) is certified by a quorum of ${result.view}, `,
        `entry ${result.receipt.index} and its result are under its Merkle roots, and the client's signature holds. Checked in this browser.`))
    : h('div', { class: 'verdict fail', id: 'verdict', dataset: { ok: 'false', check: failedAt ?? '' } }, '✘ ', result.message);
  const details = result.receipt ? facts([
    ['block', link(`block/${result.receipt.header.number}`, `${result.receipt.header.number}`)],
    ['entry', result.receipt.index],
    ['transaction id', result.transactionId ? h('span', { class: 'mono' }, result.transactionId) : null],
    ['certified by', `replicas ${result.receipt.certificate.signatures.map((s) => s.replicaId).join(', ')}` + (result.view ? ` of ${result.view}` : '')],
    ['result', describeResult(result.receipt.result)],
    ['client', result.request ? short(toHex(result.request.client), 16) : null],
  ].filter(([, v]) => v !== null && v !== undefined)) : null;
  return h('div', { class: 'receipt-result' }, box, h('ol', { class: 'steps', id: 'steps' }, items), details);
}
