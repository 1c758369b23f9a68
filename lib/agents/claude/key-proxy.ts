// The CLI never holds the LLM key. In phases 4–5 the model has a shell running
// as the CLI's user, which can read the CLI's environment (/proc/<pid>/environ)
// and, in the container, the worker's too. So the CLI gets a throwaway token
// and a base URL on 127.0.0.1 pointing here; this proxy, in the worker's own
// memory, checks the token and forwards the request to the real endpoint with
// the real key. Bodies stream through untouched (SSE included). An endpoint
// that cannot be reached drops the CLI's connection, so the CLI sees a
// connection error (and retries) just as it would without the proxy.
// In a docker phase (network `none`) the upstream connection is a CONNECT tunnel
// through the egress gateway's unix socket (EGRESS_SOCKET, lib/docker/egress-gateway.ts);
// TLS runs inside the tunnel, so the gateway never sees the key.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP, type AddressInfo, type Socket } from 'node:net';
import tls from 'node:tls';
import { ClaudeAgentError } from './errors.ts';

export interface KeyProxyOptions {
  /** The real endpoint's base URL (its path is kept as a prefix), e.g. https://api.z.ai/api/anthropic. */
  upstream: string;
  apiKey: string;
  /** How the upstream expects the key: `Authorization: Bearer` or `x-api-key`. */
  keyHeader: 'bearer' | 'x-api-key';
  /** The egress gateway's unix socket: every upstream connection is a CONNECT tunnel through it. */
  via?: string;
}

export interface KeyProxy {
  /** http://127.0.0.1:<port>: the CLI's ANTHROPIC_BASE_URL. */
  url: string;
  /** The throwaway credential the CLI sends instead of the key. */
  token: string;
  /** The last failure to reach the upstream ("connect ECONNREFUSED …"), for the phase's failure reason. */
  lastUpstreamError(): string | null;
  close(): Promise<void>;
}

/** Headers that belong to one hop, or carry credentials: never forwarded as-is. */
const HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);
const AUTH_HEADERS = new Set(['authorization', 'x-api-key']);

export async function startKeyProxy(opts: KeyProxyOptions): Promise<KeyProxy> {
  const base = parseUpstream(opts.upstream);
  const token = `gpg-proxy-${randomBytes(24).toString('hex')}`;
  const client = base.protocol === 'https:' ? https : http;
  const agent = new client.Agent({ keepAlive: true });
  if (opts.via) tunnelThrough(agent, opts.via, base);
  const sockets = new Set<Socket>();
  let lastError: string | null = null;

  const server = http.createServer((req, res) => {
    if (!presentsToken(req.headers, token)) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          type: 'error',
          error: { type: 'authentication_error', message: 'key proxy: missing or wrong token' },
        }),
      );
      return;
    }
    const target = new URL(base.pathname.replace(/\/+$/, '') + (req.url ?? '/'), base.origin);
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_HEADERS.has(name) && !AUTH_HEADERS.has(name)) headers[name] = value;
    }
    if (opts.keyHeader === 'bearer') headers.authorization = `Bearer ${opts.apiKey}`;
    else headers['x-api-key'] = opts.apiKey;
    const upstream = client.request(target, { method: req.method, headers, agent }, (up) => {
      const back: http.OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(up.headers))
        if (value !== undefined && !HOP_HEADERS.has(name)) back[name] = value;
      res.writeHead(up.statusCode ?? 502, up.statusMessage, back);
      // Flush the head at once: an SSE stream must reach the CLI event by event, not when it ends.
      res.flushHeaders();
      up.pipe(res);
      up.on('error', () => res.destroy());
    });
    upstream.on('error', (e) => {
      lastError = `${(e as NodeJS.ErrnoException).code ?? 'error'}: ${e.message}`;
      // No status to relay: drop the connection so the CLI sees a connection error, as without the proxy.
      res.destroy();
    });
    // The CLI gave up (its timeout, or it was killed): stop the upstream request too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) =>
      reject(
        new ClaudeAgentError(
          'cli_failed',
          `cannot start the key proxy on 127.0.0.1: ${e.message}; the worker needs a loopback interface`,
        ),
      ),
    );
    // Loopback only, port chosen by the kernel: nothing outside this machine (or container) can reach it.
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    lastUpstreamError: () => lastError,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        agent.destroy();
      });
      return closing;
    },
  };
}

/** Makes `agent` open each connection as a CONNECT tunnel through the gateway at `socketPath` (TLS inside it for https). */
function tunnelThrough(agent: http.Agent, socketPath: string, base: URL): void {
  const port = base.port || (base.protocol === 'https:' ? '443' : '80');
  const authority = `${base.hostname}:${port}`; // an IPv6 hostname keeps its brackets
  const tunnelled = (callback: (err: Error | null, socket?: Socket) => void) => {
    const req = http.request({ socketPath, method: 'CONNECT', path: authority, headers: { host: authority } });
    req.once('connect', (res, socket: Socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        const e = new Error(
          `egress gateway refused CONNECT ${authority}: HTTP ${res.statusCode} ${res.statusMessage ?? ''}`,
        );
        return callback(Object.assign(e, { code: 'EGRESS_REFUSED' }));
      }
      if (base.protocol !== 'https:') return callback(null, socket);
      const secure = tls.connect({
        socket,
        servername: isIP(base.hostname) ? undefined : base.hostname,
        ALPNProtocols: ['http/1.1'],
      });
      secure.once('secureConnect', () => callback(null, secure));
      secure.once('error', (e) => callback(e));
    });
    req.once('error', (e: NodeJS.ErrnoException) =>
      callback(
        Object.assign(new Error(`egress gateway unreachable at ${socketPath}: ${e.code ?? e.message}`), {
          code: e.code ?? 'EGRESS_UNREACHABLE',
        }),
      ),
    );
    req.end();
  };
  // http.Agent accepts an asynchronous createConnection: it waits for the callback when nothing is returned.
  (
    agent as unknown as { createConnection: (o: unknown, cb: (err: Error | null, s?: Socket) => void) => undefined }
  ).createConnection = (_options, callback) => {
    tunnelled(callback);
    return undefined;
  };
}

function parseUpstream(url: string): URL {
  try {
    const u = new URL(url);
    if (u.protocol === 'http:' || u.protocol === 'https:') return u;
  } catch {
    // fall through
  }
  throw new ClaudeAgentError('llm_not_configured', `LLM_BASE_URL must be an http(s) URL, got "${url.slice(0, 80)}"`);
}

/** The CLI sends the token as `Authorization: Bearer` (ANTHROPIC_AUTH_TOKEN) or `x-api-key` (ANTHROPIC_API_KEY). */
function presentsToken(headers: http.IncomingHttpHeaders, token: string): boolean {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
  const apiKey = headers['x-api-key'];
  return [bearer, typeof apiKey === 'string' ? apiKey : undefined].some(
    (given) => given !== undefined && sameSecret(given.trim(), token),
  );
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
