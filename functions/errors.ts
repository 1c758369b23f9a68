// One JSON error shape for every failure: { error: { code, message, details } }.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { describeZodError, zodIssues } from '../lib/artifacts.ts';

export class HttpError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly details: unknown;
  constructor(status: ContentfulStatusCode, code: string, message: string, details: unknown = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  details: unknown = null,
) {
  return c.json({ error: { code, message, details } }, status);
}

export function validationError(error: z.ZodError, what: string): HttpError {
  return new HttpError(400, 'invalid_request', `invalid ${what}: ${describeZodError(error, '')}`, zodIssues(error));
}
