// How a generated game is served, whatever serves it (the local slot routes in functions/play.ts,
// the docker deployer's Traefik labels, the test and bench servers): the CSP and the content types.
// Generated games are untrusted: the CSP forbids every network request and inline script.

export const GAME_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'none'; worker-src 'self' blob:; form-action 'none'; base-uri 'none'";

/** Content types for served game files and artifacts. */
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  ico: 'image/x-icon',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  woff2: 'font/woff2',
};

/** `asText` serves markup as plain text (artifact downloads must never render as pages of our origin). */
export function contentTypeFor(path: string, asText = false): string {
  const ext = path.split('.').pop()?.toLowerCase() ?? '';
  const type = TYPES[ext] ?? 'application/octet-stream';
  if (asText && /^(text\/html|text\/javascript|image\/svg)/.test(type)) return 'text/plain; charset=utf-8';
  return type;
}
