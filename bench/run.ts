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
import { rawHandoffLatency, rawPickupLatency, type HandoffParts } from './graphile-baseline.ts';
import { mergeFigures, sequentialGames, throughput, type SequentialFigures } from './pipeline.ts';
import { median, summarize } from './stats.ts';
import { compareReports, createReport, writeReport } from './report.ts';
import { freePort } from '../support/free-port.ts';
import { runnerDatabaseUrl } from '../lib/db.ts';

const MAX_CONCURRENT = Number(process.env.MAX_CONCURRENT ?? 5);
const GAMES = Number(process.env.BENCH_GAMES ?? 40);
/** Interleaved rounds of the hand-off comparison (raw, then ours). */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
const RESULTS_DIR = path.join(ROOT_DIR, 'bench', 'results');
const SECTIONS = ['pipeline', 'fair', 'reads', 'fps', 'gallery', 'docker', 'playtest'];

type Report = ReturnType<typeof createReport>;
const ms = (value: number, note?: string) => ({ value, unit: 'ms', better: 'lower' as const, note });

async function pipeline(report: Report, dbs: ReturnType<typeof benchDatabases>) {
  const rawPickup = summarize(await rawPickupLatency(await dbs.database('bench_raw'), 300, MAX_CONCURRENT));
  report.add(
    'pickup.raw.p50',
    'raw graphile-worker pickup p50 (add_job → start)',
    ms(rawPickup.p50, `n=${rawPickup.n}`),
  );
  report.add('pickup.raw.p99', 'raw graphile-worker pickup p99', ms(rawPickup.p99));
  // Both hand-offs start just before the add_job that queues the next step, in the step's closing transaction
  // (raw: on the task's clock; ours: the closing phase run's finished_at), so both include add_job and commit.
  // Raw ends when graphile-worker starts the next task; ours when the next step is recorded (its first write).
  // Interleaved rounds (raw, then ours, back to back): raw's own p50 moves by a third within minutes here, so
  // a ratio is read per round too (median and range), not only from two measurements minutes apart.
  const rawSamples: number[] = [];
  const seqRounds: SequentialFigures[] = [];
  const perRound: { raw: number; ours: number; toTask: number; rawGeneric: number }[] = [];
  // Raw again with our runner's session setting (generic plans, lib/db.ts runnerDatabaseUrl): how much of the
  // ratio that setting buys, and what is left of the gap when raw has it too.
  const rawGenericSamples: number[] = [];
  const rawParts: HandoffParts = { toNoticeMs: [], noticeToStartMs: [], toReturnMs: [], returnToStartMs: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const raw = await rawHandoffLatency(
      await dbs.database(`bench_raw_chain_${round}`),
      Math.ceil(300 / ROUNDS),
      MAX_CONCURRENT,
      rawParts,
    );
    const rawGeneric = await rawHandoffLatency(
      runnerDatabaseUrl(await dbs.database(`bench_raw_generic_${round}`)),
      Math.ceil(300 / ROUNDS),
      MAX_CONCURRENT,
    );
    const ours = await sequentialGames(
      await dbs.database(`bench_seq_${round}`),
      Math.ceil(GAMES / ROUNDS),
      MAX_CONCURRENT,
    );
    rawSamples.push(...raw);
    rawGenericSamples.push(...rawGeneric);
    seqRounds.push(ours);
    perRound.push({
      raw: summarize(raw).p50,
      ours: summarize(ours.handoffMs).p50,
      toTask: summarize(ours.toTaskStartMs).p50,
      rawGeneric: summarize(rawGeneric).p50,
    });
  }
  const rawHandoff = summarize(rawSamples);
  report.add(
    'handoff.raw.p50',
    'raw graphile-worker hand-off p50 (add_job+commit → next task)',
    ms(rawHandoff.p50, `n=${rawHandoff.n}, ${ROUNDS} rounds`),
  );
  report.add('handoff.raw.p99', 'raw graphile-worker hand-off p99', ms(rawHandoff.p99));
  const rawGeneric = summarize(rawGenericSamples);
  report.add(
    'handoff.raw_generic.p50',
    "  raw, with our runner sessions' generic plans, p50",
    ms(rawGeneric.p50, `n=${rawGeneric.n}; plan_cache_mode=force_generic_plan, as lib/db.ts runnerDatabaseUrl`),
  );

  const seq = mergeFigures(seqRounds);
  const handoff = summarize(seq.handoffMs);
  report.add(
    'handoff.ours.p50',
    'our step hand-off p50 (add_job+commit → next step recorded)',
    ms(handoff.p50, `n=${handoff.n}, ${ROUNDS} rounds`),
  );
  report.add('handoff.ours.p99', 'our step hand-off p99', ms(handoff.p99));
  report.add('handoff.ratio.p50', 'our hand-off ÷ raw graphile-worker, p50', {
    value: handoff.p50 / rawHandoff.p50,
    unit: '×',
    better: 'lower',
    note: 'target ≤ 1.5×',
  });
  const ratios = perRound.map((r) => r.ours / r.raw);
  report.add('handoff.ratio.rounds', '  the same, per round (raw, then ours, back to back): median', {
    value: median(ratios),
    unit: '×',
    better: 'lower',
    note: `rounds: ${ratios.map((x) => x.toFixed(2)).join(', ')} (raw p50 ${perRound.map((r) => r.raw.toFixed(2)).join(', ')} ms)`,
  });
  report.add('handoff.ratio_generic.p50', '  ours ÷ raw with the same session setting, p50', {
    value: handoff.p50 / rawGeneric.p50,
    unit: '×',
    better: 'lower',
    note: `per round: ${perRound.map((r) => (r.ours / r.rawGeneric).toFixed(2)).join(', ')}; the gap left when raw is tuned as ours`,
  });
  report.add(
    'handoff.ours.to_task.p50',
    '  of which add_job+commit → graphile-worker starts our task',
    ms(summarize(seq.toTaskStartMs).p50, "p50; raw's whole span: NOTIFY, get_job"),
  );
  report.add('handoff.ratio_to_task.p50', '  the same span as raw (to task start) ÷ raw, p50', {
    value: summarize(seq.toTaskStartMs).p50 / rawHandoff.p50,
    unit: '×',
    better: 'lower',
    note: `ours also records the step; raw starts a no-op; per round: ${perRound.map((r) => (r.toTask / r.raw).toFixed(2)).join(', ')}`,
  });
  // Where the two spans part: each split where the runner hears the NOTIFY (p50 of each part, so they need not add
  // up). Only hand-offs whose task started after its NOTIFY count: the other ones were taken by the worker that
  // ran the step before, looking for more work as it finished (n says how many are left).
  for (const [key, label, mine, theirs] of [
    ['to_notice', 'add_job+commit → the runner hears the NOTIFY', seq.toNoticeMs, rawParts.toNoticeMs],
    ['notice_to_task', 'NOTIFY heard → task start (get_job)', seq.noticeToStartMs, rawParts.noticeToStartMs],
    // The other split: the step's own end (its commit: Postgres wakes every listening backend of the database
    // on a commit that notifies, ours has the event hub's besides graphile-worker's) and the next get_job after it.
    ['to_return', 'add_job+commit → the step before has returned', seq.toReturnMs, rawParts.toReturnMs],
    ['return_to_task', 'the step before returned → task start', seq.returnToStartMs, rawParts.returnToStartMs],
  ] as const)
    report.add(`handoff.ours.${key}.p50`, `    ${label}`, {
      ...ms(
        summarize(mine).p50,
        `p50, n=${mine.length}; raw ${summarize(theirs).p50.toFixed(2)} ms (n=${theirs.length})`,
      ),
    });
  report.add(
    'handoff.ours.task_to_record.p50',
    '  of which task start → step recorded',
    ms(
      summarize(seq.taskStartToRecordMs).p50,
      'p50; ours alone: payload check, one statement reads the job and starts',
    ),
  );
  report.add(
    'handoff.ours.phase.p50',
    '  hand-offs to phases 2‥4, p50',
    ms(summarize(seq.handoffPhaseMs).p50, `n=${seq.handoffPhaseMs.length}`),
  );
  report.add(
    'handoff.ours.deploy.p50',
    '  hand-offs to the deploy (recorded: deploying), p50',
    ms(summarize(seq.handoffDeployMs).p50, `n=${seq.handoffDeployMs.length}`),
  );
  const first = summarize(seq.firstPickupMs);
  report.add('first_pickup.p50', 'enqueue → first phase starts, p50', ms(first.p50, `n=${first.n}`));
  report.add('first_pickup.original.p50', 'enqueue → first phase, the original system, p50', {
    ...ms(2707),
    cited: 'issue 14, measured side by side with the original (5 s poll)',
  });

  const total = summarize(seq.totalMs);
  report.add(
    'game.total.p50',
    'game time, queued → deployed, p50',
    ms(total.p50, `n=${total.n}, failed ${seq.failed}`),
  );
  const overhead = summarize(seq.totalMs.map((t, i) => t - seq.workerMs[i]!));
  report.add(
    'game.overhead.p50',
    'orchestration overhead per game, p50',
    ms(overhead.p50, 'minus worker runs; target < 300 ms'),
  );
  report.add('game.overhead.p99', 'orchestration overhead per game, p99', ms(overhead.p99));
  const withStartup = summarize(seq.totalMs.map((t, i) => t - seq.agentMs[i]!));
  report.add('game.overhead_with_startup.p50', '  counting worker start-up as overhead, p50', ms(withStartup.p50));

  const one = await throughput(await dbs.database('bench_tp1'), Math.min(GAMES, 20), 1);
  report.add('throughput.1', 'games/minute, 1 worker', {
    value: one.gamesPerMinute,
    unit: '/min',
    better: 'higher',
    note: `${Math.min(GAMES, 20)} games in ${one.seconds.toFixed(1)} s, failed ${one.failed}`,
  });
  const many = await throughput(await dbs.database('bench_tpn'), GAMES, MAX_CONCURRENT);
  report.add(`throughput.${MAX_CONCURRENT}`, `games/minute, ${MAX_CONCURRENT} workers`, {
    value: many.gamesPerMinute,
    unit: '/min',
    better: 'higher',
    note: `${GAMES} games in ${many.seconds.toFixed(1)} s, failed ${many.failed}; target ≥ 60`,
  });
}

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
    if (want('pipeline')) await pipeline(report, dbs);
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
