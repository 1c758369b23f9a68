// The floor under GET /health on this machine, measured in the same run: two
// servers that answer every request with the /health response the API just gave
// (the same status, body and headers, fixed: nothing is computed per request,
// not even the request id), one on bare node:http and one a bare Hono app on
// @hono/node-server. They run in the bench's process, like the API, so CPU per
// request is counted the same way; autocannon shares the machine's cores with
// them, so on a small machine their req/s is the ceiling any /health can reach.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/** A response to replay: status, body and the headers that are not per-connection. */
export interface CapturedResponse {
  status: number;
  body: string;
  headers: [string, string][];
}

/** Headers Node writes itself for each response (framing, date); the floors leave them to Node too. */
const PER_CONNECTION = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

export async function captureResponse(url: string): Promise<CapturedResponse> {
  const res = await fetch(url);
  const body = await res.text();
  const headers = [...res.headers].filter(([name]) => !PER_CONNECTION.has(name));
  return { status: res.status, body, headers };
}

export interface FloorServer {
  url: string;
  close(): Promise<void>;
}

/** A bare node:http server answering every request with `r`. */
export function nodeHttpFloor(r: CapturedResponse): Promise<FloorServer> {
  const flat = r.headers.flat();
  const server = createServer((_req, res) => {
    res.writeHead(r.status, flat);
    res.end(r.body);
  });
  return listening(server);
}

/** A bare Hono app on @hono/node-server answering GET /health with `r` (no middleware). */
export function honoFloor(r: CapturedResponse): Promise<FloorServer> {
  const app = new Hono();
  const headers = Object.fromEntries(r.headers);
  app.get('/health', (c) => c.body(r.body, r.status as 200, headers));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  return listening(server, true);
}

function listening(server: Server, started = false): Promise<FloorServer> {
  return new Promise((resolve, reject) => {
    const ready = () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/health`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    };
    server.once('error', reject);
    if (started) server.listening ? ready() : server.once('listening', ready);
    else server.listen(0, '127.0.0.1', ready);
  });
}
