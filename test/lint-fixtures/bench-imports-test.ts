// Lint fixture: linted as bench/x.ts it must break "bench/ never imports test/" (test/layers/lint-rules.test.ts).
import { createHarness } from '../test/helpers/harness.ts';

export const harness = createHarness;
