// The public JSON view of a job (what the API returns and the gallery shows).
import { phaseName, type PhaseNumber } from './artifacts.ts';
import type { PhaseRunRow } from './jobs/phase-runs.ts';
import type { JobRow } from './jobs/repository.ts';

export function jobView(job: JobRow) {
  return {
    id: job.id,
    idea: job.idea,
    genre: job.genre,
    gameGenre: job.game_genre ?? job.genre,
    seed: job.seed,
    status: job.status,
    phase: job.phase,
    phaseName: job.phase ? phaseName(job.phase as PhaseNumber) : null,
    title: job.title,
    error: job.error,
    agent: job.agent,
    slot: job.slot,
    url: job.url,
    provider: job.provider,
    compareGroup: job.compare_group,
    usage: job.usage,
    playtest: job.playtest, // {round, score, passed, at, failed}; the full result is the playtest.json artifact
    createdAt: job.created_at,
    startedAt: job.started_at,
    deployedAt: job.deployed_at,
    finishedAt: job.finished_at,
  };
}

/** A phase run row, or the same row from a JSON aggregate (timestamps already ISO strings: lib/jobs/views.ts). */
type PhaseRunLike = Omit<PhaseRunRow, 'started_at' | 'finished_at'> & {
  started_at: Date | string;
  finished_at: Date | string | null;
};

export function phaseRunView(run: PhaseRunLike) {
  return {
    phase: run.phase,
    name: phaseName(run.phase as PhaseNumber),
    status: run.status,
    runtime: run.runtime,
    agent: run.agent,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    durationMs: run.duration_ms,
    agentMs: run.agent_ms,
    error: run.error,
    usage: run.usage,
  };
}
