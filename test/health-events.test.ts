// /health reports 503 when the database is gone; /api/events streams every job's
// events live (NOTIFY-driven) and a reconnecting client resumes from Last-Event-ID.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../functions/app.ts';
import { createPool } from '../lib/db.ts';
import { EventHub } from '../lib/events.ts';
import { createHarness, type Harness } from './helpers/harness.ts';

describe('health when the database is down', () => {
  it('answers 503 with a readable reason', async () => {
    const harness = await createHarness({}, { runner: false });
    try {
      const deadDb = createPool('postgres://nobody:nothing@127.0.0.1:1/none', 1);
      const app = createApp({
        db: deadDb,
        config: harness.config,
        events: new EventHub('postgres://127.0.0.1:1/none'),
        apiToken: 'x'.repeat(20),
        tokenConfigured: true,
        runtimeDescription: 'local',
        startedAt: new Date(),
      });
      const res = await app.request('/health');
      expect(res.status).toBe(503);
      const body = (await res.json()) as { status: string; db: string; error: string };
      expect(body).toMatchObject({ status: 'error', db: 'unreachable' });
      expect(body.error).toMatch(/ECONNREFUSED|connect/);
      await deadDb.end();
    } finally {
      await harness.close();
    }
  });
});

describe('the live event stream', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h?.close());

  it('health is ok with a live runner', async () => {
    type Health = { status: string; workers: { live: number }; runtime: string; uptimeSeconds: number };
    // The runner registers its presence just after it starts.
    const body = await vi.waitFor(
      async () => {
        const health = (await (await h.api('/health')).json()) as Health;
        if (health.workers.live < 1) throw new Error('runner not registered yet');
        return health;
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(body.status).toBe('ok');
    expect(body.workers.live).toBe(1);
    expect(body.runtime).toMatch(/^local/);
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('streams a new job from queued to deployed, then resumes after Last-Event-ID', async () => {
    const controller = new AbortController();
    const res = await h.api('/api/events', { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const post = await h.api('/api/generate', { method: 'POST', body: '{"idea":"stream me"}' });
    const jobId = ((await post.json()) as { jobIds: number[] }).jobIds[0]!;
    let text = '';
    while (!text.includes('"message":"deployed"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    controller.abort();
    const events = text
      .split('\n\n')
      .filter((b) => b.includes('data:'))
      .map((b) => ({ id: Number(/^id: (\d+)/m.exec(b)![1]), data: JSON.parse(/^data: (.*)$/m.exec(b)![1]!) }));
    expect(events.every((e) => e.data.jobId === jobId)).toBe(true);
    expect(events[0]!.data).toMatchObject({ kind: 'status', message: 'queued' });
    expect(events.map((e) => e.data.kind)).toContain('phase_end');
    // ids strictly increase: nothing reordered or duplicated
    for (let i = 1; i < events.length; i++) expect(events[i]!.id).toBeGreaterThan(events[i - 1]!.id);

    // Reconnect from the middle: exactly the later events come back.
    const middle = events[Math.floor(events.length / 2)]!;
    const again = new AbortController();
    const res2 = await h.api(`/api/jobs/${jobId}/logs?follow=1`, {
      headers: { 'last-event-id': String(middle.id) },
      signal: again.signal,
    });
    const replay = await res2.text();
    const replayIds = [...replay.matchAll(/^id: (\d+)/gm)].map((m) => Number(m[1]));
    expect(replayIds[0]).toBe(events.find((e) => e.id > middle.id)!.id);
    expect(replayIds.every((id) => id > middle.id)).toBe(true);
  });
});
