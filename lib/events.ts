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
 * One LISTEN connection per process, fanned out to subscribers. Subscribers get
 * the notice only; they read rows with listEvents, so nothing is lost between
 * a reconnect and the next notice.
 */
export class EventHub {
  private client: pg.Client | null = null;
  private stopped = false;
  private retryMs = 250;
  private readonly subscribers = new Set<(n: EventNotice) => void>();
  private readonly connectionString: string;

  constructor(connectionString: string) {
    this.connectionString = connectionString;
  }

  async start(): Promise<void> {
    this.stopped = false;
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'gamepocgen-events' });
    client.on('notification', (msg) => {
      if (msg.channel !== EVENTS_CHANNEL || !msg.payload) return;
      this.publish(JSON.parse(msg.payload) as EventNotice);
    });
    // A lost connection (Postgres restart) reconnects with backoff; subscribers
    // then re-read from their last id, so nothing committed meanwhile is missed.
    const lost = () => {
      if (this.client !== client || this.stopped) return;
      this.client = null;
      setTimeout(() => void this.reconnect(), this.retryMs).unref();
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    };
    client.on('error', lost);
    client.on('end', lost);
    await client.connect();
    await client.query(`listen ${EVENTS_CHANNEL}`);
    this.client = client;
    this.retryMs = 250;
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
    await c?.end().catch(() => {});
  }
}
