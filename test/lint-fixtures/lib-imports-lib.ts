// Lint fixture, the control: linted as lib/x.ts it imports only lib/ and must pass (test/layers/lint-rules.test.ts).
import { redact } from './redact.ts';

export const value = redact('x', []);
