// The job page: what the agent wrote (markdown rendered safely), the phase
// timeline, the play-test's checks and screenshot, usage, the live log, and
// the actions — feedback, cancel, retry, delete, put on a slot, restore.
// The sections live in job-sections.js, the actions in job-actions.js and the
// log in job-log.js; this file loads the job and wires them together.
import { ApiError, age, api, el, post, takeTokenFromUrl, tokenBox } from './common.js';
import { renderActions, renderFeedbackAndVersions } from './job-actions.js';
import { createLogFollower } from './job-log.js';
import { renderCompare, renderDocs, renderPlaytest, renderTimeline } from './job-sections.js';

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
  renderActions(job, act);
  renderTimeline(job);
  renderCompare(job);
  await Promise.all([renderDocs(job), renderPlaytest(job), renderFeedbackAndVersions(job, act)]);
}

let reloadTimer = null;
function scheduleLoad() {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(load, 150);
}
const followLog = createLogFollower(id, scheduleLoad);

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
