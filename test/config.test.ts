// Configuration is validated once at start-up and every problem is listed at once:
// an operator with three mistakes learns about all three from one message, and
// `npm start` with them exits non-zero with that message and no stack trace.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { ConfigError, ROOT_DIR, loadConfig } from '../lib/config.ts';

const BAD = {
  PORT: 'eighty',
  MAX_CONCURRENT: '0',
  RUNTIME: 'kubernetes',
  PUBLIC_URL: 'games.example.com',
  CORS_ORIGINS: 'not an origin',
};
const NAMES = Object.keys(BAD);

function problemsOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).code).toBe('invalid_config');
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

it('lists every problem at once, each naming its variable', () => {
  const message = problemsOf(() => loadConfig(BAD));
  expect(message).toMatch(new RegExp(`^invalid configuration \\(${NAMES.length} problem\\(s\\)\\):`));
  for (const name of NAMES) expect(message).toMatch(new RegExp(`^  ${name}(\\.\\d+)?: \\S`, 'm'));
  // Only the bad ones: a good value next to them is not reported.
  expect(problemsOf(() => loadConfig({ ...BAD, SLOTS: '4' }))).not.toMatch(/SLOTS/);
  // The control: the same variables with good values pass.
  expect(
    loadConfig({ PORT: '80', MAX_CONCURRENT: '2', RUNTIME: 'local', PUBLIC_URL: 'https://games.example.com' }).PORT,
  ).toBe(80);
});

const npmStart = (env: Record<string, string>) =>
  promisify(execFile)('npm', ['start', '--silent'], {
    cwd: ROOT_DIR,
    // DATA_DIR points nowhere useful: a start-up that got past the config would fail differently.
    env: {
      PATH: `${path.join(ROOT_DIR, 'node_modules', '.bin')}:${process.env.PATH}`,
      HOME: process.env.HOME!,
      ...env,
    },
    timeout: 30_000,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

it('npm start with a bad configuration exits non-zero with every problem and no stack trace', async () => {
  const { code, stdout, stderr } = await npmStart({ ...BAD, DATA_DIR: '/nonexistent/gamepocgen-config-test' });
  expect(code).not.toBe(0);
  expect(stderr).toContain(`gamepocgen: invalid configuration (${NAMES.length} problem(s)):`);
  for (const name of NAMES) expect(stderr).toMatch(new RegExp(`^  ${name}(\\.\\d+)?: \\S`, 'm'));
  expect(`${stdout}\n${stderr}`).not.toMatch(/^\s+at .+[:(]/m); // no stack frame
  expect(stdout).not.toMatch(/is running at/);
});
