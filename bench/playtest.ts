// `npm run bench playtest`: the judge's cost and accuracy. Each fixture game
// (test/fixtures/playtest-games/, served from disk) and each builtin kit's game
// is judged on its own origin and sandboxed, as the CLI does; it prints the wall
// time and the browser's peak memory (RSS of this process's Chromium processes,
// sampled) per play-test, and how many verdicts were right.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { serveGameDir } from '../bin/serve-game-dir.ts';
import { GENRES, type Genre } from '../lib/artifacts.ts';
import { sharedBrowser } from '../lib/playtest/browser.ts';
import { judgeGame } from '../lib/playtest/judge.ts';
import type { createReport } from './report.ts';
import { generateGame } from '../support/generate-game.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const FIXTURES = path.join(ROOT, 'test/fixtures/playtest-games');
/** The check each flawed fixture must fail (kept in step with test/playtest/fixture-suite.ts). */
const MUST_FAIL: Record<string, string> = {
  'throws-first-frame': 'loads',
  'blank-canvas': 'picture',
  'ignores-input': 'inputReal',
  'external-url': 'offline',
  'loading-stuck': 'starts',
  'no-goal': 'isGame',
  'text-only': 'picture',
  'undocumented-controls': 'controlsDocumented',
  'noise-fake-game': 'picture',
  'crash-10s': 'survives',
  'instant-death': 'isGame',
  'sandbox-storage': 'sandboxed',
  'inline-script': 'starts',
};

/** BENCH_PLAYTEST_GAMES=blank-canvas,kit:snake judges only those (default: every fixture and kit). */
const only = (process.env.BENCH_PLAYTEST_GAMES ?? '').split(',').filter(Boolean);
const wanted = (name: string) => !only.length || only.includes(name);

export interface PlaytestBenchRow {
  game: string;
  wallMs: number;
  peakMb: number;
  score: number;
  passed: boolean;
  right: boolean;
  note: string;
}

/** Sum of VmRSS over the descendants of this process (Chromium and its helpers), in MB. */
async function browserRssMb(): Promise<number> {
  const parents = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const name of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(name)) continue;
    const status = await readFile(`/proc/${name}/status`, 'utf8').catch(() => '');
    const ppid = /^PPid:\s+(\d+)/m.exec(status)?.[1];
    const kb = /^VmRSS:\s+(\d+)/m.exec(status)?.[1];
    if (ppid) parents.set(Number(name), Number(ppid));
    if (kb) rss.set(Number(name), Number(kb));
  }
  const isOurs = (pid: number): boolean => {
    for (let p = parents.get(pid), n = 0; p !== undefined && n < 20; p = parents.get(p), n++)
      if (p === process.pid) return true;
    return false;
  };
  let kb = 0;
  for (const [pid, v] of rss) if (isOurs(pid)) kb += v;
  return kb / 1024;
}

async function kitGame(genre: Genre): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const g = await generateGame({ idea: `a ${genre} game about owls`, genre, seed: 3 });
  return { dir: path.join(g.dir, 'dist'), cleanup: g.cleanup };
}

export async function benchPlaytest(): Promise<{ rows: PlaytestBenchRow[]; right: number; total: number }> {
  const browser = sharedBrowser();
  const rows: PlaytestBenchRow[] = [];
  const games: { name: string; dir: string; cleanup?: () => Promise<void> }[] = [
    ...(await readdir(FIXTURES))
      .sort()
      .filter(wanted)
      .map((name) => ({ name, dir: path.join(FIXTURES, name) })),
  ];
  for (const genre of GENRES) {
    if (!wanted(`kit:${genre}`)) continue;
    const g = await kitGame(genre);
    games.push({ name: `kit:${genre}`, dir: g.dir, cleanup: g.cleanup });
  }
  try {
    for (const game of games) {
      const served = await serveGameDir(game.dir);
      let peak = 0;
      const sampler = setInterval(() => void browserRssMb().then((mb) => (peak = Math.max(peak, mb))), 250);
      const started = performance.now();
      try {
        const { document: d } = await browser.use((b) =>
          judgeGame(b!, [
            { mode: 'own-origin', url: served.url },
            { mode: 'sandboxed', url: served.sandboxUrl },
          ]),
        );
        const failed = d.checks.filter((c) => !c.passed && c.required).map((c) => c.id);
        const must = MUST_FAIL[game.name];
        const right = must ? !d.passed && failed.includes(must as never) : d.passed;
        rows.push({
          game: game.name,
          wallMs: performance.now() - started,
          peakMb: Math.max(peak, await browserRssMb()),
          score: d.score,
          passed: d.passed,
          right,
          note: must
            ? `must fail ${must}; failed ${failed.join(', ') || 'nothing'}`
            : `must pass; failed ${failed.join(', ') || 'nothing'}`,
        });
      } finally {
        clearInterval(sampler);
        await served.close();
        await game.cleanup?.();
      }
    }
  } finally {
    await browser.close();
  }
  return { rows, right: rows.filter((r) => r.right).length, total: rows.length };
}

/** The `playtest` section of `npm run bench`: one line per game, then the summary figures. */
export async function playtestSection(report: ReturnType<typeof createReport>): Promise<void> {
  const b = await benchPlaytest();
  for (const r of b.rows)
    report.add(`playtest.wall.${r.game}`, `  play-test ${r.game}`, {
      value: r.wallMs / 1000,
      unit: 's',
      better: 'lower',
      note: `${r.peakMb.toFixed(0)} MB; ${r.passed ? 'passed' : 'failed'} ${r.score}/100, ${r.right ? 'right' : 'WRONG'} (${r.note})`,
    });
  const walls = b.rows.map((r) => r.wallMs / 1000).sort((x, y) => x - y);
  const s = (value: number, note?: string) => ({ value, unit: 's', better: 'lower' as const, note });
  report.add(
    'playtest.wall.median',
    'play-test wall time per game, median',
    s(walls[Math.floor(walls.length / 2)] ?? 0, 'own origin + sandboxed'),
  );
  report.add(
    'playtest.wall.worst',
    'play-test wall time per game, worst',
    s(walls.at(-1) ?? 0, 'target ≤ 30 s per game'),
  );
  report.add('playtest.peak_memory.worst', 'play-test browser peak memory, worst', {
    value: Math.max(0, ...b.rows.map((r) => r.peakMb)),
    unit: 'MB',
    better: 'lower',
  });
  report.add('playtest.accuracy', 'judge accuracy on the fixture set + kits', {
    value: b.right,
    unit: `/${b.total}`,
    better: 'higher',
    note: 'flaws fail on the named check; controls pass',
  });
}
