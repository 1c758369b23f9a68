// Which Host names this app serves and which Origins are its own. A request
// naming any other host (DNS rebinding, a misrouted proxy) is refused, and a
// game's origin (gamedemoN.*, an archived game's game-<id>.*) never counts as the app's own.
import type { Config } from '../lib/config.ts';
import { SLOT_PREFIX } from '../lib/slot-names.ts';

const SLOT_NAME = new RegExp(`^${SLOT_PREFIX}(\\d{1,3})\\.(.+)$`);
/** An archived game's own origin (functions/archive.ts): game-<job id>.localhost or game-<job id>.DOMAIN. */
const ARCHIVE_NAME = /^game-(\d{1,15})\.(.+)$/;

export type HostKind =
  | { kind: 'app' }
  | { kind: 'slot'; slot: number }
  | { kind: 'archive'; jobId: number }
  | { kind: 'unknown' };

export interface HostPolicy {
  /** What a Host header (or an origin's host) names. */
  classify(host: string | undefined): HostKind;
  /** Whether a browser page at `origin` may call the API on a request sent to `host`. */
  isOwnOrigin(origin: string, host: string | undefined): boolean;
  /** Origins listed in CORS_ORIGINS (answered with CORS headers). */
  corsOrigins: string[];
  /** `frame-ancestors` sources for games: the app's own pages may frame them. */
  frameAncestors: string[];
}

/** How many Host values' answers classify keeps. */
const KNOWN_HOSTS = 256;

type HostConfig = Pick<Config, 'DOMAIN' | 'PUBLIC_URL' | 'ALLOWED_HOSTS' | 'CORS_ORIGINS' | 'HOST'>;

/** The host name of a Host header value, lower-cased, without port or trailing dot; null when malformed. */
export function hostName(host: string | undefined): string | null {
  if (!host) return null;
  const h = host.trim().toLowerCase();
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(h);
  if (!m) return null;
  return m[1]!.replace(/\.$/, '');
}

export function createHostPolicy(config: HostConfig): HostPolicy {
  const domain = config.DOMAIN.toLowerCase().replace(/\.$/, '');
  const publicHost = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).hostname.toLowerCase() : null;
  const bound = ['0.0.0.0', '::', ''].includes(config.HOST) ? null : config.HOST.toLowerCase();
  const appHosts = new Set(
    ['localhost', '127.0.0.1', '[::1]', domain, publicHost, bound, ...config.ALLOWED_HOSTS].filter(
      (h): h is string => !!h,
    ),
  );
  const slotBases = new Set(['localhost', domain]);
  const publicOrigin = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : null;
  const corsOrigins = config.CORS_ORIGINS.map((o) => new URL(o).origin);

  const kindOf = (host: string | undefined): HostKind => {
    const name = hostName(host);
    if (!name) return { kind: 'unknown' };
    const slot = SLOT_NAME.exec(name);
    if (slot && slotBases.has(slot[2]!)) return { kind: 'slot', slot: Number(slot[1]) };
    const archive = ARCHIVE_NAME.exec(name);
    if (archive && slotBases.has(archive[2]!)) return { kind: 'archive', jobId: Number(archive[1]) };
    return appHosts.has(name) ? { kind: 'app' } : { kind: 'unknown' };
  };
  // Every request asks (the host guard, the slot and archive hosts' middleware, the health fast path) and
  // nearly all name one of a few hosts: each Host value's answer is kept, up to KNOWN_HOSTS of them (a
  // flood of made-up hosts only empties the table).
  const known = new Map<string, HostKind>();
  const classify = (host: string | undefined): HostKind => {
    if (host === undefined) return kindOf(host);
    let kind = known.get(host);
    if (!kind) {
      kind = kindOf(host);
      if (known.size >= KNOWN_HOSTS) known.clear();
      known.set(host, kind);
    }
    return kind;
  };

  return {
    classify,
    corsOrigins,
    isOwnOrigin(origin, host) {
      if (corsOrigins.includes(origin) || origin === publicOrigin) return true;
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        return false; // "null" (sandboxed frames, file:) and garbage
      }
      // Same origin as the request, on a host the app serves as itself (never a game's origin).
      return url.host === host?.trim().toLowerCase() && classify(url.host).kind === 'app';
    },
    frameAncestors: [
      "'self'",
      ...(publicOrigin ? [publicOrigin] : []),
      'http://localhost:*',
      'http://127.0.0.1:*',
      ...(domain !== 'localhost' ? [`https://${domain}`, `http://${domain}:*`] : []),
    ],
  };
}
