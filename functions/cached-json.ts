// JSON responses that clients can re-fetch cheaply: a weak ETag from the body's
// hash (or from a version of the data, which answers a 304 without building the
// body), 304 Not Modified when If-None-Match carries it, and a Content-Length so
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
  return taggedJson(c, text, bodyTag(text));
}

/** The weak ETag cachedJsonText gives `text`: its hash (the view cache keeps it with a list page). */
export const bodyTag = (text: string) => `W/"${createHash('sha1').update(text).digest('base64url')}"`;

/** `text` (or its UTF-8 bytes) tagged `etag`, or a 304 when If-None-Match holds the tag. */
export function taggedJson(c: Context, text: string | Uint8Array, etag: string): Response {
  if (matches(c.req.header('if-none-match'), etag)) return notModified(c, etag);
  return jsonWithTag(c, text, etag);
}

/**
 * Tags from a version instead of the body's hash, so a 304 needs only the version (GET /api/jobs/:id:
 * lib/jobs/views.ts): W/"<format>.<version>", where `format` names how the body is built from the data.
 */
export const versionTag = (format: string, version: string) => `W/"${format}.${version}"`;

/** The versions an If-None-Match header holds for this format (a tag of another format never matches), or '*'. */
export function heldVersions(header: string | undefined, format: string): string[] {
  if (!header) return [];
  const prefix = `"${format}.`;
  const held: string[] = [];
  for (const t of header.split(',', 32)) {
    const tag = t.trim();
    const opaque = tag.startsWith('W/') ? tag.slice(2) : tag;
    if (tag === '*') held.push('*');
    else if (opaque.startsWith(prefix) && opaque.endsWith('"') && opaque.length > prefix.length + 1)
      held.push(opaque.slice(prefix.length, -1));
  }
  return held;
}

export const notModified = (c: Context, etag: string): Response => c.body(null, 304, { etag, vary: 'accept-encoding' });

export function jsonWithTag(c: Context, text: string | Uint8Array, etag: string): Response {
  return c.body(text as string, 200, {
    'content-type': 'application/json',
    'content-length': String(typeof text === 'string' ? Buffer.byteLength(text) : text.byteLength),
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
