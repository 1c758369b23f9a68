// The CLI's HTTP client: JSON calls with the token, and Server-Sent Events read
// from a streamed response (the same /api endpoints the gallery uses).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../lib/config.ts';

export interface ApiClient {
  base: string;
  call<T = any>(method: string, pathname: string, body?: unknown): Promise<T>;
  /** Yields each event of an SSE endpoint until the server ends the stream. */
  events(pathname: string): AsyncGenerator<{ event: string; data: any; id: string | null }>;
}

export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** GAMEPOCGEN_URL (default http://localhost:$PORT) and the token: API_TOKEN, else DATA_DIR/api-token if present. */
export async function createApiClient(config: Config, env = process.env): Promise<ApiClient> {
  const base = (env.GAMEPOCGEN_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, '');
  const token =
    config.API_TOKEN ??
    (await readFile(path.join(config.DATA_DIR, 'api-token'), 'utf8').then(
      (t) => t.trim(),
      () => null,
    ));
  const headers = (json: boolean): Record<string, string> => ({
    ...(json ? { 'content-type': 'application/json' } : {}),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  });
  const request = async (method: string, pathname: string, body?: unknown) => {
    try {
      return await fetch(`${base}${pathname}`, {
        method,
        // Every mutation is JSON, bodiless cancel/retry too: the server refuses a POST without it (415).
        headers: headers(body !== undefined || method !== 'GET'),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new CliError(
        `cannot reach the GamePocGen API at ${base} (${(e as Error).cause ?? (e as Error).message}); start it with \`npm start\` or set GAMEPOCGEN_URL`,
      );
    }
  };
  return {
    base,
    async call(method, pathname, body) {
      const res = await request(method, pathname, body);
      const parsed = (await res.json().catch(() => null)) as any;
      if (!res.ok) {
        const err = parsed?.error;
        const hint =
          res.status === 401 ? ' (set API_TOKEN, or run on the server machine where .data/api-token is)' : '';
        throw new CliError(`${err?.code ?? res.status}: ${err?.message ?? res.statusText}${hint}`);
      }
      return parsed;
    },
    async *events(pathname) {
      const res = await request('GET', pathname);
      if (!res.ok || !res.body) throw new CliError(`${pathname}: ${res.status} ${res.statusText}`);
      const decoder = new TextDecoder();
      let buffer = '';
      let event = 'message';
      let data = '';
      let id: string | null = null;
      const reader = res.body.getReader();
      for (;;) {
        const { value: chunk, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(chunk, { stream: true });
        for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
          const line = buffer.slice(0, nl).replace(/\r$/, '');
          buffer = buffer.slice(nl + 1);
          if (line === '') {
            if (data) yield { event, data: JSON.parse(data), id };
            event = 'message';
            data = '';
            continue;
          }
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event = value;
          else if (field === 'data') data += value;
          else if (field === 'id') id = value;
        }
      }
    },
  };
}
