// Reconciliation: the slots Postgres says are served (slot → deployed job) against what the
// deployer actually serves. A slot whose container is missing, stopped or serving another job,
// or whose files are gone, is published again from the job's stored release (its dist/
// artifacts). Runs at runner start-up, on each reaper pass, on Docker engine events
// (lib/slot-watch.ts) and from deploy-game when its job is already deployed, so a deploy is
// idempotent by effect. Each slot is handled under its row lock (skip locked: a deploy in
// progress owns it), and each check's outcome is stored for /health.
import { loadArtifacts } from './artifact-store.ts';
import { inTransaction, type WithClient } from './db.ts';
import type { Deployer } from './deployers/types.ts';
import { addEvent } from './events.ts';
import { servedSlots } from './jobs/repository.ts';
import { lockSlotFor, recordSlotCheck } from './slots.ts';
import { makeScratchDir, removeDir, writeTree } from './workspace.ts';

export interface ReconcileDeps {
  deployer: Deployer;
  /** Scratch space for the release copy (config.workspaceDir). */
  workspaceDir: string;
  secrets?: string[];
}

export interface SlotOutcome {
  slot: number;
  jobId: number;
  /** Why it was not served (null: it was). */
  problem: string | null;
  /** restored: published again; failed: could not be (see error); skipped: a deploy held the slot. */
  action: 'none' | 'restored' | 'failed' | 'skipped';
  error?: string;
}

export const reconcileDeps = (deps: {
  deployer: Deployer;
  config: { workspaceDir: string };
  secrets: string[];
}): ReconcileDeps => ({ deployer: deps.deployer, workspaceDir: deps.config.workspaceDir, secrets: deps.secrets });

/** Checks every served slot (or only `slots`) and restores the ones that are not served. */
export async function reconcileSlots(
  deps: ReconcileDeps,
  withClient: WithClient,
  opts: { slots?: number[] } = {},
): Promise<SlotOutcome[]> {
  const desired = await withClient((c) => servedSlots(c, opts.slots));
  const outcomes: SlotOutcome[] = [];
  for (const { slot, jobId } of desired) outcomes.push(await reconcileSlot(deps, withClient, slot, jobId));
  return outcomes;
}

/** Makes slot N serve `jobId` if it does not; under the slot's row lock. */
export async function reconcileSlot(
  deps: ReconcileDeps,
  withClient: WithClient,
  slot: number,
  jobId: number,
): Promise<SlotOutcome> {
  return withClient((c) =>
    inTransaction(c, async (tx) => {
      if (!(await lockSlotFor(tx, slot, jobId))) return { slot, jobId, problem: null, action: 'skipped' as const };
      const problem = await deps.deployer.check(slot, jobId);
      if (problem === null) {
        await recordSlotCheck(tx, slot, null);
        return { slot, jobId, problem, action: 'none' as const };
      }
      try {
        await publishStoredRelease(deps, tx, slot, jobId);
      } catch (e) {
        const error = `${(e as { code?: string }).code ?? 'restore_failed'}: ${(e as Error).message}`;
        await recordSlotCheck(tx, slot, `${problem}; restoring it failed: ${error}`);
        return { slot, jobId, problem, action: 'failed' as const, error };
      }
      await recordSlotCheck(tx, slot, null);
      await addEvent(
        tx,
        {
          jobId,
          kind: 'log',
          message: `slot ${slot} was not served (${problem}); restored from the stored release`,
          data: { source: 'reconciler', slot, problem },
        },
        deps.secrets,
      );
      return { slot, jobId, problem, action: 'restored' as const };
    }),
  );
}

async function publishStoredRelease(
  deps: ReconcileDeps,
  db: Parameters<typeof loadArtifacts>[0],
  slot: number,
  jobId: number,
) {
  const dist = await loadArtifacts(db, jobId, 'dist/');
  if (!dist.has('dist/index.html'))
    throw Object.assign(new Error(`job ${jobId} has no stored dist/index.html to restore`), { code: 'no_release' });
  const source = await makeScratchDir(deps.workspaceDir, `restore-slot${slot}`);
  try {
    await writeTree(source, new Map([...dist].map(([p, b]) => [p.slice('dist/'.length), b])));
    await deps.deployer.publish({ slot, jobId, sourceDir: source });
  } finally {
    await removeDir(source);
  }
}

/** One line for logs, or null when every slot was served. */
export function summarizeOutcomes(outcomes: SlotOutcome[]): string | null {
  const acted = outcomes.filter((o) => o.action === 'restored' || o.action === 'failed');
  if (!acted.length) return null;
  return acted
    .map((o) =>
      o.action === 'restored'
        ? `slot ${o.slot} restored for job ${o.jobId} (${o.problem})`
        : `slot ${o.slot} (job ${o.jobId}) not served: ${o.problem}; ${o.error}`,
    )
    .join('; ');
}
