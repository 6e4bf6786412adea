// The verifier's root of trust: the genesis. Read either from genesis.json (the reader's own copy, checked like
// GenesisJson/GenesisValidator do) or from its canonical bytes (served by a node, then accepted only if their
// SHA-256 equals the genesis hash the reader supplies). Either way the result carries the genesis hash, SHA-256 of
// the canonical form of docs/encoding.md, the same hash `smartchain testnet init` prints.
import { EncodingError, Reader, Writer, fromBase64, fromHex, toHex, bytesEqual } from './canonical.js';
import { sha256, hashLeaf, indexedLeaf, hashNode, rootFromLeafHashes } from './crypto.js';
import { chainIdProblem, limits, makeView, readView, viewProblem } from './ledger.js';

/** A genesis that cannot be used, with every problem found (`field: reason`). */
export class GenesisError extends Error {
  constructor(problems) {
    super(problems.join('; '));
    this.name = 'GenesisError';
    this.problems = problems;
  }
}

const defaults = Object.freeze({
  maxBatch: 1024, maxBatchBytes: 4 * 1024 * 1024, maxRequestBytes: 16 * 1024, tickMs: 10, requestTimeoutMs: 2000, requestWindow: 10000n,
  checkpointPeriod: 1000n, joinExpiryInstances: 10000n, exclusionExpiryInstances: 100000n,
});
const joinPolicies = { 'endorsement-or-allow-list': 1, endorsement: 2, 'allow-list': 3 };
const allowedFields = {
  $: ['format', 'chainId', 'persistence', 'view', 'consensus', 'checkpointPeriod', 'reconfiguration', 'coin'],
  view: ['id', 'members'],
  member: ['id', 'host', 'port', 'clientPort', 'publicKey', 'viewKeys'],
  consensus: ['maxBatch', 'maxBatchBytes', 'maxRequestBytes', 'tickMs', 'requestTimeoutMs', 'requestWindow'],
  reconfiguration: ['joinExpiryInstances', 'exclusionExpiryInstances'],
  coin: ['minters', 'joinPolicy', 'joinAllowList'],
};

/** Proof of leaf `index` over leaf hashes (MerkleTree.CreateProof): the siblings bottom-up. */
async function createProof(leafHashes, index) {
  const path = [];
  let level = leafHashes;
  let position = index;
  while (level.length > 1) {
    const sibling = position ^ 1;
    if (sibling < level.length) path.push(level[sibling]);
    const next = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(await hashNode(level[i], level[i + 1]));
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    level = next;
    position >>= 1;
  }
  return { leafIndex: BigInt(index), treeSize: BigInt(leafHashes.length), path };
}

/** A genesis member of view 0 from its key chain (GenesisValidator.BuildMember). */
async function genesisMember(id, host, port, clientPort, publicKey, chainKeys) {
  const leafHashes = [];
  for (let i = 0; i < chainKeys.length; i++) leafHashes.push(await hashLeaf(indexedLeaf(i, chainKeys[i])));
  const chain = { root: await rootFromLeafHashes(leafHashes), length: chainKeys.length, firstView: 0n };
  return { id, host, port, clientPort, publicKey, chain, viewKey: { key: chainKeys[0], path: await createProof(leafHashes, 0) }, chainKeys };
}

function writeMember(w, m) {
  w.i32(m.id);
  w.string(m.host);
  w.u16(m.port);
  w.u16(m.clientPort);
  w.fixed(m.publicKey);
  w.fixed(m.chain.root);
  w.i32(m.chain.length);
  w.i64(m.chain.firstView);
  w.fixed(m.viewKey.key);
  w.i64(m.viewKey.path.leafIndex);
  w.i64(m.viewKey.path.treeSize);
  w.u32(m.viewKey.path.path.length);
  for (const p of m.viewKey.path.path) w.fixed(p);
}

/** GenesisDocument.Encode: the canonical bytes the genesis hash covers. */
function encodeGenesis(g) {
  const w = new Writer();
  w.u8(2);
  w.string(g.chainId);
  w.u8(g.persistence === 'strong' ? 1 : 2);
  w.i64(g.view.id);
  w.u32(g.view.members.length);
  for (const m of g.view.members) writeMember(w, m);
  for (const v of [g.consensus.maxBatch, g.consensus.maxBatchBytes, g.consensus.maxRequestBytes, g.consensus.tickMs, g.consensus.requestTimeoutMs]) w.i32(v);
  w.i64(g.consensus.requestWindow);
  w.i64(g.checkpointPeriod);
  w.u32(g.minters.length);
  for (const k of g.minters) w.fixed(k);
  w.u8(g.joinPolicy);
  w.u32(g.joinAllowList.length);
  for (const k of g.joinAllowList) w.fixed(k);
  w.i64(g.joinExpiryInstances);
  w.i64(g.exclusionExpiryInstances);
  w.u32(g.view.members.length);
  for (const m of g.view.members) {
    w.i32(m.id);
    w.u32(m.chainKeys.length);
    for (const k of m.chainKeys) w.fixed(k);
  }
  return w.toArray();
}

function checkFields(object, allowed, at, errors) {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) errors.push(`${at}: unknown field "${key}"`);
  }
}

function isInt(v) { return typeof v === 'number' && Number.isInteger(v); }

function key(hex, field, errors, what = 'an Ed25519 public key') {
  const bytes = typeof hex === 'string' && hex.length === 64 ? fromHex(hex) : null;
  if (!bytes) errors.push(`${field}: ${hex === undefined || hex === null ? 'missing' : `bad key: expected 64 hex digits (${what})`}`);
  return bytes;
}

function range(field, value, min, max, errors) {
  if (value < min || value > max) errors.push(`${field}: ${value} outside ${min}..${max}`);
}

/**
 * Reads genesis.json text as GenesisJson.Parse does (unknown fields are errors; missing optional ones take their
 * defaults), then builds view 0 and the canonical bytes. Throws GenesisError naming every bad field.
 */
export async function genesisFromJson(text) {
  let file;
  try {
    // genesis.json allows // comments and trailing commas (ReadCommentHandling.Skip, AllowTrailingCommas).
    file = JSON.parse(text.replace(/^\s*\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1'));
  } catch (e) {
    throw new GenesisError([`$: not JSON (${e.message})`]);
  }
  if (typeof file !== 'object' || file === null || Array.isArray(file)) throw new GenesisError(['$: expected a JSON object']);
  const errors = [];
  checkFields(file, allowedFields.$, '$', errors);
  if (file.format !== 2) errors.push(`format: ${file.format === undefined ? 'missing' : `unsupported format ${file.format}; this version reads format 2`}`);
  const chainProblem = chainIdProblem(file.chainId);
  if (typeof file.chainId !== 'string' || chainProblem) errors.push(`chainId: ${file.chainId === undefined ? 'missing' : chainProblem ?? 'not a string'}`);
  if (file.persistence !== 'strong' && file.persistence !== 'weak') {
    errors.push(`persistence: ${file.persistence === undefined ? 'missing (expected "strong" or "weak")' : `unknown mode "${file.persistence}" (expected "strong" or "weak")`}`);
  }

  const members = [];
  const viewSection = file.view;
  if (!viewSection || typeof viewSection !== 'object') {
    errors.push('view: missing');
  } else {
    checkFields(viewSection, allowedFields.view, 'view', errors);
    if ((viewSection.id ?? 0) !== 0) errors.push(`view.id: ${viewSection.id}: the genesis view is view 0 (later views come from reconfiguration blocks)`);
    const entries = Array.isArray(viewSection.members) ? viewSection.members : [];
    if (entries.length < 4) errors.push(`view.members: ${entries.length} replicas; a network needs at least 4 (n = 3f+1 with f >= 1)`);
    if (entries.length > limits.maxViewMembers) errors.push(`view.members: ${entries.length} replicas; at most ${limits.maxViewMembers} are supported`);
    for (let i = 0; i < entries.length && entries.length <= limits.maxViewMembers; i++) {
      const at = `view.members[${i}]`;
      const e = entries[i];
      if (!e || typeof e !== 'object') { errors.push(`${at}: missing`); continue; }
      checkFields(e, allowedFields.member, at, errors);
      const before = errors.length;
      if (!isInt(e.id) || e.id < 0) errors.push(`${at}.id: ${e.id === undefined ? 'missing' : `${e.id} is negative`}`);
      if (typeof e.host !== 'string' || e.host.trim() === '') errors.push(`${at}.host: missing`);
      else if (new TextEncoder().encode(e.host).length > limits.maxHostBytes) errors.push(`${at}.host: "${e.host}" is not a host name or IP address`);
      for (const [name, port] of [['port', e.port], ['clientPort', e.clientPort]]) {
        if (port === undefined) errors.push(`${at}.${name}: missing`);
        else if (!isInt(port) || port < 1 || port > 65535) errors.push(`${at}.${name}: ${port} is not a TCP port (1..65535)`);
      }
      if (e.port !== undefined && e.port === e.clientPort) errors.push(`${at}.clientPort: must differ from port (${e.port})`);
      const identity = key(e.publicKey, `${at}.publicKey`, errors);
      let chainKeys = identity ? [identity] : null;
      if (e.viewKeys !== undefined && e.viewKeys !== null) {
        const bytes = typeof e.viewKeys === 'string' ? fromBase64(e.viewKeys) : null;
        if (!bytes) {
          errors.push(`${at}.viewKeys: not base64`);
        } else if (bytes.length % 32 !== 0 || bytes.length < 32 || bytes.length > 32 * limits.maxKeyChain) {
          errors.push(`${at}.viewKeys: ${bytes.length} bytes; expected 1..${limits.maxKeyChain} Ed25519 public keys of 32 bytes each`);
        } else {
          chainKeys = [];
          const seen = new Set();
          for (let k = 0; k < bytes.length / 32; k++) {
            const one = bytes.slice(k * 32, k * 32 + 32);
            if (seen.has(toHex(one))) { errors.push(`${at}.viewKeys: key ${k} repeats an earlier key of the chain`); break; }
            seen.add(toHex(one));
            chainKeys.push(one);
          }
        }
      }
      if (errors.length === before && chainKeys) {
        members.push(await genesisMember(e.id, e.host, e.port, e.clientPort, identity, chainKeys));
      }
    }
    const ids = new Set();
    for (const m of members) {
      if (ids.has(m.id)) errors.push(`view.members: duplicate replica id ${m.id}`);
      ids.add(m.id);
    }
  }

  const c = file.consensus ?? {};
  if (typeof c === 'object') checkFields(c, allowedFields.consensus, 'consensus', errors);
  const consensus = {
    maxBatch: c.maxBatch ?? defaults.maxBatch, maxBatchBytes: c.maxBatchBytes ?? defaults.maxBatchBytes,
    maxRequestBytes: c.maxRequestBytes ?? defaults.maxRequestBytes, tickMs: c.tickMs ?? defaults.tickMs,
    requestTimeoutMs: c.requestTimeoutMs ?? defaults.requestTimeoutMs, requestWindow: BigInt(c.requestWindow ?? defaults.requestWindow),
  };
  range('consensus.maxBatch', consensus.maxBatch, 1, 65536, errors);
  range('consensus.maxRequestBytes', consensus.maxRequestBytes, 122, 65721, errors);
  range('consensus.maxBatchBytes', consensus.maxBatchBytes, consensus.maxRequestBytes, 64 * 1024 * 1024, errors);
  range('consensus.tickMs', consensus.tickMs, 1, 10000, errors);
  range('consensus.requestTimeoutMs', consensus.requestTimeoutMs, 2 * consensus.tickMs, 3600000, errors);
  range('consensus.requestWindow', consensus.requestWindow, 1n, 100000000n, errors);
  const checkpointPeriod = BigInt(file.checkpointPeriod ?? defaults.checkpointPeriod);
  if (checkpointPeriod < 2n) errors.push(`checkpointPeriod: ${checkpointPeriod} must be at least 2 (every checkpointPeriod-th block is a checkpoint block)`);
  const rc = file.reconfiguration ?? {};
  if (typeof rc === 'object') checkFields(rc, allowedFields.reconfiguration, 'reconfiguration', errors);
  const joinExpiryInstances = BigInt(rc.joinExpiryInstances ?? defaults.joinExpiryInstances);
  const exclusionExpiryInstances = BigInt(rc.exclusionExpiryInstances ?? defaults.exclusionExpiryInstances);
  const coin = file.coin ?? {};
  if (typeof coin === 'object') checkFields(coin, allowedFields.coin, 'coin', errors);
  const keyList = (list, field) => (list ?? []).map((k, i) => key(k, `${field}[${i}]`, errors)).filter((k) => k);
  const minters = keyList(coin.minters, 'coin.minters');
  const joinAllowList = keyList(coin.joinAllowList, 'coin.joinAllowList');
  const joinPolicy = joinPolicies[coin.joinPolicy ?? 'endorsement-or-allow-list'];
  if (!joinPolicy) errors.push(`coin.joinPolicy: unknown policy "${coin.joinPolicy}" (expected "endorsement-or-allow-list", "endorsement" or "allow-list")`);

  if (errors.length === 0) {
    const problem = await viewProblem(0n, members);
    if (problem) errors.push(`view.members: ${problem}`);
  }
  if (errors.length > 0) throw new GenesisError(errors);

  const view = makeView(0n, members);
  const genesis = {
    chainId: file.chainId, persistence: file.persistence, view, consensus, checkpointPeriod, minters, joinPolicy,
    joinAllowList, joinExpiryInstances, exclusionExpiryInstances,
  };
  genesis.encoded = encodeGenesis(genesis);
  genesis.hash = await sha256(genesis.encoded);
  genesis.hashHex = toHex(genesis.hash);
  genesis.source = 'genesis.json';
  return genesis;
}

/**
 * Reads genesis' canonical bytes (block 0's one entry), accepting them only if their SHA-256 is `expectedHashHex`:
 * a node that serves the bytes is not trusted, the hash the reader holds is.
 */
export async function genesisFromCanonical(bytes, expectedHashHex) {
  const expected = fromHex(expectedHashHex ?? '');
  if (!expected || expected.length !== 32) throw new GenesisError(['genesis hash: expected 64 hex digits (as `smartchain testnet init` prints it)']);
  const hash = await sha256(bytes);
  if (!bytesEqual(hash, expected)) {
    throw new GenesisError([`genesis hash: the served genesis hashes to ${toHex(hash)}, not to the ${toHex(expected)} you gave`]);
  }
  const r = new Reader(bytes);
  try {
    const format = r.u8();
    if (format !== 2) throw new EncodingError(0, `genesis format ${format}; this page reads format 2`);
    const chainId = r.string(limits.maxChainIdBytes);
    const persistenceByte = r.u8();
    const view = await readView(r);
    const consensus = { maxBatch: r.i32(), maxBatchBytes: r.i32(), maxRequestBytes: r.i32(), tickMs: r.i32(), requestTimeoutMs: r.i32(), requestWindow: r.i64() };
    const checkpointPeriod = r.i64();
    const readKeys = () => { const n = r.count(limits.maxMinters, 32); return Array.from({ length: n }, () => r.fixed(32)); };
    const minters = readKeys();
    const joinPolicy = r.u8();
    const joinAllowList = readKeys();
    const joinExpiryInstances = r.i64();
    const exclusionExpiryInstances = r.i64();
    const n = r.count(limits.maxViewMembers, 8);
    for (let i = 0; i < n; i++) {
      r.i32();
      const length = r.count(limits.maxKeyChain, 32);
      r.fixed(32 * length);
    }
    r.ensureEnd();
    return {
      chainId, persistence: persistenceByte === 1 ? 'strong' : 'weak', view, consensus, checkpointPeriod, minters,
      joinPolicy, joinAllowList, joinExpiryInstances, exclusionExpiryInstances, encoded: bytes, hash, hashHex: toHex(hash),
      source: 'canonical bytes checked against your hash',
    };
  } catch (e) {
    if (e instanceof EncodingError) throw new GenesisError([`genesis: ${e.message}`]);
    throw e;
  }
}

