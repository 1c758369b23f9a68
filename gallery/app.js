// The minimal live gallery: lists games and jobs from the API and refreshes
// them when the server-sent event stream says something changed.
const $ = (id) => document.getElementById(id);

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c ?? '')));
  return node;
}

async function getJson(path) {
  const res = await fetch(path);
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return res.json();
}

/** Passed/failed beside the score; a failed game's reasons in its tooltip (as text); "repairing" while a repair runs. */
function playtestMark(p) {
  if (!p) return '';
  const mark = el(
    'span',
    { className: `playtest ${p.passed ? 'status-deployed' : 'status-failed'}`, title: (p.reasons ?? []).join('\n') },
    p.passed ? ' ✓ passed' : ' ✗ failed',
  );
  if (p.loop !== 'repairing') return mark;
  return el('span', {}, mark, ` · repairing after round ${p.rounds?.at(-1)?.round ?? p.round}`);
}

async function render() {
  const [{ games }, { jobs }] = await Promise.all([getJson('/api/games'), getJson('/api/jobs?limit=50')]);
  $('games').replaceChildren(
    ...(games.length
      ? games.map((g) =>
          el(
            'li',
            {},
            el('a', { href: g.url, target: '_blank', rel: 'noopener' }, g.title ?? `game ${g.id}`),
            el(
              'div',
              { className: 'muted' },
              [g.genre, `slot ${g.slot}`, g.playtest && `play-test ${g.playtest.score}/100`]
                .filter(Boolean)
                .join(' · '),
              playtestMark(g.playtest),
            ),
            el('div', {}, g.idea ?? ''),
          ),
        )
      : [el('li', { className: 'muted' }, 'No games yet: type an idea above.')]),
  );
  $('jobs').replaceChildren(
    ...jobs.map((j) =>
      el(
        'tr',
        {},
        el('td', {}, j.id),
        el('td', {}, j.title ?? j.idea ?? el('span', { className: 'muted' }, '(surprise)')),
        el(
          'td',
          { className: `status-${j.status}`, title: j.error ?? '' },
          j.status + (j.error ? `: ${j.error.slice(0, 120)}` : ''),
        ),
        el('td', {}, j.phaseName ?? ''),
        el(
          'td',
          {},
          j.url
            ? el('a', { href: j.url, target: '_blank' }, 'play')
            : el('a', { href: `/api/jobs/${j.id}/logs` }, 'log'),
        ),
      ),
    ),
  );
}

let pending = null;
function scheduleRender() {
  // Coalesce bursts of events into one refresh.
  if (pending !== null) return;
  pending = requestAnimationFrame(() => {
    pending = null;
    render().catch((e) => ($('message').textContent = e.message));
  });
}

const events = new EventSource('/api/events');
events.onopen = () => $('live').classList.add('on');
events.onerror = () => $('live').classList.remove('on');
for (const kind of ['status', 'phase_start', 'phase_end', 'deployed', 'playtest'])
  events.addEventListener(kind, scheduleRender);

$('generate').addEventListener('submit', async (e) => {
  e.preventDefault();
  const idea = $('idea').value.trim();
  const res = await fetch('/api/generate', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeader() },
    body: JSON.stringify({ idea: idea || null, count: Number($('count').value) }),
  });
  const body = await res.json();
  $('message').textContent = res.ok ? `started job(s) ${body.jobIds.join(', ')}` : body.error.message;
  if (res.ok) $('idea').value = '';
});

function authHeader() {
  // A login URL (/#token=…) stores the API token for remote use.
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    localStorage.setItem('gamepocgen-token', fromHash);
    history.replaceState(null, '', location.pathname);
  }
  const token = localStorage.getItem('gamepocgen-token');
  return token ? { authorization: `Bearer ${token}` } : {};
}

authHeader();
render().catch((e) => ($('message').textContent = e.message));
