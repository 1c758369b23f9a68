// The egress gateway's forwarding proxy: the only way out of a claude phase
// container (which has network `none`). It listens on a unix socket that the
// phase containers get read-only, and tunnels `CONNECT host:port` to exactly the
// configured model endpoints; anything else is refused with 403 and logged.
// It never sees the key: the worker's key proxy (lib/agents/claude/key-proxy.ts)
// speaks TLS (or plain HTTP) to the endpoint *inside* the tunnel, so nothing here
// parses or logs a request's headers or body. Only node: built-ins, so it runs
// from any image that carries lib/ (worker/egress-gateway.ts is its entry).
import dns from 'node:dns';
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';

export interface EgressProxyOptions {
  /** Endpoints the tunnel may reach, as `host:port` (lowercase host; IPv6 in brackets). */
  allow: readonly string[];
  /** A unix socket path, or a TCP port on 127.0.0.1 (tests). */
  listen: { socketPath: string } | { port: number };
  /** One JSON object per refusal/failure; never carries headers or bodies. */
  log?: (entry: Record<string, unknown>) => void;
  /** How long a tunnel may take to connect upstream (default 15 s). */
  connectTimeoutMs?: number;
  /** Tunnels open at once at most (default 256); more get 503. */
  maxTunnels?: number;
}

export interface EgressProxy {
  /** The socket path, or `127.0.0.1:<port>`. */
  address: string;
  /** Tunnels opened so far (tests use it to show a refusal opened none). */
  tunnels(): number;
  close(): Promise<void>;
}

/** `host:port` as a CONNECT authority: lowercase host, explicit port; null when malformed. */
export function parseAuthority(authority: string): { host: string; port: number; key: string } | null {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(authority.trim());
  if (!m) return null;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return null;
  const host = m[1]!.toLowerCase();
  return { host: host.replace(/^\[|\]$/g, ''), port, key: `${host}:${port}` };
}

/** Link-local addresses (cloud metadata services live at 169.254.169.254 / fd00:ec2::254 and fe80::/10): never a model endpoint. */
export function isMetadataAddress(address: string): boolean {
  const a = address.toLowerCase();
  if (net.isIPv4(a)) return a.startsWith('169.254.');
  if (a.startsWith('::ffff:')) return isMetadataAddress(a.slice(7));
  return /^fe[89ab][0-9a-f]:/.test(a) || a === 'fd00:ec2::254';
}

/** dns.lookup that refuses to hand a link-local address to the tunnel (a DNS answer pointing at the metadata service). */
const guardedLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, options, (err, address, family) => {
    if (err) return callback(err, address as string, family);
    const list = Array.isArray(address) ? address : [{ address, family }];
    const bad = list.find((a) => isMetadataAddress(a.address));
    if (bad)
      return callback(
        Object.assign(new Error(`${hostname} resolves to link-local ${bad.address}`), { code: 'EGRESS_METADATA' }),
        '',
        0,
      );
    callback(null, address as string, family);
  });
};

export async function startEgressProxy(opts: EgressProxyOptions): Promise<EgressProxy> {
  const allowed = new Set(opts.allow.map((a) => parseAuthority(a)?.key).filter((k): k is string => !!k));
  const log = opts.log ?? (() => {});
  const limit = opts.maxTunnels ?? 256;
  const open = new Set<Duplex>();
  let opened = 0;

  const server = http.createServer((req, res) => {
    // Plain requests (absolute-URI proxying) are not offered: the key proxy always tunnels.
    log({ event: 'egress_refused', reason: 'method', method: req.method });
    res.writeHead(405, { 'content-type': 'text/plain', allow: 'CONNECT' });
    res.end('egress gateway: only CONNECT host:port to the model endpoint\n');
  });

  // A tunnel carries a model's whole streamed answer, which may take many minutes: no request timeout.
  server.requestTimeout = 0;
  server.headersTimeout = 10_000;

  server.on('connect', (req: http.IncomingMessage, client: Duplex, head: Buffer) => {
    const refuse = (status: number, reason: string, target: string) => {
      log({ event: 'egress_refused', status, reason, target: target.slice(0, 300) });
      client.end(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${reason}\n`,
      );
    };
    client.on('error', () => {});
    const target = parseAuthority(req.url ?? '');
    if (!target) return refuse(400, 'CONNECT needs host:port', req.url ?? '');
    if (!allowed.has(target.key)) return refuse(403, `${target.key} is not the configured model endpoint`, target.key);
    if (net.isIP(target.host) && isMetadataAddress(target.host))
      return refuse(403, `${target.key} is a link-local (metadata) address`, target.key);
    if (open.size >= limit) return refuse(503, 'too many tunnels', target.key);
    const upstream = net.connect({ host: target.host, port: target.port, lookup: guardedLookup });
    open.add(client);
    opened++;
    const timer = setTimeout(
      () => upstream.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })),
      opts.connectTimeoutMs ?? 15_000,
    );
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      clearTimeout(timer);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (connected) return client.destroy(); // mid-tunnel: the key proxy sees the connection drop
      const code = e.code ?? 'error';
      if (code === 'EGRESS_METADATA')
        return refuse(403, `${target.key} resolves to a link-local (metadata) address`, target.key);
      log({ event: 'egress_failed', target: target.key, code });
      client.end(`HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${code}\n`);
    });
    client.on('close', () => {
      open.delete(client);
      clearTimeout(timer);
      upstream.destroy();
    });
    upstream.on('close', () => client.end());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if ('socketPath' in opts.listen) server.listen(opts.listen.socketPath, () => resolve());
    else server.listen(opts.listen.port, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const address = typeof addr === 'string' ? addr : `127.0.0.1:${(addr as net.AddressInfo).port}`;
  return {
    address,
    tunnels: () => opened,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
