// Receipt verification in the browser, step for step as `smartchain receipt verify` (ReceiptCommands.cs) with
// TransactionReceipt.Verify, BlockCertificate.Verify / QuorumSignatures.Verify, ViewChain and ViewHistory: the same
// checks in the same order, failing with the same words. Its only inputs are the genesis (genesis.js) and bytes;
// nothing a node says is believed unless these checks prove it.
import { EncodingError, Writer, bytesEqual, decodeAll, fromBase64, toHex } from './canonical.js';
import { ed25519Problem, ed25519Verify, hashLeaf, indexedLeaf, rootFromLeafHashes, sha256, verifyBlockItem, webCryptoProblem } from './crypto.js';
import { decodeReceipt, decodeRequest, decodeViewProofs, headerHash, installedView, mayChangeView, readHeader } from './ledger.js';

/** The checks, in the order they run; a result names the one that failed. */
export const checks = Object.freeze({
  decode: 'receipt decodes',
  viewProofs: 'view proofs lead from genesis',
  certifyingView: 'the certifying view is known',
  entryPath: 'entry Merkle path leads to hashTransactions',
  resultPath: 'result Merkle path leads to hashResults',
  certificate: 'certificate: a quorum of the view signed the header',
  entry: 'the entry is a client request',
  clientSignature: "the client's signature verifies for this chain",
  matches: 'the receipt is of the transaction shown (id, block, entry, result)',
});

/**
 * Null if `receipt` (verified) is of the transaction a page shows, else why not. `expected`: { transactionId (hex),
 * block, index, result (bytes) }, each optional but the id: what the node said about the transaction, which a receipt of
 * some other certified transaction would otherwise seem to prove.
 */
function mismatch(receipt, transactionId, expected) {
  const wanted = String(expected.transactionId ?? '').toLowerCase();
  if (transactionId !== wanted) return `the receipt is of transaction ${transactionId}, not of ${wanted}`;
  if (expected.block !== undefined && expected.block !== null && !sameNumber(expected.block, receipt.header.number)) {
    return `the receipt puts the transaction in block ${receipt.header.number}, the node says block ${expected.block}`;
  }
  if (expected.index !== undefined && expected.index !== null && Number(expected.index) !== receipt.index) {
    return `the receipt makes it entry ${receipt.index}, the node says entry ${expected.index}`;
  }
  if (expected.result && !bytesEqual(expected.result, receipt.result)) {
    return 'the result the node shows is not the result the receipt certifies';
  }
  return null;
}

/** BlockCertificate.Statement: u8 0x03 · chain id · 32 B header hash. */
export function statement(chainId, hash) {
  const w = new Writer();
  w.u8(3);
  w.string(chainId);
  w.fixed(hash);
  return w.toArray();
}

/** QuorumSignatures.Verify: null if ≥ Q distinct members of `view` signed `message`, else why not. */
export async function quorumProblem(view, message, signatures) {
  const seen = new Set();
  for (const { replicaId, signature } of signatures) {
    const member = view.byId.get(replicaId);
    if (!member) return `signature of replica ${replicaId}, which is not in ${view}`;
    if (seen.has(replicaId)) return `two signatures from replica ${replicaId}`;
    seen.add(replicaId);
    if (!await ed25519Verify(member.viewKey.key, message, signature)) {
      return `the signature of replica ${replicaId} does not verify with its key of view ${view.id}`;
    }
  }
  return seen.size >= view.q ? null : `${seen.size} valid signatures; a quorum of ${view} needs ${view.q}`;
}

/**
 * TransactionReceipt.Verify: null if the receipt holds in `view` for `chainId`, else {check, problem} with the
 * C# message. `passed` hears each check that held.
 */
export async function receiptProblem(receipt, view, chainId, passed = () => {}) {
  const n = receipt.header.number;
  if (!await verifyBlockItem(receipt.entryProof, receipt.index, receipt.entry, receipt.header.hashTransactions)) {
    return { check: 'entryPath', problem: `the entry is not entry ${receipt.index} of block ${n} (Merkle path does not lead to hashTransactions)` };
  }
  passed('entryPath');
  if (!await verifyBlockItem(receipt.resultProof, receipt.index, receipt.result, receipt.header.hashResults)) {
    return { check: 'resultPath', problem: `the result is not result ${receipt.index} of block ${n} (Merkle path does not lead to hashResults)` };
  }
  passed('resultPath');
  const bad = await quorumProblem(view, statement(chainId, await headerHash(receipt.header)), receipt.certificate.signatures);
  if (bad) return { check: 'certificate', problem: `certificate of block ${n}: ${bad}` };
  passed('certificate');
  let request;
  try {
    request = decodeRequest(receipt.entry);
  } catch (e) {
    if (!(e instanceof EncodingError)) throw e;
    return { check: 'entry', problem: `the entry is not a client request: ${e.message}` };
  }
  passed('entry');
  const ok = request.chainId === chainId && await ed25519Verify(request.client, request.signed, request.signature);
  if (!ok) return { check: 'clientSignature', problem: "the client's signature on the entry does not verify" };
  passed('clientSignature');
  return null;
}

/** ReconfigurationBlock.Installs. */
const installs = (header) => header.number > 0n && header.lastReconfig === header.number;

/** ViewChain.Step: {view} after `current` if `proof` proves it, else {problem}. */
export async function viewStep(current, chainId, proof) {
  if (!installs(proof.header)) {
    return { problem: `block ${proof.header.number} is not a reconfiguration block (its lastReconfig is ${proof.header.lastReconfig})` };
  }
  const bad = await receiptProblem(proof, current, chainId);
  if (bad) return { problem: `the proof of view ${current.id + 1n}: ${bad.problem}` };
  let next = null;
  try {
    const request = decodeRequest(proof.entry);
    if (mayChangeView(request.operation)) next = await installedView(proof.result);
  } catch (e) {
    if (!(e instanceof EncodingError)) throw e;
  }
  if (!next) return { problem: `block ${proof.header.number} names itself in lastReconfig, but no entry's result installs a view` };
  if (next.id !== current.id + 1n) return { problem: `block ${proof.header.number} installs view ${next.id}; after ${current} comes view ${current.id + 1n}` };
  return { view: next };
}

/** ViewHistory.CertifyingView over [{block, view}] sorted by block: {view} or {problem}. */
function certifyingView(history, header) {
  if (installs(header)) {
    let before = null;
    for (const h of history) {
      if (h.block >= header.number) break;
      before = h.view;
    }
    return { view: before };
  }
  const inForce = history.find((h) => h.block === header.lastReconfig);
  return inForce ? { view: inForce.view }
    : { problem: `block ${header.number} names block ${header.lastReconfig} as its last reconfiguration block, whose view is not proven here` };
}

/**
 * Verifies `receiptBytes` from `genesis` (genesis.js), following `viewProofBytes` (a ViewQuery answer, the
 * `.receipt.views` file; optional) to later views. Returns
 * { ok, check, problem, message, steps: [{check, label, ok}], receipt, view, transactionId }.
 * `problem` is exactly what C#'s check returns; `message` is the line the page shows. With `expected` (see mismatch),
 * a receipt that holds must also be of that transaction: a page showing what a node says about a transaction proves
 * nothing with the receipt of another one.
 */
export async function verifyReceipt(genesis, receiptBytes, viewProofBytes, expected = null) {
  const steps = [];
  const pass = (check) => steps.push({ check, label: checks[check], ok: true });
  const fail = (check, problem, message, extra = {}) => {
    steps.push({ check, label: checks[check], ok: false, problem });
    return { ok: false, check, problem, message: message ?? `receipt does not hold: ${problem}`, steps, ...extra };
  };
  const unavailable = webCryptoProblem() ?? await ed25519Problem();
  if (unavailable) return { ok: false, check: 'webcrypto', problem: unavailable, message: unavailable, steps };

  let receipt;
  try {
    receipt = decodeReceipt(receiptBytes);
  } catch (e) {
    if (!(e instanceof EncodingError)) throw e;
    return fail('decode', e.message, `not a receipt: ${e.message}`);
  }
  pass('decode');

  const history = [{ block: 0n, view: genesis.view }];
  if (viewProofBytes && viewProofBytes.length > 0) {
    let proofs;
    try {
      proofs = decodeViewProofs(viewProofBytes);
    } catch (e) {
      if (!(e instanceof EncodingError)) throw e;
      return fail('viewProofs', e.message, `the view proofs are not a list of view proofs: ${e.message}`, { receipt });
    }
    let reached = genesis.view;
    for (const proof of proofs) {
      const step = await viewStep(reached, genesis.chainId, proof);
      if (step.problem) return fail('viewProofs', step.problem, `view proofs: ${step.problem}`, { receipt });
      history.push({ block: proof.header.number, view: step.view });
      reached = step.view;
    }
    pass('viewProofs');
  }

  const certifying = certifyingView(history, receipt.header);
  if (!certifying.view) {
    return fail('certifyingView', certifying.problem,
      `receipt does not hold: ${certifying.problem}; genesis alone cannot vouch for a later view, and no view proofs given prove it`, { receipt });
  }
  pass('certifyingView');

  const bad = await receiptProblem(receipt, certifying.view, genesis.chainId, pass);
  if (bad) return fail(bad.check, bad.problem, undefined, { receipt, view: certifying.view });
  const request = decodeRequest(receipt.entry);
  const transactionId = toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', receipt.entry)));
  if (expected) {
    const wrong = mismatch(receipt, transactionId, expected);
    if (wrong) {
      return fail('matches', wrong, `this receipt does not prove what the node says: ${wrong}`, { receipt, view: certifying.view, request, transactionId });
    }
    pass('matches');
  }
  return {
    ok: true, check: null, problem: null, message: 'verified from genesis', steps, receipt, view: certifying.view,
    request, transactionId, blockId: toHex(await headerHash(receipt.header)),
  };
}

/** The `.receipt.views` form (ViewQuery answer: u32 n · n × bytes receipt) of proof receipts' canonical bytes. */
export function encodeViewProofs(receipts) {
  const w = new Writer();
  w.u32(receipts.length);
  for (const r of receipts) w.bytesField(r);
  return w.toArray();
}

/**
 * The views from `genesis` through the proofs (`.receipt.views` bytes or null), each step checked: [{block, view}],
 * and the problem of the first step that fails (null if all hold).
 */
export async function followViews(genesis, viewProofBytes) {
  const history = [{ block: 0n, view: genesis.view }];
  if (!viewProofBytes) return { history, problem: null };
  let proofs;
  try {
    proofs = decodeViewProofs(viewProofBytes);
  } catch (e) {
    if (!(e instanceof EncodingError)) throw e;
    return { history, problem: e.message };
  }
  for (const proof of proofs) {
    const step = await viewStep(history[history.length - 1].view, genesis.chainId, proof);
    if (step.problem) return { history, problem: step.problem };
    history.push({ block: proof.header.number, view: step.view });
  }
  return { history, problem: null };
}

// The header decoded, or why it does not decode (a string).
function decodeHeader(headerBytes) {
  try {
    return decodeAll(headerBytes, readHeader);
  } catch (e) {
    if (!(e instanceof EncodingError)) throw e;
    return `the header does not decode: ${e.message}`;
  }
}

/**
 * Checks a block's certificate here: the header bytes hash to the block id the node claims, and a quorum of the view
 * in force at the block (from the trusted genesis and the checked view history) signed it. Null or the problem.
 */
export async function certificateProblem(genesis, history, headerBytes, claimedHashHex, signatures) {
  const header = decodeHeader(headerBytes);
  if (typeof header === 'string') return header;
  const hash = await headerHash(header);
  if (toHex(hash) !== claimedHashHex) return `the header hashes to ${toHex(hash)}, not to the block id the node gave`;
  const certifying = certifyingView(history, header);
  if (!certifying.view) return certifying.problem;
  const bad = await quorumProblem(certifying.view, statement(genesis.chainId, hash), signatures);
  return bad ? `certificate of block ${header.number}: ${bad}` : null;
}

/** True if the node's JSON number `claimed` is the header's BigInt `value`. */
function sameNumber(claimed, value) {
  try {
    return claimed !== null && claimed !== undefined && BigInt(claimed) === value;
  } catch {
    return false;
  }
}

/**
 * Null if a block page shows what the header bytes commit to, else why not. A certificate proves the header bytes only;
 * the number, the header's fields, the entries and results (and their ids) the page shows are the node's JSON. So each
 * is compared with the header, and the entries and results are hashed into the header's two Merkle roots here (leaf
 * j = u32-LE j ‖ bytes, as BlockMerkle). `shown` is the node's block JSON (docs/api.md).
 */
export async function blockContentProblem(headerBytes, shown) {
  const header = decodeHeader(headerBytes);
  if (typeof header === 'string') return header;
  const hd = shown.header ?? {};
  if (!sameNumber(shown.number, header.number) || !sameNumber(hd.number, header.number)) {
    return `the certified header is of block ${header.number}, not of block ${shown.number} the page shows`;
  }
  if (!sameNumber(hd.lastReconfig, header.lastReconfig) || !sameNumber(hd.lastCheckpoint, header.lastCheckpoint)) {
    return `the header names blocks ${header.lastReconfig} and ${header.lastCheckpoint} as its last reconfiguration and checkpoint, not ${hd.lastReconfig} and ${hd.lastCheckpoint}`;
  }
  for (const [name, value] of [['hashTransactions', header.hashTransactions], ['hashResults', header.hashResults], ['hashLastBlock', header.hashLastBlock]]) {
    if (hd[name] !== toHex(value)) return `the header's ${name} is ${toHex(value)}, not ${hd[name]}`;
  }
  const entries = Array.isArray(shown.entries) ? shown.entries : [];
  if (entries.length !== shown.transactionCount) return `${entries.length} entries shown for a block of ${shown.transactionCount}`;
  const entryLeaves = [];
  const resultLeaves = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const entry = typeof e.entry === 'string' ? fromBase64(e.entry) : null;
    const result = typeof e.result === 'string' ? fromBase64(e.result) : null;
    if (!entry || !result || e.index !== i) return `entry ${i} is not shown as its index and base64 entry and result`;
    if (e.id !== toHex(await sha256(entry))) return `entry ${i}'s transaction id ${e.id} is not the SHA-256 of its bytes`;
    entryLeaves.push(await hashLeaf(indexedLeaf(i, entry)));
    resultLeaves.push(await hashLeaf(indexedLeaf(i, result)));
  }
  if (!bytesEqual(await rootFromLeafHashes(entryLeaves), header.hashTransactions)) return "the entries shown are not the ones under the header's hashTransactions";
  if (!bytesEqual(await rootFromLeafHashes(resultLeaves), header.hashResults)) return "the results shown are not the ones under the header's hashResults";
  return null;
}
