// /health and /health/ready answer from one cached snapshot (lib/health.ts): a
// flood costs at most one query per TTL, a silent database is reported within
// the timeout, and a runner whose session ended is not counted.
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../functions/app.ts';
import { createPool, type Queryable } from '../lib/db.ts';
import { EventHub } from '../lib/events.ts';
import { createHealthMonitor } from '../lib/health.ts';
import { registerPresence } from '../lib/presence.ts';
import { createHarness, type Harness } from './helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({}, { runner: false });
});
afterAll(() => h?.close());

/** The service's real pool, counting the queries that reach it. */
function counting(db: Queryable) {
  const counter = {
    queries: 0,
    db: {
      query: (...args: unknown[]) => {
        counter.queries++;
        return (db.query as (...a: unknown[]) => unknown)(...args);
      },
    } as Queryable,
  };
  return counter;
}

describe('the health snapshot', () => {
  it('answers a flood with one query, and queries again once the TTL has passed', async () => {
    let clock = 1_000_000;
    const c = counting(h.service.db);
    const monitor = createHealthMonitor(c.db, { ttlMs: 1000, now: () => clock });
    const all = await Promise.all(Array.from({ length: 200 }, () => monitor.snapshot()));
    expect(c.queries).toBe(1);
    expect(new Set(all).size).toBe(1);
    expect(all[0]).toMatchObject({ db: 'ok', liveRunners: 0, queueDepth: 0 });
    clock += 999;
    await monitor.snapshot();
    expect(c.queries).toBe(1);
    clock += 1; // control: the TTL has passed
    await monitor.snapshot();
    expect(c.queries).toBe(2);
  });

  it('reports a database that accepts connections but never answers, within the timeout', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s)); // accepts, says nothing
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    const pool = createPool(`postgres://x:y@127.0.0.1:${port}/none`, 1);
    try {
      const snapshot = await createHealthMonitor(pool, { timeoutMs: 300 }).snapshot();
      expect(snapshot).toMatchObject({ db: 'unreachable', error: 'database did not answer within 300 ms' });
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
      await pool.end().catch(() => {});
    }
  });

  it('counts a live runner and not one whose Postgres session ended', async () => {
    const presence = await registerPresence(h.service.databaseUrl);
    // A runner that died: its row stays, its session is gone.
    const dead = new pg.Client({ connectionString: h.service.databaseUrl });
    await dead.connect();
    await dead.query(
      `insert into gamepocgen.worker_processes (id, hostname, pid, backend_pid, backend_start)
       select 'dead:1', 'gone', 1, pid, backend_start from pg_stat_activity where pid = pg_backend_pid()`,
    );
    await dead.end();
    try {
      const snapshot = await createHealthMonitor(h.service.db).snapshot();
      expect(snapshot).toMatchObject({ db: 'ok', liveRunners: 1 });
    } finally {
      await presence.stop();
      await h.service.db.query(`delete from gamepocgen.worker_processes where id = 'dead:1'`);
    }
  });
});

describe('GET /health/ready', () => {
  it('adds the browser and the time the figures were read', async () => {
    const res = await h.api('/health/ready');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ db: 'ok', workers: { live: 0 }, status: 'degraded', browser: 'off (PLAYTEST=off)' });
    expect(typeof body.queueDepth).toBe('number');
    expect(Date.parse(body.checkedAt as string)).not.toBeNaN();
  });

  it('answers 503 when the database is down', async () => {
    const deadDb = createPool('postgres://nobody:nothing@127.0.0.1:1/none', 1);
    const app = createApp({
      db: deadDb,
      config: h.config,
      events: new EventHub('postgres://127.0.0.1:1/none'),
      apiToken: 'x'.repeat(20),
      tokenConfigured: true,
      runtimeDescription: 'local',
      startedAt: new Date(),
    });
    const res = await app.request('/health/ready');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'error', db: 'unreachable' });
    await deadDb.end();
  });
});
