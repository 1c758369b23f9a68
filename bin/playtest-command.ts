// `gamepocgen playtest <url|dir> [--json] [--sandbox] [--seconds N] [--out DIR]`: plays
// a game with the same judge as the task (lib/playtest/judge.ts). A folder is
// served on 127.0.0.1 with the production game CSP on its own origin, and with
// --sandbox also as the sandboxed /play/N/ variant. Exit 0 pass, 1 fail, 2 could not run.
import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM_PATH, oneShotBrowser } from '../lib/playtest/browser.ts';
import type { PlaytestDocument } from '../lib/playtest/document.ts';
import { judgeGame, type JudgeTarget, PlaytestUnreachableError } from '../lib/playtest/judge.ts';
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
  if (!target || args.positionals.length > 1 || !(seconds >= 1 && seconds <= 300) || !Number.isInteger(seed)) {
    io.err(
      `${target ? 'bad arguments: --seconds is 1–300, --seed an integer' : 'missing <url|dir>'}\n${PLAYTEST_USAGE}`,
    );
    return 2;
  }
  let served: ServedDir | null = null;
  let targets: JudgeTarget[];
  if (/^https?:\/\//i.test(target)) {
    if (args.values.sandbox) {
      io.err('--sandbox applies to a folder; to judge the sandboxed variant of a served game, pass its /play/N/ URL');
      return 2;
    }
    targets = [servingOf(target)];
  } else {
    const dir = path.resolve(target);
    if (!existsSync(path.join(dir, 'index.html')) || !statSync(dir).isDirectory()) {
      io.err(`${dir} is not a game folder (no index.html)`);
      return 2;
    }
    served = await serveGameDir(dir);
    targets = [{ mode: 'own-origin', url: served.url }];
    if (args.values.sandbox) targets.push({ mode: 'sandboxed', url: served.sandboxUrl });
  }
  try {
    const result = await oneShotBrowser(chromium).use((browser) =>
      browser ? judgeGame(browser, targets, { seconds, seed }) : Promise.resolve(null),
    );
    if (!result) {
      io.err(`could not run: no browser (${chromium} is not installed)`);
      return 2;
    }
    if (args.values.out) {
      await mkdir(args.values.out, { recursive: true });
      await writeFile(path.join(args.values.out, 'playtest.json'), `${JSON.stringify(result.document, null, 2)}\n`);
      for (const s of result.screenshots) await writeFile(path.join(args.values.out, s.name), s.bytes);
    }
    io.out(args.values.json ? JSON.stringify(result.document, null, 2) : summary(result.document));
    return result.document.passed ? 0 : 1;
  } catch (e) {
    if (e instanceof PlaytestUnreachableError) {
      io.err(`could not run: ${e.message}`);
      return 2;
    }
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
    },
  });

/** The command as a process runs it: stdout and stderr, and 2 when it could not run at all. */
export function playtestMain(argv: string[]): Promise<number> {
  return playtestCommand(argv, {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
  }).catch((e: Error) => {
    process.stderr.write(`gamepocgen playtest: could not run: ${e.message}\n`);
    return 2;
  });
}
