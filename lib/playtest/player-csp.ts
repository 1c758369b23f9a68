// The player's Content-Security-Policy in the tester's browser. Every serving a player opens sends
// GAME_CSP (lib/game-serving.ts: the app's slot routes, Traefik's middleware on the docker deployer),
// but the address a play-test container opens (PLAYTEST_URL=container: the slot's nginx) sends none,
// so a game whose code is an inline <script> would pass there and be a blank page for every player.
// With `enforceCsp` the judge routes the context's document responses and adds GAME_CSP to those that
// carry no policy (a served policy is never replaced), so the game runs under exactly the player's
// policy; the document records per serving where the policy came from (`servedAs[].csp`). Same-origin
// subresources are fetched by the tester too (Private Network Access, below). CDP Fetch.continueResponse
// would keep the real response, but Chromium does not enforce a CSP header added that way (tried).
import type { BrowserContext, Route } from 'playwright-core';
import { GAME_CSP } from '../game-serving.ts';
import type { CspSource } from './document.ts';

export interface CspWatch {
  /** Where the top-level document's policy came from (`none` until it has loaded). */
  source(): CspSource;
}

const hasCsp = (headers: Record<string, string>) =>
  Object.keys(headers).some((h) => h.toLowerCase() === 'content-security-policy');

/**
 * Applies GAME_CSP to the document responses of `context` that lack a CSP when `enforce`; otherwise only
 * watches whether the top-level document carried one. Call before the first navigation.
 */
/** The request goes to the origin of the document that made it. */
function sameOrigin(route: Route): boolean {
  try {
    return new URL(route.request().url()).origin === new URL(route.request().frame().url()).origin;
  } catch {
    return false;
  }
}

export async function playerCsp(context: BrowserContext, enforce: boolean): Promise<CspWatch> {
  let source: CspSource = 'none';
  const top = (route: Route) => {
    try {
      return route.request().frame().parentFrame() === null;
    } catch {
      return false; // a request with no frame (a worker's)
    }
  };
  if (!enforce) {
    context.on('response', (r) => {
      if (r.request().resourceType() === 'document' && r.frame().parentFrame() === null)
        source = hasCsp(r.headers()) ? 'server' : 'none';
    });
    return { source: () => source };
  }
  await context.route('**/*', async (route) => {
    // Same-origin subresources are fetched by the tester too: Chromium counts a fulfilled document as public and
    // would block (Private Network Access) what it loads from a slot's private address over the network.
    const doc = route.request().resourceType() === 'document';
    if (!doc) {
      if (!sameOrigin(route)) return route.fallback();
      const r = await route.fetch({ maxRedirects: 0 }).catch(() => null);
      if (!r) return route.abort('failed').catch(() => {});
      return route.fulfill({ response: r }).catch(() => {});
    }
    // Redirects are handed to the browser (which follows them through this route again), so a relative URL
    // in the page resolves against the address it was really served from.
    const response = await route.fetch({ maxRedirects: 0 }).catch(() => null);
    if (!response) return route.abort('failed').catch(() => {});
    const headers = response.headers();
    const served = hasCsp(headers);
    if (top(route)) source = served ? 'server' : 'tester';
    await route
      .fulfill({ response, headers: served ? headers : { ...headers, 'content-security-policy': GAME_CSP } })
      .catch(() => {}); // the page closed meanwhile
  });
  return { source: () => source };
}
