// HTTP requests with full control over Host, path bytes and body framing (fetch
// normalises paths and can't set Host), and checks of the documented error shape.
import http from 'node:http';
import net from 'node:net';
import type { Readable } from 'node:stream';
import { expect } from 'vitest';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  method?: string;
  path: string;
  host?: string;
  headers?: Record<string, string>;
  /** A string or buffer (content-length) or a stream (chunked). */
  body?: string | Buffer | Readable;
  agent?: http.Agent;
}

export function rawRequest(port: number, req: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: req.host ?? `localhost:${port}`, ...req.headers };
    const r = http.request(
      { host: '127.0.0.1', port, method: req.method ?? 'GET', path: req.path, headers, agent: req.agent },
      (res) => {
        // Event streams never end by themselves: the headers are the answer.
        if (String(res.headers['content-type']).startsWith('text/event-stream')) {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
          res.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    const body = req.body;
    if (body === undefined) r.end();
    else if (typeof body === 'string' || Buffer.isBuffer(body)) r.end(body);
    else {
      body.on('error', () => r.destroy());
      body.pipe(r);
    }
  });
}

/** Sends raw bytes on a fresh connection and returns whatever the server answers before closing. */
export function rawBytes(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

/** Whether a body is the documented error shape: {"error": {"code", "message", "details"}}. */
export function isErrorShape(body: string): boolean {
  try {
    const e = (JSON.parse(body) as { error?: Record<string, unknown> }).error;
    return (
      !!e && typeof e.code === 'string' && /^[a-z_]+$/.test(e.code) && typeof e.message === 'string' && 'details' in e
    );
  } catch {
    return false;
  }
}

export function expectErrorShape(res: RawResponse, status: number, code?: string) {
  expect({ status: res.status, body: res.body.slice(0, 300) }).toMatchObject({ status });
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
  expect(isErrorShape(res.body), res.body.slice(0, 300)).toBe(true);
  if (code) expect((JSON.parse(res.body) as { error: { code: string } }).error.code).toBe(code);
}
