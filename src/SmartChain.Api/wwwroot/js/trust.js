// The genesis the reader trusts, kept in this browser (localStorage) so it is set once. Two ways in:
//  - the reader's own genesis.json (file or paste): trusted as given, its hash shown to compare;
//  - the node's /api/v1/genesis: trusted only if the SHA-256 of its canonical form equals the hash the reader typed
//    (the hash `smartchain testnet init` prints). The node's own X-Genesis-Hash header is never believed.
import { GenesisError, genesisFromJson } from './genesis.js';

const storageKey = 'smartchain-explorer-genesis';
let current = null;
const listeners = new Set();

/** The trusted genesis (genesis.js object with .trust describing how it was accepted), or null. */
export function trustedGenesis() { return current; }

/** Hears every change of the trusted genesis. */
export function onTrustChange(listener) { listeners.add(listener); }

function set(genesis, trust, json) {
  current = genesis ? Object.assign(genesis, { trust }) : null;
  try {
    if (genesis) localStorage.setItem(storageKey, JSON.stringify({ json, trust }));
    else localStorage.removeItem(storageKey);
  } catch {
    // storage may be unavailable (private mode); the page still works for this visit
  }
  for (const l of listeners) l(current);
}

/** Trusts genesis.json text the reader supplied. Throws GenesisError naming each bad field. */
export async function trustGenesisJson(text) {
  const genesis = await genesisFromJson(text);
  set(genesis, 'your genesis.json', text);
  return genesis;
}

/** Fetches the node's genesis.json and trusts it only if it hashes to `expectedHex`. */
export async function trustServedGenesis(text, expectedHex) {
  const expected = (expectedHex ?? '').trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(expected)) throw new GenesisError(['genesis hash: expected 64 hex digits (as `smartchain testnet init` prints it)']);
  const genesis = await genesisFromJson(text);
  if (genesis.hashHex !== expected) {
    throw new GenesisError([`genesis hash: the node's genesis hashes to ${genesis.hashHex}, not to the ${expected} you gave: do not trust this node`]);
  }
  set(genesis, `the node's genesis, matching your hash ${expected.slice(0, 12)}…`, text);
  return genesis;
}

/** Forgets the trusted genesis. */
export function forgetGenesis() { set(null, null, null); }

/** Restores the genesis trusted on an earlier visit (it is re-read and re-hashed, not taken on faith). */
export async function restoreGenesis() {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey) ?? 'null');
    if (saved?.json) {
      current = Object.assign(await genesisFromJson(saved.json), { trust: saved.trust });
      for (const l of listeners) l(current);
    }
  } catch {
    current = null;
  }
  return current;
}
