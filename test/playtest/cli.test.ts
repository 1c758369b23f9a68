// `gamepocgen playtest` end to end, as a user runs it: the real CLI process,
// real Chromium, a folder (own origin, and --sandbox) and a URL (own origin and
// the /play/N/ sandboxed variant), the exit codes and the --json document.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveGameDir, type ServedDir } from '../../bin/serve-game-dir.ts';
import { PlaytestDocument } from '../../lib/playtest/document.ts';
import { chromiumAvailable } from '../browser/harness.ts';
import { FIXTURES_DIR } from './fixture-suite.ts';
import { cli } from './playtest-cli.ts';

const good = path.join(FIXTURES_DIR, 'good-freeform');
const storage = path.join(FIXTURES_DIR, 'sandbox-storage');

describe.skipIf(!chromiumAvailable())('gamepocgen playtest', { timeout: 300_000 }, () => {
  let served: ServedDir;
  beforeAll(async () => {
    served = await serveGameDir(storage);
  });
  afterAll(() => served?.close());

  it('passes a good folder on its own origin and sandboxed: exit 0, the checks, the verdict, the score', async () => {
    const r = await cli(good, '--sandbox', '--seconds', '8');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^play-test of http:\/\/127\.0\.0\.1:\d+\/ \(own-origin\), http:\/\/127\.0\.0\.1:\d+\/play\/0\/ \(sandboxed\)/,
    );
    expect(r.stdout).toMatch(/^PASS {2}inputReal {10}controls work: arrow keys/m);
    expect(r.stdout).toMatch(/^PASS {2}sandboxed /m);
    expect(r.stdout).toMatch(/^PASSED {2}score \d+\/100/m);
  });

  it('fails a folder that breaks only when sandboxed: exit 1, and --json prints the document', async () => {
    const own = await cli(storage, '--seconds', '8');
    expect(own.code).toBe(0); // localStorage works on its own origin
    const r = await cli(storage, '--sandbox', '--json', '--seconds', '8');
    expect(r.code).toBe(1);
    const d = PlaytestDocument.parse(JSON.parse(r.stdout));
    expect(d).toMatchObject({ passed: false, seed: 1 });
    expect(d.checks.find((c) => c.id === 'sandboxed')).toMatchObject({ passed: false });
    expect(d.screenshots).toEqual(expect.arrayContaining(['own-origin-title.png', 'sandboxed-end.png']));
  });

  it('plays a URL as given: its own origin, and a /play/N/ URL as the sandboxed variant', async () => {
    const own = await cli(served.url, '--json', '--seconds', '8');
    expect(own.code).toBe(0);
    expect(PlaytestDocument.parse(JSON.parse(own.stdout)).servedAs).toEqual([
      { mode: 'own-origin', url: served.url, csp: 'server' },
    ]);
    const sandboxed = await cli(served.sandboxUrl, '--json', '--seconds', '8');
    expect(sandboxed.code).toBe(1);
    const d = PlaytestDocument.parse(JSON.parse(sandboxed.stdout));
    expect(d.servedAs).toEqual([{ mode: 'sandboxed', url: served.sandboxUrl, csp: 'server' }]);
    expect(d.checks.find((c) => c.id === 'loads')!.message).toMatch(/localStorage/);
  });

  it('exits 2 when it cannot run: nothing served there, not a game folder, bad arguments', async () => {
    const closed = await serveGameDir(good);
    await closed.close();
    const unreachable = await cli(closed.url);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/^could not run: could not load http:\/\/127\.0\.0\.1:\d+\//);
    const noGame = await cli(path.join(FIXTURES_DIR));
    expect(noGame).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/is not a game folder \(no index\.html, nor dist\/index\.html\)/),
    });
    expect(await cli(good, '--json', '--compact')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/pick one/),
    });
    expect((await cli()).code).toBe(2);
    expect((await cli(good, '--seconds', 'lots')).code).toBe(2);
    expect((await cli(served.url, '--sandbox')).stderr).toMatch(/--sandbox applies to a folder/);
  });
});
