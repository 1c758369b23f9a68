// The production files, checked without an engine: docker-compose.yml's shape
// (parsed with js-yaml, which is in node_modules through cosmiconfig; the
// compose plugin is not packaged by Debian), .env.example covering every
// variable, and the two Dockerfiles. When a compose CLI is installed
// (`docker compose` v2, or Debian's `docker-compose` v1) it must accept the file too.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../lib/config.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (f: string) => readFileSync(path.join(ROOT, f), 'utf8');
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

type Service = {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  networks?: string[];
  ports?: string[];
  labels?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  group_add?: string[];
  restart?: string;
};
const compose = yaml.load(read('docker-compose.yml')) as {
  services: Record<string, Service>;
  networks: Record<string, { name?: string; internal?: boolean }>;
  volumes: Record<string, unknown>;
};
const S = compose.services;
const envExample = read('.env.example');
const documented = new Set([...envExample.matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));

describe('docker-compose.yml', () => {
  it('has exactly the five services of the production shape', () => {
    expect(Object.keys(S).sort()).toEqual(['api', 'gallery', 'postgres', 'traefik', 'worker']);
  });

  it('traefik: v3, docker provider opt-in only, 80→443 redirect, letsencrypt resolver storing acme.json in a volume', () => {
    const t = S.traefik;
    expect(t.image).toMatch(/^traefik:v3(\.|$)/);
    const cmd = t.command!;
    expect(cmd).toContain('--providers.docker.exposedbydefault=false');
    expect(cmd).toContain('--entrypoints.web.address=:80');
    expect(cmd).toContain('--entrypoints.websecure.address=:443');
    expect(cmd).toContain('--entrypoints.web.http.redirections.entrypoint.to=websecure');
    expect(cmd).toContain('--entrypoints.web.http.redirections.entrypoint.scheme=https');
    expect(cmd).toContain('--certificatesresolvers.letsencrypt.acme.storage=/letsencrypt/acme.json');
    expect(cmd.some((c) => c.startsWith('--certificatesresolvers.letsencrypt.acme.email=${ACME_EMAIL'))).toBe(true);
    expect(
      cmd.some((c) => /^--certificatesresolvers\.letsencrypt\.acme\.(tlschallenge=true|httpchallenge)/.test(c)),
    ).toBe(true);
    expect(t.ports).toEqual(['80:80', '443:443']);
    expect(t.volumes).toContain('letsencrypt:/letsencrypt');
    expect(t.volumes).toContain('/var/run/docker.sock:/var/run/docker.sock:ro');
    expect(compose.volumes).toHaveProperty('letsencrypt');
  });

  it('postgres: 16-alpine, pg_isready healthcheck, on the internal network only, no published port', () => {
    const p = S.postgres;
    expect(p.image).toBe('postgres:16-alpine');
    expect(p.healthcheck!.test.join(' ')).toContain('pg_isready');
    expect(p.networks).toEqual(['internal']);
    expect(p.ports).toBeUndefined();
    expect(compose.networks.internal.internal).toBe(true);
  });

  it('api: routes PathPrefix(/api) || Path(/health) at priority 10 with TLS, and never gets the Docker socket', () => {
    const a = S.api;
    expect(a.labels!['traefik.enable']).toBe('true');
    expect(a.labels!['traefik.http.routers.api.rule']).toContain('(PathPrefix(`/api`) || Path(`/health`))');
    expect(a.labels!['traefik.http.routers.api.priority']).toBe('10');
    expect(a.labels!['traefik.http.routers.api.entrypoints']).toBe('websecure');
    expect(a.labels!['traefik.http.routers.api.tls.certresolver']).toBe('letsencrypt');
    expect(a.labels!['traefik.http.services.api.loadbalancer.server.port']).toBe('3000');
    expect(JSON.stringify(a.volumes ?? [])).not.toContain('docker.sock');
    expect(a.networks!.sort()).toEqual(['internal', 'traefik']);
    expect(a.depends_on!.postgres.condition).toBe('service_healthy');
  });

  it('worker: the graphile-worker CLI with the Docker socket and host-path-mapped workspace and deploy volumes', () => {
    const w = S.worker;
    expect(w.command!.join(' ')).toMatch(/graphile-worker/);
    expect(w.volumes).toContain('/var/run/docker.sock:/var/run/docker.sock');
    const env = w.environment!;
    expect(env.RUNTIME).toBe('docker');
    expect(env.DEPLOY).toBe('docker');
    // The host side of each volume is the very value passed as HOST_*: the runtime maps /data/… back to it.
    expect(w.volumes).toContain(`${env.HOST_WORKSPACE_PATH}:${env.WORKSPACE_ROOT}`);
    expect(w.volumes).toContain(`${env.HOST_DEPLOY_DIR}:${env.DEPLOY_DIR}`);
    expect(env.DOCKER_NETWORK).toBe(compose.networks.traefik.name);
    expect(w.networks).toContain('internal');
    expect(w.group_add).toEqual(['${DOCKER_GID:-999}']);
  });

  it('gallery: nginx:alpine serving gallery/ read-only as the catch-all at priority 1', () => {
    const g = S.gallery;
    expect(g.image).toBe('nginx:alpine');
    expect(g.volumes).toContain('./gallery:/usr/share/nginx/html:ro');
    expect(g.labels!['traefik.http.routers.gallery.priority']).toBe('1');
    expect(g.labels!['traefik.http.routers.gallery.tls.certresolver']).toBe('letsencrypt');
    expect(JSON.stringify(g.volumes)).not.toContain('docker.sock');
  });

  it('every service restarts unless stopped; only traefik and worker see the Docker socket', () => {
    for (const [name, s] of Object.entries(S)) {
      expect(s.restart, name).toBe('unless-stopped');
      if (!['traefik', 'worker'].includes(name))
        expect(JSON.stringify(s.volumes ?? []), name).not.toContain('docker.sock');
    }
  });

  it('is accepted by a compose CLI when one is installed', () => {
    const cli = [
      ['docker', ['compose']],
      ['docker-compose', []],
    ].find(
      ([bin, pre]) => spawnSync(bin as string, [...(pre as string[]), 'version'], { stdio: 'ignore' }).status === 0,
    ) as [string, string[]] | undefined;
    if (!cli) {
      console.warn(
        '[compose.test] no compose CLI installed (Debian packages only docker-compose v1: apt-get install docker-compose); structural checks only',
      );
      return;
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gpg-compose-'));
    try {
      const envFile = path.join(dir, '.env');
      writeFileSync(envFile, envExample.replace(/^API_TOKEN=$/m, 'API_TOKEN=0123456789abcdef'));
      const out = execFileSync(
        cli[0],
        [...cli[1], '--env-file', envFile, '-f', path.join(ROOT, 'docker-compose.yml'), 'config'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      expect(out).toContain('Host(`games.example.com`)');
      // Required variables are enforced: without API_TOKEN the file is refused.
      writeFileSync(envFile, envExample);
      const refused = spawnSync(
        cli[0],
        [...cli[1], '--env-file', envFile, '-f', path.join(ROOT, 'docker-compose.yml'), 'config'],
        { encoding: 'utf8' },
      );
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain('API_TOKEN');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('.env.example', () => {
  it('documents every variable the app reads (lib/config.ts) and every one compose interpolates', () => {
    const appVars = [...Object.keys(ConfigSchema.shape), 'WORKSPACE_ROOT', 'DEPLOY_DIR', 'CLAUDE_BIN'];
    const composeVars = [...read('docker-compose.yml').matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]);
    const missing = [...new Set([...appVars, ...composeVars])].filter((v) => !documented.has(v));
    expect(missing).toEqual([]);
    for (const v of [
      'DOMAIN',
      'ACME_EMAIL',
      'POSTGRES_PASSWORD',
      'ZAI_API_KEY',
      'ZAI_BASE_URL',
      'API_TOKEN',
      'MAX_CONCURRENT',
      'SLOTS',
    ])
      expect(documented.has(v), v).toBe(true);
  });
});

describe('Dockerfiles', () => {
  it('Dockerfile: node:24-slim, production dependencies only, non-root', () => {
    const f = read('Dockerfile');
    expect(f).toMatch(/^FROM node:24-slim$/m);
    expect(f).toMatch(/npm ci --omit=dev/);
    const user = [...f.matchAll(/^USER (\S+)$/gm)].at(-1)?.[1];
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it('Dockerfile.worker: node:24-slim, tini, the pinned Claude Code CLI, user claude uid 1001, the worker sources', () => {
    const f = read('Dockerfile.worker');
    const pinned = (JSON.parse(read('package.json')) as { devDependencies: Record<string, string> }).devDependencies[
      '@anthropic-ai/claude-code'
    ];
    expect(f).toMatch(/^FROM node:24-slim$/m);
    expect(f).toContain(`CLAUDE_CODE_VERSION=${pinned}`);
    expect(f).toContain('@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}');
    expect(f).toMatch(/apt-get install[^\n]*\btini\b/);
    expect(f).toMatch(/ENTRYPOINT \["\/usr\/bin\/tini", "--"\]/);
    expect(f).toMatch(/useradd --uid 1001 --gid 1001[^\n]* claude/);
    expect([...f.matchAll(/^USER (\S+)$/gm)].at(-1)?.[1]).toBe('claude');
    for (const dir of ['worker', 'lib', 'prompts', 'framework'])
      expect(f).toMatch(new RegExp(`^COPY ${dir} \\./${dir}$`, 'm'));
    expect(f).toContain('CMD ["node", "/app/worker/entrypoint.ts"]');
  });
});
