// The event kinds are one zod enum (lib/jobs/lifecycle.ts): addEvent takes only
// those (checked by the compiler: see `neverCalled`), the OpenAPI document
// publishes the same enum, and a worker line cannot pass itself off as one of
// the service's own kinds.
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../functions/openapi.ts';
import { addEvent } from '../lib/events.ts';
import { EventKind, StreamOnlyKind } from '../lib/jobs/lifecycle.ts';
import { workerLineEvent } from '../lib/runtimes/worker-lines.ts';

// Type-checked, never run: `npm run typecheck` fails if addEvent stops refusing an unknown kind
// (the @ts-expect-error would then be unused), and the control line must compile.
async function neverCalled() {
  const db = { query: async () => ({ rows: [] }) } as never;
  // @ts-expect-error 'deploy' is not an EventKind (it is 'deployed')
  await addEvent(db, { jobId: 1, kind: 'deploy', message: 'typo' });
  await addEvent(db, { jobId: 1, kind: 'deployed', message: 'control' });
}
void neverCalled;

describe('event kinds', () => {
  it('the OpenAPI document publishes the enum addEvent is typed with', () => {
    const schemas = openApiDocument().components.schemas as Record<string, { enum?: string[] }>;
    expect(schemas.EventKind?.enum).toEqual(EventKind.options);
    expect(schemas.StreamOnlyKind?.enum).toEqual(StreamOnlyKind.options);
    expect(EventKind.options).toEqual(
      expect.arrayContaining(['status', 'phase_start', 'deployed', 'playtest', 'done']),
    );
    // No kind is both a row and a stream-only message.
    expect(EventKind.options.filter((k) => (StreamOnlyKind.options as string[]).includes(k))).toEqual([]);
  });

  it("a worker line keeps an agent's kind (error → agent_error)", () => {
    for (const kind of ['log', 'tool', 'assistant', 'usage'] as const)
      expect(workerLineEvent(1, 2, { kind, message: 'm' })).toEqual({
        jobId: 1,
        kind,
        phase: 2,
        message: 'm',
        data: null,
      });
    expect(workerLineEvent(1, 2, { kind: 'error', message: 'boom', data: { code: 'x' } })).toMatchObject({
      kind: 'agent_error',
      data: { code: 'x' },
    });
  });

  it('a worker line of any other kind is a log event that keeps its kind in data (it cannot forge a status or deploy)', () => {
    for (const kind of ['status', 'deployed', 'done', 'whatever']) {
      const event = workerLineEvent(1, 4, { kind, message: 'from the worker', data: { slot: 1 } }, { source: 'c1' });
      expect(event).toEqual({
        jobId: 1,
        kind: 'log',
        phase: 4,
        message: 'from the worker',
        data: { slot: 1, kind, source: 'c1' },
      });
      expect(EventKind.safeParse(event.kind).success).toBe(true);
    }
  });
});
