// What the judge compares a game with (the `matchesIdea` check): the names the
// design chose and the idea's palette; and the design's keypoints (the rubric),
// read from the job's stored artifacts.
// A job without a valid idea/design gives no expectations (the check is then
// listed under couldNotCheck, not failed).
import { getArtifact } from '../artifact-store.ts';
import { Design, Idea } from '../artifacts.ts';
import type { Queryable } from '../db.ts';
import type { JudgeExpectations } from './checks.ts';
import { expectationsOf } from './design-expectations.ts';

export { expectationsOf };

export async function loadExpectations(db: Queryable, jobId: number): Promise<JudgeExpectations> {
  const read = async <T>(path: string, schema: { safeParse(v: unknown): { success: boolean; data?: T } }) => {
    const a = await getArtifact(db, jobId, path);
    if (!a) return null;
    try {
      const r = schema.safeParse(JSON.parse(a.bytes.toString('utf8')));
      return r.success ? (r.data as T) : null;
    } catch {
      return null; // not JSON: no expectations from it
    }
  };
  return expectationsOf(await read<Idea>('idea.json', Idea), await read<Design>('design.json', Design));
}
