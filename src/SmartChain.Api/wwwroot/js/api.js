// The node's HTTP API (docs/api.md), as the explorer uses it. Everything here is what one node says: the page shows
// it as such, and proves only receipts (verify.js), from the genesis the reader trusts (trust.js).

const base = '/api/v1';

/** An API error: the HTTP status and the problem+json detail when the node sent one. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail ? `${status}: ${detail}` : `HTTP ${status}`);
    this.status = status;
    this.detail = detail;
  }
}

async function get(path) {
  const response = await fetch(base + path, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    let detail = null;
    try { detail = (await response.json()).detail ?? null; } catch { /* not problem+json */ }
    throw new ApiError(response.status, detail);
  }
  return response.json();
}

export const api = {
  status: () => get('/status'),
  blocks: (from, limit = 20) => get(`/blocks?limit=${limit}${from === undefined || from === null ? '' : `&from=${from}`}`),
  block: (id) => get(`/blocks/${encodeURIComponent(id)}`),
  transaction: (id) => get(`/transactions/${encodeURIComponent(id)}`),
  receipt: (id) => get(`/transactions/${encodeURIComponent(id)}/receipt`),
  view: () => get('/view'),
  coins: (owner) => get(`/coins/${encodeURIComponent(owner)}`),
  /** genesis.json as the node serves it (text): the page hashes it itself, it never believes a header. */
  async genesisText() {
    const response = await fetch(`${base}/genesis`);
    if (!response.ok) throw new ApiError(response.status, null);
    return response.text();
  },
};

/**
 * Subscribes to newly certified blocks (server-sent events, event 'block', data = a block summary). `onBlock` hears
 * each summary, `onState` 'open' or 'closed'. EventSource reconnects by itself, resuming after the last id it saw.
 * Returns a function that closes the stream.
 */
export function subscribeBlocks(onBlock, onState) {
  const source = new EventSource(`${base}/events/blocks`);
  source.addEventListener('block', (e) => {
    try {
      onBlock(JSON.parse(e.data));
    } catch {
      // a malformed event is dropped; the next one still counts
    }
  });
  source.onopen = () => onState('open');
  source.onerror = () => onState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
  return () => source.close();
}
