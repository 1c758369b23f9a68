// A gallery card: a made game shows its play-test screenshot, verdict and
// links; a job in progress shows a per-phase progress bar; every card offers
// the actions its status allows (cancel, retry, put on a slot).
import { STEPS, age, el } from './common.js';

/** The progress of each step from the job's row (events refine it live). */
export function stepsFromJob(job) {
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

/** Renders `card` (replacing its node); `actions` runs cancel / retry / putOnSlot for a job id. */
export function renderCard(card, actions) {
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
        ? el(
            'button',
            { type: 'button', className: 'secondary', onclick: () => actions.putOnSlot(job.id) },
            'Put on a slot',
          )
        : null,
      ['queued', 'running', 'deploying'].includes(job.status)
        ? el(
            'button',
            { type: 'button', className: 'secondary cancel', onclick: () => actions.cancel(job.id) },
            'Cancel',
          )
        : null,
      job.status === 'failed' || job.status === 'cancelled'
        ? el('button', { type: 'button', className: 'retry', onclick: () => actions.retry(job.id) }, 'Retry')
        : null,
    ),
  );
  card.node?.replaceWith(node);
  card.node = node;
  return node;
}
