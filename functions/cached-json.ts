// JSON responses that clients can re-fetch cheaply: a weak ETag from the body's
// hash, 304 Not Modified when If-None-Match carries it, and a Content-Length so
// hono/compress (applied to the large read routes) skips bodies under its threshold.
// `Vary: Accept-Encoding` is set here, with the body: when compress() has to add it
// after the handler, Hono rebuilds the response around a stream of its body, and an
// uncompressed answer is then written chunk by chunk (a fifth of a job read's CPU).
import { createHash } from 'node:crypto';
import type { Context } from 'hono';

export function cachedJson(c: Context, body: unknown): Response {
  return cachedJsonText(c, JSON.stringify(body));
}

/** The same for a body that is already JSON text (built by Postgres: lib/jobs/views.ts). */
export function cachedJsonText(c: Context, text: string): Response {
  const etag = `W/"${createHash('sha1').update(text).digest('base64url')}"`;
  if (matches(c.req.header('if-none-match'), etag)) return c.body(null, 304, { etag, vary: 'accept-encoding' });
  return c.body(text, 200, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    etag,
    vary: 'accept-encoding',
  });
}

/** If-None-Match compares weakly: any listed tag with the same opaque value, or `*`. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = etag.slice(2);
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || (tag.startsWith('W/') ? tag.slice(2) : tag) === opaque;
  });
}
