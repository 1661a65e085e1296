'use strict';
// Shared by the dashboard's scripts (plain scripts, no build step): page state, small DOM helpers, number and time
// formatting, and what this server offers (read from its OpenAPI document, so that the page never asks for an
// endpoint or a live event type the server does not have: such a request would be a 404/400 in the console).

const state = {
  symbol: 'BTC-USDT', interval: '1s', lastTime: 0, barCount: 0,
  prices: new Map(),   // "VENUE:SYMBOL" -> {venue, symbol, price, eventTime, dir}
  quotes: new Map(),   // "VENUE:SYMBOL" -> {bidPrice, askPrice, eventTime}
  feeds: new Map(),    // "VENUE" or "VENUE:SYMBOL" -> {status, detail, eventTime}
  lastSeen: new Map(), // "VENUE:SYMBOL" -> ms of the last trade or quote seen live
  bbo: null, index: null,
};

const $ = id => document.getElementById(id);
const secs = iso => Math.floor(Date.parse(iso) / 1000);
const hhmmss = iso => iso ? new Date(Date.parse(iso)).toISOString().substring(11, 19) : '';

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function cell(tr, text, cls) {
  const td = el('td', text, cls);
  tr.appendChild(td);
  return td;
}

/** A table body with one full-width line of text (waiting, not available, failed). */
function tableMessage(tbodyId, text, cls) {
  const tbody = $(tbodyId);
  const cols = tbody.closest('table').querySelectorAll('thead th').length || 1;
  const tr = el('tr');
  const td = el('td', text, 'empty ' + (cls || ''));
  td.colSpan = cols;
  tr.appendChild(td);
  tbody.replaceChildren(tr);
}

/**
 * What failed, shown as text so that a broken panel is visible; the class "failure" lets the browser test find
 * every failure without reading the market data's own words.
 */
function failure(tag, e) {
  return el(tag, 'error: ' + (e && e.message ? e.message : e), 'state-bad failure');
}

function showFailureIn(id, e) {
  const node = $(id);
  node.textContent = 'error: ' + (e && e.message ? e.message : e);
  node.classList.add('failure');
}

function showFailure(tbodyId, e) {
  tableMessage(tbodyId, 'error: ' + e.message, 'state-bad failure');
}

/** Plain number formatting with a fixed number of decimals; '—' for a missing value. */
function fixed(v, digits) {
  if (v === null || v === undefined || v === '') return '—';
  const n = +v;
  return Number.isFinite(n) ? n.toFixed(digits) : String(v);
}

function signed(n, digits) {
  return (n >= 0 ? '+' : '') + n.toFixed(digits);
}

/** A large amount with thousands separators and no decimals, e.g. 12,345. */
function grouped(v) {
  return Math.round(+v).toLocaleString('en-US');
}

function ageWords(seconds) {
  if (seconds < 90) return Math.round(seconds) + ' s';
  if (seconds < 5400) return Math.round(seconds / 60) + ' min';
  return (seconds / 3600).toFixed(1) + ' h';
}

async function getJson(url) {
  const r = await fetch(url);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || (url + ': HTTP ' + r.status));
  return body;
}

/** The first array in an answer: tolerant of {"liquidations": [...]}, {"rows": [...]} or a bare array. */
function rowsOf(body) {
  if (Array.isArray(body)) return body;
  for (const k of ['rows', 'liquidations', 'stats', 'buckets', 'items', 'data']) {
    if (Array.isArray(body && body[k])) return body[k];
  }
  for (const v of Object.values(body || {})) if (Array.isArray(v)) return v;
  return [];
}

// ---- what this server offers
const api = {
  paths: new Set(),
  streamTypes: ['trades', 'candles', 'feedstatus', 'quotes'], // what every server with live push has
  has(path) { return this.paths.has(path); },
  hasType(t) { return this.streamTypes.includes(t); },
  async discover() {
    try {
      const doc = await getJson('/api/openapi.json');
      this.paths = new Set(Object.keys(doc.paths || {}));
      const params = (((doc.paths || {})['/api/stream'] || {}).get || {}).parameters || [];
      const types = params.find(p => p.name === 'types');
      const listed = types && types.schema && types.schema.items && types.schema.items.enum;
      if (Array.isArray(listed) && listed.length) this.streamTypes = listed;
    } catch (e) {
      // Without the document assume only the oldest endpoints; the panels say what is not available.
      this.paths = new Set(['/api/prices', '/api/candles', '/api/reference', '/api/health', '/api/stream']);
    }
  },
};

function notAvailable(path) {
  return 'not available: this server has no ' + path;
}
