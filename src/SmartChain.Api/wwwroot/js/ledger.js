// Decoders of the ledger's canonical structures, ported field by field from the C# records named in each comment
// (docs/encoding.md, docs/storage.md, docs/reconfiguration.md). Each one rejects what its C# twin rejects, with the
// same message, because the receipt check must fail in the browser exactly where it fails in `receipt verify`.
import { EncodingError, Reader, decodeAll, toHex } from './canonical.js';
import { indexedLeaf, hashLeaf, verifyLeafHash, sha256 } from './crypto.js';

const int64Max = 9223372036854775807n;

/** Limits (SmartChain.Core.Limits and the ledger's own). */
export const limits = Object.freeze({
  maxChainIdBytes: 64,
  maxOperationBytes: 64 * 1024,
  maxViewMembers: 128,
  maxHostBytes: 253,
  maxMinters: 1024,
  maxItemBytes: 16 * 1024 * 1024,
  maxPathLength: 62,
  maxKeyChain: 1024,
  maxViewProofs: 64,
  maxReceiptBytes: 4 * 1024 * 1024,
});

/** MerkleProof: i64 leafIndex · i64 treeSize · u32 count · count × 32 B. */
export function readMerkleProof(r) {
  const leafIndex = r.i64(0n, int64Max - 1n);
  const treeSize = r.i64(1n, int64Max);
  const count = r.count(limits.maxPathLength, 32);
  const path = [];
  for (let i = 0; i < count; i++) path.push(r.fixed(32));
  return { leafIndex, treeSize, path };
}

/** BlockHeader: u8 version 1 · i64 number · i64 lastReconfig · i64 lastCheckpoint · 3 × 32 B. */
export function readHeader(r) {
  const start = r.position;
  const version = r.u8();
  if (version !== 1) throw new EncodingError(start, `block header version ${version}; this build reads 1`);
  const header = {
    number: r.i64(0n, int64Max),
    lastReconfig: r.i64(0n, int64Max),
    lastCheckpoint: r.i64(0n, int64Max),
    hashTransactions: r.fixed(32),
    hashResults: r.fixed(32),
    hashLastBlock: r.fixed(32),
  };
  header.encoded = r.bytes.slice(start, r.position);
  return header;
}

/** The block id: SHA-256 of the header's 129 canonical bytes. */
export function headerHash(header) { return sha256(header.encoded); }

/** BlockCertificate: u32 m · m × (i32 replica · 64 B signature). */
export function readCertificate(r) {
  const count = r.count(limits.maxViewMembers, 4 + 64);
  const signatures = [];
  for (let i = 0; i < count; i++) signatures.push({ replicaId: r.i32(), signature: r.fixed(64) });
  return { signatures };
}

/** TransactionReceipt: u8 version 1 · header · certificate · i32 index · bytes entry · bytes result · 2 proofs. */
export function decodeReceipt(bytes) {
  return decodeAll(bytes, (r) => {
    const at = r.position;
    const version = r.u8();
    if (version !== 1) throw new EncodingError(at, `receipt version ${version}; this build reads 1`);
    return {
      header: readHeader(r),
      certificate: readCertificate(r),
      index: r.i32(),
      entry: r.bytesField(limits.maxItemBytes),
      result: r.bytesField(limits.maxItemBytes),
      entryProof: readMerkleProof(r),
      resultProof: readMerkleProof(r),
    };
  });
}

/** ViewQuery answer (a `.receipt.views` file): u32 n (≤ 64) · n × bytes receipt. */
export function decodeViewProofs(bytes) {
  return decodeAll(bytes, (r) => {
    const count = r.count(limits.maxViewProofs, 4);
    const receipts = [];
    for (let i = 0; i < count; i++) receipts.push(decodeReceipt(r.bytesField(limits.maxReceiptBytes)));
    return receipts;
  });
}

/** ChainId.Validate: null or the problem, worded as in C#. */
export function chainIdProblem(value) {
  if (!value) return 'must not be empty';
  if (value.length > limits.maxChainIdBytes) return `is ${value.length} characters; at most ${limits.maxChainIdBytes} are allowed`;
  for (const c of value) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '.' || c === '_' || c === '-')) {
      return `contains '${c}'; only a-z, 0-9, '.', '_' and '-' are allowed`;
    }
  }
  return null;
}

/**
 * SignedRequest.Decode: u8 0x01 · string chainId · 32 B client · u64 sequence · i64 notBefore (≥ 0) · bytes operation ·
 * 64 B signature.
 * The signature covers every byte before it; the transaction id is SHA-256 of all of them.
 */
export function decodeRequest(bytes) {
  const r = new Reader(bytes);
  const tag = r.u8();
  if (tag !== 1) throw new EncodingError(0, `not a client request: tag ${tag}, expected 1`);
  const chainIdAt = r.position;
  const chainId = r.string(limits.maxChainIdBytes);
  const problem = chainIdProblem(chainId);
  if (problem) throw new EncodingError(chainIdAt, `chain id ${problem}`);
  const client = r.fixed(32);
  const sequence = r.u64();
  const notBefore = r.i64(0n, 9223372036854775807n);
  const operation = r.bytesField(limits.maxOperationBytes);
  const signedLength = r.position;
  const signature = r.fixed(64);
  r.ensureEnd();
  return { chainId, client, sequence, notBefore, operation, signature, signed: bytes.subarray(0, signedLength), encoded: bytes };
}

/** KeyChainCommitment (32 B root · i32 length 1..1024 · i64 first view) and ViewKey (32 B key · proof). */
function readCommitment(r) {
  const root = r.fixed(32);
  const at = r.position;
  const length = r.i32();
  if (length < 1 || length > limits.maxKeyChain) {
    throw new EncodingError(at, `a key chain of ${length} keys; chains hold 1..${limits.maxKeyChain}`);
  }
  return { root, length, firstView: r.i64(0n, int64Max) };
}

/** ReplicaMember: i32 id · host · u16 port · u16 client port · 32 B identity · commitment · view key. */
function readMember(r) {
  const at = r.position;
  const id = r.i32();
  if (id < 0) throw new EncodingError(at, `replica id ${id} is negative`);
  const host = r.string(limits.maxHostBytes);
  const port = r.u16();
  const clientPort = r.u16();
  const publicKey = r.fixed(32);
  const chain = readCommitment(r);
  const viewKey = { key: r.fixed(32), path: readMerkleProof(r) };
  return { id, host, port, clientPort, publicKey, chain, viewKey };
}

const memberMinBytes = 4 + 4 + 2 + 2 + 32 + (32 + 4 + 8) + (32 + 8 + 8 + 4);

/** KeyChainCommitment.Check: null if `viewKey` is the chain's leaf for `viewId`, else why not. */
export async function chainKeyProblem(chain, viewKey, viewId) {
  const offset = viewId - chain.firstView;
  if (viewId < chain.firstView || offset >= BigInt(chain.length)) {
    return `its key chain (${chain.length} keys from view ${chain.firstView}) has no key for view ${viewId}`;
  }
  const index = Number(offset);
  const ok = viewKey.path.leafIndex === offset && viewKey.path.treeSize === BigInt(chain.length) &&
    await verifyLeafHash(viewKey.path, await hashLeaf(indexedLeaf(index, viewKey.key)), chain.root);
  return ok ? null : `its key for view ${viewId} is not leaf ${index} of its key chain`;
}

/**
 * The checks of the C# View constructor: 1..128 members, ids non-negative and distinct, identity and view keys
 * distinct, each view key the chain's leaf for this view, endpoints distinct. Null or the reason.
 */
export async function viewProblem(id, members) {
  if (members.length === 0 || members.length > limits.maxViewMembers) {
    return `a view has 1..${limits.maxViewMembers} members, got ${members.length}`;
  }
  const sorted = [...members].sort((a, b) => a.id - b.id);
  const keys = new Set();
  const endpoints = new Set();
  for (let i = 0; i < sorted.length; i++) {
    const m = sorted[i];
    if (m.id < 0 || (i > 0 && sorted[i - 1].id === m.id)) return `replica id ${m.id} is negative or repeated`;
    const identity = toHex(m.publicKey);
    const viewKey = toHex(m.viewKey.key);
    if (keys.has(identity) || (keys.add(identity), viewKey !== identity && keys.has(viewKey))) {
      return `replica ${m.id} repeats another member's public key`;
    }
    keys.add(viewKey);
    const wrong = await chainKeyProblem(m.chain, m.viewKey, id);
    if (wrong) return `replica ${m.id}: ${wrong}`;
    const replica = `${m.host}:${m.port}`.toUpperCase();
    const client = `${m.host}:${m.clientPort}`.toUpperCase();
    if (endpoints.has(replica) || (endpoints.add(replica), endpoints.has(client))) return `replica ${m.id} repeats an endpoint`;
    endpoints.add(client);
  }
  return null;
}

/** Makes a view object: members by id, n, f = ⌊(n−1)/3⌋, Q = ⌈(n+f+1)/2⌉ (Quorums.cs). */
export function makeView(id, members) {
  const sorted = [...members].sort((a, b) => a.id - b.id);
  const n = sorted.length;
  const f = Math.floor((n - 1) / 3);
  const q = Math.floor((n + f + 2) / 2);
  const byId = new Map(sorted.map((m) => [m.id, m]));
  return { id: BigInt(id), members: sorted, byId, n, f, q, toString() { return `view ${this.id} (n=${n}, f=${f}, Q=${q})`; } };
}

/**
 * View.ReadFrom: i64 id · u32 n · n × member in strictly increasing id order, then the View constructor's checks
 * (async: the key-chain paths are hashed). Rejections are EncodingErrors, as in C#.
 */
export async function readView(r) {
  const id = r.i64(0n, int64Max);
  const at = r.position;
  const count = r.count(limits.maxViewMembers, memberMinBytes);
  if (count === 0) throw new EncodingError(at, 'a view has at least one member');
  const members = [];
  for (let i = 0; i < count; i++) {
    const memberAt = r.position;
    const m = readMember(r);
    if (i > 0 && m.id <= members[i - 1].id) throw new EncodingError(memberAt, 'view members are not in strictly increasing id order');
    members.push(m);
  }
  const problem = await viewProblem(id, members);
  if (problem) throw new EncodingError(at, `${problem} (Parameter 'members')`);
  return makeView(id, members);
}

/** SystemOperation.MayChangeView: 0xFF then RECONFIGURE (2), LEAVE (3) or EXCLUDE (4). */
export function mayChangeView(operation) {
  return operation.length >= 2 && operation[0] === 0xff && operation[1] >= 2 && operation[1] <= 4;
}

/** The view a system result installs (u8 1 · view, nothing after), or null if it is any other or no system result. */
export async function installedView(result) {
  if (result.length === 0 || result[0] !== 1) return null;
  try {
    const r = new Reader(result);
    r.u8();
    const view = await readView(r);
    r.ensureEnd();
    return view;
  } catch (e) {
    if (e instanceof EncodingError) return null;
    throw e;
  }
}
