// `npm run bench pipeline`: the pipeline section's figures (bench/run.ts prints and saves them):
// raw graphile-worker's pickup and hand-off against ours, in interleaved rounds, then game time,
// orchestration overhead and games per minute.
import { runnerDatabaseUrl } from '../lib/db.ts';
import type { benchDatabases } from './bench-db.ts';
import { rawHandoffLatency, rawPickupLatency, type HandoffParts } from './graphile-baseline.ts';
import { mergeFigures, sequentialGames, throughput, type SequentialFigures } from './pipeline.ts';
import type { createReport } from './report.ts';
import { median, summarize } from './stats.ts';

export const MAX_CONCURRENT = Number(process.env.MAX_CONCURRENT ?? 5);
const GAMES = Number(process.env.BENCH_GAMES ?? 40);
/** Interleaved rounds of the hand-off comparison (raw, then ours). */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));

type Report = ReturnType<typeof createReport>;
export const ms = (value: number, note?: string) => ({ value, unit: 'ms', better: 'lower' as const, note });

/** The pipeline section: pickup, the hand-off against raw graphile-worker (interleaved rounds), game time and throughput. */
export async function pipelineSection(report: Report, dbs: ReturnType<typeof benchDatabases>) {
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
