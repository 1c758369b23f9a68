// `gamepocgen health --runner` (the worker container's healthcheck) asks Postgres whether a
// runner process of this host is alive: true while one is registered, false once it stopped,
// and false (with the reason) when the database is unreachable.
import os from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPool, type Db } from '../lib/db.ts';
import { registerPresence } from '../lib/presence.ts';
import { liveRunnersOn, runnerHealth } from '../lib/runner-health.ts';
import { createTestDatabase } from './helpers/db.ts';

let db: Db;
let url: string;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ url, drop } = await createTestDatabase());
  db = createPool(url, 2);
});
afterAll(async () => {
  await db?.end();
  await drop?.();
});

it('is healthy only while a runner of this host is registered and alive', async () => {
  expect(await runnerHealth(url)).toMatchObject({ ok: false, message: expect.stringContaining('no live runner') });
  const presence = await registerPresence(url);
  try {
    expect(await liveRunnersOn(db, os.hostname())).toBe(1);
    expect(await liveRunnersOn(db, 'another-host')).toBe(0);
    expect(await runnerHealth(url)).toMatchObject({ ok: true });
  } finally {
    await presence.stop();
  }
  expect((await runnerHealth(url)).ok).toBe(false);
});

it('reports an unreachable database as unhealthy, with the reason', async () => {
  const bad = await runnerHealth('postgres://nobody:x@127.0.0.1:1/none');
  expect(bad.ok).toBe(false);
  expect(bad.message).toMatch(/database unreachable/);
  expect((await runnerHealth(undefined)).message).toMatch(/DATABASE_URL is not set/);
});
