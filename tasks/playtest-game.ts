// graphile-worker task `playtest-game` {jobId}: plays a deployed game in headless
// Chromium, stores the round, and drives the repair loop (lib/playtest/store.ts).
import type { JobHelpers } from 'graphile-worker';
import { oneShotBrowser } from '../lib/playtest/browser.ts';
import { playtestJob } from '../lib/playtest/playtest-job.ts';
import { recordPlaytestSkipped } from '../lib/playtest/store.ts';
import { TASKS } from '../lib/queue/tasks.ts';
import { defaultTaskDeps, defineJobTask } from '../lib/task-deps.ts';

export const createPlaytestGameTask = defineJobTask({
  name: 'playtest-game',
  payload: TASKS['playtest-game'],
  describeFailure: () => 'play-test failed',
  async run(deps, { jobId }, helpers) {
    try {
      return await playtestJob(deps, helpers.withPgClient, jobId, { signal: helpers.abortSignal });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'job_not_found' || helpers.job.attempts < helpers.job.max_attempts) throw e;
      // Out of attempts: the game is deployed and playable, so the job must not fail over its play-test.
      const message = `play-test gave up after ${helpers.job.attempts} attempts: ${(e as Error).message}`;
      await helpers.withPgClient((c) =>
        recordPlaytestSkipped(c, jobId, message, { skipped: 'error', code: code ?? null }, deps.secrets),
      );
      return `job ${jobId}: ${message}`;
    }
  },
});

// The CLI offers tasks no shutdown hook, so each CLI play-test launches and closes its own browser.
export default async (payload: unknown, helpers: JobHelpers) =>
  createPlaytestGameTask({ ...(await defaultTaskDeps()), playtestBrowser: oneShotBrowser() })(payload, helpers);
