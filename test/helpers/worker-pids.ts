// Finding a job's worker processes (local runtime) in /proc, to assert they are gone.
import { readdirSync, readFileSync } from 'node:fs';

/** PIDs of processes whose environment says they run a phase of job `jobId` with workspaces under `dataDir`. */
export function workerPids(dataDir: string, jobId: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const env = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
      // Other test runs on this machine have a job 1 too: match this service's workspace directory.
      const ours = env.some((e) => e.startsWith(`WORKSPACE_DIR=${dataDir}`));
      if (ours && env.includes(`JOB_ID=${jobId}`)) pids.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}
