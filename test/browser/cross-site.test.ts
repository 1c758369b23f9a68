// In real Chromium: a page on another origin tries every way a browser lets it
// send a POST without the API's consent (no-cors fetch, sendBeacon, form posts of
// every enctype, a JSON fetch that needs a preflight), and a DNS-rebinding-style
// page (a foreign host name resolving to this server) tries to read and write.
// None creates a job, with or without API_TOKEN. The README's curl examples
// still work from this machine without a token.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../lib/config.ts';
import { createLogger, memoryDestination } from '../../lib/log.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { chromiumAvailable, launchChromium } from './harness.ts';
import { itWithBrowser } from './service-browser.ts';

const ATTACKS = (target: string) => `<!doctype html><meta charset="utf-8"><body>
<iframe name="sink1"></iframe><iframe name="sink2"></iframe><iframe name="sink3"></iframe>
<form id="f1" method="post" target="sink1" action="${target}/api/generate" enctype="application/x-www-form-urlencoded">
  <input name='{"idea":"form-urlencoded","x":"' value='"}'></form>
<form id="f2" method="post" target="sink2" action="${target}/api/generate" enctype="multipart/form-data">
  <input name="idea" value="form-multipart"></form>
<form id="f3" method="post" target="sink3" action="${target}/api/generate" enctype="text/plain">
  <input name='{"idea":"form-text-plain","x":"' value='"}'></form>
<script>
window.attack = async () => {
  const url = '${target}/api/generate';
  const results = {};
  const attempt = async (name, fn) => { try { results[name] = String(await fn()); } catch (e) { results[name] = 'threw ' + e.name; } };
  await attempt('no-cors text/plain', () => fetch(url, { method: 'POST', mode: 'no-cors', body: '{"idea":"no-cors"}' }).then((r) => r.type));
  await attempt('no-cors json blob', () => fetch(url, { method: 'POST', mode: 'no-cors', body: new Blob(['{"idea":"blob"}'], { type: 'application/json' }) }).then((r) => r.type));
  await attempt('cors json (preflight)', () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"idea":"cors"}' }).then((r) => r.status));
  await attempt('beacon text', () => navigator.sendBeacon(url, '{"idea":"beacon"}'));
  await attempt('beacon json blob', () => navigator.sendBeacon(url, new Blob(['{"idea":"beacon-blob"}'], { type: 'application/json' })));
  const loaded = (name) => new Promise((r) => { document.querySelector('iframe[name=' + name + ']').onload = r; setTimeout(r, 5000); });
  for (const [form, sink] of [['f1', 'sink1'], ['f2', 'sink2'], ['f3', 'sink3']]) {
    const done = loaded(sink);
    document.getElementById(form).submit();
    await done;
  }
  return results;
};
</script>`;

async function jobCount(h: Harness): Promise<number> {
  const { rows } = await h.service.db.query<{ n: number }>('select count(*)::int n from gamepocgen.jobs');
  return rows[0]!.n;
}

async function serveAttacker(target: string) {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(ATTACKS(target));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((r) => server.close(r)) };
}

describe.each([
  ['without API_TOKEN (loopback trusted)', {}],
  ['with API_TOKEN', { API_TOKEN: 'cross-site-test-token-0123456789' }],
])('cross-site requests %s', (_name, env) => {
  let h: Harness;
  let browser: Browser;
  const logs = memoryDestination();
  beforeAll(async () => {
    h = await createHarness(env, { runner: false, logger: createLogger({ destination: logs }) });
    if (chromiumAvailable()) browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  itWithBrowser('a page on another origin creates no job, whatever it sends', async () => {
    const attacker = await serveAttacker(`http://localhost:${h.service.port}`);
    const before = await jobCount(h);
    const page = await browser.newPage();
    try {
      await page.goto(`http://attacker.localhost:${attacker.port}/`);
      const results = await page.evaluate(() => (window as unknown as { attack: () => Promise<object> }).attack());
      expect(results['cors json (preflight)' as keyof typeof results]).toMatch(/^threw/); // never sent
      // The control: the server really received the no-cors fetch, the beacon and the three forms
      // (beacons leave after the call returns), and refused each one.
      const refused = () =>
        logs.lines
          .map((l) => JSON.parse(l) as { path?: string; method?: string; status?: number })
          .filter((e) => e.path === '/api/generate' && e.method === 'POST');
      await expect.poll(() => refused().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
      expect(
        refused()
          .map((e) => e.status)
          .filter((s) => s !== 403 && s !== 415),
      ).toEqual([]);
      expect(await jobCount(h)).toBe(before);
    } finally {
      await page.close();
      await attacker.close();
    }
  });

  itWithBrowser('a rebinding page (foreign host name, this server) can neither read nor write', async () => {
    const before = await jobCount(h);
    const page = await browser.newPage();
    try {
      const landing = await page.goto(`http://rebind.localhost:${h.service.port}/`);
      expect(landing?.status()).toBe(421);
      const seen = await page.evaluate(async () => {
        const read = await fetch('/api/jobs');
        const write = await fetch('/api/generate', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"idea":"rebound"}',
        });
        return { read: read.status, readBody: await read.text(), write: write.status };
      });
      expect(seen).toMatchObject({ read: 421, write: 421 });
      expect(seen.readBody).not.toContain('"jobs"');
      expect(await jobCount(h)).toBe(before);
    } finally {
      await page.close();
    }
  });
});

describe("the README's curl examples", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({}, { runner: false });
  });
  afterAll(() => h?.close());

  it('work from this machine without a token', async () => {
    const readme = await readFile(path.join(ROOT_DIR, 'README.md'), 'utf8');
    const block = /## Make a game[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)![1]!;
    const commands = block
      .replace(/\\\n\s*/g, '') // line continuations
      .split('\n')
      .filter((l) => l.startsWith('curl '))
      .map((l) => l.replace(/\s+#.*$/, '').replaceAll('localhost:3000', `localhost:${h.service.port}`));
    const post = commands.find((c) => c.includes('-X POST'))!;
    expect(post).toContain("-H 'content-type: application/json'");
    const created = JSON.parse(await sh(post)) as { jobIds: number[] };
    expect(created.jobIds).toHaveLength(1);
    const show = commands.find((c) => /api\/jobs\/1\s*$/.test(c))!;
    const job = JSON.parse(await sh(show.replace('/api/jobs/1', `/api/jobs/${created.jobIds[0]}`))) as {
      job: { id: number };
    };
    expect(job.job.id).toBe(created.jobIds[0]);
  });
});

/** Runs a README command line through the shell, as a reader would paste it. */
async function sh(command: string): Promise<string> {
  const { stdout } = await promisify(execFile)('bash', ['-c', `${command} --silent --show-error --fail-with-body`]);
  return stdout;
}
