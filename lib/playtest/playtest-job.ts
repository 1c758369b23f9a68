// Play-testing one deployed job: open its game in the shared headless browser,
// score it, and record the round (and the repair loop's next step: another
// repair, a rollback to the best version, or stop) in one transaction. The job stays `deployed` throughout: the game stays playable.
// What says nothing about the game — no browser, a URL this worker can't reach,
// a job that moved on — is an event, never a failed job or a repair.
import { inTransaction } from '../db.ts';
import type { Config } from '../config.ts';
import { addEvent } from '../events.ts';
import { hasUndeployedBuild, playtestRound } from '../jobs/phase-runs.ts';
import { getJob } from '../jobs/repository.ts';
import type { WithClient } from '../db.ts';
import { MissingJobError } from '../phase-errors.ts';
import type { Deployer } from '../deployers/types.ts';
import { slotName } from '../slot-names.ts';
import type { TaskDeps } from '../task-deps.ts';
import { CHROMIUM_PATH } from './browser.ts';
import { type JudgeOptions, type JudgeTarget, PlaytestUnreachableError, judgeGame } from './judge.ts';
import { loadExpectations } from './expectations.ts';
import { recordPlaytest, recordPlaytestSkipped } from './store.ts';
import { servingOf } from './serving-mode.ts';

/**
 * The URL the play-tester opens: PLAYTEST_URL with {slot} filled in; `container`: the slot container's own
 * address on its network (when the deployer has one); else the game's public URL.
 */
export function playtestUrl(
  config: Pick<Config, 'PLAYTEST_URL'>,
  slot: number,
  publicUrl: string,
  internalUrl?: (slot: number) => string,
): string {
  if (config.PLAYTEST_URL === 'container') return internalUrl ? internalUrl(slot) : publicUrl;
  return config.PLAYTEST_URL ? config.PLAYTEST_URL.replaceAll('{slot}', String(slot)) : publicUrl;
}

export { servingOf };

/**
 * Where the task plays the game: the URL a player opens and, when the app itself serves the slot (the local
 * deployer, functions/play.ts) on its own origin, also the sandboxed `/play/N/` variant on the same server —
 * so a game that breaks only sandboxed (e.g. reads localStorage) fails the verdict too. With PUBLIC_URL set
 * the game is served sandboxed only; PLAYTEST_URL (a slot container's address) is played as given.
 */
export function playtestTargets(
  config: Pick<Config, 'PLAYTEST_URL'>,
  deployer: Deployer['name'],
  slot: number,
  publicUrl: string,
  internalUrl?: (slot: number) => string,
): JudgeTarget[] {
  const main = servingOf(playtestUrl(config, slot, publicUrl, internalUrl));
  if (deployer !== 'local' || config.PLAYTEST_URL || main.mode === 'sandboxed') return [main];
  const url = new URL(main.url);
  const label = `${slotName(slot)}.`;
  if (!url.hostname.toLowerCase().startsWith(label)) return [main];
  url.hostname = url.hostname.slice(label.length);
  url.pathname = `/play/${slot}/`;
  url.search = '';
  url.hash = '';
  return [main, { mode: 'sandboxed', url: url.toString() }];
}

export async function playtestJob(
  deps: TaskDeps,
  withClient: WithClient,
  jobId: number,
  opts: Pick<JudgeOptions, 'signal' | 'seconds'> = {},
): Promise<string> {
  const job = await withClient((c) => getJob(c, jobId));
  if (!job) throw new MissingJobError(jobId);
  // A skipped play-test says nothing about the game: a player's change waiting on it is kept.
  const note = (message: string, data: Record<string, unknown> | null = null) =>
    withClient((c) => addEvent(c, { jobId, kind: 'playtest', message, data }, deps.secrets));
  // Says nothing about the game; a repair loop waiting on this round ends without it.
  const skipped = (message: string, data: Record<string, unknown>) =>
    withClient((c) => recordPlaytestSkipped(c, jobId, message, data, deps.secrets));
  if (deps.config.PLAYTEST === 'off') return `job ${jobId}: PLAYTEST=off, not play-tested`;
  if (job.status !== 'deployed' || job.slot === null || !job.url) {
    await note(`play-test skipped: the job is ${job.status}, not deployed`);
    return `job ${jobId} is ${job.status}: nothing to play-test`;
  }

  const round = await withClient((c) => playtestRound(c, jobId));
  // Idempotent by state: each deployed build is play-tested once (a step added again by hand does nothing).
  const played = [job.playtest?.round ?? 0, ...(job.playtest?.rounds ?? []).map((r) => r.round)];
  // (While a repair loop waits on a round, that round is played even if a step for it ran before.)
  if (job.playtest?.loop !== 'repairing' && played.some((r) => r >= round))
    return `job ${jobId}: round ${round} was already play-tested`;
  if (await withClient((c) => hasUndeployedBuild(c, jobId)))
    return `job ${jobId}: a newer build is waiting to be deployed; its deploy queues the play-test`;
  const targets = playtestTargets(deps.config, deps.deployer.name, job.slot, job.url, deps.deployer.internalUrl);
  const url = targets[0]!.url;
  await note(`play-test round ${round} started: ${targets.map((t) => t.url).join(' and ')}`, {
    round,
    url,
    servedAs: targets.map((t) => t.mode),
  });
  // The design's names and palette, so `matchesIdea` compares the game with what it was meant to be.
  const expect = await withClient((c) => loadExpectations(c, jobId));
  let observed: Awaited<ReturnType<typeof judgeGame>> | null;
  try {
    // Players always get GAME_CSP. Under the docker deployer Traefik adds it, so the address the tester opens
    // (PLAYTEST_URL=container: the slot's own server) may send none: it is played under it too, so an
    // inline-script game fails here as for players. The local deployer's games are served by this app with
    // GAME_CSP already (functions/play.ts), and the tester's own fetches could not resolve *.localhost anyway.
    const enforceCsp = deps.deployer.name !== 'local';
    const judgeOpts = { ...opts, round, expect, now: deps.now, enforceCsp };
    // The docker runtime plays in a container of its own (container-judge.ts); otherwise this process's Chromium.
    observed = deps.playtester
      ? await deps.playtester.judge(jobId, targets, judgeOpts)
      : await deps.playtestBrowser.use((browser) =>
          browser ? judgeGame(browser, targets, judgeOpts) : Promise.resolve(null),
        );
  } catch (e) {
    if (!(e instanceof PlaytestUnreachableError)) throw e; // a crashed browser or a shutdown: the task is retried
    await skipped(
      `play-test skipped: game unreachable from this worker (${e.message}); set PLAYTEST_URL if the public URL isn't reachable here`,
      { round, url, skipped: 'unreachable' },
    );
    return `job ${jobId}: ${e.message}`;
  }
  if (!observed) {
    const where = deps.playtester ? ` in the play-test container (${deps.playtester.describe()})` : '';
    await skipped(`play-test skipped: no browser (${CHROMIUM_PATH} is not installed${where})`, {
      round,
      skipped: 'no-browser',
    });
    return `job ${jobId}: play-test skipped, no browser`;
  }

  const result = observed.document;
  const outcome = await withClient((c) =>
    inTransaction(c, async (tx) => {
      const now = await getJob(tx, jobId, { forUpdate: true });
      // Recycled, removed or redeployed while we played: the result is about a game that's gone.
      if (!now || now.status !== 'deployed' || now.url !== job.url) {
        await addEvent(tx, {
          jobId,
          kind: 'playtest',
          message: `play-test round ${round} discarded: the job is now ${now?.status ?? 'gone'}`,
        });
        return 'discarded' as const;
      }
      // The end-of-play screenshot is also the round's playtest.png (what the gallery and repair agent open first).
      const end = observed.screenshots.find((s) => s.name.endsWith('-end.png'));
      const screenshots = [...observed.screenshots, ...(end ? [{ name: 'playtest.png', bytes: end.bytes }] : [])];
      return recordPlaytest(tx, deps, jobId, result, screenshots, now.playtest);
    }),
  );
  return `job ${jobId} play-test round ${round}: score ${result.score}/100, ${outcome}`;
}
