// The job event stream: rows in gamepocgen.job_events, announced by a trigger
// with NOTIFY in the writing transaction (migrations/001_schema.sql).
import pg from 'pg';
import type { Queryable } from './db.ts';
import type { EventKind, StreamOnlyKind } from './jobs/lifecycle.ts';
import { redact } from './redact.ts';

export const EVENTS_CHANNEL = 'gamepocgen_events';

export interface JobEvent {
  id: number;
  job_id: number;
  at: Date;
  kind: EventKind;
  phase: number | null;
  message: string;
  data: Record<string, unknown> | null;
}

const MAX_MESSAGE = 2000;

export async function addEvent(
  db: Queryable,
  event: {
    jobId: number;
    kind: EventKind;
    message: string;
    phase?: number | null;
    data?: Record<string, unknown> | null;
  },
  secrets: string[] = [],
): Promise<void> {
  const message = redact(event.message, secrets).slice(0, MAX_MESSAGE);
  const data = event.data ? JSON.parse(redact(JSON.stringify(event.data), secrets)) : null;
  await db.query('insert into gamepocgen.job_events (job_id, kind, phase, message, data) values ($1, $2, $3, $4, $5)', [
    event.jobId,
    event.kind,
    event.phase ?? null,
    message,
    data,
  ]);
}

/** Events after `afterId` (for one job, or all jobs when jobId is null), oldest first. */
export async function listEvents(
  db: Queryable,
  q: { jobId: number | null; afterId: number; limit: number },
): Promise<JobEvent[]> {
  const { rows } = await db.query<JobEvent>(
    `select * from gamepocgen.job_events where ($1::bigint is null or job_id = $1) and id > $2 order by id limit $3`,
    [q.jobId, q.afterId, q.limit],
  );
  return rows;
}

export type EventNotice = { id: number; jobId: number; kind: EventKind | StreamOnlyKind };

/**
 * Another channel on the hub's LISTEN connection (lib/jobs/view-cache.ts): its payloads, and whether
 * it is being listened to. Between down() and up() notifications may have been missed.
 */
export interface ChannelListener {
  notify(payload: string): void;
  /** LISTEN is in place (after start, after every reconnect): every later commit's notification arrives. */
  up(): void;
  /** The connection is lost or the hub stopped. */
  down(): void;
}

/**
 * One LISTEN connection per process, fanned out to subscribers. Subscribers get
 * the notice only; they read rows with listEvents, so nothing is lost between
 * a reconnect and the next notice.
 */
export class EventHub {
  private client: pg.Client | null = null;
  private stopped = false;
  private retryMs = 250;
  private readonly subscribers = new Set<(n: EventNotice) => void>();
  private readonly channels = new Map<string, ChannelListener>();
  private readonly connectionString: string;

  constructor(connectionString: string) {
    this.connectionString = connectionString;
  }

  async start(): Promise<void> {
    this.stopped = false;
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'gamepocgen-events' });
    client.on('notification', (msg) => {
      if (msg.channel !== EVENTS_CHANNEL) return this.channels.get(msg.channel)?.notify(msg.payload ?? '');
      if (!msg.payload) return;
      this.publish(JSON.parse(msg.payload) as EventNotice);
    });
    // A lost connection (Postgres restart) reconnects with backoff; subscribers
    // then re-read from their last id, so nothing committed meanwhile is missed.
    const lost = () => {
      if (this.client !== client || this.stopped) return;
      this.client = null;
      for (const l of this.channels.values()) l.down();
      setTimeout(() => void this.reconnect(), this.retryMs).unref();
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    };
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      await client.query(`listen ${EVENTS_CHANNEL}`);
      for (const channel of this.channels.keys()) await client.query(`listen ${channel}`);
    } catch (e) {
      // Not yet this.client, so stop() could not end it: a failed start (or reconnect) leaves no connection.
      await client.end().catch(() => {});
      throw e;
    }
    this.client = client;
    this.retryMs = 250;
    for (const l of this.channels.values()) l.up();
  }

  /** Listens to `channel` too, on the same connection (up() once it is in place); one listener per channel. */
  async listen(channel: string, listener: ChannelListener): Promise<void> {
    if (!/^[a-z_]+$/.test(channel) || channel === EVENTS_CHANNEL || this.channels.has(channel))
      throw new Error(`cannot listen to channel "${channel}" twice or by a name that is not lowercase letters`);
    this.channels.set(channel, listener);
    const client = this.client;
    if (!client) return; // start() or the next reconnect listens and calls up()
    await client.query(`listen ${channel}`);
    if (this.client === client) listener.up();
  }

  /** Stops listening to `channel` (its listener is dropped at once); the channel may be listened to again. */
  async unlisten(channel: string): Promise<void> {
    if (!this.channels.delete(channel)) return;
    await this.client?.query(`unlisten ${channel}`).catch(() => {}); // a lost connection listens to nothing
  }

  /** The backend pid of the LISTEN connection (tests end it with pg_terminate_backend), or null when down. */
  get backendPid(): number | null {
    return (this.client as unknown as { processID?: number } | null)?.processID ?? null;
  }

  private async reconnect() {
    if (this.stopped) return;
    try {
      await this.start();
      this.publish({ id: 0, jobId: 0, kind: 'reconnected' });
    } catch {
      setTimeout(() => void this.reconnect(), this.retryMs).unref();
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    }
  }

  private publish(notice: EventNotice) {
    for (const fn of this.subscribers) fn(notice);
  }

  subscribe(fn: (n: EventNotice) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const c = this.client;
    this.client = null;
    this.subscribers.clear();
    for (const l of this.channels.values()) l.down();
    this.channels.clear();
    await c?.end().catch(() => {});
  }
}
