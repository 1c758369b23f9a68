// `npm run bench [section…]`: prints the performance figures, one per line, each
// measured in this run (a figure from elsewhere is marked cited, with its
// source); graphile-worker's log goes to bench/results/<date>.worker.log and the
// figures to bench/results/<date>.json. Sections: pipeline, fair, reads, fps, gallery, docker, playtest.
// `npm run bench -- --compare a.json b.json` prints two reports side by side.
// Figures, never assertions: a slow machine prints slow numbers.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT_DIR } from '../lib/config.ts';
import { startEmbeddedPostgres } from '../lib/embedded-postgres.ts';
import { benchDatabases, logWorkersTo } from './bench-db.ts';
import { compareReports, createReport, writeReport } from './report.ts';
import { freePort } from '../support/free-port.ts';
import { MAX_CONCURRENT, ms, pipelineSection } from './pipeline-section.ts';

const RESULTS_DIR = path.join(ROOT_DIR, 'bench', 'results');
const SECTIONS = ['pipeline', 'fair', 'reads', 'fps', 'gallery', 'docker', 'playtest'];

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--compare') {
    if (args.length !== 3) throw new Error('usage: npm run bench -- --compare a.json b.json');
    return compareReports(args[1]!, args[2]!);
  }
  const unknown = args.filter((a) => !SECTIONS.includes(a));
  if (unknown.length) throw new Error(`unknown section(s) ${unknown.join(', ')}; sections: ${SECTIONS.join(', ')}`);
  const want = (name: string) => args.length === 0 || args.includes(name);

  const report = createReport();
  await mkdir(RESULTS_DIR, { recursive: true });
  const logFile = path.join(RESULTS_DIR, `${report.startedAt.replace(/[:.]/g, '-')}.worker.log`);
  logWorkersTo(logFile);
  if (want('playtest')) {
    if (!existsSync('/usr/bin/chromium')) report.skip('play-test', 'no /usr/bin/chromium');
    else await (await import('./playtest.ts')).playtestSection(report);
    if (args.length === 1) {
      console.log(`\nreport: ${path.relative(process.cwd(), await writeReport(report, RESULTS_DIR))}`);
      return;
    }
  }
  let dir: string | null = null;
  let stopPg = async () => {};
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gamepocgen-bench-pg-'));
    // fsync off, as in every earlier run of these figures: they measure orchestration, not the disk.
    const port = Number(process.env.BENCH_PG_PORT ?? 0) || (await freePort());
    const pg = await startEmbeddedPostgres({ dataDir: dir, port, fsync: false });
    adminUrl = pg.url;
    stopPg = pg.stop;
  }
  const dbs = benchDatabases(adminUrl);
  const load = os.loadavg().map((l) => l.toFixed(1));
  console.log(
    `GamePocGen bench — ${os.cpus().length} cores, load average ${load.join(' ')} at start, Node ${process.versions.node}, MAX_CONCURRENT=${MAX_CONCURRENT}`,
  );
  console.log(`worker log: ${path.relative(process.cwd(), logFile)}\n`);
  try {
    if (want('pipeline')) await pipelineSection(report, dbs);
    if (want('reads')) {
      const { reads } = await import('./reads.ts');
      await reads(report, dbs);
    }
    if (want('fair')) {
      const { fairQueue } = await import('./fair-queue.ts');
      const jobs = Number(process.env.BENCH_FAIR_JOBS ?? 100);
      const before = await fairQueue(await dbs.database('bench_fair_off'), jobs, MAX_CONCURRENT, false);
      const after = await fairQueue(await dbs.database('bench_fair_on'), jobs, MAX_CONCURRENT, true);
      for (const [label, f] of [
        ['priorities off (before)', before],
        ['priorities on (after)', after],
      ] as const)
        report.add(`fair.${label.split(' ')[1]}.first_game`, `${jobs} queued jobs, ${label}: first game`, {
          ...ms(f.firstGameMs),
          note: `all ${f.totalMs.toFixed(0)} ms, failed ${f.failed}`,
        });
      report.add('fair.first_game.ratio', 'time to first game, priorities on ÷ off', {
        value: after.firstGameMs / before.firstGameMs,
        unit: '×',
        better: 'lower',
        note: `total ${(after.totalMs / before.totalMs).toFixed(2)}×`,
      });
    }
    if (want('fps')) {
      if (!existsSync('/usr/bin/chromium')) report.skip('game frame rate', 'no /usr/bin/chromium');
      else {
        const { measureGameFps } = await import('./game-fps.ts');
        const fps = await measureGameFps();
        for (const k of fps.perKit)
          report.add(`fps.first_frame.${k.kit}`, `  ${k.kit} first frame`, ms(k.firstFrameMs));
        report.add('fps.first_frame.worst', 'game first frame, worst kit', ms(fps.firstFrameMs, 'target ≤ 300 ms'));
        report.add('fps.worst', 'game frame rate, worst kit', {
          value: fps.fps,
          unit: 'fps',
          better: 'higher',
          note: 'target ≥ 55',
        });
      }
    }
    if (want('gallery')) {
      if (!existsSync('/usr/bin/chromium')) report.skip('gallery phase-change latency', 'no /usr/bin/chromium');
      else {
        const { measureGallery } = await import('./gallery.ts');
        const g = await measureGallery(await dbs.database('bench_gallery'));
        report.add(
          'gallery.studio_first_screen',
          'studio gallery first screen, 1 000 jobs (median of 5 loads)',
          ms(g.firstScreenMs, 'target < 1 s'),
        );
        report.add(
          'gallery.phase_change.p50',
          'phase change → open gallery card, p50 (from commit)',
          ms(g.phaseChange.p50, `n=${g.phaseChange.n}; target < 100 ms`),
        );
        report.add(
          'gallery.phase_change.p99',
          'phase change → open gallery card, p99 (from commit)',
          ms(g.phaseChange.p99, 'target < 100 ms'),
        );
      }
    }
    if (want('docker')) {
      try {
        const { measureDockerOverhead } = await import('./docker-overhead.ts');
        const d = await measureDockerOverhead();
        report.add(
          'docker.phase',
          'container phase (create→start→exit→logs), median',
          ms(d.runtime.medianMs, `n=${d.iterations}`),
        );
        report.add('docker.run_rm', 'docker run --rm, same image (baseline), median', ms(d.dockerRunRm.medianMs));
        report.add('docker.ratio', 'container phase ÷ docker run --rm', {
          value: d.ratio,
          unit: '×',
          better: 'lower',
          note: `target ≤ ${d.target}×`,
        });
      } catch (e) {
        report.skip('container phase overhead', `Docker not available: ${(e as Error).message.slice(0, 80)}`);
      }
    }
  } finally {
    await stopPg();
    if (dir) await rm(dir, { recursive: true, force: true });
    // Also when a section failed: the figures measured so far are kept.
    console.log(`\nreport: ${path.relative(process.cwd(), await writeReport(report, RESULTS_DIR))}`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e : new Error(`bench failed: ${String(e)}`));
    process.exit(1);
  },
);
