// Lint fixture: linted as functions/x.ts it must break "functions/ never imports pg" (test/layers/lint-rules.test.ts).
import pg from 'pg';

export const pool = new pg.Pool();
