// SHA-256, Ed25519 and RFC 6962/9162 Merkle proofs on WebCrypto, the browser's own implementation: nothing here
// comes from the node but this file. Ported from SmartChain.Core/Crypto (MerkleTree, MerkleProof) and BlockMerkle.

/** Why WebCrypto is missing, or null. Browsers give crypto.subtle only to secure contexts (https, localhost, file). */
export function webCryptoProblem() {
  if (globalThis.crypto?.subtle) return null;
  return globalThis.isSecureContext === false
    ? 'WebCrypto is unavailable: this page is not a secure context (open it over https, from localhost/127.0.0.1, or through an SSH tunnel)'
    : 'WebCrypto is unavailable in this browser';
}

/** SHA-256 of bytes. */
export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

let ed25519Support;

/** Null if this browser's WebCrypto does Ed25519, otherwise why not. */
export async function ed25519Problem() {
  if (ed25519Support === undefined) {
    try {
      // The RFC 8032 test 1 key: importing it succeeds wherever the algorithm exists.
      const key = new Uint8Array([0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a,
        0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a]);
      await crypto.subtle.importKey('raw', key, { name: 'Ed25519' }, false, ['verify']);
      ed25519Support = null;
    } catch (e) {
      ed25519Support = `this browser's WebCrypto has no Ed25519 (${e.message}); use a current Chromium, Firefox or Safari`;
    }
  }
  return ed25519Support;
}

// libsodium (NSec, behind the C# verifier) refuses more than RFC 8032 does, and Chromium's WebCrypto (BoringSSL)
// refuses only what the RFC does. Without these checks a Byzantine member whose view key is of small order could
// "sign" any header in the browser's eyes (R = identity, S = 0), or a member could sign with an R of small order: the
// browser would count signatures that `receipt verify` does not. So the browser applies libsodium's rules first
// (crypto_sign_ed25519_verify_detached): S < L, R not of small order, A canonical and not of small order.
const smallOrder = [
  [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0,
    0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05],
  [0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f,
    0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a],
  [0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
  [0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
  [0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
];

// The group order L, little-endian.
const groupOrder = [0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10];

/** ge25519_has_small_order: the encoding (sign bit ignored) is one of the points of order 1, 2, 4 or 8. */
export function hasSmallOrder(point) {
  return smallOrder.some((b) => {
    for (let i = 0; i < 31; i++) if (point[i] !== b[i]) return false;
    return (point[31] & 0x7f) === b[31];
  });
}

/** ge25519_is_canonical: the y coordinate is below p = 2^255 − 19. */
export function isCanonicalPoint(point) {
  if ((point[31] & 0x7f) !== 0x7f) return true;
  for (let i = 30; i > 0; i--) if (point[i] !== 0xff) return true;
  return point[0] < 0xed;
}

/** sc25519_is_canonical: S < L. */
export function isCanonicalScalar(s) {
  for (let i = 31; i >= 0; i--) {
    if (s[i] < groupOrder[i]) return true;
    if (s[i] > groupOrder[i]) return false;
  }
  return false;
}

/**
 * True if `signature` is a valid Ed25519 signature by the 32-byte `publicKey` over `data`, by libsodium's rules (see
 * above) and then WebCrypto's check. A key WebCrypto refuses to import verifies nothing, as in C#.
 */
export async function ed25519Verify(publicKey, data, signature) {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  if (!isCanonicalScalar(signature.subarray(32)) || hasSmallOrder(signature.subarray(0, 32)) ||
    !isCanonicalPoint(publicKey) || hasSmallOrder(publicKey)) {
    return false;
  }
  let key;
  try {
    key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return false;
  }
  try {
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, data);
  } catch {
    return false;
  }
}

function concat(...parts) {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** SHA-256(0x00 ‖ leaf). */
export function hashLeaf(leaf) { return sha256(concat(Uint8Array.of(0), leaf)); }

/** SHA-256(0x01 ‖ left ‖ right). */
export function hashNode(left, right) { return sha256(concat(Uint8Array.of(1), left, right)); }

/** The indexed leaf of block trees and key chains: u32-LE index ‖ item. */
export function indexedLeaf(index, item) {
  const leaf = new Uint8Array(4 + item.length);
  new DataView(leaf.buffer).setUint32(0, index >>> 0, true);
  leaf.set(item, 4);
  return leaf;
}

/** Longest path MerkleProof accepts (2^62 leaves). */
export const maxPathLength = 62;

/**
 * RFC 9162 §2.1.3.2, as MerkleProof.VerifyLeafHash: true if `leafHash` sits at proof.leafIndex of a tree of
 * proof.treeSize leaves with `root`. Index and size are BigInts (i64 on the wire).
 */
export async function verifyLeafHash(proof, leafHash, root) {
  if (proof.leafIndex < 0n || proof.leafIndex >= proof.treeSize || proof.path.length > maxPathLength) return false;
  let fn = proof.leafIndex;
  let sn = proof.treeSize - 1n;
  let r = leafHash;
  for (const p of proof.path) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = await hashNode(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await hashNode(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && equal(r, root);
}

/** BlockMerkle.Verify: item `index` of the block tree with `root` (the index is in the leaf and must match the proof's). */
export async function verifyBlockItem(proof, index, item, root) {
  if (proof.leafIndex !== BigInt(index)) return false;
  return verifyLeafHash(proof, await hashLeaf(indexedLeaf(index, item)), root);
}

/** The RFC 6962 root over leaf hashes; an odd last node moves up unchanged. */
export async function rootFromLeafHashes(hashes) {
  if (hashes.length === 0) return sha256(new Uint8Array(0));
  let level = hashes;
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(await hashNode(level[i], level[i + 1]));
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0];
}

function equal(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
