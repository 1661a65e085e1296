'use strict';
// Pipeline health: what is wrong in sentences first, then connector and task states, events per second per topic,
// gaps and resyncs per venue, dead letters, consumer lag and sink latency (GET /api/pipeline). A server without
// that endpoint still shows its connectors' states from /api/health, and says what it cannot show.

const PIPELINE_POLL_MS = 3000;

function stateClass(s) {
  return s === 'RUNNING' ? 'state-ok' : s === 'PAUSED' || s === 'UNASSIGNED' || s === 'RESTARTING' ? 'state-warn' : 'state-bad';
}

function firstLine(text) {
  return text ? String(text).split('\n')[0] : '';
}

function renderConnectors(connectors) {
  if (!connectors.length) {
    tableMessage('health', 'no connectors reported');
    return;
  }
  $('health').replaceChildren(...connectors.map(c => {
    const tr = el('tr');
    tr.dataset.connector = c.name;
    cell(tr, c.name);
    cell(tr, c.state, 'conn-state ' + stateClass(c.state));
    const tasks = (c.tasks || []).map(t => `task ${t.id} ${t.state}` + (t.trace ? ': ' + firstLine(t.trace) : ''));
    const td = cell(tr, tasks.length ? tasks.join('; ') : (c.tasks ? 'no tasks' : ''), 'l wrap '
        + ((c.tasks || []).every(t => t.state === 'RUNNING') ? '' : 'state-bad'));
    td.title = (c.tasks || []).map(t => t.trace || '').join('\n');
    return tr;
  }));
}

function table(headers, rows) {
  const t = el('table');
  const head = el('tr');
  headers.forEach((h, i) => head.appendChild(el('th', h, i === 0 ? 'l' : '')));
  const thead = el('thead');
  thead.appendChild(head);
  const tbody = el('tbody');
  for (const r of rows) {
    const tr = el('tr');
    r.forEach(([text, cls]) => cell(tr, text, cls));
    tbody.appendChild(tr);
  }
  t.append(thead, tbody);
  return t;
}

function venueStatusWords(v) {
  if (!v.lastStatus) return ['no status reported', 'note'];
  const at = hhmmss(v.lastStatusTime);
  switch (v.lastStatus) {
    case 'CONNECTED': return ['CONNECTED since ' + at, 'state-ok'];
    case 'DISCONNECTED': return ['DISCONNECTED since ' + at, 'state-bad'];
    default: return [v.lastStatus + ' at ' + at + (v.lastStatusDetail ? ': ' + v.lastStatusDetail : ''), 'state-warn'];
  }
}

function renderPipeline(p) {
  const problems = p.problems || [];
  const box = $('problems');
  if (problems.length) {
    const ul = el('ul', null, 'sentences');
    problems.forEach(s => ul.appendChild(el('li', s, 'state-bad')));
    box.replaceChildren(el('p', `${problems.length} problem${problems.length > 1 ? 's' : ''} at ${hhmmss(p.time)}:`, 'state-bad'), ul);
  } else {
    box.replaceChildren(el('p', `No problems at ${hhmmss(p.time)}: every connector and task runs and nothing is reported missing.`, 'state-ok'));
  }
  renderConnectors(p.connectors || []);

  const parts = [];
  const venues = p.venues || [];
  if (venues.length) {
    parts.push(el('h3', 'Venues'));
    parts.push(table(['venue', 'events/s', 'gaps', 'resyncs', 'last status'], venues.map(v => {
      const [words, cls] = venueStatusWords(v);
      return [[v.venue], [fixed(v.eventsPerSecond, 1)], [String(v.gaps), v.gaps ? 'state-warn' : ''],
              [String(v.resyncs), v.resyncs ? 'state-warn' : ''], [words, 'l wrap ' + cls]];
    })));
    // The venue table starts from these statuses; live feed status events keep it current afterwards.
    for (const v of venues) {
      if (!v.lastStatus || !v.lastStatusTime) continue;
      const known = state.feeds.get(v.venue);
      if (!known || Date.parse(known.eventTime) < Date.parse(v.lastStatusTime)) {
        state.feeds.set(v.venue, { venue: v.venue, status: v.lastStatus, eventTime: v.lastStatusTime, detail: v.lastStatusDetail });
      }
    }
    scheduleRender();
  }
  const topics = (p.topics || []).filter(t => t.total > 0 || t.eventsPerSecond > 0);
  if (topics.length) {
    parts.push(el('h3', 'Topics'));
    parts.push(table(['topic', 'events/s', 'total'], topics.map(t => [[t.topic], [fixed(t.eventsPerSecond, 1)], [grouped(t.total)]])));
  }
  const facts = el('ul', null, 'sentences');
  const dl = p.deadLetters;
  if (dl) {
    facts.appendChild(dl.total
        ? el('li', `${grouped(dl.total)} dead letter${dl.total > 1 ? 's' : ''} on the DLQ topic; the last at ${hhmmss(dl.lastTime)}: ${dl.lastReason || 'no reason given'}.`, 'state-warn')
        : el('li', 'No dead letters: every record could be processed.', 'state-ok'));
  }
  for (const g of p.consumerLag || []) {
    facts.appendChild(el('li', `Consumer group ${g.group} is ${grouped(g.lag)} record${g.lag === 1 ? '' : 's'} behind.`,
        g.lag > 10000 ? 'state-warn' : ''));
  }
  if (p.sink) {
    facts.appendChild(el('li', `Sink writes ${fixed(p.sink.rowsPerSecond, 1)} rows/s; latency from event to database `
        + `${fixed(p.sink.latencyP50Ms, 0)} ms (median), ${fixed(p.sink.latencyP99Ms, 0)} ms (99th percentile).`));
  }
  if (facts.children.length) parts.push(el('h3', 'Delivery'), facts);
  $('pipeline-details').replaceChildren(...parts);
}

async function loadPipeline() {
  try {
    renderPipeline(await getJson('/api/pipeline'));
  } catch (e) {
    $('problems').replaceChildren(failure('p', 'the pipeline status could not be read (' + e.message + ')'));
  }
}

/** The header pill, and (without /api/pipeline) the connectors' states. */
async function loadHealth() {
  const pill = $('pipeline');
  try {
    const r = await fetch('/api/health');
    const h = await r.json();
    const up = h.status === 'UP';
    pill.textContent = 'pipeline: ' + (up ? 'all connectors running' : 'degraded: a connector is not running');
    pill.className = 'pill ' + (up ? 'ok' : 'bad');
    if (!api.has('/api/pipeline')) {
      renderConnectors(Object.entries(h.connectors || {}).map(([name, s]) => ({ name, state: String(s) })));
    }
  } catch (e) {
    pill.textContent = 'pipeline: server unreachable';
    pill.className = 'pill bad';
  }
}

function startPipeline() {
  if (api.has('/api/pipeline')) {
    loadPipeline();
    setInterval(loadPipeline, PIPELINE_POLL_MS);
  } else {
    $('problems').replaceChildren(el('p', 'Pipeline metrics (events/s, gaps, dead letters, consumer lag) are '
        + notAvailable('/api/pipeline') + '. Connector states below come from /api/health.', 'note'));
  }
  loadHealth();
  setInterval(loadHealth, 5000);
}
