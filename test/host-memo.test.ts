// Two per-request Host checks keep their answers by Host value (functions/hosts.ts: classify;
// bin/http-server.ts: the well-formed Host check). A kept answer must be the answer: asked again, in
// another order, and after more made-up hosts than the tables hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { listen } from '../bin/http-server.ts';
import { createHostPolicy } from '../functions/hosts.ts';
import { silentLogger } from '../lib/log.ts';
import { rawBytes } from './helpers/raw-http.ts';

const config = {
  DOMAIN: 'games.example.com',
  PUBLIC_URL: undefined,
  ALLOWED_HOSTS: ['api.internal'],
  CORS_ORIGINS: [],
  HOST: '0.0.0.0',
} as unknown as Parameters<typeof createHostPolicy>[0];

const HOSTS = [
  'localhost:3000',
  'LOCALHOST',
  'gamedemo3.localhost:3000',
  'gamedemo3.games.example.com',
  'game-42.localhost',
  'game-42.evil.example',
  'api.internal',
  'evil.example',
  'a b',
  '',
  'games.example.com.',
];

describe('classify', () => {
  it('answers as a fresh policy does, however often and in whatever order it is asked', () => {
    const fresh = (h: string) => createHostPolicy(config).classify(h);
    const expected = HOSTS.map(fresh);
    // The control: the sample covers every kind, so a wrong kept answer would show.
    expect(new Set(expected.map((k) => k.kind))).toEqual(new Set(['app', 'slot', 'archive', 'unknown']));
    const policy = createHostPolicy(config);
    for (const order of [HOSTS, [...HOSTS].reverse(), HOSTS])
      for (const h of order) expect(policy.classify(h)).toEqual(fresh(h));
    for (let i = 0; i < 600; i++) policy.classify(`made-up-${i}.example`); // more than the table holds
    expect(HOSTS.map((h) => policy.classify(h))).toEqual(expected);
    expect(policy.classify(undefined)).toEqual({ kind: 'unknown' });
  });
});

describe('the well-formed Host check', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = await listen(() => new Response('ok'), 0, '127.0.0.1', silentLogger);
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const status = async (host: string, path = '/') =>
    Number(
      /^HTTP\/1\.1 (\d+)/.exec(
        await rawBytes(port, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
      )?.[1],
    );

  it('refuses a malformed Host every time, and passes a well-formed one every time', async () => {
    for (let round = 0; round < 2; round++) {
      expect(await status('localhost:3000')).toBe(200);
      expect(await status('under_score.example')).toBe(400);
      expect(await status('localhost:99999')).toBe(400);
      // A kept host does not excuse its request target.
      expect(await status('localhost:3000', '/a\\b')).toBe(400);
      expect(await status('localhost:3000', '/a?b\\c')).toBe(200);
    }
    for (let i = 0; i < 300; i++) expect(await status(`h${i}.example`)).toBe(200); // more than the table holds
    expect(await status('under_score.example')).toBe(400);
    expect(await status('localhost:3000')).toBe(200);
  });
});
