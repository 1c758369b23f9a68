// What every task needs, passed in: the same task runs in the API process, the
// graphile-worker CLI and tests. The CLI path builds them once per process from
// the environment (defaultTaskDeps); everything else constructs them explicitly.
import type { JobHelpers } from 'graphile-worker';
import type { z } from 'zod';
import { describeZodError } from './artifacts.ts';
import { addEvent } from './events.ts';
import { failJob } from './jobs/lifecycle.ts';
import { boundGraphileLogger, jobFields } from './log.ts';
import { RunnerStoppingError } from './phase-errors.ts';
import { exhaustAttempts, hasPendingSteps, releaseToQueue } from './queue/queries.ts';
import { loadConfig, secretsOf, type Config } from './config.ts';
import { resolveInstanceId } from './instance.ts';
import type { Deployer } from './deployers/types.ts';
import { sharedBrowser, type BrowserProvider } from './playtest/browser.ts';
import type { Playtester } from './playtest/container-judge.ts';
import type { Runtime } from './runtimes/types.ts';
import { createCancelWatcher, type CancelWatcher } from './studio/cancel-watch.ts';
import { agentEnv, chooseAgent, chooseDeployer, choosePlaytester, chooseRuntime } from './services.ts';

export interface TaskDeps {
  config: Config;
  runtime: Runtime;
  deployer: Deployer;
  agent: 'builtin' | 'claude';
  /** This installation's id (lib/instance.ts): on every container and label the Docker path creates. */
  instanceId: string;
  agentEnv: Record<string, string>;
  secrets: string[];
  now: () => Date;
  /** The play-tester's Chromium; whoever builds the deps closes it (bin/server.ts close()). */
  playtestBrowser: BrowserProvider;
  /**
   * Set under the docker runtime with the docker deployer: each play-test runs in a container of its own
   * (lib/playtest/container-judge.ts) instead of playtestBrowser.
   */
  playtester?: Playtester | null;
  /**
   * Stops a phase's worker when its job is cancelled (bin/server.ts makes one; under the graphile-worker
   * CLI defaultTaskDeps makes one that closes when idle). Absent, cancelling stops the chain but not a running phase.
   */
  cancellations?: CancelWatcher | null;
}

export async function createTaskDeps(config: Config, overrides: Partial<TaskDeps> = {}): Promise<TaskDeps> {
  const agent = overrides.agent ?? chooseAgent(config);
  const instanceId = overrides.instanceId ?? (await resolveInstanceId(config.INSTANCE_ID, config.DATABASE_URL));
  const runtime = overrides.runtime ?? (await chooseRuntime(config, agent, instanceId));
  const deployer = overrides.deployer ?? (await chooseDeployer(config, runtime, instanceId));
  const playtester =
    overrides.playtester === undefined
      ? await choosePlaytester(config, runtime, deployer, instanceId)
      : overrides.playtester;
  return {
    config,
    runtime,
    deployer,
    agent,
    instanceId,
    agentEnv: agentEnv(config),
    secrets: secretsOf(config),
    now: () => new Date(),
    playtestBrowser: sharedBrowser(),
    playtester,
    ...overrides,
  };
}

let cliDeps: Promise<TaskDeps> | null = null;
let cliDatabaseUrl: string | null = null;
/** graphile.config.ts tells the CLI's tasks the database it resolved (DATABASE_URL or the embedded one). */
export function setCliDatabaseUrl(url: string): void {
  cliDatabaseUrl = url;
}

/** For tasks loaded by the graphile-worker CLI from tasks/: built once per process from the environment. */
export function defaultTaskDeps(): Promise<TaskDeps> {
  cliDeps ??= (() => {
    const config = loadConfig();
    const url = cliDatabaseUrl ?? config.DATABASE_URL;
    // Its LISTEN connection is open only while a phase runs: `graphile-worker --once` still exits by itself.
    const cancellations = url ? createCancelWatcher(url, { closeWhenIdle: true }) : null;
    return createTaskDeps(config, { cancellations });
  })();
  return cliDeps;
}

export type TaskFn<P> = (payload: P, helpers: JobHelpers) => Promise<void>;

/** A readable, non-retryable task failure: the graphile job fails once with this message. */
export class PermanentTaskError extends Error {
  code = 'invalid_task';
  constructor(message: string) {
    super(message);
    this.stack = ''; // a readable refusal, not a crash: graphile-worker logs it as one line
  }
}

/** Marks the running graphile job as out of attempts, then throws, so it fails exactly once. */
export async function failPermanently(helpers: JobHelpers, text: string): Promise<never> {
  const message = wellFormed(text);
  await helpers.withPgClient((c) => exhaustAttempts(c, helpers.job.id));
  helpers.logger.error(message);
  throw new PermanentTaskError(message);
}

/**
 * Text graphile-worker can store as a job's last_error: it sends failures to Postgres inside a JSON
 * document, where a lone surrogate (a payload's emoji cut in half, say) is invalid and would fail
 * the whole batch of failures, leaving those jobs locked. Lone surrogates become U+FFFD.
 */
export function wellFormed(text: string): string {
  return text.toWellFormed();
}

/** What a step reports: a summary line, and whether it queued the job's next step (then it is not the last). */
export type StepReport = string | null | { summary: string | null; queuedNext: boolean };

/**
 * The shape every job-step task shares: validate the payload (a bad one fails
 * the graphile job once, readably), run the step, and on the last failed
 * attempt mark the GamePocGen job failed so nothing waits forever.
 */
export function defineJobTask<P extends { jobId: number }>(spec: {
  name: string;
  payload: z.ZodType<P>;
  run: (deps: TaskDeps, payload: P, helpers: JobHelpers) => Promise<StepReport>;
  describeFailure: (payload: P) => string;
}) {
  return (deps: TaskDeps): TaskFn<unknown> =>
    async (raw, helpers) => {
      const parsed = spec.payload.safeParse(raw);
      // Every line this step logs names its job (and phase): bound once, here, where the step starts.
      helpers = { ...helpers, logger: boundGraphileLogger(helpers.logger, jobFields(raw)) };
      if (!parsed.success)
        return failPermanently(
          helpers,
          `${spec.name}: invalid payload ${JSON.stringify(raw)?.slice(0, 200)}: ${describeZodError(parsed.error)}`,
        );
      try {
        const report = await spec.run(deps, parsed.data, helpers);
        const { summary, queuedNext } =
          typeof report === 'object' && report !== null ? report : { summary: report, queuedNext: false };
        if (summary) helpers.logger.info(summary);
        // The last step of a chain says so, so followers (SSE, CLI) know nothing more will happen. A step
        // that queued the next one is not the last (that one checks in turn): no query on the hand-off.
        const jobId = parsed.data.jobId;
        if (!queuedNext)
          await helpers.withPgClient(async (c) => {
            if (!(await hasPendingSteps(c, jobId, helpers.job.key)))
              await addEvent(c, { jobId, kind: 'done', message: 'nothing left to do for this job' });
          });
      } catch (e) {
        // The runner is stopping past its grace: back to the queue, without using up an attempt.
        if (helpers.abortSignal?.aborted && helpers.job.locked_by) {
          const lockedBy = helpers.job.locked_by;
          await helpers.withPgClient((c) =>
            releaseToQueue(c, helpers.job.id, lockedBy, `interrupted by a shutdown: ${(e as Error).message}`),
          );
          // Thrown so graphile-worker leaves the job alone (a success would delete it); no stack: nothing crashed.
          throw new RunnerStoppingError(`${spec.name}: returned to the queue, the runner is stopping`);
        }
        if ((e as { code?: string }).code === 'job_not_found')
          return failPermanently(helpers, `${spec.name}: ${(e as Error).message}`);
        if (e instanceof Error) e.message = wellFormed(e.message);
        if (helpers.job.attempts >= helpers.job.max_attempts) {
          const reason = `${spec.describeFailure(parsed.data)} after ${helpers.job.attempts} attempts: ${(e as Error).message}`;
          await helpers.withPgClient((c) => failJob(c, parsed.data.jobId, reason));
        }
        throw e;
      }
    };
}
