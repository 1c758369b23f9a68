// The Docker path's pure helpers, without an engine: host-path mapping,
// worker-line parsing and demultiplexing, and the container specs.
import { describe, expect, it } from 'vitest';
import { traefikLabels } from '../../lib/docker/game-spec.ts';
import { demuxBuffer } from '../../lib/docker/lines.ts';
import { lineSink, MAX_LINE_CHARS, parseWorkerLine } from '../../lib/worker-protocol/lines.ts';
import { hostPathFor } from '../../lib/docker/paths.ts';
import { workerContainerSpec } from '../../lib/docker/worker-spec.ts';

describe('hostPathFor', () => {
  it('maps a path under the local root onto the host root', () => {
    expect(hostPathFor('/data/workspaces/job-4-abc', { localRoot: '/data/workspaces', hostRoot: '/srv/gpg/ws' })).toBe(
      '/srv/gpg/ws/job-4-abc',
    );
    expect(hostPathFor('/data/workspaces/a/b/', { localRoot: '/data/workspaces/', hostRoot: '/srv/ws' })).toBe(
      '/srv/ws/a/b',
    );
    expect(hostPathFor('/data/workspaces', { localRoot: '/data/workspaces', hostRoot: '/srv/ws' })).toBe('/srv/ws');
    // Without a host root the app runs on the host: the path is bound as is.
    expect(hostPathFor('/tmp/ws/job-1', { localRoot: '/tmp/ws' })).toBe('/tmp/ws/job-1');
  });

  it('refuses paths outside the root (including ../ tricks and sibling prefixes) and relative host roots', () => {
    for (const p of ['/data/other', '/data/workspaces/../etc', '/data/workspaces-evil/x', '/']) {
      expect(() => hostPathFor(p, { localRoot: '/data/workspaces', hostRoot: '/srv/ws' }), p).toThrow(
        expect.objectContaining({ code: 'path_outside_root' }),
      );
    }
    expect(() => hostPathFor('/data/workspaces/x', { localRoot: '/data/workspaces', hostRoot: 'srv/ws' })).toThrow(
      expect.objectContaining({ code: 'host_path_relative' }),
    );
  });
});

describe('parseWorkerLine', () => {
  it('passes JSON events through and keeps anything else as a log line', () => {
    expect(parseWorkerLine('{"kind":"tool","message":"Write a","data":{"n":1}}', 'stdout')).toEqual({
      kind: 'tool',
      message: 'Write a',
      data: { n: 1 },
    });
    expect(parseWorkerLine('{"kind":"log","message":"x","data":[1]}', 'stdout')).toEqual({ kind: 'log', message: 'x' });
    expect(parseWorkerLine('{"not":"an event"}', 'stdout')).toEqual({ kind: 'log', message: '{"not":"an event"}' });
    expect(parseWorkerLine('{broken', 'stdout')).toEqual({ kind: 'log', message: '{broken' });
    expect(parseWorkerLine('{"kind":"error","message":"x"}', 'stderr')).toEqual({
      kind: 'log',
      message: '{"kind":"error","message":"x"}',
      data: { stream: 'stderr' },
    });
    expect(parseWorkerLine('   ', 'stdout')).toBeNull();
    expect(parseWorkerLine('windows line\r', 'stdout')).toEqual({ kind: 'log', message: 'windows line' });
  });

  it('redacts secrets, even inside JSON, and truncates runaway lines', () => {
    expect(parseWorkerLine('{"kind":"log","message":"key sk-abcdef"}', 'stdout', ['sk-abcdef'])).toEqual({
      kind: 'log',
      message: 'key [redacted]',
    });
    const long = parseWorkerLine('x'.repeat(MAX_LINE_CHARS + 10), 'stdout')!;
    expect(long.message.length).toBeLessThan(MAX_LINE_CHARS + 20);
    expect(long.message.endsWith('…[truncated]')).toBe(true);
  });
});

describe('line splitting and demultiplexing', () => {
  it('lineSink splits across chunk boundaries, including inside a multi-byte character', async () => {
    const got: string[] = [];
    const sink = lineSink((l) => got.push(l));
    const bytes = Buffer.from('héllo\nwörld\nlast');
    for (let i = 0; i < bytes.length; i++) sink.write(bytes.subarray(i, i + 1));
    sink.end();
    await new Promise((r) => sink.once('end', r));
    expect(got).toEqual(['héllo', 'wörld', 'last']);
  });

  it('demuxBuffer reads docker log frames (stream, 0, 0, 0, size) per stream', () => {
    const frame = (stream: 1 | 2, text: string) => {
      const body = Buffer.from(text);
      const head = Buffer.from([stream, 0, 0, 0, 0, 0, 0, 0]);
      head.writeUInt32BE(body.length, 4);
      return Buffer.concat([head, body]);
    };
    const buf = Buffer.concat([frame(1, 'one\ntw'), frame(2, 'err\n'), frame(1, 'o\n')]);
    expect(demuxBuffer(buf)).toEqual([
      { text: 'one', from: 'stdout' },
      { text: 'two', from: 'stdout' },
      { text: 'err', from: 'stderr' },
    ]);
    expect(demuxBuffer(Buffer.from('raw tty output\n'))).toEqual([{ text: 'raw tty output', from: 'stdout' }]);
  });
});

describe('container specs', () => {
  it('a worker spec is hardened whatever the caller passes as labels, and binds only the workspace writable', () => {
    const spec = workerContainerSpec({
      image: 'img',
      name: 'n',
      command: ['node', 'x'],
      env: { A: '1' },
      jobId: 5,
      phase: 3,
      deadline: 1000,
      hostWorkspace: '/srv/ws/job-5',
      readOnlyMounts: { '/src/framework': '/app/framework' },
      network: 'none',
      labels: { 'gamepocgen.role': 'game', 'gamepocgen.job': '999' },
    });
    expect(spec.Labels).toMatchObject({
      'gamepocgen.role': 'worker',
      'gamepocgen.job': '5',
      'gamepocgen.phase': '3',
      'gamepocgen.deadline': '1000',
    });
    expect(spec.HostConfig?.Binds).toEqual(['/srv/ws/job-5:/workspace:rw', '/src/framework:/app/framework:ro']);
    expect(spec.User).toBe('1001:1001');
    expect(spec.HostConfig).toMatchObject({
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      Privileged: false,
      NetworkMode: 'none',
      Memory: 2 * 1024 ** 3,
      NanoCpus: 1e9,
    });
  });

  it('traefik labels can drop the CSP middleware and change entrypoint/resolver', () => {
    const l = traefikLabels({
      name: 'gamedemo2',
      domain: 'x.test',
      port: 80,
      network: 't',
      entrypoint: 'web',
      certResolver: 'staging',
      csp: null,
    });
    expect(l['traefik.http.routers.gamedemo2.entrypoints']).toBe('web');
    expect(l['traefik.http.routers.gamedemo2.tls.certresolver']).toBe('staging');
    expect(Object.keys(l).some((k) => k.includes('middlewares'))).toBe(false);
  });
});
