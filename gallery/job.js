// The job page: what the agent wrote (markdown rendered safely), the phase
// timeline, the play-test's checks and screenshot, usage, the live log, and
// the actions — feedback, cancel, retry, delete, put on a slot, restore.
import { ApiError, age, api, duration, el, post, takeTokenFromUrl, tokenBox } from './common.js';
import { renderMarkdown } from './markdown.js';

const $ = (id) => document.getElementById(id);
const id = Number(location.pathname.split('/')[2]);
let job = null;

function say(text, isError = false) {
  $('message').textContent = text;
  $('message').classList.toggle('error', isError);
}

async function act(label, fn, confirmText) {
  if (confirmText && !window.confirm(confirmText)) return;
  try {
    await fn();
    say(`${label}: done`);
    followLog(); // the job has something to do again
    await load();
  } catch (e) {
    say(`${label} refused: ${e.message}`, true);
  }
}

function actions() {
  const s = job.status;
  const out = [];
  if (s === 'deployed' && job.url)
    out.push(el('a', { className: 'button', href: job.url, target: '_blank', rel: 'noopener' }, 'Play'));
  if (s === 'recycled')
    out.push(
      el('a', { className: 'button', href: job.archiveUrl, target: '_blank', rel: 'noopener' }, 'Play (archive)'),
    );
  if (s === 'deployed' || s === 'recycled') out.push(el('a', { href: `/jobs/${id}/how-to-play` }, 'How to play'));
  if (['queued', 'running', 'deploying', 'deployed'].includes(s))
    out.push(
      el(
        'button',
        {
          type: 'button',
          className: 'secondary',
          id: 'cancel',
          onclick: () =>
            act('Cancel', () => post(`/api/jobs/${id}/cancel`), `Stop job ${id}? Work in progress is lost.`),
        },
        'Cancel',
      ),
    );
  if (s === 'failed' || s === 'cancelled')
    out.push(
      el(
        'button',
        { type: 'button', id: 'retry', onclick: () => act('Retry', () => post(`/api/jobs/${id}/retry`)) },
        'Retry',
      ),
    );
  if (s === 'recycled')
    out.push(
      el(
        'button',
        { type: 'button', onclick: () => act('Put on a slot', () => post(`/api/jobs/${id}/deploy`)) },
        'Put on a slot',
      ),
    );
  if (s === 'deployed')
    out.push(
      el(
        'button',
        {
          type: 'button',
          className: 'danger',
          id: 'delete',
          onclick: () =>
            act(
              'Delete',
              () => api(`/api/games/${id}`, { method: 'DELETE' }),
              `Delete game ${id}? Its slot is freed and it leaves the gallery.`,
            ),
        },
        'Delete',
      ),
    );
  $('actions').replaceChildren(...out);
}

function timeline() {
  $('timeline').replaceChildren(
    ...job.phases.map((p) =>
      el(
        'li',
        {},
        el('strong', {}, `${p.phase}. ${p.name}`),
        el('span', {}, p.status),
        el('span', { className: 'muted' }, duration(p.durationMs)),
        p.error ? el('span', { className: 'error' }, p.error) : null,
      ),
    ),
  );
  const u = job.usage ?? {};
  const parts = [];
  if (u.inputTokens || u.outputTokens) parts.push(`tokens: ${u.inputTokens ?? 0} in, ${u.outputTokens ?? 0} out`);
  if (u.costUsd) parts.push(`cost: $${Number(u.costUsd).toFixed(4)}`);
  $('usage').textContent = parts.join(' · ') || 'no token usage recorded (the builtin agent uses none)';
}

async function artifactText(path) {
  const res = await fetch(`/api/jobs/${id}/artifacts/${path}`);
  return res.ok ? res.text() : null;
}

async function docs() {
  const out = [];
  for (const [name, path] of [
    ['Idea', 'idea.md'],
    ['Design', 'design.md'],
    ['Plan', 'plan.md'],
  ]) {
    if (!job.artifacts.some((a) => a.path === path)) continue;
    const text = await artifactText(path);
    out.push(el('article', { 'data-doc': name.toLowerCase() }, el('h4', {}, name), renderMarkdown(text ?? '')));
  }
  $('docs').replaceChildren(...(out.length ? out : [el('p', { className: 'muted' }, 'Nothing written yet.')]));
}

async function playtest() {
  const box = $('playtest');
  if (!job.artifacts.some((a) => a.path === 'playtest.json')) {
    box.replaceChildren(el('p', { className: 'muted' }, 'Not play-tested yet.'));
    return;
  }
  let result = null;
  try {
    result = JSON.parse((await artifactText('playtest.json')) ?? 'null');
  } catch {}
  const rows = (result?.checks ?? []).map((c) =>
    el('tr', {}, el('td', {}, c.passed ? '✓' : '✗'), el('td', {}, c.id), el('td', {}, c.message ?? c.label ?? '')),
  );
  box.replaceChildren(
    el(
      'p',
      {},
      result
        ? `round ${result.round}: ${result.passed ? 'passed' : 'failed'}, score ${result.score}/100`
        : 'unreadable result',
    ),
    el(
      'table',
      {},
      el('thead', {}, el('tr', {}, el('th', {}, ''), el('th', {}, 'check'), el('th', {}, 'evidence'))),
      el('tbody', {}, rows),
    ),
    job.artifacts.some((a) => a.path === 'playtest.png')
      ? el('img', {
          className: 'shot',
          src: `/api/jobs/${id}/artifacts/playtest.png`,
          alt: 'the game after scripted play',
        })
      : null,
  );
}

async function feedbackAndVersions() {
  const [{ feedback }, { versions }] = await Promise.all([
    api(`/api/jobs/${id}/feedback`),
    api(`/api/jobs/${id}/versions`),
  ]);
  $('feedback-history').replaceChildren(
    ...feedback.map((f) =>
      el(
        'li',
        { 'data-feedback': f.id },
        el('strong', {}, `#${f.id} ${f.status.replace('_', ' ')}`),
        ' ',
        el('span', { className: 'muted' }, age(f.createdAt)),
        el('p', {}, f.feedback),
        f.outcome ? el('p', { className: f.status === 'kept' ? 'muted' : 'error' }, f.outcome) : null,
      ),
    ),
  );
  $('versions').replaceChildren(
    ...(versions.length
      ? versions.map((v) =>
          el(
            'li',
            {},
            `${v.label} (${v.files} files) `,
            el(
              'button',
              {
                type: 'button',
                className: 'secondary',
                onclick: () =>
                  act(
                    `Restore ${v.label}`,
                    () => post(`/api/jobs/${id}/versions/${v.label}/restore`),
                    `Restore version ${v.label}? The current version is kept as a version too.`,
                  ),
              },
              'Restore',
            ),
          ),
        )
      : [el('li', { className: 'muted' }, 'Only the current version so far.')]),
  );
  $('feedback-form').hidden = job.status !== 'deployed';
}

function compare() {
  if (!job.comparison?.length) return;
  $('compare-section').hidden = false;
  $('compare').replaceChildren(
    el('tr', {}, el('th', {}, 'job'), el('th', {}, 'provider'), el('th', {}, 'status'), el('th', {}, 'score')),
    ...job.comparison.map((c) =>
      el(
        'tr',
        {},
        el('td', {}, el('a', { href: `/jobs/${c.id}` }, String(c.id))),
        el('td', {}, c.provider ?? ''),
        el('td', {}, c.status ?? ''),
        el('td', {}, c.playtest?.score ?? c.score ?? ''),
      ),
    ),
  );
}

async function load() {
  try {
    ({ job } = await api(`/api/jobs/${id}`));
  } catch (e) {
    $('state').textContent =
      e instanceof ApiError && e.status === 404 ? `There is no job ${id}.` : `Could not load job ${id}: ${e.message}`;
    return;
  }
  document.title = `${job.title ?? `Job ${id}`} — GamePocGen`;
  $('state').hidden = true;
  $('job').hidden = false;
  $('title').textContent = job.title ?? `Job ${id}`;
  $('summary').replaceChildren(
    el('span', { className: 'status' }, job.status === 'recycled' ? 'archive' : job.status),
    job.gameGenre ? el('span', {}, job.gameGenre) : null,
    job.playtest
      ? el(
          'span',
          { className: `badge ${job.playtest.passed ? 'ok' : 'bad'}` },
          `${job.playtest.passed ? 'passed' : 'failed'} ${job.playtest.score}/100`,
        )
      : null,
    el('span', { className: 'muted' }, `#${job.id} · ${age(job.createdAt)}`),
  );
  $('idea').textContent = job.idea ? `Idea: ${job.idea}` : 'Idea: (surprise)';
  if (job.error) $('idea').append(el('span', { className: 'error' }, ` — ${job.error}`));
  actions();
  timeline();
  compare();
  await Promise.all([docs(), playtest(), feedbackAndVersions()]);
}

let reloadTimer = null;
function scheduleLoad() {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(load, 150);
}

let source = null;
let lastEventId = 0;
/** Follows the job's log; the server ends the stream when the job settles, and an action reopens it. */
function followLog() {
  if (source) return;
  source = new EventSource(`/api/jobs/${id}/logs?follow=1&after=${lastEventId}`);
  source.onopen = () => ($('live').textContent = 'live');
  source.onerror = () => ($('live').textContent = 'reconnecting…');
  const append = (e) => {
    const ev = JSON.parse(e.data);
    if (ev.id <= lastEventId) return;
    lastEventId = ev.id;
    const line = `${new Date(ev.at).toLocaleTimeString()} ${ev.kind}${ev.phase ? ` [${ev.phase}]` : ''} ${ev.message}\n`;
    $('log').append(document.createTextNode(line));
    if ($('follow').checked) $('log').scrollTop = $('log').scrollHeight;
    if (['status', 'phase_end', 'deployed', 'playtest', 'feedback', 'done', 'cancel'].includes(ev.kind)) scheduleLoad();
  };
  for (const kind of [
    'status',
    'phase_start',
    'phase_end',
    'log',
    'tool',
    'assistant',
    'usage',
    'error',
    'deployed',
    'playtest',
    'feedback',
    'done',
    'cancel',
  ])
    source.addEventListener(kind, append);
  source.addEventListener('end', () => {
    source.close();
    source = null;
    $('live').textContent = 'finished';
  });
}

takeTokenFromUrl();
$('token-slot').append(tokenBox());
$('feedback-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = $('feedback').value.trim();
  if (!text) return say('Say what to change first.', true);
  await act('Feedback', async () => {
    await post(`/api/jobs/${id}/feedback`, { feedback: text });
    $('feedback').value = '';
  });
});
if (!Number.isSafeInteger(id) || id <= 0) $('state').textContent = 'This is not a job address.';
else {
  load();
  followLog();
}
