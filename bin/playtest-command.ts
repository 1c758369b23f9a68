// `gamepocgen playtest <url|dir> [--json] [--sandbox] [--seconds N] [--out DIR]`: plays
// a game with the same judge as the task (lib/playtest/judge.ts). A folder is
// served on 127.0.0.1 with the production game CSP on its own origin, and with
// --sandbox also as the sandboxed /play/N/ variant. Exit 0 pass, 1 fail, 2 could not run.
// --bundle is what a play-test container reports to the worker (lib/playtest/container-judge.ts).
import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM_PATH, oneShotBrowser } from '../lib/playtest/browser.ts';
import type { PlaytestDocument } from '../lib/playtest/document.ts';
import { judgeGame, type JudgeTarget, PlaytestUnreachableError } from '../lib/playtest/judge.ts';
import { JudgeExpectationsSchema } from '../lib/playtest/expectations-schema.ts';
import { servingOf } from '../lib/playtest/serving-mode.ts';
import { serveGameDir, type ServedDir } from './serve-game-dir.ts';

export const PLAYTEST_USAGE = `usage: gamepocgen playtest <url|dir> [--json] [--sandbox] [--seconds N] [--seed N] [--out DIR]

  Plays a game in headless Chromium and judges it (exit 0 passed, 1 failed, 2 could not run).
  <dir>        a built game folder (dist/), served on 127.0.0.1 with the production game CSP
  <url>        a served game; a /play/N/ URL is judged as the sandboxed variant
  --sandbox    with a folder: also play the sandboxed /play/N/ variant (opaque origin, no storage)
  --seconds N  game seconds of scripted play (default 24; the judge plays at 4× speed)
  --seed N     seed of Math.random in the page and of the input script (default 1)
  --json       print the play-test document (playtest.json) instead of the summary
  --out DIR    also write playtest.json and the screenshots there
  --round N    the play-test round the document records (default 1)
  --expect J   what the game should match, as JSON: {names, palette, keypoints} (the design's)
  --bundle     print one JSON line instead: {document, screenshots: [{name, png}]} (base64 PNGs),
               or {couldNotRun: {code, message}} (what a play-test container reports)
`;

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** Runs the command and returns its exit code. */
export async function playtestCommand(argv: string[], io: CliIo, chromium = CHROMIUM_PATH): Promise<number> {
  let args: ReturnType<typeof parseCli>;
  try {
    args = parseCli(argv);
  } catch (e) {
    io.err(`${(e as Error).message}\n${PLAYTEST_USAGE}`);
    return 2;
  }
  const [target] = args.positionals;
  const seconds = args.values.seconds === undefined ? 24 : Number(args.values.seconds);
  const seed = args.values.seed === undefined ? 1 : Number(args.values.seed);
  const round = args.values.round === undefined ? 1 : Number(args.values.round);
  // With --bundle every way of not judging is one JSON line too, so the worker reads a reason, not a guess.
  const couldNotRun = (code: string, message: string) => {
    if (args.values.bundle) io.out(JSON.stringify({ couldNotRun: { code, message } }));
    io.err(message);
    return 2;
  };
  if (
    !target ||
    args.positionals.length > 1 ||
    !(seconds >= 1 && seconds <= 300) ||
    !Number.isInteger(seed) ||
    !(Number.isInteger(round) && round >= 1 && round <= 20)
  ) {
    return couldNotRun(
      'bad_arguments',
      `${target ? 'bad arguments: --seconds is 1–300, --seed an integer, --round 1–20' : 'missing <url|dir>'}\n${PLAYTEST_USAGE}`,
    );
  }
  let expect: JudgeExpectationsSchema | undefined;
  if (args.values.expect !== undefined) {
    const parsed = (() => {
      try {
        return JudgeExpectationsSchema.safeParse(JSON.parse(args.values.expect));
      } catch (e) {
        return { success: false as const, error: e as Error };
      }
    })();
    if (!parsed.success) return couldNotRun('bad_arguments', `bad --expect: ${parsed.error.message.slice(0, 300)}`);
    expect = parsed.data;
  }
  let served: ServedDir | null = null;
  let targets: JudgeTarget[];
  if (/^https?:\/\//i.test(target)) {
    if (args.values.sandbox) {
      return couldNotRun(
        'bad_arguments',
        '--sandbox applies to a folder; to judge the sandboxed variant of a served game, pass its /play/N/ URL',
      );
    }
    targets = [servingOf(target)];
  } else {
    const dir = path.resolve(target);
    if (!existsSync(path.join(dir, 'index.html')) || !statSync(dir).isDirectory()) {
      return couldNotRun('bad_arguments', `${dir} is not a game folder (no index.html)`);
    }
    served = await serveGameDir(dir);
    targets = [{ mode: 'own-origin', url: served.url }];
    if (args.values.sandbox) targets.push({ mode: 'sandboxed', url: served.sandboxUrl });
  }
  try {
    const result = await oneShotBrowser(chromium).use((browser) =>
      browser ? judgeGame(browser, targets, { seconds, seed, round, expect }) : Promise.resolve(null),
    );
    if (!result) return couldNotRun('no_browser', `could not run: no browser (${chromium} is not installed)`);
    if (args.values.out) {
      await mkdir(args.values.out, { recursive: true });
      await writeFile(path.join(args.values.out, 'playtest.json'), `${JSON.stringify(result.document, null, 2)}\n`);
      for (const s of result.screenshots) await writeFile(path.join(args.values.out, s.name), s.bytes);
    }
    if (args.values.bundle) {
      const screenshots = result.screenshots.map((s) => ({ name: s.name, png: s.bytes.toString('base64') }));
      io.out(JSON.stringify({ document: result.document, screenshots }));
    } else io.out(args.values.json ? JSON.stringify(result.document, null, 2) : summary(result.document));
    return result.document.passed ? 0 : 1;
  } catch (e) {
    if (e instanceof PlaytestUnreachableError) return couldNotRun('game_unreachable', `could not run: ${e.message}`);
    throw e;
  } finally {
    await served?.close();
  }
}

/** The human summary: one line per check, what could not be checked, the verdict and the score. */
export function summary(d: PlaytestDocument): string {
  const lines = [`play-test of ${d.servedAs.map((s) => `${s.url} (${s.mode})`).join(', ')}`, ''];
  for (const c of d.checks)
    lines.push(`${c.passed ? 'PASS' : c.required ? 'FAIL' : 'WARN'}  ${c.id.padEnd(18)} ${c.message}`);
  for (const u of d.couldNotCheck) lines.push(`N/A   ${u.id.padEnd(18)} ${u.why}`);
  lines.push('', `${d.passed ? 'PASSED' : 'FAILED'}  score ${d.score}/100  (${(d.durationMs / 1000).toFixed(1)} s)`);
  return lines.join('\n');
}

const parseCli = (argv: string[]) =>
  parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      sandbox: { type: 'boolean' },
      seconds: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      round: { type: 'string' },
      expect: { type: 'string' },
      bundle: { type: 'boolean' },
    },
  });

/**
 * The command as a process runs it: stdout and stderr, and 2 when it could not run at all. Resolves once both
 * are flushed: the callers exit with process.exit, which drops what a pipe has not taken yet (a --bundle line
 * is larger than a pipe's 64 KiB; a play-test container's stdout is a pipe).
 */
export async function playtestMain(argv: string[]): Promise<number> {
  const code = await playtestCommand(argv, {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
  }).catch((e: Error) => {
    process.stderr.write(`gamepocgen playtest: could not run: ${e.message}\n`);
    return 2;
  });
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise((resolve) => s.write('', resolve))));
  return code;
}
