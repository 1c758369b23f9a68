// The Node HTTP server under the Hono app. Requests Node or the adapter can't
// turn into a Request (malformed request line or headers, an invalid Host or URL)
// are answered in the API's error shape too, never as a bare 400 or a 500.
import { getRequestListener } from '@hono/node-server';
import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastPath } from '../functions/health-fast-path.ts';
import { hostName } from '../functions/hosts.ts';
import { printable, type Logger } from '../lib/log.ts';

export type Fetch = (req: Request, env?: unknown) => Response | Promise<Response>;

const PARSER_STATUS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
  HPE_REQUEST_TIMEOUT: [408, 'Request Timeout'],
};

const errorBody = (code: string, message: string) => JSON.stringify({ error: { code, message, details: null } });

/**
 * `fastPath` is asked first about each well-formed request (functions/health-fast-path.ts): it
 * answers it and returns true, or returns false to leave it to `fetch`.
 */
export function listen(
  fetch: Fetch,
  port: number,
  hostname: string,
  logger: Logger,
  fastPath: FastPath = () => false,
): Promise<Server> {
  const listener = getRequestListener(fetch, {
    errorHandler: (e) => {
      // The adapter's RequestError: the request itself is malformed (Host, URL).
      const bad = (e as Error).name === 'RequestError';
      if (!bad) logger.error({ err: String((e as Error).stack ?? e) }, 'request could not be handled');
      return new Response(
        bad
          ? errorBody('bad_request', `malformed request: ${(e as Error).message}`)
          : errorBody('internal_error', 'something went wrong on our side; the error was logged'),
        { status: bad ? 400 : 500, headers: { 'content-type': 'application/json' } },
      );
    },
  });
  // Requests the adapter would refuse (a malformed Host or request target) are answered here, with Node's
  // own response, which also drains their body: the adapter's refusal leaves it to be read as the next request.
  const server = createServer((req, res) => {
    const problem = targetProblem(req.headers.host, req.url ?? '');
    if (!problem) return fastPath(req, res) || listener(req, res);
    res.writeHead(400, { 'content-type': 'application/json' }).end(errorBody('bad_request', problem));
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => answerParserError(err, socket, logger));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => resolve(server));
  });
}

/** Host header values found well-formed (nearly every request names one of a few); emptied when full. */
const wellFormedHosts = new Set<string>();
const WELL_FORMED_HOSTS = 256;

function targetProblem(host: string | undefined, url: string): string | null {
  if (host === undefined || !wellFormedHosts.has(host)) {
    const name = hostName(host);
    const port = Number(/:(\d+)$/.exec(host ?? '')?.[1] ?? 0);
    if (!name || port > 65535) return `malformed Host header "${printable(host ?? '', 100)}"`;
    if (wellFormedHosts.size >= WELL_FORMED_HOSTS) wellFormedHosts.clear();
    wellFormedHosts.add(host as string);
  }
  const query = url.indexOf('?');
  const backslash = url.indexOf('\\');
  if (!url.startsWith('/') || (backslash >= 0 && (query < 0 || backslash < query)))
    return 'malformed request target (expected a path starting with "/")';
  return null;
}

/** Node's own parser errors (bad request line, bad headers, …), in the error shape. */
function answerParserError(err: NodeJS.ErrnoException, socket: Duplex, logger: Logger) {
  const started = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (err.code === 'ECONNRESET' || !socket.writable || started) {
    socket.destroy();
    return;
  }
  const [status, text] = PARSER_STATUS[err.code ?? ''] ?? [400, 'Bad Request'];
  logger.info({ code: err.code }, 'malformed HTTP request refused');
  const body = errorBody('bad_request', `malformed HTTP request (${err.code ?? 'parse error'})`);
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
