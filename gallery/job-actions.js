// The job page's actions: the buttons its status allows (play, cancel, retry,
// put on a slot, delete), the feedback history and the versions that can be
// restored. `act(label, fn, confirmText)` runs one and reports it.
import { age, api, el, post } from './common.js';

const $ = (id) => document.getElementById(id);

export function renderActions(job, act) {
  const { id, status: s } = job;
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

export async function renderFeedbackAndVersions(job, act) {
  const { id } = job;
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
