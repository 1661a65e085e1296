'use strict';
// The cross-venue table of the selected symbol: per venue the last trade, best bid/ask, its spread, its mid's
// distance from the index price (as Kafka Streams computed it) and the health of its feed in words.

/** A venue that sent nothing for this long while the page watched is called stale here. */
const SILENCE_STALE_MS = 30000;
const pageStart = Date.now();

function feedOf(venue, symbol) {
  // A status without a symbol concerns the whole connection; the newer of the two is the venue's state now.
  const a = state.feeds.get(venue), b = state.feeds.get(venue + ':' + symbol);
  if (!a) return b;
  if (!b) return a;
  return Date.parse(a.eventTime) >= Date.parse(b.eventTime) ? a : b;
}

/** The feed's health in words, and the class that colours it. */
function feedWords(venue, symbol) {
  const f = feedOf(venue, symbol);
  const seen = state.lastSeen.get(venue + ':' + symbol);
  const silentMs = seen ? Date.now() - seen : Date.now() - pageStart;
  const silent = silentMs > SILENCE_STALE_MS && Date.now() - pageStart > SILENCE_STALE_MS;
  const at = f ? hhmmss(f.eventTime) : '';
  switch (f && f.status) {
    case 'DISCONNECTED': return { text: 'DISCONNECTED since ' + at, cls: 'state-bad', title: f.detail };
    case 'GAP': return { text: 'GAP: ' + (f.detail || 'data missed at ' + at), cls: 'state-warn', title: 'at ' + at };
    case 'STALE': return { text: 'STALE: ' + (f.detail || 'silent since ' + at), cls: 'state-warn', title: 'at ' + at };
    case 'RESYNC':
      if (silent) break;
      return { text: 'RESYNC at ' + at + (f.detail ? ': ' + f.detail : ''), cls: 'state-warn', title: f.detail };
    default:
  }
  if (silent) {
    return { text: 'STALE: nothing received for ' + ageWords(silentMs / 1000), cls: 'state-warn',
             title: 'no trade or quote of ' + symbol + ' from ' + venue + ' since the page opened or since ' + hhmmss(seen && new Date(seen).toISOString()) };
  }
  if (f && f.status === 'CONNECTED') return { text: 'CONNECTED since ' + at, cls: 'state-ok', title: f.detail };
  return { text: 'CONNECTED', cls: 'state-ok',
           title: 'no status change since the page opened; trades and quotes are arriving' };
}

function venuesOfSymbol(symbol) {
  const venues = new Set();
  for (const p of state.prices.values()) if (p.symbol === symbol) venues.add(p.venue);
  for (const [key, q] of state.quotes) if (q.symbol === symbol) venues.add(key.split(':')[0]);
  if (state.index && state.index.symbol === symbol) {
    (state.index.venues || []).forEach(v => venues.add(v));
    (state.index.excluded || []).forEach(x => venues.add(x.split(':')[0]));
  }
  return [...venues].sort();
}

function excludedReason(list, venue) {
  const hit = (list || []).find(x => x.split(':')[0] === venue);
  return hit ? hit.substring(hit.indexOf(':') + 1).trim() : null;
}

function renderSummary(symbol) {
  const parts = [];
  const i = state.index && state.index.symbol === symbol ? state.index : null;
  const b = state.bbo && state.bbo.symbol === symbol ? state.bbo : null;
  let cls = 'summary note';
  if (i && i.price !== null && i.price !== undefined) {
    parts.push(`Index ${i.price} (${i.method} of ${(i.venues || []).length} venues, ${hhmmss(i.eventTime)})`);
  } else if (i) {
    parts.push('No index price: no venue quotes both sides');
  } else {
    parts.push(api.has('/api/index') ? 'No index price yet' : 'Index price ' + notAvailable('/api/index'));
  }
  if (b && b.bestBid !== null && b.bestAsk !== null && b.bestBid !== undefined) {
    parts.push(`best bid ${b.bestBid} on ${b.bestBidVenue}, best ask ${b.bestAsk} on ${b.bestAskVenue}`);
    if (b.crossed) {
      parts.push(`CROSSED: the best bid is at or above the best ask across venues (spread ${b.spread})`);
      cls = 'summary state-warn';
    } else {
      parts.push(`spread ${b.spread}` + (b.spreadBps !== null && b.spreadBps !== undefined ? ` (${fixed(b.spreadBps, 2)} bp)` : ''));
    }
  } else if (!b) {
    parts.push(api.has('/api/bbo') ? 'no consolidated best bid/offer yet' : 'consolidated BBO ' + notAvailable('/api/bbo'));
  }
  const summary = $('venues-summary');
  summary.textContent = parts.join(' · ');
  summary.className = cls;
  const notes = [];
  for (const x of (i && i.excluded) || []) notes.push('Left out of the index: ' + x + '.');
  for (const x of (b && b.excluded) || []) notes.push('Left out of the best bid/offer: ' + x + '.');
  $('venues-note').textContent = notes.join(' ');
}

function renderPrices() {
  const symbol = state.symbol;
  updateSymbolChoices();
  $('venues-symbol').textContent = symbol;
  renderSummary(symbol);
  const venues = venuesOfSymbol(symbol);
  if (!venues.length) {
    tableMessage('prices', 'waiting for trades of ' + symbol + '…');
    return;
  }
  const i = state.index && state.index.symbol === symbol ? state.index : null;
  const deviations = new Map(((i && i.deviations) || []).map(d => [d.venue, d]));
  $('prices').replaceChildren(...venues.map(venue => {
    const key = venue + ':' + symbol;
    const p = state.prices.get(key);
    const q = state.quotes.get(key);
    const tr = el('tr');
    tr.dataset.key = key;
    cell(tr, venue);
    const price = cell(tr, p ? p.price : '—', 'price' + (p && p.dir > 0 ? ' up' : p && p.dir < 0 ? ' down' : ''));
    if (p) price.title = 'trade at ' + hhmmss(p.eventTime) + ' UTC';
    cell(tr, q && q.bidPrice ? q.bidPrice : '—');
    cell(tr, q && q.askPrice ? q.askPrice : '—');
    if (q && q.bidPrice && q.askPrice) {
      const spread = +q.askPrice - +q.bidPrice;
      const mid = (+q.askPrice + +q.bidPrice) / 2;
      cell(tr, `${spread.toPrecision(3)} (${fixed(spread / mid * 1e4, 2)} bp)`, spread < 0 ? 'state-warn' : '');
    } else {
      cell(tr, '—');
    }
    const d = deviations.get(venue);
    const excluded = excludedReason(i && i.excluded, venue);
    if (d && d.deviationBps !== null && d.deviationBps !== undefined) {
      cell(tr, signed(+d.deviationBps, 2) + ' bp', Math.abs(+d.deviationBps) > 50 ? 'state-warn' : '').title = 'mid ' + d.mid;
    } else if (excluded) {
      cell(tr, 'left out', 'state-warn').title = excluded;
    } else {
      cell(tr, '—').title = i ? 'not in the latest index price' : 'no index price yet';
    }
    const f = feedWords(venue, symbol);
    const td = cell(tr, f.text, 'l wrap feed ' + f.cls);
    td.title = f.title || '';
    return tr;
  }));
}

function updateSymbolChoices() {
  const symbols = [...new Set([...state.prices.values()].map(p => p.symbol))].sort();
  if (!symbols.length) return;
  const sel = $('symbol');
  if (symbols.join() !== [...sel.options].map(o => o.value).join()) {
    sel.replaceChildren(...symbols.map(s => Object.assign(el('option', s), { value: s })));
    if (!symbols.includes(state.symbol)) state.symbol = symbols[0];
    sel.value = state.symbol;
  }
}

let renderPending = false;
function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(() => { renderPending = false; renderPrices(); });
}

function onTrade(t) {
  const key = t.venue + ':' + t.symbol;
  state.lastSeen.set(key, Date.now());
  const old = state.prices.get(key);
  if (old && old.eventTime > t.eventTime) return;
  state.prices.set(key, { venue: t.venue, symbol: t.symbol, price: t.price, eventTime: t.eventTime,
                          dir: old ? Math.sign(+t.price - +old.price) : 0 });
  if (t.symbol === state.symbol || !old) scheduleRender();
}

function onQuote(q) {
  const key = q.venue + ':' + q.symbol;
  state.lastSeen.set(key, Date.now());
  state.quotes.set(key, q);
  if (q.symbol === state.symbol) scheduleRender();
}

function onFeedStatus(f) {
  state.feeds.set(f.symbol ? f.venue + ':' + f.symbol : f.venue, f);
  scheduleRender();
}

function onBbo(b) {
  if (b.symbol !== state.symbol) return;
  state.bbo = b;
  scheduleRender();
}

function onIndex(i) {
  if (i.symbol !== state.symbol) return;
  state.index = i;
  scheduleRender();
}

async function loadPrices() {
  const body = await getJson('/api/prices');
  for (const p of body.prices) {
    const key = p.venue + ':' + p.symbol;
    if (!state.prices.has(key)) state.prices.set(key, { ...p, dir: 0 });
  }
  renderPrices();
}

/** The starting BBO and index of the selected symbol; live events keep them current afterwards. */
async function loadConsolidated() {
  const symbol = state.symbol;
  const q = '?symbol=' + encodeURIComponent(symbol);
  const [b, i] = await Promise.all([
    api.has('/api/bbo') ? getJson('/api/bbo' + q) : null,
    api.has('/api/index') ? getJson('/api/index' + q) : null,
  ]);
  if (symbol !== state.symbol) return; // the user picked another symbol meanwhile
  if (b && b.bbo && (!state.bbo || state.bbo.symbol !== symbol)) state.bbo = b.bbo;
  if (i && i.index && (!state.index || state.index.symbol !== symbol)) state.index = i.index;
  renderPrices();
}
