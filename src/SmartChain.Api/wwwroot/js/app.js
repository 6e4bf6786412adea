// The explorer: head (polled status), live throughput and new blocks (server-sent events), and hash routes:
// #/ blocks, #/block/N|HASH, #/tx/ID, #/views, #/verify.
import { api, subscribeBlocks } from './api.js';
import { fill, h, link } from './dom.js';
import { onTrustChange, restoreGenesis, trustedGenesis } from './trust.js';
import { Throughput } from './throughput.js';
import { blocksPage } from './pages/blocks.js';
import { blockPage } from './pages/block.js';
import { transactionPage } from './pages/transaction.js';
import { viewsPage } from './pages/views.js';
import { verifyPage } from './pages/verify-page.js';

const $ = (id) => document.getElementById(id);
const main = $('main');
const throughput = new Throughput($('spark'));
const blockListeners = new Set();
let renderToken = 0;

/** Pages hear new certified blocks through this while they are shown. */
export function onNewBlock(listener) {
  blockListeners.add(listener);
  return () => blockListeners.delete(listener);
}

async function refreshStatus() {
  try {
    const s = await api.status();
    fill($('height'), s.height);
    fill($('certified-height'), s.certifiedHeight);
    fill($('view-id'), s.viewId);
    fill($('view-size'), `n=${s.n}, f=${s.f}, Q=${s.q}`);
    fill($('regency'), s.regency);
    fill($('leader'), `replica ${s.leader}`);
    fill($('peers'), `${s.peersConnected} / ${s.peers}`);
    fill($('chain'), `${s.chainId} · replica ${s.replicaId}`);
    const ready = $('readiness');
    ready.className = `pill ${s.ready ? 'ok' : 'bad'}`;
    fill(ready, s.ready ? 'ready' : 'not ready');
    ready.title = s.notReady ?? 'a member of its view, linked to a quorum, not behind';
  } catch (e) {
    const ready = $('readiness');
    ready.className = 'pill bad';
    fill(ready, 'unreachable');
    ready.title = e.message;
  }
}

function showTrust(genesis) {
  fill($('trust'), genesis
    ? h('span', {}, 'trusting genesis ', h('span', { class: 'mono', title: genesis.hashHex }, `${genesis.hashHex.slice(0, 12)}…`),
      ` (${genesis.trust}) · `, link('verify', 'change'))
    : h('span', { class: 'badge warn' }, 'no genesis trusted yet: ', link('verify', 'set one to verify receipts')));
}

async function route() {
  const token = ++renderToken;
  const path = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
  const [page, arg] = [path.split('/')[0], path.split('/').slice(1).join('/')];
  for (const a of document.querySelectorAll('.tabs a')) a.classList.toggle('active', a.dataset.route === page);
  blockListeners.clear();
  const view = h('div', { id: 'page' });
  fill(main, view);
  try {
    const context = { view, onNewBlock, isCurrent: () => token === renderToken, genesis: trustedGenesis };
    if (page === 'block') await blockPage(context, arg);
    else if (page === 'tx') await transactionPage(context, arg);
    else if (page === 'views') await viewsPage(context);
    else if (page === 'verify') await verifyPage(context);
    else await blocksPage(context);
  } catch (e) {
    if (token === renderToken) fill(view, h('div', { class: 'error' }, e.message));
  }
}

async function search(event) {
  event.preventDefault();
  const q = $('search-input').value.trim();
  if (!q) return;
  if (/^\d+$/.test(q)) { location.hash = `#/block/${q}`; return; }
  if (!/^[0-9a-fA-F]{64}$/.test(q)) { fill(main, h('div', { class: 'error' }, `"${q}" is neither a block number nor a 64-digit hash`)); return; }
  try {
    await api.block(q.toLowerCase());
    location.hash = `#/block/${q.toLowerCase()}`;
  } catch {
    location.hash = `#/tx/${q.toLowerCase()}`;
  }
}

function start() {
  $('search').addEventListener('submit', search);
  window.addEventListener('hashchange', route);
  onTrustChange(showTrust);
  subscribeBlocks((block) => {
    throughput.add(block);
    for (const l of blockListeners) l(block);
    refreshStatus();
  }, (state) => {
    const stream = $('stream');
    fill(stream, `stream: ${state}`);
    stream.className = `pill ${state === 'open' ? 'ok' : 'muted'}`;
  });
  setInterval(() => { throughput.render(); fill($('tps'), throughput.txPerSecond().toFixed(1)); fill($('bps'), throughput.blocksPerSecond().toFixed(1)); }, 1000);
  setInterval(refreshStatus, 2000);
  refreshStatus();
  restoreGenesis().then((g) => { showTrust(g); route(); });
}

start();
