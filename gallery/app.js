// The gallery: a grid of jobs (newest first, filtered and paged) where a made
// game shows its play-test screenshot, verdict and links, and a job in progress
// shows a per-phase progress bar that moves live from the event stream. An
// event updates its one card in place; only a job the page has never seen, or
// one that just settled, is fetched (that one job).
import { api, el, post, takeTokenFromUrl, tokenBox } from './common.js';
import { renderCard, stepsFromJob } from './card.js';

const GENRES = ['arena-shooter', 'tower-defense', 'runner', 'breakout', 'snake', 'idle'];
const PAGE = 24;
const $ = (id) => document.getElementById(id);
const cards = new Map(); // job id → { job, node, steps: Map<step, state> }
let cursor = null;

function filters() {
  return { status: $('filter-status').value, genre: $('filter-genre').value };
}

function matches(job) {
  const f = filters();
  const status = f.status === 'running' ? ['running', 'deploying'] : f.status ? [f.status] : null;
  return (!status || status.includes(job.status)) && (!f.genre || job.gameGenre === f.genre);
}

const render = (card) => renderCard(card, { putOnSlot, cancel, retry });

function upsert(job, { prepend = false } = {}) {
  let card = cards.get(job.id);
  if (!card) {
    card = { job, node: null, steps: stepsFromJob(job) };
    cards.set(job.id, card);
    const node = render(card);
    if (prepend) $('grid').prepend(node);
    else $('grid').append(node);
  } else {
    card.job = job;
    card.steps = stepsFromJob(job);
    render(card);
  }
  showState();
}

function showState(text) {
  const state = $('state');
  if (text) {
    state.textContent = text;
    state.hidden = false;
  } else if (cards.size === 0) {
    state.textContent =
      filters().status || filters().genre
        ? 'No games match these filters.'
        : 'No games yet: type an idea above, or press “Surprise me”.';
    state.hidden = false;
  } else state.hidden = true;
}

async function loadPage(reset) {
  if (reset) {
    cards.clear();
    $('grid').replaceChildren();
    cursor = null;
    showState('Loading games…');
  }
  const f = filters();
  const params = new URLSearchParams({ limit: String(PAGE) });
  if (f.status && f.status !== 'running') params.set('status', f.status);
  if (f.genre) params.set('genre', f.genre);
  if (cursor) params.set('cursor', cursor);
  try {
    const { jobs, nextCursor } = await api(`/api/jobs?${params}`);
    for (const job of jobs) if (matches(job)) upsert(job);
    cursor = nextCursor;
    $('more').hidden = !nextCursor;
    showState();
  } catch (e) {
    showState(`Could not load the games: ${e.message}`);
  }
}

// ---- live updates -------------------------------------------------------

const refreshing = new Map();
/** Fetches one job (coalescing bursts) and updates or adds its card. */
function refreshJob(id) {
  if (refreshing.has(id)) return refreshing.get(id);
  const p = api(`/api/jobs/${id}`)
    .then(({ job }) => {
      if (matches(job)) upsert(job, { prepend: true });
      else if (cards.has(id)) {
        cards.get(id).node.remove();
        cards.delete(id);
        showState();
      }
    })
    .catch(() => {})
    .finally(() => refreshing.delete(id));
  refreshing.set(id, p);
  return p;
}

const STEP_OF_PHASE = { 1: 'idea', 2: 'design', 3: 'plan', 4: 'build', 5: 'repair' };

function onEvent(e) {
  const ev = JSON.parse(e.data);
  const card = cards.get(ev.jobId);
  if (!card) {
    if (ev.kind === 'status') refreshJob(ev.jobId); // a job this page has not seen yet
    return;
  }
  const step = STEP_OF_PHASE[ev.phase];
  if (ev.kind === 'phase_start' && step) {
    card.steps.set(step, 'active');
    card.job.phase = ev.phase;
    if (card.job.status === 'queued') card.job.status = 'running';
  } else if (ev.kind === 'phase_end' && step) {
    card.steps.set(step, ev.data?.status === 'completed' ? 'done' : 'failed');
  } else if (ev.kind === 'status') {
    card.job.status = ev.data?.status ?? card.job.status;
    if (card.job.status === 'deploying') card.steps.set('deploy', 'active');
    if (['deployed', 'failed', 'recycled', 'cancelled', 'removed'].includes(card.job.status))
      return void refreshJob(ev.jobId);
  } else if (ev.kind === 'deployed' || ev.kind === 'done' || ev.kind === 'feedback') {
    return void refreshJob(ev.jobId);
  } else if (ev.kind === 'playtest') {
    if (ev.data?.score !== undefined) return void refreshJob(ev.jobId);
    card.steps.set('play-test', 'active');
  } else return;
  render(card);
}

function connect() {
  const events = new EventSource('/api/events');
  events.onopen = () => {
    $('live').textContent = 'live';
    $('live').classList.add('on');
    // The stream starts at its own connect (and again after a reconnect): a change between the page's
    // read and that moment comes as no event, so the cards shown are read again once it is open.
    for (const id of cards.keys()) refreshJob(id);
  };
  events.onerror = () => {
    $('live').textContent = 'reconnecting…';
    $('live').classList.remove('on');
  };
  for (const kind of ['status', 'phase_start', 'phase_end', 'deployed', 'playtest', 'done', 'feedback', 'cancel'])
    events.addEventListener(kind, onEvent);
}

// ---- actions ------------------------------------------------------------

function say(text, isError = false) {
  $('message').textContent = text;
  $('message').classList.toggle('error', isError);
}

async function generate(idea) {
  $('make').disabled = $('surprise').disabled = true;
  try {
    const body = { idea: idea || null, count: Number($('count').value) };
    if ($('genre').value) body.genre = $('genre').value;
    if ($('provider').value) body.provider = $('provider').value;
    const { jobIds } = await post('/api/generate', body);
    say(`started job(s) ${jobIds.join(', ')}`);
    $('idea').value = '';
    for (const id of jobIds) refreshJob(id);
  } catch (e) {
    say(e.message, true);
  } finally {
    $('make').disabled = $('surprise').disabled = false;
  }
}

async function cancel(id) {
  if (!window.confirm(`Stop job ${id}? Work in progress is lost.`)) return;
  try {
    await post(`/api/jobs/${id}/cancel`);
    say(`job ${id} cancelled`);
    refreshJob(id);
  } catch (e) {
    say(e.message, true);
  }
}

async function retry(id) {
  try {
    const { phase } = await post(`/api/jobs/${id}/retry`);
    say(`job ${id} runs again from phase ${phase}`);
    refreshJob(id);
  } catch (e) {
    say(e.message, true);
  }
}

async function putOnSlot(id) {
  try {
    await post(`/api/jobs/${id}/deploy`);
    say(`job ${id} is being put back on a slot (the least recently deployed game moves to the archive)`);
  } catch (e) {
    say(e.message, true);
  }
}

/** The agent/provider picker, shown only when the operator configured more than one provider. */
async function loadProviders() {
  try {
    const { providers } = await api('/api/providers');
    if (providers.length < 2) return;
    for (const p of providers) $('provider').append(el('option', { value: p.spec }, `${p.provider} · ${p.model}`));
    $('provider-field').hidden = false;
  } catch {
    // Without the list the form still works, on the operator's default agent.
  }
}

// ---- start --------------------------------------------------------------

takeTokenFromUrl();
$('token-slot').append(tokenBox());
for (const g of GENRES) {
  $('genre').append(el('option', { value: g }, g));
  $('filter-genre').append(el('option', { value: g }, g));
}
$('generate').addEventListener('submit', (e) => {
  e.preventDefault();
  generate($('idea').value.trim());
});
$('surprise').addEventListener('click', () => generate(''));
$('filters').addEventListener('change', () => loadPage(true));
$('more').addEventListener('click', () => loadPage(false));
connect();
loadPage(true);
loadProviders();
