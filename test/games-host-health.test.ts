// /health counts the live runners that deploy (SERVE_GAMES=1) and says `degraded` when only runners of
// extra worker hosts (SERVE_GAMES=0) are alive: builds would finish and wait in the queue, never deployed.
// Control: the same service with the default SERVE_GAMES is ok. (Real service, real Postgres, real runner.)
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createHarness, type Harness } from './helpers/harness.ts';

type Health = { status: string; workers: { live: number; servingGames: number } };

async function healthOnceRegistered(h: Harness): Promise<Health> {
  // The runner registers its presence just after it starts.
  return vi.waitFor(
    async () => {
      const health = (await (await h.api('/health')).json()) as Health;
      if (health.workers.live < 1) throw new Error('runner not registered yet');
      return health;
    },
    { timeout: 15_000, interval: 50 },
  );
}

describe('/health and the runners that serve games', () => {
  const harnesses: Harness[] = [];
  afterAll(async () => {
    for (const h of harnesses) await h.close();
  });

  it('only a SERVE_GAMES=0 runner alive: degraded, with servingGames 0', async () => {
    const h = await createHarness({ SERVE_GAMES: '0' });
    harnesses.push(h);
    expect(await healthOnceRegistered(h)).toMatchObject({ status: 'degraded', workers: { live: 1, servingGames: 0 } });
  });

  it('control: a default runner (SERVE_GAMES=1) is counted and health is ok', async () => {
    const h = await createHarness();
    harnesses.push(h);
    expect(await healthOnceRegistered(h)).toMatchObject({ status: 'ok', workers: { live: 1, servingGames: 1 } });
  });
});
