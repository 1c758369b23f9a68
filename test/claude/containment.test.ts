// What the Claude agent may reach, with the real CLI: writes and reads outside
// the workspace are refused, the framework it reads stays read-only, a shell
// finds only the per-phase proxy token (never the key), and the scrub still
// replaces a key found in the workspace afterwards.
import { existsSync } from 'node:fs';
import { chmod, cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scrubSecrets } from '../../lib/agents/claude/scrub.ts';
import { validatePhaseOutputs } from '../../lib/phase-outputs.ts';
import { readTree } from '../../lib/workspace.ts';
import { leakKeyViaBash, readOutside, writeOutside } from '../fixtures/scenarios/index.ts';
import {
  API_KEY,
  HAVE_CLAUDE,
  makeWorkspace,
  modelServerPerTest,
  runAgentPhase,
  runBuiltinPhases,
  tempDir,
} from './helpers.ts';

const models = modelServerPerTest();

const noKey = (value: unknown) => expect(JSON.stringify(value)).not.toContain(API_KEY);

describe.skipIf(!HAVE_CLAUDE)('claude agent containment (real CLI)', () => {
  it.each([1, 4] as const)(
    'phase %i: a Write outside the workspace is refused by the CLI, even where the OS would allow it',
    async (phase) => {
      const outsideDir = await tempDir('outside');
      await chmod(outsideDir, 0o777); // world-writable: only the CLI's policy can stop the write
      const target = path.join(outsideDir, 'escaped.txt');
      const srv = await models.start(writeOutside(target, phase));
      const ws = await makeWorkspace();
      if (phase === 4) await runBuiltinPhases(ws, [1, 2, 3]);
      const run = await runAgentPhase({ phase, workspaceDir: ws, baseUrl: srv.url });
      expect(existsSync(target)).toBe(false);
      const denied = srv
        .messageRequests()
        .flatMap((r) => r.turn!.toolResults)
        .find((t) => t.isError);
      expect(denied?.text).toContain(`permissions to write to ${target}`);
      expect(run.events).toContainEqual(
        expect.objectContaining({ kind: 'error', message: expect.stringContaining(`refused: Write ${target}`) }),
      );
      // The phase itself carries on and completes.
      expect(run.error).toBeUndefined();
      expect(validatePhaseOutputs(phase, await readTree(ws))).toEqual([]);
    },
  );

  it('the framework directory the agent may read (--add-dir) stays read-only, by the settings written to its HOME', async () => {
    // A world-writable copy: only the deny rule in ~/.claude/settings.json stands in the way.
    const fw = await tempDir('framework');
    await cp(path.join(import.meta.dirname, 'fixtures', 'framework'), fw, { recursive: true });
    for (const p of [fw, path.join(fw, 'core')]) await chmod(p, 0o777);
    await chmod(path.join(fw, 'core', 'loop.js'), 0o666);
    const before = await readFile(path.join(fw, 'core', 'loop.js'), 'utf8');
    const srv = await models.start(writeOutside(path.join(fw, 'core', 'loop.js'), 3));
    const run = await runAgentPhase({
      phase: 3,
      workspaceDir: await makeWorkspace(),
      baseUrl: srv.url,
      frameworkDir: fw,
    });
    expect(run.error).toBeUndefined();
    expect(await readFile(path.join(fw, 'core', 'loop.js'), 'utf8')).toBe(before);
    const result = srv.messageRequests().flatMap((r) => r.turn!.toolResults)[0]!;
    expect(result).toMatchObject({
      isError: true,
      text: expect.stringContaining('denied by your permission settings'),
    });
  });

  it('reads outside the workspace are refused too (no /etc, no /proc)', async () => {
    for (const target of ['/etc/passwd', '/proc/self/environ']) {
      const srv = await models.start(readOutside(target, 1));
      const run = await runAgentPhase({ phase: 1, workspaceDir: await makeWorkspace(), baseUrl: srv.url });
      expect(run.error).toBeUndefined();
      const result = srv.messageRequests().flatMap((r) => r.turn!.toolResults)[0]!;
      expect(result.isError).toBe(true);
      expect(result.text).not.toContain('root:x:0:0');
      expect(result.text).not.toContain(API_KEY);
    }
  });

  it('a shell that copies every env it can read finds only the proxy token, never the key', async () => {
    const ws = await makeWorkspace();
    const srv = await models.start(leakKeyViaBash);
    const run = await runAgentPhase({ phase: 4, workspaceDir: ws, baseUrl: srv.url });
    expect(run.error).toBeUndefined();
    const leak = await readFile(path.join(ws, 'dist/leak.txt'), 'utf8');
    expect(leak).toMatch(/^ANTHROPIC_AUTH_TOKEN=gpg-proxy-[0-9a-f]{48}$/m); // the shell did copy its credentials…
    expect(leak).toMatch(/^ANTHROPIC_BASE_URL=http:\/\/127\.0\.0\.1:\d+$/m);
    expect(leak).not.toContain(API_KEY); // …and the key was never among them
    expect(leak).not.toContain('[redacted]'); // (not scrubbed afterwards: there was nothing to scrub)
    expect(run.events.some((e) => e.message.includes('contained the LLM API key'))).toBe(false);
    // The token is worthless once the phase is over: its proxy is closed.
    const token = /ANTHROPIC_AUTH_TOKEN=(\S+)/.exec(leak)![1];
    const proxyUrl = /ANTHROPIC_BASE_URL=(\S+)/.exec(leak)![1];
    await expect(
      fetch(`${proxyUrl}/v1/messages`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{}' }),
    ).rejects.toThrow();
    // The endpoint itself always got the real key.
    expect(srv.messageRequests().every((r) => r.headers.authorization === `Bearer ${API_KEY}`)).toBe(true);
    noKey(run.events);
  });

  it('the scrub stays as a last line of defence: a key in a workspace file is replaced after the run', async () => {
    const ws = await makeWorkspace();
    await writeFile(path.join(ws, 'copied.txt'), `key=${API_KEY}\n`);
    expect(await scrubSecrets(ws, [API_KEY])).toEqual(['copied.txt']);
    expect(await readFile(path.join(ws, 'copied.txt'), 'utf8')).toBe('key=[redacted]\n');
  });
});
