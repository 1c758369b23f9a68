// The view cache: GET /api/jobs/:id and GET /api/jobs answers kept in the API's memory, so repeated reads
// of an unchanged job or list page cost no query. lib/jobs/views.ts stays the source of truth: a miss
// calls it and keeps its JSON (encoded once: writing a kept body costs no UTF-8 encoding) and version.
// Entries are dropped when Postgres announces a change to a row they show (channel gamepocgen_views,
// migrations/015_view_change_notify.sql, heard on the process's EventHub connection), never by a timer:
// 'j:<id>' drops that job's view and every list page (a list shows jobs columns only), 'g:<id>' / 'r:<id>'
// / 'a:<id>' that job's view (a comparison sibling, phase runs, artifacts), '*' everything. While the
// LISTEN connection is down (before it is up, or until it reconnects) a notification may be missed: the
// cache is emptied and every read goes to Postgres.
//
// A read that misses while a change commits must not keep what it read before the change: each key's
// load in flight is its generation; a drop of the key forgets it (later reads start a new load), and a
// load stores its view only if it is still the key's current one. Concurrent misses of one key share one
// query. sync() resolves once every notification committed before it was applied (tests; a barrier on
// the same channel, delivered in commit order).
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Queryable } from '../db.ts';
import type { ChannelListener } from '../events.ts';

export const VIEWS_CHANNEL = 'gamepocgen_views';

/** A cached answer: the body's JSON as UTF-8 and what its ETag is made of (the job's version, a list body's tag). */
export interface View {
  body: Uint8Array;
  version: string;
}

const utf8 = new TextEncoder();
/** A view of this JSON text (in an ArrayBuffer of its own, so nothing else shares or detaches it). */
export const viewOf = (json: string, version: string): View => ({ body: utf8.encode(json), version });

export type ViewKind = 'job' | 'list';
/** hit: served from memory; miss: queried (and kept); shared: waited for another read's query; bypass: cache down. */
export type ViewResult = 'hit' | 'miss' | 'shared' | 'bypass';
export type ViewCacheStats = Record<ViewKind, Record<ViewResult, number>>;

export interface ViewCacheLimits {
  /** Job views kept (least recently read dropped first). */
  jobs: number;
  /** List pages kept, by their normalised query. */
  lists: number;
  /** Bytes of JSON kept per kind, whatever the counts. */
  bytes: number;
}

/**
 * 2 000 job views: the job pages being watched and the gallery's recent games, with room (a view is 1–10 kB,
 * so ≤ ~20 MB); older ones cost one query to read again. 200 list pages: every status × genre filter and
 * page a gallery walks through (each is dropped on any job change anyway). 32 MB per kind bound the
 * memory when views are large (a list page of 200 jobs is ~150 kB).
 */
export const DEFAULT_LIMITS: ViewCacheLimits = { jobs: 2000, lists: 200, bytes: 32 * 1024 * 1024 };

/** One kind of view: the kept entries, and the load in flight per key (its generation). */
class Space<K extends string | number> {
  readonly entries: LRUCache<K, View>;
  private readonly inflight = new Map<K, Promise<View | null>>();
  readonly counts: Record<ViewResult, number> = { hit: 0, miss: 0, shared: 0, bypass: 0 };

  constructor(max: number, bytes: number) {
    this.entries = new LRUCache<K, View>({ max, maxSize: bytes, sizeCalculation: (v) => v.body.byteLength || 1 });
  }

  async get(key: K, live: () => boolean, load: () => Promise<View | null>): Promise<View | null> {
    if (!live()) {
      this.counts.bypass++;
      return load();
    }
    const kept = this.entries.get(key);
    if (kept) {
      this.counts.hit++;
      return kept;
    }
    const running = this.inflight.get(key);
    if (running) {
      this.counts.shared++;
      return running;
    }
    this.counts.miss++;
    const loading: Promise<View | null> = load().then(
      (view) => {
        // Still this key's generation: no drop (notification, own write, lost connection) since it began.
        if (this.inflight.get(key) === loading) {
          this.inflight.delete(key);
          if (view) this.entries.set(key, view);
        }
        return view;
      },
      (e) => {
        if (this.inflight.get(key) === loading) this.inflight.delete(key);
        throw e;
      },
    );
    this.inflight.set(key, loading);
    return loading;
  }

  drop(key: K) {
    this.entries.delete(key);
    this.inflight.delete(key);
  }

  clear() {
    this.entries.clear();
    this.inflight.clear();
  }
}

export class ViewCache implements ChannelListener {
  private readonly jobs: Space<number>;
  private readonly lists: Space<string>;
  private live = false;
  /** Pending sync() barriers by payload; this process's prefix tells them from other API processes'. */
  private readonly syncs = new Map<string, () => void>();
  private readonly syncPrefix = `sync:${randomUUID()}:`;
  private syncSeq = 0;
  private readonly isLive = () => this.live;
  private readonly db: Queryable;

  /** `db` sends the sync() barrier; `limits` bound the memory (DEFAULT_LIMITS). */
  constructor(db: Queryable, limits: ViewCacheLimits = DEFAULT_LIMITS) {
    this.db = db;
    this.jobs = new Space(limits.jobs, limits.bytes);
    this.lists = new Space(limits.lists, limits.bytes);
  }

  /** GET /api/jobs/:id's view of `id` (null: no such job, not kept), from memory or from `load`. */
  job(id: number, load: () => Promise<View | null>): Promise<View | null> {
    return this.jobs.get(id, this.isLive, load);
  }

  /** A GET /api/jobs page by its normalised query (listKey), from memory or from `load`. */
  async list(key: string, load: () => Promise<View>): Promise<View> {
    return (await this.lists.get(key, this.isLive, load))!;
  }

  /** This process wrote job `id` (committed): its view and every list page go now, before the notification. */
  jobChanged(id: number): void {
    this.jobs.drop(id);
    this.lists.clear();
  }

  /** Jobs were added (committed): every list page goes. */
  listsChanged(): void {
    this.lists.clear();
  }

  /** Resolves once every notification committed before this call has been applied (at once while down). */
  async sync(): Promise<void> {
    if (!this.live) return;
    const payload = `${this.syncPrefix}${++this.syncSeq}`;
    const heard = new Promise<void>((resolve) => this.syncs.set(payload, resolve));
    try {
      await this.db.query('select pg_notify($1, $2)', [VIEWS_CHANNEL, payload]);
    } catch (e) {
      this.syncs.delete(payload);
      throw e;
    }
    await heard;
  }

  /** Whether reads are being answered from memory (LISTEN is up). */
  get active(): boolean {
    return this.live;
  }

  stats(): ViewCacheStats & { kept: Record<ViewKind, number> } {
    return {
      job: { ...this.jobs.counts },
      list: { ...this.lists.counts },
      kept: { job: this.jobs.entries.size, list: this.lists.entries.size },
    };
  }

  // ChannelListener: the EventHub calls these.

  notify(payload: string): void {
    if (payload.startsWith('sync:')) {
      const resolve = this.syncs.get(payload);
      this.syncs.delete(payload);
      resolve?.();
      return;
    }
    const kind = payload.slice(0, 2);
    const id = Number(payload.slice(2));
    if (kind === 'j:' && Number.isSafeInteger(id)) this.jobChanged(id);
    else if ((kind === 'g:' || kind === 'r:' || kind === 'a:') && Number.isSafeInteger(id)) this.jobs.drop(id);
    else this.clear(); // '*' (a TRUNCATE), or a payload this version does not know: forget everything
  }

  up(): void {
    this.clear();
    this.live = true;
  }

  down(): void {
    this.live = false;
    this.clear();
    for (const resolve of this.syncs.values()) resolve();
    this.syncs.clear();
  }

  private clear() {
    this.jobs.clear();
    this.lists.clear();
  }
}

/** A list page's cache key: its query normalised (defaults applied, fixed order). */
export const listKey = (q: { status?: string; genre?: string; limit: number; before?: number }): string =>
  `${q.status ?? ''}|${q.genre ?? ''}|${q.limit}|${q.before ?? ''}`;
