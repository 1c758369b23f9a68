// Play-tests in a container of their own (the docker runtime): `gamepocgen playtest
// <url> --bundle` (bin/playtest.ts) runs in WORKER_IMAGE, hardened like a phase
// (lib/docker/playtest-spec.ts), on the network of the game's slot container, with
// no mount, no Docker socket, no Postgres network and no secrets. It prints one JSON
// line — the play-test document with its screenshots, or why it could not play — which
// is validated here (the container ran an untrusted game) and handed back exactly as
// the in-process judge returns it, so the task stores it the same way.
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { z } from 'zod';
import { toDocker, type DockerLike } from '../docker/client.ts';
import { DockerPathError, engineMessage, missingImageHint, tolerateGone } from '../docker/errors.ts';
import { ensureNetwork } from '../docker/networks.ts';
import { playtestContainerSpec, playtestName, type PlaytestSpecInput } from '../docker/playtest-spec.ts';
import { describeZodError } from '../artifacts.ts';
import { withTimeout } from '../timeout.ts';
import { PlaytestDocument } from './document.ts';
import { type JudgeOptions, type JudgeResult, type JudgeTarget, PlaytestAbortedError } from './judge.ts';
import { PlaytestUnreachableError } from './session.ts';

/** Where a play-test happens: in this process's Chromium, or in a container (this file). */
export interface Playtester {
  /** The verdict on the game at `targets`; null when there is no browser; PlaytestUnreachableError when it can't be loaded. */
  judge(jobId: number, targets: JudgeTarget[], opts: JudgeOptions): Promise<JudgeResult | null>;
  describe(): string;
  close?(): Promise<void>;
}

export interface ContainerPlaytesterOptions {
  /** The engine that serves the games (the deployer's): the container must reach the slot's URL. */
  docker?: DockerLike;
  /** WORKER_IMAGE: it ships chromium, playwright-core and bin/playtest.ts. Never pulled. */
  image: string;
  /** The deployer's network (DOCKER_NETWORK), where the slot containers (and Traefik) are. */
  network: string;
  namePrefix?: string;
  labels?: Record<string, string>;
  limits?: PlaytestSpecInput['limits'];
  /** What the container runs before the arguments; default the image's Node on bin/playtest.ts. */
  command?: string[];
  /** Whole-container limit; the judge's own deadlines (180 s per session) end it first. Default 900 s. */
  timeoutSeconds?: number;
  now?: () => number | Date;
  /** Remove each container once its verdict is in hand (default true; tests inspect it afterwards). */
  removeContainers?: boolean;
}

const PNG = z.string().regex(/^[A-Za-z0-9+/]+=*$/);
/** What `gamepocgen playtest --bundle` prints: the container's only way to tell us anything. */
const Verdict = z.strictObject({
  document: PlaytestDocument,
  screenshots: z.array(z.strictObject({ name: z.string().regex(/^[\w.-]{1,80}\.png$/), png: PNG })).max(12),
});
const CouldNotRun = z.strictObject({
  couldNotRun: z.strictObject({ code: z.string().max(40), message: z.string().max(2000) }),
});
type Bundle = z.infer<typeof Verdict> | z.infer<typeof CouldNotRun>;
/** 12 screenshots of 1280×800 canvases, base64: a generous bound on one honest bundle. */
const MAX_STDOUT = 64 * 1024 ** 2;

export class PlaytestContainerError extends DockerPathError {}

export function createContainerPlaytester(opts: ContainerPlaytesterOptions): Playtester {
  const docker = toDocker(opts.docker);
  const now = () => Number(opts.now ? opts.now() : Date.now());
  const command = opts.command ?? ['node', '/app/bin/playtest.ts'];
  const timeout = opts.timeoutSeconds ?? 900;
  const inflight = new Set<Docker.Container>();

  async function judge(jobId: number, targets: JudgeTarget[], o: JudgeOptions): Promise<JudgeResult | null> {
    // Only the local deployer plays a second (sandboxed) serving, and it has no container a player's URL leads to.
    if (targets.length !== 1)
      throw new PlaytestContainerError('playtest_targets', 'a play-test container plays exactly one URL');
    if (o.signal?.aborted) throw new PlaytestAbortedError('play-test aborted before its container started');
    const args = [targets[0]!.url, '--bundle', '--round', String(o.round ?? 1), '--seed', String(o.seed ?? 1)];
    if (o.seconds !== undefined) args.push('--seconds', String(o.seconds));
    if (o.expect) args.push('--expect', JSON.stringify(o.expect));
    if (o.enforceCsp) args.push('--enforce-csp');
    await ensureNetwork(docker, opts.network);
    const spec = playtestContainerSpec({
      image: opts.image,
      name: playtestName(opts.namePrefix ?? 'gamepocgen-', jobId),
      command: [...command, ...args],
      jobId,
      deadline: Math.floor(now() / 1000) + timeout + 60,
      network: opts.network,
      labels: opts.labels,
      limits: opts.limits,
    });
    let container: Docker.Container;
    try {
      container = await docker.createContainer(spec);
    } catch (e) {
      const hint = missingImageHint(e, opts.image);
      throw new PlaytestContainerError(
        'playtest_create_failed',
        `cannot create the play-test container from ${opts.image}: ${engineMessage(e)}${hint}`,
        { cause: e },
      );
    }
    inflight.add(container);
    let timer: NodeJS.Timeout | undefined;
    const kill = () => void tolerateGone(() => container.kill()).catch(() => {});
    try {
      const stdout: Buffer[] = [];
      let size = 0;
      const stderr: string[] = [];
      const stream = await container.attach({ stream: true, stdout: true, stderr: true });
      const out = new PassThrough();
      const err = new PassThrough();
      out.on('data', (b: Buffer) => {
        size += b.length;
        if (size <= MAX_STDOUT) stdout.push(b);
      });
      err.setEncoding('utf8').on('data', (t: string) => {
        stderr.push(t);
        while (stderr.join('').length > 4000) stderr.shift();
      });
      docker.modem.demuxStream(stream, out, err);
      const drained = new Promise<void>((resolve) => {
        stream.once('end', resolve);
        stream.once('close', resolve);
        stream.once('error', () => resolve());
      });
      await container.start();
      let timedOut = false;
      timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, timeout * 1000);
      o.signal?.addEventListener('abort', kill, { once: true });
      const { StatusCode: code } = (await container.wait()) as { StatusCode?: number };
      o.signal?.removeEventListener('abort', kill);
      await withTimeout(drained, 5000, 'play-test output').catch(() => {});
      if (o.signal?.aborted) throw new PlaytestAbortedError('play-test aborted: the task runner is stopping');
      if (timedOut)
        throw new PlaytestContainerError(
          'playtest_timeout',
          `the play-test container ran past ${timeout} s and was killed`,
        );
      const tail = stderr.join('').trim().split('\n').slice(-3).join(' | ').slice(0, 600);
      if (size > MAX_STDOUT)
        throw new PlaytestContainerError(
          'playtest_bad_output',
          `the play-test container printed over ${MAX_STDOUT} bytes`,
        );
      const parsed = parseBundle(Buffer.concat(stdout).toString('utf8'));
      if (!('bundle' in parsed)) {
        const state = await container.inspect().then(
          (i) => i.State,
          () => null,
        );
        const why = state?.OOMKilled
          ? 'it ran out of memory'
          : `exit ${code}, ${parsed.invalid}${tail ? `; stderr: ${tail}` : ''}`;
        throw new PlaytestContainerError(
          'playtest_container_failed',
          `the play-test container gave no verdict (${why})`,
        );
      }
      const { bundle } = parsed;
      if ('couldNotRun' in bundle) {
        const { code: reason, message } = bundle.couldNotRun;
        if (reason === 'no_browser') return null;
        if (reason === 'game_unreachable') throw new PlaytestUnreachableError(message.replace(/^could not run: /, ''));
        throw new PlaytestContainerError(`playtest_${reason}`, `the play-test container could not play: ${message}`);
      }
      return {
        document: bundle.document,
        screenshots: bundle.screenshots.map((s) => ({ name: s.name, bytes: Buffer.from(s.png, 'base64') })),
      };
    } finally {
      clearTimeout(timer);
      inflight.delete(container);
      if (opts.removeContainers ?? true)
        await tolerateGone(() => container.remove({ force: true, v: true })).catch(() => {});
    }
  }

  return {
    judge,
    describe: () => `in a container from ${opts.image} on network ${opts.network}`,
    /** Kills play-tests still running (a forced shutdown: the task is returned to the queue). */
    async close() {
      await Promise.all(
        [...inflight].map((c) => tolerateGone(() => c.remove({ force: true, v: true })).catch(() => {})),
      );
    },
  };
}

/** The last line that is a valid bundle (Chromium or Node may print warnings first), or why there is none. */
function parseBundle(text: string): { bundle: Bundle } | { invalid: string } {
  let invalid = 'it printed no bundle line';
  for (const line of text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .reverse()) {
    try {
      const value: unknown = JSON.parse(line);
      // Judged by the shape it claims, so the reason names the field that is wrong.
      const claimsCouldNotRun = typeof value === 'object' && value !== null && 'couldNotRun' in value;
      const r = (claimsCouldNotRun ? CouldNotRun : Verdict).safeParse(value);
      if (r.success) return { bundle: r.data };
      invalid = `its bundle is invalid: ${describeZodError(r.error).slice(0, 300)}`;
    } catch {
      // not JSON: a log line
    }
  }
  return { invalid };
}
