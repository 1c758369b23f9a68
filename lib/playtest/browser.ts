// Who owns the play-tester's Chromium. The in-process runner (bin/server.ts)
// shares one browser per process: launched on first use, one context per
// play-test, closed by the service's close(). The graphile-worker CLI loads
// tasks/ with no shutdown hook a task could use, so there each play-test
// launches and closes its own browser (a second or so, and the process can exit).
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { childEnv } from '../child-env.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Chromium's own sandbox: off, decided here for every Chromium of ours. Unprivileged, its only sandbox is
 * the user-namespace one (the setuid helper is ruled out by no-new-privileges, and Debian ships none), and
 * Docker's default seccomp profile refuses the namespace syscalls (clone/unshare with CLONE_NEWUSER) to a
 * container without CAP_SYS_ADMIN: in the play-test container Chromium then stops with "No usable sandbox!"
 * (test/docker/playtest-container.test.ts shows it). Allowing them would take a custom seccomp profile
 * that opens user namespaces, i.e. more kernel surface, to the untrusted game. So under the docker runtime
 * the container is the sandbox (docs/playtest.md): uid 1001, no capabilities, no-new-privileges, read-only
 * rootfs, Docker's seccomp, no mount, no Docker socket, no Postgres network, no secrets. Under the local
 * runtime nothing isolates the play-test (as nothing isolates the phases there).
 */
export const CHROMIUM_SANDBOX = false;

/** How every Chromium of ours is launched (the play-tester's, the tests' and the benches'). */
export const CHROMIUM_ARGS = [
  '--headless',
  ...(CHROMIUM_SANDBOX ? [] : ['--no-sandbox']),
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--mute-audio',
];

export interface BrowserProvider {
  /** Runs `fn` with a browser, or with null when Chromium is not installed. */
  use<T>(fn: (browser: Browser | null) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

async function launch(executablePath: string): Promise<Browser | null> {
  if (!existsSync(executablePath)) return null;
  // Imported here so processes that never play-test don't load playwright.
  const { chromium } = await import('playwright-core');
  // An environment from scratch: the browser runs untrusted games and must not hold our secrets.
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, chromiumSandbox: CHROMIUM_SANDBOX, env: childEnv() });
}

/** One browser for the whole process, relaunched if it crashed. */
export function sharedBrowser(executablePath = CHROMIUM_PATH): BrowserProvider {
  let launching: Promise<Browser | null> | null = null;
  let closed = false;
  const get = () => {
    launching ??= launch(executablePath).then(
      (b) => {
        b?.on('disconnected', () => {
          launching = null;
        });
        return b;
      },
      (e) => {
        launching = null; // a failed launch is retried by the next play-test
        throw e;
      },
    );
    return launching;
  };
  return {
    async use(fn) {
      if (closed) throw new Error('the play-test browser is closed (the service is stopping)');
      return fn(await get());
    },
    async close() {
      closed = true;
      const b = await launching?.catch(() => null);
      launching = null;
      await b?.close().catch(() => {});
    },
  };
}

/** A browser per use, closed afterwards. */
export function oneShotBrowser(executablePath = CHROMIUM_PATH): BrowserProvider {
  return {
    async use(fn) {
      const browser = await launch(executablePath);
      try {
        return await fn(browser);
      } finally {
        await browser?.close().catch(() => {});
      }
    },
    async close() {},
  };
}
