// Shared by the gallery pages: DOM building (text only: untrusted strings go
// through text nodes, never innerHTML), the API client with the token, and the
// pipeline's steps for progress bars.

/** Builds an element; string children become text nodes. Props are DOM properties (never innerHTML). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'innerHTML' || k === 'outerHTML') throw new Error('el(): markup properties are not allowed');
    if (k.startsWith('data-') || k.startsWith('aria-') || k === 'role' || k === 'for') node.setAttribute(k, String(v));
    else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else node[k] = v;
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

const TOKEN_KEY = 'gamepocgen-token';

/** A login URL (/#token=…) stores the API token for this browser. */
export function takeTokenFromUrl() {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    localStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
}
export const getToken = () => localStorage.getItem(TOKEN_KEY);
export function setToken(token) {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** fetch + JSON; errors in the API's shape become ApiError with a message a person can act on. */
export async function api(path, init = {}) {
  const token = getToken();
  // Every mutation is JSON, bodiless ones too: the server refuses a POST without it (415).
  const mutating = (init.method ?? 'GET') !== 'GET';
  const headers = { ...(init.body || mutating ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) };
  if (token) headers.authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(path, { ...init, headers });
  } catch (e) {
    throw new ApiError(0, 'network', `the server did not answer (${e.message}); is it running?`);
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const err = body?.error ?? {};
    let message = err.message ?? `${res.status} ${res.statusText}`;
    if (res.status === 401)
      message = `${message} — enter the API token under “API token” (it is printed when the server starts, and in .data/api-token)`;
    throw new ApiError(res.status, err.code ?? 'http_error', message);
  }
  return body;
}

export const post = (path, body) =>
  api(path, { method: 'POST', body: body === undefined ? '{}' : JSON.stringify(body) });

/** The steps a job's progress bar shows, in order. */
export const STEPS = ['idea', 'design', 'plan', 'build', 'deploy', 'play-test', 'repair'];

export function age(iso) {
  if (!iso) return '';
  const s = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 60) return `${Math.round(s)} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The token box shared by the pages: a details element with a labelled password field. */
export function tokenBox(onChange = () => {}) {
  const input = el('input', { type: 'password', id: 'token', autocomplete: 'off', placeholder: 'paste the API token' });
  const state = el('span', { className: 'muted', id: 'token-state' });
  const show = () =>
    (state.textContent = getToken()
      ? 'a token is saved in this browser'
      : 'no token saved: reading works, actions may be refused');
  show();
  const form = el(
    'form',
    {
      className: 'token-form',
      onsubmit: (e) => {
        e.preventDefault();
        setToken(input.value.trim());
        input.value = '';
        show();
        onChange();
      },
    },
    el('label', { for: 'token' }, 'API token'),
    input,
    el('button', { type: 'submit' }, 'Save'),
    el(
      'button',
      { type: 'button', className: 'secondary', onclick: () => (setToken(''), show(), onChange()) },
      'Forget',
    ),
    state,
  );
  return el('details', { className: 'token-box' }, el('summary', {}, 'API token'), form);
}
