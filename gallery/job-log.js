// The job page's live log: follows the job's event stream (the server ends it
// when the job settles; an action reopens it) and calls `onChange` for the
// events that change what the page shows.
const $ = (id) => document.getElementById(id);

const KINDS = [
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
];
const CHANGES = new Set(['status', 'phase_end', 'deployed', 'playtest', 'feedback', 'done', 'cancel']);

/** Returns follow(): opens the stream unless it is open. */
export function createLogFollower(id, onChange) {
  let source = null;
  let lastEventId = 0;
  return function follow() {
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
      if (CHANGES.has(ev.kind)) onChange();
    };
    for (const kind of KINDS) source.addEventListener(kind, append);
    source.addEventListener('end', () => {
      source.close();
      source = null;
      $('live').textContent = 'finished';
    });
  };
}
