// The view cache (lib/jobs/view-cache.ts) on a real database and a real EventHub LISTEN connection:
// a hit costs no query, a change is seen once its notification was applied (sync()), a read that began
// before a change does not keep what it read, a lost LISTEN connection empties and bypasses the cache
// until it is back, and the LRU bounds hold. Which writes notify is test/job-etag.test.ts's job (every
// write kind, READ_CACHE=on); the API's side is test/view-cache-api.test.ts.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveArtifacts } from '../lib/artifact-store.ts';
import { createPool, type Db, type Queryable } from '../lib/db.ts';
import { EventHub } from '../lib/events.ts';
import { markIdeaDone } from '../lib/jobs/lifecycle.ts';
import { createJob } from '../lib/jobs/repository.ts';
import {
  DEFAULT_LIMITS,
  listKey,
  VIEWS_CHANNEL,
  type View,
  ViewCache,
  type ViewCacheLimits,
  viewOf,
} from '../lib/jobs/view-cache.ts';
import { jobDetailJson, jobListJson } from '../lib/jobs/views.ts';
import { createTestDatabase } from './helpers/db.ts';

const archive = { prefix: 'http://game-', suffix: '.localhost/' };
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Db;
let hub: EventHub;
let ids: number[];
let gate: Awaited<ReturnType<typeof connectionGate>>;

/**
 * A TCP relay to Postgres for the hub's connection, which the test can close to new connections: the
 * hub's reconnect then fails (and retries) until the test has seen what it wanted of the cache while down.
 */
async function connectionGate(target: URL) {
  let open = true;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!open) return client.destroy();
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(a);
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        sockets.delete(a);
        b.destroy();
      });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    set open(v: boolean) {
      open = v;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url, 4);
  gate = await connectionGate(new URL(database.url));
  hub = new EventHub(gate.url);
  await hub.start();
  ids = [];
  for (let i = 0; i < 5; i++) ids.push(await createJob(pool, { idea: `job ${i}`, genre: null, seed: i }));
});
afterAll(async () => {
  await hub?.stop();
  await gate?.close();
  await pool?.end();
  await database?.drop();
});

/** The pool, counting the queries sent through it (no query may be sent for a hit). */
function counted(): { db: Queryable; n: () => number } {
  let n = 0;
  const db = {
    query: (...args: Parameters<Db['query']>) => {
      n++;
      return (pool.query as (...a: unknown[]) => unknown)(...args);
    },
  } as Queryable;
  return { db, n: () => n };
}

/** A cache listening on its own channel listener, with promises for its next up() and down(). */
let listening = false;
async function cacheOnHub(limits?: ViewCacheLimits) {
  const cache = new ViewCache(pool, limits);
  let onUp = () => {};
  let onDown = () => {};
  // One listener per channel on a hub: each test's cache takes the forwarding in turn.
  forward.cache = cache;
  forward.up = () => onUp();
  forward.down = () => onDown();
  if (!listening) {
    listening = true;
    await hub.listen(VIEWS_CHANNEL, {
      notify: (p) => forward.cache!.notify(p),
      up: () => {
        forward.cache!.up();
        forward.up();
      },
      down: () => {
        forward.cache!.down();
        forward.down();
      },
    });
  } else cache.up();
  return {
    cache,
    nextUp: () => new Promise<void>((r) => (onUp = r)),
    nextDown: () => new Promise<void>((r) => (onDown = r)),
  };
}
const forward: { cache?: ViewCache; up: () => void; down: () => void } = { up() {}, down() {} };

const detail = (db: Queryable, id: number) => async () => {
  const d = await jobDetailJson(db, id, archive);
  return d && viewOf(d.json, d.version);
};
/** A kept view's JSON text. */
const text = (v: View | null) => Buffer.from(v!.body).toString('utf8');

describe('view cache', () => {
  it('answers a repeated read from memory, with no query, until the job changes', async () => {
    const { cache } = await cacheOnHub();
    const { db, n } = counted();
    const first = await cache.job(ids[0]!, detail(db, ids[0]!));
    expect(n()).toBe(1);
    const again = await cache.job(ids[0]!, detail(db, ids[0]!));
    expect(n(), 'a hit sends no query').toBe(1);
    expect(again).toBe(first);
    const list = () =>
      cache.list(listKey({ limit: 50 }), async () => viewOf(await jobListJson(db, { limit: 50 }, archive), 'v'));
    const page = await list();
    expect(await list()).toBe(page);
    expect(n()).toBe(2);
    expect(cache.stats().job).toMatchObject({ hit: 1, miss: 1 });

    // Control: a change, once its notification is applied, is a miss with the new view.
    await markIdeaDone(pool, ids[0]!, 'Renamed');
    await cache.sync();
    const changed = await cache.job(ids[0]!, detail(db, ids[0]!));
    expect(n()).toBe(3);
    expect(text(changed)).toContain('"title":"Renamed"');
    expect(changed!.version).not.toBe(first!.version);
    expect(text(await list())).toContain('"title":"Renamed"');
    // Another job's artifacts drop that job's view only; the list (jobs columns) stays.
    const other = await cache.job(ids[1]!, detail(db, ids[1]!));
    const before = n();
    await saveArtifacts(pool, ids[1]!, 1, new Map([['idea.json', Buffer.from('{}')]]));
    await cache.sync();
    await cache.job(ids[0]!, detail(db, ids[0]!));
    await list();
    expect(n(), 'unrelated view and the list still kept').toBe(before);
    expect(text(await cache.job(ids[1]!, detail(db, ids[1]!)))).not.toBe(text(other));
    // Concurrent misses of one key share one query; a missing job is not kept.
    await markIdeaDone(pool, ids[2]!, 'Shared');
    await cache.sync();
    const k = n();
    const [a, b] = await Promise.all([
      cache.job(ids[2]!, detail(db, ids[2]!)),
      cache.job(ids[2]!, detail(db, ids[2]!)),
    ]);
    expect(a).toBe(b);
    expect(n()).toBe(k + 1);
    expect(await cache.job(987654, detail(db, 987654))).toBeNull();
    expect(await cache.job(987654, detail(db, 987654))).toBeNull();
    expect(n(), 'a missing job is asked again').toBe(k + 3);
  });

  it('does not keep a view read before a change whose notification came while it was in flight', async () => {
    const { cache } = await cacheOnHub();
    const { db, n } = counted();
    const id = ids[3]!;
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    let read = () => {};
    const wasRead = new Promise<void>((r) => (read = r));
    // The miss's query has answered (the old view), but the read has not finished when the change commits.
    const slow = cache.job(id, async () => {
      const view = await detail(db, id)();
      read();
      await held;
      return view;
    });
    await wasRead;
    await markIdeaDone(pool, id, 'Changed meanwhile');
    await cache.sync();
    // A read after the notification does not wait for the stale query: it reads anew.
    const fresh = await cache.job(id, detail(db, id));
    expect(text(fresh)).toContain('Changed meanwhile');
    release();
    const stale = await slow;
    expect(text(stale), 'the fixture: the held read saw the job before the change').not.toContain('Changed meanwhile');
    const k = n();
    const now = await cache.job(id, detail(db, id));
    expect(text(now), 'what is kept is the new view').toContain('Changed meanwhile');
    expect(n(), 'kept: a hit').toBe(k);
  });

  it('empties and bypasses itself while the LISTEN connection is down, then caches again once it is back', async () => {
    const { cache, nextUp, nextDown } = await cacheOnHub();
    const { db, n } = counted();
    const id = ids[4]!;
    await cache.job(id, detail(db, id));
    await cache.job(id, detail(db, id));
    expect(n()).toBe(1);
    expect(cache.active).toBe(true);

    const down = nextDown();
    const up = nextUp();
    const pid = hub.backendPid;
    expect(pid).toBeTypeOf('number');
    gate.open = false; // the hub's reconnects fail until the checks below are done
    await pool.query('select pg_terminate_backend($1)', [pid]);
    await down;
    expect(cache.active).toBe(false);
    expect(cache.stats().kept.job).toBe(0);
    // A change nobody hears of now: reads go to Postgres (and keep nothing) until LISTEN is back.
    await markIdeaDone(pool, id, 'While deaf');
    const bypassed = cache.stats().job.bypass;
    expect(text(await cache.job(id, detail(db, id)))).toContain('While deaf');
    await cache.job(id, detail(db, id));
    expect(n()).toBe(3);
    expect(cache.stats().job.bypass).toBe(bypassed + 2);
    await cache.sync(); // resolves at once while down

    gate.open = true;
    await up;
    expect(hub.backendPid).not.toBe(pid);
    expect(cache.active).toBe(true);
    await cache.job(id, detail(db, id));
    await cache.job(id, detail(db, id));
    expect(n(), 'cached again: one miss, one hit').toBe(4);
    await markIdeaDone(pool, id, 'Heard again');
    await cache.sync();
    expect(text(await cache.job(id, detail(db, id)))).toContain('Heard again');
  });

  it('keeps at most its limits: least recently read first out, and no view larger than the size bound', async () => {
    const { cache } = await cacheOnHub({ jobs: 3, lists: 2, bytes: DEFAULT_LIMITS.bytes });
    const { db, n } = counted();
    for (const id of ids) await cache.job(id, detail(db, id));
    expect(cache.stats().kept.job).toBe(3);
    // ids[2..4] are kept; reading ids[2] makes ids[3] the least recent, dropped by the next miss.
    await cache.job(ids[2]!, detail(db, ids[2]!));
    expect(n()).toBe(5);
    await cache.job(ids[0]!, detail(db, ids[0]!));
    await cache.job(ids[2]!, detail(db, ids[2]!));
    await cache.job(ids[4]!, detail(db, ids[4]!));
    expect(n(), 'ids[2] and ids[4] still kept').toBe(6);
    await cache.job(ids[3]!, detail(db, ids[3]!));
    expect(n(), 'ids[3] was dropped').toBe(7);
    for (const limit of [1, 2, 3]) await cache.list(listKey({ limit }), async () => viewOf(`[${limit}]`, 'v'));
    expect(cache.stats().kept.list).toBe(2);

    const small = (await cacheOnHub({ jobs: 10, lists: 10, bytes: 20 })).cache;
    await small.job(ids[0]!, detail(db, ids[0]!));
    expect(small.stats().kept.job, 'a view over the size bound is not kept').toBe(0);
  });

  it("forgets everything on a TRUNCATE's '*' and on a payload it does not know", async () => {
    const { cache } = await cacheOnHub();
    const { db } = counted();
    await cache.job(ids[0]!, detail(db, ids[0]!));
    await pool.query('truncate gamepocgen.phase_runs'); // no rows: only its statement trigger says anything
    await cache.sync();
    expect(cache.stats().kept.job).toBe(0);
    await cache.job(ids[0]!, detail(db, ids[0]!));
    cache.notify('x:1');
    expect(cache.stats().kept.job).toBe(0);
    await cache.job(ids[0]!, detail(db, ids[0]!));
    cache.notify('r:987654'); // control: another job's change keeps it
    expect(cache.stats().kept.job).toBe(1);
  });
});
