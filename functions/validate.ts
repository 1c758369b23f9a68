// Request parsing shared by the route modules: JSON bodies (functions/guard.ts has
// already required `content-type: application/json` and functions/limits.ts the
// size), query strings, path ids and percent-encoded paths.
import type { Context } from 'hono';
import { z } from 'zod';
import { HttpError, validationError } from './errors.ts';
import { MAX_BODY_BYTES } from './limits.ts';

export async function jsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const text = await c.req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw tooLarge(Buffer.byteLength(text));
  let value: unknown = {};
  if (text.trim()) {
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new HttpError(400, 'invalid_json', `request body is not valid JSON: ${(e as Error).message}`);
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error, 'request body');
  return parsed.data;
}

function tooLarge(bytes: number) {
  return new HttpError(
    413,
    'payload_too_large',
    `request body is ${bytes} bytes; the limit is ${MAX_BODY_BYTES} bytes (an idea may be at most 10000 characters)`,
  );
}

export function query<T>(c: Context, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw validationError(parsed.error, 'query string');
  return parsed.data;
}

const Id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export function pathId(c: Context, name = 'id'): number {
  const raw = c.req.param(name) ?? '';
  const parsed = /^\d+$/.test(raw) ? Id.safeParse(raw) : null;
  if (!parsed?.success)
    throw new HttpError(400, 'invalid_id', `"${raw.slice(0, 40)}" is not a job id (expected a positive integer)`);
  return parsed.data;
}

/** Percent-decodes a URL path; malformed escapes, NUL and control characters are the caller's fault, not ours. */
export function decodePath(raw: string): { ok: true; path: string } | { ok: false; message: string } {
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return { ok: false, message: 'the path has malformed percent-encoding (e.g. "%E0%A4" or "%zz")' };
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(path)) return { ok: false, message: 'the path contains control characters' };
  return { ok: true, path };
}
