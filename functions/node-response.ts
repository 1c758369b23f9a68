// Response headers that are the same whatever a route answers (security headers, the request id), added
// without touching the route's Response. Under Node (@hono/node-server passes the Node response as
// `c.env.outgoing`) they go on the Node response before the route runs: Node's writeHead merges them with
// the route's own headers, the route's winning, and the route's Response keeps the plain header object the
// adapter writes as it is. Building a fetch Headers object instead (Hono does, for c.header() and for
// middleware that edits c.res.headers) cost a tenth of a request's CPU. In-process (app.request() in tests)
// there is no Node response: the headers are added to the route's Response after it, unless it has them.
import { ServerResponse } from 'node:http';
import type { Context } from 'hono';

export type HeaderList = readonly (readonly [name: string, value: string])[];

/** The Node response under this request, or null (in-process, or its head is already written). */
export function nodeResponse(c: Context): ServerResponse | null {
  const out = (c.env as { outgoing?: unknown } | undefined)?.outgoing;
  return out instanceof ServerResponse && !out.headersSent ? out : null;
}

/** Puts `headers` on the Node response, under any the route sets itself; false when there is no Node response. */
export function setUnderRoute(c: Context, headers: HeaderList): boolean {
  const node = nodeResponse(c);
  if (!node) return false;
  for (const [name, value] of headers) node.setHeader(name, value);
  return true;
}

/** The in-process equivalent, once the route has answered: each header its response does not already have. */
export function addMissing(c: Context, headers: HeaderList): void {
  const res = c.res.headers;
  for (const [name, value] of headers) if (!res.has(name)) res.set(name, value);
}
