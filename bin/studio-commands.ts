// CLI parity with the studio, over the HTTP API: status, logs, feedback,
// cancel, retry, games, open. Prints plain lines (and exits non-zero with the
// API's reason when an action is refused).
import { spawn } from 'node:child_process';
import type { ApiClient } from './api-client.ts';
import { CliError } from './api-client.ts';

type Args = { values: Record<string, string | boolean | undefined>; positionals: string[] };

export const STUDIO_USAGE = `  status [id]                jobs at a glance, or one job's phases, play-test and URLs
  logs <id> [-f]             a job's events; -f follows them live until it settles
  feedback <id> "text" [--wait]
                             ask for a change to a deployed game; --wait until kept or rolled back
  cancel <id>                stop a queued or running job (or a change in progress)
  retry <id>                 restart a failed or cancelled job from the phase it stopped in
  games                      the playable games and their addresses
  open <id>                  print (and open) the game's address
`;

function jobId(raw: string | undefined): number {
  if (!raw || !/^\d+$/.test(raw)) throw new CliError(`expected a job id (a positive integer), got "${raw ?? ''}"`, 2);
  return Number(raw);
}

const seconds = (ms: number | null) => (ms === null ? '' : `${(ms / 1000).toFixed(1)}s`);
const verdict = (p: any) => (p ? `${p.passed ? 'passed' : 'failed'} ${p.score}/100` : '');
const line = (e: any) =>
  `${new Date(e.at).toISOString().slice(11, 19)} ${e.kind.padEnd(11)} ${e.phase ? `[${e.phase}] ` : ''}${e.message}`;

export async function runStudioCommand(api: ApiClient, command: string, args: Args): Promise<boolean> {
  const [first, ...rest] = args.positionals;
  switch (command) {
    case 'status': {
      if (!first) {
        const { jobs } = await api.call('GET', '/api/jobs?limit=20');
        if (!jobs.length) console.log('no jobs yet: gamepocgen generate "an idea"');
        for (const j of jobs)
          console.log(
            `${String(j.id).padStart(5)}  ${j.status.padEnd(9)} ${(j.phaseName ?? '').padEnd(7)} ${verdict(j.playtest).padEnd(14)} ${j.title ?? j.idea ?? '(surprise)'}`,
          );
        return true;
      }
      const { job } = await api.call('GET', `/api/jobs/${jobId(first)}`);
      console.log(`job ${job.id}: ${job.title ?? '(untitled)'} — ${job.status}${job.error ? `: ${job.error}` : ''}`);
      if (job.idea) console.log(`idea: ${job.idea}`);
      for (const p of job.phases)
        console.log(
          `  ${p.phase}. ${p.name.padEnd(7)} ${p.status.padEnd(9)} ${seconds(p.durationMs)}${p.error ? `  ${p.error}` : ''}`,
        );
      if (job.playtest)
        console.log(
          `play-test: ${verdict(job.playtest)}${job.playtest.failed?.length ? ` (failed: ${job.playtest.failed.join(', ')})` : ''}`,
        );
      if (job.url) console.log(`play: ${job.url}`);
      else if (job.status === 'recycled') console.log(`play (archive): ${job.archiveUrl}`);
      return true;
    }
    case 'logs': {
      const id = jobId(first);
      if (!args.values.f && !args.values.follow) {
        const { events } = await api.call('GET', `/api/jobs/${id}/logs?limit=5000`);
        for (const e of events) console.log(line(e));
        return true;
      }
      for await (const e of api.events(`/api/jobs/${id}/logs?follow=1`)) {
        if (e.event === 'end') break;
        console.log(line(e.data));
      }
      return true;
    }
    case 'feedback': {
      const id = jobId(first);
      const text = rest.join(' ').trim();
      if (!text) throw new CliError('say what to change: gamepocgen feedback <id> "make the enemies slower"', 2);
      // Follow from the current end of the log, so --wait sees only what this feedback causes.
      const { events } = await api.call('GET', `/api/jobs/${id}/logs?limit=5000`);
      const after = events.at(-1)?.id ?? 0;
      const { feedback } = await api.call('POST', `/api/jobs/${id}/feedback`, { feedback: text });
      console.log(`feedback #${feedback.id} received for job ${id}; a repair run is making the change`);
      if (!args.values.wait) return true;
      for await (const e of api.events(`/api/jobs/${id}/logs?follow=1&after=${after}`)) {
        if (e.event === 'end') break;
        const ev = e.data;
        if (ev.kind !== 'log') console.log(line(ev));
        if (ev.kind === 'feedback' && ev.data?.feedbackId === feedback.id && ev.data.status !== 'queued') {
          if (ev.data.status === 'kept') return true;
          throw new CliError(ev.message, 3);
        }
      }
      const { feedback: history } = await api.call('GET', `/api/jobs/${id}/feedback`);
      const mine = history.find((f: any) => f.id === feedback.id);
      if (mine?.status === 'kept') return true;
      throw new CliError(`feedback #${feedback.id}: ${mine?.outcome ?? mine?.status ?? 'unknown outcome'}`, 3);
    }
    case 'cancel': {
      const r = await api.call('POST', `/api/jobs/${jobId(first)}/cancel`);
      console.log(
        `job ${r.jobId}: ${r.status === 'cancelled' ? 'cancelled' : `change stopped; still ${r.status}`} (${r.removedSteps} queued step(s) removed${r.freedSlot !== null ? `, slot ${r.freedSlot} freed` : ''})`,
      );
      return true;
    }
    case 'retry': {
      const r = await api.call('POST', `/api/jobs/${jobId(first)}/retry`);
      console.log(`job ${r.jobId}: retrying from phase ${r.phase} (follow it: gamepocgen logs ${r.jobId} -f)`);
      return true;
    }
    case 'games': {
      const { games } = await api.call('GET', '/api/games');
      if (!games.length) console.log('no games deployed yet');
      for (const g of games)
        console.log(
          `${String(g.id).padStart(5)}  slot ${g.slot}  ${verdict(g.playtest).padEnd(14)} ${g.title ?? ''}  ${g.url}`,
        );
      return true;
    }
    case 'open': {
      const { job } = await api.call('GET', `/api/jobs/${jobId(first)}`);
      const url =
        job.status === 'deployed'
          ? job.url
          : ['recycled', 'failed', 'cancelled'].includes(job.status)
            ? job.archiveUrl
            : null;
      if (!url) throw new CliError(`job ${job.id} is ${job.status}: it has no game to open yet`);
      console.log(url);
      if (process.stdout.isTTY)
        spawn('xdg-open', [url], { detached: true, stdio: 'ignore' })
          .on('error', () => {})
          .unref();
      return true;
    }
    default:
      return false;
  }
}
