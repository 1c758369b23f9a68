// Request lines are written through a child of the app's logger without its redaction by field name
// (functions/request-log.ts: requestLineLogger), which can't match the six fields a request line has:
// the lines are the same as the root logger writes, and secret values are still replaced.
import { Hono } from 'hono';
import { expect, it } from 'vitest';
import { logRequest, requestLineLogger, requestLog } from '../functions/request-log.ts';
import { createLogger, memoryDestination } from '../lib/log.ts';

const SECRET = 'sk-test-secret-value-0042';
const withoutTime = (line: string) => line.replace(/"time":\d+,/, '');

function logger() {
  const dest = memoryDestination();
  return { dest, log: createLogger({ destination: dest, secrets: [SECRET], level: 'debug' }) };
}

it('writes the line the root logger writes, secret values replaced', () => {
  const { dest, log } = logger();
  const lines = requestLineLogger(log);
  for (const r of [
    { reqId: 'abc', method: 'GET', path: '/api/jobs', route: '/api/jobs', status: 200, seconds: 0.002 },
    { reqId: 'def', method: 'POST', path: `/api/${SECRET}`, route: 'unmatched', status: 404, seconds: 0 },
    { reqId: 'ghi', method: 'GET', path: '/boom\n{"forged":1}', route: '/boom', status: 500, seconds: 1 },
    { reqId: undefined, method: 'GET', path: '/health', route: '/health', status: 200, seconds: 0 },
  ]) {
    dest.lines.length = 0;
    logRequest(log, r);
    logRequest(lines, r);
    expect(dest.lines).toHaveLength(2);
    expect(withoutTime(dest.lines[1]!)).toBe(withoutTime(dest.lines[0]!));
    const line = JSON.parse(dest.lines[1]!);
    expect(Object.keys(line).sort()).toEqual(
      ['level', 'time', 'pid', 'method', 'path', 'route', 'status', 'ms', 'msg', ...(r.reqId ? ['reqId'] : [])].sort(),
    );
    expect(dest.lines[1]).not.toContain(SECRET);
  }
  // The control: a secret value in a path really is there to replace.
  expect(dest.lines.join('\n')).not.toContain('[redacted]');
  dest.lines.length = 0;
  logRequest(lines, { reqId: 'x', method: 'GET', path: `/a/${SECRET}`, route: 'unmatched', status: 404, seconds: 0 });
  expect(JSON.parse(dest.lines[0]!).path).toBe('/a/[redacted]');
  // What the child leaves out is redaction by field name only (which a request line never needs).
  dest.lines.length = 0;
  log.info({ token: 'abc123' }, 'x');
  lines.info({ token: 'abc123' }, 'x');
  expect(JSON.parse(dest.lines[0]!).token).toBe('[redacted]');
  expect(JSON.parse(dest.lines[1]!).token).toBe('abc123');
});

it('logs each request with its id, path without query, and no secret', async () => {
  const { dest, log } = logger();
  const app = new Hono();
  app.use('*', requestLog(log, null));
  app.get('/api/:x', (c) => c.text('ok'));
  const res = await app.request(`/api/${SECRET}?access_token=${SECRET}`, { headers: { 'x-request-id': 'req-1' } });
  expect(res.headers.get('x-request-id')).toBe('req-1');
  const line = JSON.parse(dest.lines.at(-1)!);
  expect(line).toMatchObject({ reqId: 'req-1', method: 'GET', path: '/api/[redacted]', route: '/api/:x', status: 200 });
  expect(dest.lines.join('\n')).not.toContain(SECRET);
});
