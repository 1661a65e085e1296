'use strict';
// Oracle accuracy: each pair's deviation over time (against the price APIs' average, or against the venues' index
// price), the DEVIATION alert threshold as dashed lines, stale periods shaded, the latest values per pair and the
// latest alerts in words.

/** The Streams default of accuracy.threshold.pct, used until an alert names the configured threshold. */
const DEFAULT_THRESHOLD_PCT = 1.0;
const PAIR_COLORS = ['#4fc3f7', '#ba68c8', '#ffb74d', '#81c784', '#f06292', '#a1887f'];
const METRICS = { pctDiff: 'vs. price APIs', pctDiffIndex: 'vs. venues\' index' };

const oracle = {
  metric: 'pctDiff',
  rows: new Map(),      // pair -> accuracy rows, oldest first
  series: new Map(),    // pair -> line series
  threshold: null,      // percent, as named by the alerts
  alerts: [],           // newest first
};

const oracleChart = LightweightCharts.createChart($('oracle-chart'), {
  autoSize: true,
  layout: { background: { color: '#171d24' }, textColor: '#8b96a3' },
  grid: { vertLines: { color: '#222a33' }, horzLines: { color: '#222a33' } },
  timeScale: { timeVisible: true, secondsVisible: true, borderColor: '#2a323c' },
  rightPriceScale: { borderColor: '#2a323c' },
  localization: { priceFormatter: p => p.toFixed(3) + ' %' },
});
const staleShade = oracleChart.addSeries(LightweightCharts.HistogramSeries, {
  priceScaleId: 'stale', color: 'rgba(240, 180, 41, 0.22)', lastValueVisible: false, priceLineVisible: false,
});
oracleChart.priceScale('stale').applyOptions({ visible: false, scaleMargins: { top: 0, bottom: 0 } });
const thresholdStyle = { color: 'rgba(239, 83, 80, 0.8)', lineWidth: 1, lineStyle: LightweightCharts.LineStyle.Dashed,
  lastValueVisible: true, priceLineVisible: false, crosshairMarkerVisible: false };
const upperThreshold = oracleChart.addSeries(LightweightCharts.LineSeries, { ...thresholdStyle, title: 'alert' });
const lowerThreshold = oracleChart.addSeries(LightweightCharts.LineSeries, { ...thresholdStyle, title: 'alert' });
const markers = new Map(); // pair -> series markers plugin

function thresholdPct() {
  return oracle.threshold !== null ? oracle.threshold : DEFAULT_THRESHOLD_PCT;
}

function seriesOf(pair) {
  let s = oracle.series.get(pair);
  if (!s) {
    const color = PAIR_COLORS[oracle.series.size % PAIR_COLORS.length];
    s = oracleChart.addSeries(LightweightCharts.LineSeries, { color, lineWidth: 2, title: pair, priceLineVisible: false });
    s.pairColor = color;
    oracle.series.set(pair, s);
    markers.set(pair, LightweightCharts.createSeriesMarkers(s, []));
  }
  return s;
}

/** One point per second (the chart's resolution), the last row of that second winning. */
function points(rows, metric) {
  const byTime = new Map();
  for (const r of rows) {
    if (r[metric] === null || r[metric] === undefined) continue;
    byTime.set(secs(r.eventTime), +r[metric]);
  }
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([time, value]) => ({ time, value }));
}

function drawOracle() {
  let first = Infinity, last = -Infinity;
  const stale = new Map();
  const legend = [];
  for (const [pair, rows] of [...oracle.rows.entries()].sort()) {
    const s = seriesOf(pair);
    const data = points(rows, oracle.metric);
    s.setData(data);
    if (data.length) {
      first = Math.min(first, data[0].time);
      last = Math.max(last, data[data.length - 1].time);
    }
    // A marker where each stale period starts, so that it is named as well as shaded.
    const starts = [];
    let wasStale = false;
    for (const r of rows) {
      const t = secs(r.eventTime);
      if (r.stale) stale.set(t, { time: t, value: 1 });
      if (r.stale && !wasStale) starts.push({ time: t, position: 'aboveBar', color: s.pairColor, shape: 'circle', text: 'stale' });
      wasStale = r.stale;
    }
    markers.get(pair).setMarkers(data.length ? starts.filter(m => m.time >= data[0].time) : []);
    const legendItem = el('span');
    const sw = el('span', null, 'swatch');
    sw.style.background = s.pairColor;
    legendItem.append(sw, pair + (data.length ? '' : ' (nothing to compare yet)'));
    legend.push(legendItem);
  }
  staleShade.setData([...stale.values()].sort((a, b) => a.time - b.time));
  const thr = thresholdPct();
  if (Number.isFinite(first)) {
    const ends = first === last ? [first] : [first, last];
    upperThreshold.setData(ends.map(time => ({ time, value: thr })));
    lowerThreshold.setData(ends.map(time => ({ time, value: -thr })));
  }
  const shaded = el('span');
  const sw = el('span', null, 'swatch');
  sw.style.background = 'rgba(240, 180, 41, 0.6)';
  shaded.append(sw, 'shaded: the oracle was stale (older than its heartbeat plus grace)');
  legend.push(shaded);
  $('oracle-legend').replaceChildren(...legend);
  if (oracle.alerts.length) renderAlerts();
  $('oracle-threshold').textContent = `Dashed lines: the DEVIATION alert threshold, ±${thr} %`
      + (oracle.threshold === null ? ' (the default of accuracy.threshold.pct: no alert has named the configured value yet)' : '')
      + '. Deviation = (oracle − reference) / reference.';
  renderOracleTable();
}

function latestWith(rows, field) {
  for (let i = rows.length - 1; i >= 0; i--) if (rows[i][field] !== null && rows[i][field] !== undefined) return rows[i];
  return null;
}

function renderOracleTable() {
  const pairs = [...oracle.rows.keys()].sort();
  if (!pairs.length) return;
  const thr = thresholdPct();
  $('oracle').replaceChildren(...pairs.map(pair => {
    const rows = oracle.rows.get(pair);
    const tr = el('tr');
    cell(tr, pair);
    const last = rows[rows.length - 1];
    const api = latestWith(rows, 'pctDiff');
    const idx = latestWith(rows, 'pctDiffIndex');
    cell(tr, last ? fixed(last.oraclePrice, 4) : '—').title = last ? last.oracleSource + ' round ' + last.roundId : '';
    cell(tr, api && api.apiAverage ? fixed(api.apiAverage, 4) + ' (' + (api.apiSources || []).length + ')' : '—');
    const pct = api ? +api.pctDiff : null;
    cell(tr, api ? signed(pct, 3) + ' %' : 'no API price', api ? (Math.abs(pct) > thr ? 'state-bad' : 'state-ok') : 'state-warn');
    cell(tr, idx ? signed(+idx.pctDiffIndex, 3) + ' %' : '—').title = idx ? 'against ' + idx.indexSymbol + ' at ' + idx.indexPrice : '';
    if (last) {
      cell(tr, ageWords(last.oracleAgeSeconds) + (last.stale ? ' — STALE' : ''), last.stale ? 'state-warn' : '');
    } else {
      cell(tr, '—');
    }
    return tr;
  }));
}

function onAccuracy(a) {
  const rows = oracle.rows.get(a.symbol) || [];
  rows.push(a);
  if (rows.length > 2000) rows.splice(0, rows.length - 2000);
  oracle.rows.set(a.symbol, rows);
  scheduleOracleDraw();
}

let oracleDrawPending = false;
function scheduleOracleDraw() {
  if (oracleDrawPending) return;
  oracleDrawPending = true;
  setTimeout(() => { oracleDrawPending = false; drawOracle(); }, 250);
}

/** Every pair's accuracy rows; the pairs are those with oracle rounds (GET /api/reference). */
async function loadAccuracy() {
  if (!api.has('/api/accuracy')) {
    tableMessage('oracle', 'Oracle accuracy ' + notAvailable('/api/accuracy'));
    return;
  }
  try {
    const latest = await getJson('/api/reference');
    const pairs = [...new Set(latest.latest.map(d => d.symbol))];
    if (!pairs.length) {
      tableMessage('oracle', 'waiting for oracle rounds… (none stored yet)');
      return;
    }
    const answers = await Promise.all(pairs.map(p => getJson('/api/accuracy?pair=' + encodeURIComponent(p) + '&limit=1000')));
    for (const a of answers) {
      oracle.rows.set(a.pair, a.rows);
      if (a.thresholdPct !== null && a.thresholdPct !== undefined) oracle.threshold = Math.max(oracle.threshold || 0, +a.thresholdPct);
    }
    drawOracle();
  } catch (e) { showFailure('oracle', e); }
}

// ---- alerts
function alertSentence(a) {
  const unit = a.kind === 'STALE' ? ' s' : ' %';
  return `${hhmmss(a.eventTime)} ${a.symbol}: ${a.kind} alert ${a.active ? 'raised' : 'cleared'} — ${a.detail}`
      + ` (value ${a.value}${unit}, threshold ${a.threshold}${unit}).`;
}

function renderAlerts() {
  const list = $('alerts');
  if (!oracle.alerts.length) {
    list.replaceChildren(el('li', 'No alert has been raised: every oracle is within its threshold and fresh.', 'note'));
    return;
  }
  // What is active now: the newest alert of each pair and kind tells.
  const newest = new Map();
  for (const a of oracle.alerts) if (!newest.has(a.symbol + a.kind)) newest.set(a.symbol + a.kind, a);
  // A STALE alert is over once a newer accuracy row of the pair is fresh, even if its clearing alert sorts earlier
  // (a check on wall-clock time can be stamped after the round that already ended the condition).
  const freshSince = pair => {
    const rows = oracle.rows.get(pair) || [];
    const last = rows[rows.length - 1];
    return last && !last.stale ? Date.parse(last.eventTime) : null;
  };
  const active = [...newest.values()].filter(a => a.active
      && !(a.kind === 'STALE' && freshSince(a.symbol) !== null && freshSince(a.symbol) > Date.parse(a.eventTime)));
  const head = active.length
      ? el('li', 'Active now: ' + active.map(a => `${a.symbol} ${a.kind} since ${hhmmss(a.eventTime)}`).join('; ') + '.', 'state-bad')
      : el('li', 'No alert is active now.', 'state-ok');
  list.replaceChildren(head, ...oracle.alerts.slice(0, 6).map(a => el('li', alertSentence(a), a.active ? 'state-warn' : 'note')));
}

function onAlert(a) {
  oracle.alerts.unshift(a);
  oracle.alerts.length = Math.min(oracle.alerts.length, 50);
  if (a.kind === 'DEVIATION' && a.threshold !== null && a.threshold !== undefined) {
    oracle.threshold = +a.threshold;
    scheduleOracleDraw();
  }
  renderAlerts();
}

async function loadAlerts() {
  if (!api.has('/api/alerts')) {
    $('alerts').replaceChildren(el('li', 'Alerts ' + notAvailable('/api/alerts'), 'note'));
    return;
  }
  try {
    const body = await getJson('/api/alerts?limit=50');
    oracle.alerts = body.alerts;
    const dev = body.alerts.find(a => a.kind === 'DEVIATION');
    if (dev && oracle.threshold === null) { oracle.threshold = +dev.threshold; scheduleOracleDraw(); }
    renderAlerts();
  } catch (e) {
    $('alerts').replaceChildren(failure('li', e));
  }
}

for (const [metric, label] of Object.entries(METRICS)) {
  const b = el('button', label);
  b.dataset.metric = metric;
  b.onclick = () => {
    oracle.metric = metric;
    for (const x of $('oracle-metrics').children) x.classList.toggle('active', x.dataset.metric === metric);
    drawOracle();
  };
  b.classList.toggle('active', metric === oracle.metric);
  $('oracle-metrics').appendChild(b);
}
