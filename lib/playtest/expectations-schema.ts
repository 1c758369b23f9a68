// The judge's expectations as a zod schema: what `gamepocgen playtest --expect` accepts
// (a play-test container gets the job's expectations on its command line). Its own module
// so the playtest program loads it without the database (lib/playtest/expectations.ts).
import { z } from 'zod';
import { Keypoint } from '../artifacts.ts';
import type { JudgeExpectations } from './checks.ts';

export const JudgeExpectationsSchema = z.strictObject({
  names: z.array(z.string().max(200)).max(20).optional(),
  palette: z
    .array(z.string().regex(/^#[0-9a-fA-F]{6}$/))
    .max(20)
    .optional(),
  keypoints: z.array(Keypoint).max(12).optional(),
});
export type JudgeExpectationsSchema = z.infer<typeof JudgeExpectationsSchema>;

// The schema and the judge's interface must stay one shape.
const _same: JudgeExpectations = {} as JudgeExpectationsSchema;
void _same;
