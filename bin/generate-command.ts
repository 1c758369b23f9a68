// `gamepocgen generate [--provider P:MODEL]`: starts games straight in Postgres and draws a progress
// bar per job from the event stream (LISTEN/NOTIFY), until each has its outcome (deployed, failed…).
import { GenerateRequest, generateGames } from '../lib/generate.ts';
import { describeZodError } from '../lib/artifacts.ts';
import { type Config, providerSettings } from '../lib/config.ts';
import { providerEnv } from '../lib/llm/providers.ts';
import { createPool, resolveDatabase } from '../lib/db.ts';
import { EventHub } from '../lib/events.ts';
import { hasOutcome } from '../lib/jobs/lifecycle.ts';
import { liveRunnerCount } from '../lib/presence.ts';
import { getJob, type JobRow } from '../lib/jobs/repository.ts';

type Parsed = {
  values: { count?: string; genre?: string; seed?: string; provider?: string; 'no-wait'?: boolean };
  positionals: string[];
};

const STEPS = 5; // 4 phases + deploy

export async function generateCommand(config: Config, args: Parsed): Promise<void> {
  const request = GenerateRequest.safeParse({
    idea: args.positionals.join(' ') || null,
    count: args.values.count === undefined ? 1 : Number(args.values.count),
    genre: args.values.genre ?? null,
    seed: args.values.seed === undefined ? null : Number(args.values.seed),
    provider: args.values.provider ?? null,
  });
  if (!request.success) throw new Error(describeZodError(request.error));
  // As POST /api/generate: a provider whose key the operator has not set is refused before any job exists.
  if (request.data.provider) providerEnv(request.data.provider, providerSettings(config));
  const { url, embedded } = await resolveDatabase(config);
  const db = createPool(url, 3);
  const hub = new EventHub(url);
  try {
    const ids = await generateGames(db, request.data);
    console.log(`started job(s) ${ids.join(', ')}`);
    if (args.values['no-wait']) return;
    if ((await liveRunnerCount(db)) === 0)
      console.log('note: no task runner is registered; start one with `npm start` or `npx graphile-worker`');
    await hub.start();
    await new Promise<void>((resolve, reject) => {
      let finished = false;
      const redraw = async () => {
        if (finished) return;
        const jobs = await Promise.all(ids.map(async (id) => (await getJob(db, id))!));
        process.stdout.write(render(jobs));
        if (jobs.every((j) => hasOutcome(j.status))) {
          finished = true;
          unsubscribe();
          resolve();
        }
      };
      // Redraws run one at a time, in the order the notices arrive.
      let busy = Promise.resolve();
      const queueRedraw = () => (busy = busy.then(redraw).catch(reject));
      const unsubscribe = hub.subscribe((n) => {
        if (ids.includes(n.jobId) || n.kind === 'reconnected') queueRedraw();
      });
      queueRedraw();
    });
    process.stdout.write('\n');
  } finally {
    await hub.stop();
    await db.end();
    await embedded?.stop();
  }
}

let drawnLines = 0;
function render(jobs: JobRow[]): string {
  const tty = process.stdout.isTTY;
  const lines = jobs.map((j) => {
    const step =
      j.status === 'deployed'
        ? STEPS
        : j.status === 'deploying'
          ? STEPS - 1
          : Math.max(0, j.phase - (j.status === 'running' ? 1 : 0));
    const bar = '█'.repeat(step * 4).padEnd(STEPS * 4, '░');
    const what =
      j.status === 'deployed'
        ? `deployed  ${j.url}`
        : j.status === 'failed'
          ? `failed: ${j.error}`
          : `${j.status}${j.phase ? ` (phase ${j.phase})` : ''}`;
    return `job ${String(j.id).padStart(4)} ${bar} ${j.title ?? ''}  ${what}`;
  });
  const up = tty && drawnLines ? `\x1b[${drawnLines}A` : '';
  drawnLines = lines.length;
  return up + lines.map((l) => (tty ? `\x1b[2K${l}` : l)).join('\n') + '\n';
}
