// Two projects. `unit`: pure code, the framework on a fake DOM, prompt rendering, scoring and
// in-process servers — no Postgres, no browser, no Docker, no Claude Code CLI; it has no global
// set-up, so `npm run test:unit` starts nothing. `integration`: everything else, with one real
// PostgreSQL and a migrated template database for the run (test/helpers/global-setup.ts).
// A unit file that asks for a database fails with a message naming this file.
import { defineConfig } from 'vitest/config';

const UNIT = [
  'test/framework/**/*.test.ts',
  'test/builtin/**/*.test.ts',
  'test/claude/key-proxy.test.ts',
  'test/claude/model-server.test.ts',
  'test/claude/prompts.test.ts',
  'test/claude/prompts-layout.test.ts',
  'test/docker/pure.test.ts',
  'test/docker/compose.test.ts',
  'test/scratch-reaper.test.ts',
  'test/game-config.test.ts',
  'test/eval-report.test.ts',
  'test/budgets.test.ts',
  'test/config.test.ts',
  'test/config-docs.test.ts',
  'test/layers/**/*.test.ts',
  'test/event-kinds.test.ts',
  'test/lifecycle.test.ts',
  'test/playtest-rounds.test.ts',
  'test/playtest-score.test.ts',
  'test/playtest-design.test.ts',
  'test/playtest-targets.test.ts',
  'test/unit-guard.test.ts',
  'test/request-path.test.ts',
  'test/request-log.test.ts',
  'test/response-headers.test.ts',
  'test/host-memo.test.ts',
  'test/closers.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // 2 cores: two files at a time keeps the browser and runner suites from starving each other.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: UNIT,
          globalSetup: ['test/helpers/global-setup.ts'],
        },
      },
    ],
  },
});
