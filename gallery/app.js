// The gallery: a grid of jobs (newest first, filtered and paged) where a made
// game shows its play-test screenshot, verdict and links, and a job in progress
// shows a per-phase progress bar that moves live from the event stream. An
// event updates its one card in place; only a job the page has never seen, or
// one that just settled, is fetched (that one job).
import { STEPS, age, api, el, post, takeTokenFromUrl, tokenBox } from './common.js';

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

/** The progress of each step from the job's row (events refine it live). */
function stepsFromJob(job) {
  const steps = new Map(STEPS.map((s) => [s, 'todo']));
  const phase = job.phase ?? 0;
  const built = ['deployed', 'recycled'].includes(job.status);
  for (let p = 1; p <= 4; p++) {
    const name = STEPS[p - 1];
    if (built || p < phase) steps.set(name, 'done');
    else if (p === phase)
      steps.set(name, job.status === 'failed' ? 'failed' : job.status === 'running' ? 'active' : 'done');
  }
  if (job.status === 'deploying') steps.set('deploy', 'active');
  if (built) steps.set('deploy', 'done');
  if (job.playtest) steps.set('play-test', job.playtest.passed ? 'done' : 'failed');
  if (phase === 5) steps.set('repair', job.status === 'failed' ? 'failed' : 'done');
  return steps;
}

function progressBar(card) {
  const done = [...card.steps.values()].filter((s) => s === 'done').length;
  return el(
    'ol',
    { className: 'steps', 'aria-label': `progress: ${done} of ${STEPS.length} steps done` },
    STEPS.map((s) => el('li', { className: `step ${card.steps.get(s)}`, title: `${s}: ${card.steps.get(s)}` }, s)),
  );
}

/** Passed/failed with the score; a failed game's reasons in its tooltip (as text); "repairing" while the repair loop runs. */
function verdict(job) {
  const p = job.playtest;
  if (!p) return null;
  const badge = el(
    'span',
    { className: `badge playtest ${p.passed ? 'ok' : 'bad'}`, title: (p.reasons ?? []).join('\n') },
    `${p.passed ? '✓ passed' : '✗ failed'} ${p.score}/100`,
  );
  if (p.loop !== 'repairing') return badge;
  return [
    badge,
    el('span', { className: 'muted repairing' }, `repairing after round ${p.rounds?.at(-1)?.round ?? p.round}`),
  ];
}

function render(card) {
  const { job } = card;
  const title = job.title ?? (job.idea ? job.idea.slice(0, 80) : 'surprise game');
  const playable = job.status === 'deployed' || job.status === 'recycled';
  const playUrl = job.status === 'deployed' ? job.url : job.archiveUrl;
  const thumb = job.playtest
    ? el('img', {
        className: 'thumb',
        src: `/api/jobs/${job.id}/artifacts/playtest.png`,
        alt: `screenshot of ${title}`,
        loading: 'lazy',
      })
    : el('div', { className: 'thumb empty', 'aria-hidden': 'true' }, playable ? 'no screenshot yet' : job.status);
  const node = el(
    'li',
    { className: `card status-${job.status}`, 'data-job': job.id },
    thumb,
    el('h2', { className: 'title' }, title),
    el(
      'p',
      { className: 'meta' },
      el('span', { className: 'status' }, job.status === 'recycled' ? 'archive' : job.status),
      job.gameGenre ? el('span', {}, job.gameGenre) : null,
      verdict(job),
      el('span', { className: 'muted' }, age(job.createdAt)),
    ),
    playable ? null : progressBar(card),
    job.error ? el('p', { className: 'error' }, job.error.slice(0, 300)) : null,
    el(
      'p',
      { className: 'actions' },
      playable && playUrl
        ? el('a', { href: playUrl, target: '_blank', rel: 'noopener', className: 'button' }, 'Play')
        : null,
      playable ? el('a', { href: `/jobs/${job.id}/how-to-play` }, 'How to play') : null,
      el('a', { href: `/jobs/${job.id}` }, 'Details'),
      job.status === 'recycled'
        ? el('button', { type: 'button', className: 'secondary', onclick: () => putOnSlot(job.id) }, 'Put on a slot')
        : null,
    ),
  );
  card.node?.replaceWith(node);
  card.node = node;
  return node;
}

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

async function putOnSlot(id) {
  try {
    await post(`/api/jobs/${id}/deploy`);
    say(`job ${id} is being put back on a slot (the least recently deployed game moves to the archive)`);
  } catch (e) {
    say(e.message, true);
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
