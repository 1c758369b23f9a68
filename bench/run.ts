// `npm run bench`: prints every performance figure the issues ask for, each
// against its target and, where there is one, a baseline measured in this run.
// Figures, never assertions: a slow machine prints slow numbers.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../lib/embedded-postgres.ts';
import { benchDatabases, rawPickupLatency, sequentialGames, summarize, throughput } from './pipeline.ts';
import { fmt } from './stats.ts';

const MAX_CONCURRENT = Number(process.env.MAX_CONCURRENT ?? 5);
const GAMES = Number(process.env.BENCH_GAMES ?? 40);
const line = (label: string, value: string, note = '') =>
  console.log(`${label.padEnd(44)} ${value.padEnd(26)} ${note}`);

async function main() {
  const only = new Set(process.argv.slice(2));
  const want = (name: string) => only.size === 0 || only.has(name);
  let dir: string | null = null;
  let stopPg = async () => {};
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gamepocgen-bench-pg-'));
    // fsync off, as in every earlier run of these figures: they measure orchestration, not the disk.
    const pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), fsync: false });
    adminUrl = pg.url;
    stopPg = pg.stop;
  }
  const dbs = benchDatabases(adminUrl);
  console.log(
    `GamePocGen bench — ${os.cpus().length} cores, Node ${process.versions.node}, MAX_CONCURRENT=${MAX_CONCURRENT}\n`,
  );
  try {
    if (want('pipeline')) {
      const raw = summarize(await rawPickupLatency(await dbs.database('bench_raw'), 300));
      line('raw graphile-worker pickup (baseline)', `p50 ${fmt(raw.p50)} p99 ${fmt(raw.p99)}`, `n=${raw.n}`);
      const seq = await sequentialGames(await dbs.database('bench_seq'), GAMES, MAX_CONCURRENT);
      const pickup = summarize(seq.pickupMs);
      line(
        'run-phase/deploy pickup (commit → start)',
        `p50 ${fmt(pickup.p50)} p99 ${fmt(pickup.p99)}`,
        `n=${pickup.n}; ${(pickup.p50 / raw.p50).toFixed(1)}× raw; target p50 < 10 ms`,
      );
      const overhead = seq.totalMs.map((t, i) => t - seq.workerMs[i]!);
      const withStartup = seq.totalMs.map((t, i) => t - seq.agentMs[i]!);
      const total = summarize(seq.totalMs);
      line('game time, queued → deployed', `p50 ${fmt(total.p50)}`, `n=${total.n}, failed ${seq.failed}`);
      line(
        'orchestration overhead per game',
        `p50 ${fmt(summarize(overhead).p50)} p99 ${fmt(summarize(overhead).p99)}`,
        'queued→deployed minus worker runs; target < 300 ms',
      );
      line(
        '  … counting worker start-up as overhead',
        `p50 ${fmt(summarize(withStartup).p50)}`,
        'queued→deployed minus agent time only (4 process starts)',
      );
      line('  polling design it replaces (5 s + 5 s polls)', '≥ 12000 ms of waiting', 'per game');
      const one = await throughput(await dbs.database('bench_tp1'), Math.min(GAMES, 20), 1);
      line(
        'games/minute, 1 worker',
        one.gamesPerMinute.toFixed(1),
        `${Math.min(GAMES, 20)} games in ${one.seconds.toFixed(1)} s, failed ${one.failed}`,
      );
      const many = await throughput(await dbs.database('bench_tpn'), GAMES, MAX_CONCURRENT);
      line(
        `games/minute, ${MAX_CONCURRENT} workers`,
        many.gamesPerMinute.toFixed(1),
        `${GAMES} games in ${many.seconds.toFixed(1)} s, failed ${many.failed}; target ≥ 60`,
      );
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
        line(
          `${jobs} queued jobs, ${label}`,
          `first game ${fmt(f.firstGameMs)}`,
          `all ${fmt(f.totalMs)}, failed ${f.failed}`,
        );
      line(
        'time to first game, after / before',
        `${(after.firstGameMs / before.firstGameMs).toFixed(2)}×`,
        `total ${(after.totalMs / before.totalMs).toFixed(2)}×`,
      );
    }
    if (want('fps')) {
      if (!existsSync('/usr/bin/chromium')) line('game frame rate', 'skipped', 'no /usr/bin/chromium');
      else {
        const { measureGameFps } = await import('./game-fps.ts');
        const fps = await measureGameFps();
        for (const k of fps.perKit) line(`  ${k.kit}`, `first frame ${fmt(k.firstFrameMs)}, ${k.fps.toFixed(1)} fps`);
        line(
          'game first frame / frame rate (worst kit)',
          `${fmt(fps.firstFrameMs)}, ${fps.fps.toFixed(1)} fps`,
          'target ≤ 300 ms, ≥ 55 fps',
        );
      }
    }
    if (want('docker')) {
      try {
        const { measureDockerOverhead } = await import('./docker-overhead.ts');
        const d = await measureDockerOverhead();
        line('container phase (create→start→exit→logs)', `median ${fmt(d.runtime.medianMs)}`, `n=${d.iterations}`);
        line('docker run --rm, same image (baseline)', `median ${fmt(d.dockerRunRm.medianMs)}`);
        line('container phase / docker run --rm', `${d.ratio.toFixed(2)}×`, `target ≤ ${d.target}×`);
      } catch (e) {
        line('container phase overhead', 'skipped', `Docker not available: ${(e as Error).message.slice(0, 80)}`);
      }
    }
  } finally {
    await stopPg();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

/** A free port for the bench's own server (a fixed one collides with another bench on the machine). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
