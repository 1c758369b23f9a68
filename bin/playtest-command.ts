// `gamepocgen playtest <url|dir> [--json|--compact] [--sandbox] [--seconds N] [--out DIR] [--keypoints FILE]`:
// plays a game with the same judge as the task (lib/playtest/judge.ts). A folder is
// served on 127.0.0.1 with the production game CSP on its own origin, and with
// --sandbox also as the sandboxed /play/N/ variant; the design beside it (a phase
// workspace's design.json) gives the keypoint rubric (lib/playtest/design-file.ts).
// --bundle is what a play-test container reports to the worker (lib/playtest/container-judge.ts).
// Exit 0 pass, 1 fail, 2 could not run.
import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM_PATH, oneShotBrowser } from '../lib/playtest/browser.ts';
import { judgeGame, type JudgeTarget, PlaytestUnreachableError } from '../lib/playtest/judge.ts';
import { JudgeExpectationsSchema } from '../lib/playtest/expectations-schema.ts';
import { servingOf } from '../lib/playtest/serving-mode.ts';
import { designDirsOf, KeypointsFileError, loadDesignExpectations } from '../lib/playtest/design-file.ts';
import { compactReport, type EvidenceFiles, summary } from '../lib/playtest/cli-report.ts';
import { serveGameDir, type ServedDir } from './serve-game-dir.ts';

/** Where --compact writes its evidence without --out (never taken back from a phase workspace: lib/playtest/versions.ts). */
export const DEFAULT_COMPACT_OUT = 'playtest-local';

export const PLAYTEST_USAGE = `usage: gamepocgen playtest <url|dir> [--json|--compact] [--sandbox] [--seconds N] [--seed N]
                          [--out DIR] [--keypoints FILE]

  Plays a game in headless Chromium and judges it (exit 0 passed, 1 failed, 2 could not run).
  <dir>        a built game folder (dist/), or a phase workspace holding dist/, served on 127.0.0.1
               with the production game CSP; the design.json in the folder or the one above it (a
               workspace's) gives the keypoints the judge checks as the rubric, and its names and palette
  <url>        a served game; a /play/N/ URL is judged as the sandboxed variant
  --sandbox    with a folder: also play the sandboxed /play/N/ variant (opaque origin, no storage)
  --seconds N  game seconds of scripted play (default 24; the judge plays at 4× speed)
  --seed N     seed of Math.random in the page and of the input script (default 1)
  --json       print the whole play-test document (playtest.json) instead of the summary
  --compact    print a short JSON instead: verdict, score, failed checks with reasons, the keypoint
               rubric, and the paths of the full document and screenshots (written to --out,
               default ./${DEFAULT_COMPACT_OUT})
  --out DIR    also write playtest.json and the screenshots there
  --keypoints FILE  check these keypoints: a design.json, { "keypoints": [...] } or an array of them
  --round N    the play-test round the document records (default 1)
  --expect J   what the game should match, as JSON: {names, palette, keypoints} (the design's; instead of
               the design file)
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
  if ([args.values.json, args.values.compact, args.values.bundle].filter(Boolean).length > 1)
    return couldNotRun(
      'bad_arguments',
      `--json, --compact and --bundle are three outputs: pick one\n${PLAYTEST_USAGE}`,
    );
  let served: ServedDir | null = null;
  let targets: JudgeTarget[];
  let gameDir: string | null = null;
  if (/^https?:\/\//i.test(target)) {
    if (args.values.sandbox) {
      return couldNotRun(
        'bad_arguments',
        '--sandbox applies to a folder; to judge the sandboxed variant of a served game, pass its /play/N/ URL',
      );
    }
    targets = [servingOf(target)];
  } else {
    gameDir = gameFolderOf(path.resolve(target));
    if (!gameDir) {
      return couldNotRun(
        'bad_arguments',
        `${path.resolve(target)} is not a game folder (no index.html, nor dist/index.html)`,
      );
    }
    targets = [];
  }
  let design: Awaited<ReturnType<typeof loadDesignExpectations>>;
  try {
    design = await loadDesignExpectations({
      keypointsFile: args.values.keypoints,
      searchDirs: gameDir ? designDirsOf(gameDir) : [],
    });
  } catch (e) {
    if (!(e instanceof KeypointsFileError)) throw e;
    return couldNotRun('bad_arguments', e.message);
  }
  if (design.warning) io.err(`note: ${design.warning}`);
  if (gameDir) {
    served = await serveGameDir(gameDir);
    targets = [{ mode: 'own-origin', url: served.url }];
    if (args.values.sandbox) targets.push({ mode: 'sandboxed', url: served.sandboxUrl });
  }
  const keypointsFrom = design.source && shortPath(design.source);
  try {
    const result = await oneShotBrowser(chromium).use((browser) =>
      browser
        ? judgeGame(browser, targets, { seconds, seed, round, expect: expect ?? design.expect })
        : Promise.resolve(null),
    );
    if (!result) return couldNotRun('no_browser', `could not run: no browser (${chromium} is not installed)`);
    const out = args.values.out ?? (args.values.compact ? DEFAULT_COMPACT_OUT : undefined);
    let files: EvidenceFiles | null = null;
    if (out) {
      await mkdir(out, { recursive: true });
      const doc = path.join(out, 'playtest.json');
      await writeFile(doc, `${JSON.stringify(result.document, null, 2)}\n`);
      for (const s of result.screenshots) await writeFile(path.join(out, s.name), s.bytes);
      files = {
        document: shortPath(doc),
        screenshots: result.screenshots.map((s) => shortPath(path.join(out, s.name))),
      };
    }
    if (args.values.bundle) {
      const screenshots = result.screenshots.map((s) => ({ name: s.name, png: s.bytes.toString('base64') }));
      io.out(JSON.stringify({ document: result.document, screenshots }));
    } else
      io.out(
        args.values.json
          ? JSON.stringify(result.document, null, 2)
          : args.values.compact
            ? JSON.stringify(compactReport(result.document, files, keypointsFrom), null, 1)
            : summary(result.document, keypointsFrom),
      );
    return result.document.passed ? 0 : 1;
  } catch (e) {
    if (e instanceof PlaytestUnreachableError) return couldNotRun('game_unreachable', `could not run: ${e.message}`);
    throw e;
  } finally {
    await served?.close();
  }
}

/** The folder to serve: `dir` itself when it holds index.html, else its dist/ (a phase workspace), else null. */
function gameFolderOf(dir: string): string | null {
  for (const d of [dir, path.join(dir, 'dist')])
    if (existsSync(path.join(d, 'index.html')) && statSync(d).isDirectory()) return d;
  return null;
}

/** A path relative to the working directory when it lies inside it (what a reader in the workspace opens). */
function shortPath(p: string): string {
  const rel = path.relative(process.cwd(), path.resolve(p));
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.resolve(p);
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
      compact: { type: 'boolean' },
      keypoints: { type: 'string' },
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
