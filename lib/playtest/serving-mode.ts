// Which serving a URL is: the judge plays /play/N/ as the sandboxed variant. Its own
// module so the `gamepocgen playtest` program (bin/playtest.ts) loads it without the
// task's database code (lib/playtest/playtest-job.ts re-exports it).
import type { JudgeTarget } from './judge.ts';

/** A game served under /play/N/ is the sandboxed variant (functions/play.ts); anything else has its own origin. */
export function servingOf(url: string): JudgeTarget {
  return { mode: /\/play\/\d{1,3}\/?$/.test(new URL(url).pathname) ? 'sandboxed' : 'own-origin', url };
}
