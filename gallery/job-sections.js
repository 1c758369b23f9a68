// The job page's read-only sections: the phase timeline with usage, what the
// agent wrote (markdown rendered safely), the play-test's checks and
// screenshot, and the compared providers. Each replaces its own element.
import { duration, el } from './common.js';
import { renderMarkdown } from './markdown.js';

const $ = (id) => document.getElementById(id);

export function renderTimeline(job) {
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

async function artifactText(id, path) {
  const res = await fetch(`/api/jobs/${id}/artifacts/${path}`);
  return res.ok ? res.text() : null;
}

export async function renderDocs(job) {
  const out = [];
  for (const [name, path] of [
    ['Idea', 'idea.md'],
    ['Design', 'design.md'],
    ['Plan', 'plan.md'],
  ]) {
    if (!job.artifacts.some((a) => a.path === path)) continue;
    const text = await artifactText(job.id, path);
    out.push(el('article', { 'data-doc': name.toLowerCase() }, el('h4', {}, name), renderMarkdown(text ?? '')));
  }
  $('docs').replaceChildren(...(out.length ? out : [el('p', { className: 'muted' }, 'Nothing written yet.')]));
}

export async function renderPlaytest(job) {
  const box = $('playtest');
  if (!job.artifacts.some((a) => a.path === 'playtest.json')) {
    box.replaceChildren(el('p', { className: 'muted' }, 'Not play-tested yet.'));
    return;
  }
  let result = null;
  try {
    result = JSON.parse((await artifactText(job.id, 'playtest.json')) ?? 'null');
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
          src: `/api/jobs/${job.id}/artifacts/playtest.png`,
          alt: 'the game after scripted play',
        })
      : null,
  );
}

export function renderCompare(job) {
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
