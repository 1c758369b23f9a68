// The /metrics gauges' reads of gamepocgen.jobs (lib/metrics.ts), kept with the
// other jobs queries (test/lifecycle.test.ts: gamepocgen.jobs lives in lib/jobs/).
import type { Queryable } from '../db.ts';

export async function jobsByStatus(db: Queryable) {
  const { rows } = await db.query<{ status: string; n: number }>(
    'select status, count(*)::int n from gamepocgen.jobs group by status',
  );
  return rows;
}

export async function playtestVerdicts(db: Queryable) {
  const { rows } = await db.query<{ verdict: string; n: number }>(
    `select case when (playtest->>'passed')::boolean then 'passed' else 'failed' end verdict, count(*)::int n
       from gamepocgen.jobs where playtest is not null group by 1`,
  );
  return rows;
}
