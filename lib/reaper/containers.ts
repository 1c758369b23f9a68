// reapContainers: one idempotent pass over the containers the Docker path
// created (found by their gamepocgen.* labels):
//   - worker past its gamepocgen.deadline → killed (reported: fail the phase as timeout), logs stored, removed
//   - worker exited (runner gone) → logs stored, removed
//   - play-test container (gamepocgen.role=playtest) past its deadline or exited → killed / removed
//     like a worker, its output not stored (a verdict nobody waits for; the task is retried)
//   - game container whose slot now belongs to another job (or none) → removed
// Two reapers may run at once. A worker is claimed by renaming it to a name
// every contender computes identically (`<name>.reaping.<time bucket>`): the
// engine lets exactly one rename win; the others get 404 (the old name is gone)
// or 400 (already has that name) and skip it. A claim whose reaper died is
// taken over two buckets later. Every removal tolerates "already gone".
import type Docker from 'dockerode';
import { toDocker, type DockerLike } from '../docker/client.ts';
import { engineMessage, isConflict, isNotFound, statusOf, tolerateGone } from '../docker/errors.ts';
import { LABEL, intLabel, roleFilter } from '../docker/labels.ts';
import { demuxBuffer } from '../docker/lines.ts';
import { parseWorkerLine, type WorkerLine } from '../worker-protocol/lines.ts';

export interface StoredLogs {
  containerId: string;
  name: string;
  jobId: number | null;
  phase: number | null;
  exitCode: number | null;
  lines: WorkerLine[];
}

export type ReapAction =
  | {
      action: 'killed-overdue';
      role: 'worker' | 'playtest';
      containerId: string;
      name: string;
      jobId: number | null;
      phase: number | null;
      deadline: number;
    }
  | {
      action: 'removed-worker';
      role: 'worker' | 'playtest';
      containerId: string;
      name: string;
      jobId: number | null;
      phase: number | null;
      exitCode: number | null;
      logLines: number;
    }
  | {
      action: 'removed-game';
      containerId: string;
      name: string;
      slot: number | null;
      jobId: number | null;
      slotOwner: number | null;
    };

export interface ReapReport {
  actions: ReapAction[];
  /** Containers that could not be handled this pass (retried next pass). */
  errors: Array<{ containerId: string; name: string; message: string }>;
}

export interface ReapOptions {
  docker?: DockerLike;
  /** The clock: epoch ms, a Date, or a function returning either (default: Date.now). */
  now?: number | Date | (() => number | Date);
  /** Stores an orphaned worker's output as job events before its container is removed. A throw keeps the container for the next pass. */
  storeLogs?: (logs: StoredLogs) => Promise<void>;
  /** The job the slot belongs to now (null = free). Without it game containers are left alone. */
  slotOwner?: (slot: number) => Promise<number | null>;
  /** Extra label filters (tests isolate a run with one). */
  labels?: Record<string, string>;
  /** Exited workers younger than this may still be handled by their live runtime (default 60s). */
  exitedGraceSeconds?: number;
  /** Game containers younger than this may belong to a publish in progress (default 60s). */
  gameGraceSeconds?: number;
  /** Claim time bucket: a claim from two buckets ago belongs to a reaper that died mid-way and is taken over (default 300s). */
  staleClaimSeconds?: number;
  /** Lines of an orphan's log to store (default 2000, the last ones). */
  logTail?: number;
  /** Values to redact from stored log lines. */
  secrets?: string[];
}

const CLAIM = /\.reaping\.(\d+)$/;
const epochSeconds = (iso: string | undefined) =>
  iso && !iso.startsWith('0001-') ? Math.floor(Date.parse(iso) / 1000) : null;

/** Reaps each container in turn; an engine error is recorded against that container and the sweep goes on. */
async function eachContainer(
  infos: Docker.ContainerInfo[],
  report: ReapReport,
  reap: (info: Docker.ContainerInfo, name: string) => Promise<void>,
): Promise<void> {
  for (const info of infos) {
    const name = (info.Names[0] ?? info.Id).replace(/^\//, '');
    try {
      await reap(info, name);
    } catch (e) {
      report.errors.push({ containerId: info.Id, name, message: engineMessage(e) });
    }
  }
}

export async function reapContainers(opts: ReapOptions = {}): Promise<ReapReport> {
  const docker = toDocker(opts.docker);
  const nowMs = Number(typeof opts.now === 'function' ? opts.now() : (opts.now ?? Date.now()));
  const nowS = Math.floor(nowMs / 1000);
  const report: ReapReport = { actions: [], errors: [] };
  const workers = await docker.listContainers({ all: true, filters: roleFilter('worker', opts.labels) });
  const playtests = await docker.listContainers({ all: true, filters: roleFilter('playtest', opts.labels) });
  await eachContainer([...workers, ...playtests], report, (info, name) =>
    reapWorker(docker, info, name, nowS, opts, report),
  );
  if (opts.slotOwner) {
    const games = await docker.listContainers({ all: true, filters: roleFilter('game', opts.labels) });
    await eachContainer(games, report, (info, name) => reapGame(docker, info, name, nowS, opts, report));
  }
  return report;
}

async function reapWorker(
  docker: Docker,
  info: Docker.ContainerInfo,
  name: string,
  nowS: number,
  opts: ReapOptions,
  report: ReapReport,
) {
  const jobId = intLabel(info.Labels, LABEL.job);
  const phase = intLabel(info.Labels, LABEL.phase);
  const deadline = intLabel(info.Labels, LABEL.deadline);
  const playtest = info.Labels?.[LABEL.role] === 'playtest';
  const running = info.State === 'running' || info.State === 'paused' || info.State === 'restarting';
  const overdue = running && deadline !== null && nowS > deadline;
  if (running && !overdue) return;
  const bucket = Math.floor(nowS / (opts.staleClaimSeconds ?? 300));
  const claim = CLAIM.exec(name);
  if (claim && Number(claim[1]) >= bucket - 1) return; // another reaper is on it
  if (!running && !claim) {
    // A live runtime removes its own container right after exit; give it time.
    const inspected = await docker
      .getContainer(info.Id)
      .inspect()
      .catch((e) => (isNotFound(e) ? null : Promise.reject(e)));
    if (!inspected) return;
    const endedAt = epochSeconds(inspected.State.FinishedAt) ?? epochSeconds(inspected.Created) ?? 0;
    if (nowS - endedAt < (opts.exitedGraceSeconds ?? 60)) return;
  }
  // Claim: rename by the name we listed to the name every contender computes. Exactly one succeeds.
  const base = claim ? name.slice(0, claim.index) : name;
  try {
    await docker.getContainer(name).rename({ name: `${base}.reaping.${bucket}` });
  } catch (e) {
    // 404: renamed or removed by another reaper; 400: it already carries the claim name; 409: name taken.
    if (isNotFound(e) || isConflict(e) || statusOf(e) === 400) return;
    throw e;
  }
  const container = docker.getContainer(info.Id);
  if (overdue) {
    await tolerateGone(() => container.kill());
    report.actions.push({
      action: 'killed-overdue',
      role: playtest ? 'playtest' : 'worker',
      containerId: info.Id,
      name: base,
      jobId,
      phase,
      deadline: deadline!,
    });
    await container.wait().catch(() => {});
  }
  const state = await container.inspect().then(
    (i) => i.State,
    () => null,
  );
  const exitCode = state && typeof state.ExitCode === 'number' ? state.ExitCode : null;
  let lines: WorkerLine[] = [];
  if (!playtest) {
    const raw = (await container
      .logs({ stdout: true, stderr: true, follow: false, tail: opts.logTail ?? 2000 })
      .catch(() => Buffer.alloc(0))) as Buffer;
    lines = demuxBuffer(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)))
      .map((l) => parseWorkerLine(l.text, l.from, opts.secrets ?? []))
      .filter((l): l is WorkerLine => l !== null);
    // If storing fails the container stays (claimed) and is retried once the claim goes stale.
    await opts.storeLogs?.({ containerId: info.Id, name: base, jobId, phase, exitCode, lines });
  }
  await tolerateGone(() => container.remove({ force: true, v: true }));
  report.actions.push({
    action: 'removed-worker',
    role: playtest ? 'playtest' : 'worker',
    containerId: info.Id,
    name: base,
    jobId,
    phase,
    exitCode,
    logLines: lines.length,
  });
}

async function reapGame(
  docker: Docker,
  info: Docker.ContainerInfo,
  name: string,
  nowS: number,
  opts: ReapOptions,
  report: ReapReport,
) {
  if (nowS - info.Created < (opts.gameGraceSeconds ?? 60)) return;
  const slot = intLabel(info.Labels, LABEL.slot);
  const jobId = intLabel(info.Labels, LABEL.job);
  const owner = slot === null ? null : await opts.slotOwner!(slot);
  if (owner !== null && owner === jobId) return;
  if (await tolerateGone(() => docker.getContainer(info.Id).remove({ force: true }))) {
    report.actions.push({ action: 'removed-game', containerId: info.Id, name, slot, jobId, slotOwner: owner });
  }
}
