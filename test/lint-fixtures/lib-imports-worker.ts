// Lint fixture (never imported, excluded from normal lint): linted as if it were lib/x.ts, it must
// break the layer rule "lib/ never imports worker/" (test/layers/lint-rules.test.ts).
import { something } from '../worker/entrypoint.ts';

export const value = something;
