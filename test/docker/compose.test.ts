// The production files, checked without an engine: docker-compose.yml's shape
// (parsed with js-yaml, which is in node_modules through cosmiconfig; the
// compose plugin is not packaged by Debian), .env.example covering every
// variable, and the two Dockerfiles. Then what compose really hands the app:
// `docker compose config` (v2, or Debian's `docker-compose` v1) with .env.example,
// an empty .env and every optional setting set, each app service's environment
// run through the app's own validation (lib/config.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../lib/config.ts';
import { composeCli, composeConfig, appServiceEnvs, REQUIRED_ENV } from './compose-cli.ts';

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

  it('every service: capped logs, memory/CPU/pids limits and a healthcheck; the worker runs under tini and asks its runner', () => {
    for (const [name, svc] of Object.entries(S) as Array<[string, Service & Record<string, unknown>]>) {
      expect(svc.logging, name).toMatchObject({ driver: 'json-file', options: { 'max-size': expect.any(String) } });
      expect(svc.mem_limit, name).toBeTruthy();
      expect(svc.cpus, name).toBeTruthy();
      expect(svc.pids_limit, name).toBeTruthy();
      expect(svc.healthcheck?.test?.length, name).toBeGreaterThan(0);
    }
    const w = S.worker as Service & { entrypoint?: string[]; stop_grace_period?: string };
    expect(w.entrypoint).toEqual(['/usr/bin/tini', '--']);
    expect(w.command).toEqual(['node_modules/.bin/graphile-worker']);
    expect(w.healthcheck!.test).toEqual(['CMD', 'node', 'bin/gamepocgen.ts', 'health', '--runner']);
    expect(w.stop_grace_period).toBeTruthy();
    expect((S.traefik as Service & { profiles?: string[] }).profiles).toEqual(['traefik']);
  });

  it('every service restarts unless stopped; only traefik and worker see the Docker socket', () => {
    for (const [name, s] of Object.entries(S)) {
      expect(s.restart, name).toBe('unless-stopped');
      if (!['traefik', 'worker'].includes(name))
        expect(JSON.stringify(s.volumes ?? []), name).not.toContain('docker.sock');
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
    // Into the stage that assembles /app, which the final stage copies whole.
    for (const dir of ['worker', 'lib', 'prompts', 'framework'])
      expect(f).toMatch(new RegExp(`^COPY ${dir} /app/${dir}$`, 'm'));
    expect(f).toMatch(/^COPY --from=app \/app \/app$/m);
    expect(f).toContain('CMD ["node", "/app/worker/entrypoint.ts"]');
  });
});

describe('what compose hands the app (`compose config` → lib/config.ts)', () => {
  const cli = composeCli();
  const skip = !cli;
  if (skip) {
    if (process.env.CI) throw new Error('CI needs a compose CLI for this check: apt-get install docker-compose');
    console.warn(
      '[compose.test] SKIPPED: no compose CLI (apt-get install docker-compose, or the docker compose plugin)',
    );
  }
  const compose = read('docker-compose.yml');
  const token = { API_TOKEN: '0123456789abcdef0123' };
  const withExample = envExample.replace(/^API_TOKEN=$/m, `API_TOKEN=${token.API_TOKEN}`);
  // Every optional setting the operator might uncomment, as .env.example suggests it.
  const everySet = withExample.replace(/^#([A-Z][A-Z0-9_]+=)/gm, '$1');

  const cases: Array<[string, string, Record<string, string>]> = [
    ['.env.example', withExample, {}],
    ['an empty .env (required settings from the shell)', '', REQUIRED_ENV],
    ['.env.example with every commented setting set', everySet, {}],
  ];
  for (const [name, dotenv, shellEnv] of cases) {
    it.skipIf(skip)(`${name}: api and worker get a configuration the app accepts`, () => {
      const result = composeConfig(cli!, compose, dotenv, shellEnv);
      expect(result.error, result.error ?? '').toBeNull();
      const envs = appServiceEnvs(result.config!);
      expect(Object.keys(envs).sort()).toEqual(['api', 'worker']);
      for (const [service, env] of Object.entries(envs)) {
        const parsed = ConfigSchema.safeParse(env);
        expect(parsed.success ? null : `${service}: ${parsed.error.message}`).toBeNull();
      }
    });
  }

  it.skipIf(skip)('an empty .env without the required settings is refused, naming them', () => {
    const result = composeConfig(cli!, compose, '', {});
    expect(result.error).toMatch(/POSTGRES_PASSWORD|DOMAIN|API_TOKEN|ACME_EMAIL/);
  });

  it.skipIf(skip)('fixture: the old `${PLAYTEST_URL:-http://gamedemo{slot}/}` default fails the check', () => {
    const broken = compose.replace(
      /PLAYTEST_URL: \$\{PLAYTEST_URL:-[^\n]*/,
      'PLAYTEST_URL: ${PLAYTEST_URL:-http://gamedemo{slot}/}',
    );
    expect(broken).not.toBe(compose);
    for (const dotenv of [withExample, `${withExample}\nPLAYTEST_URL=http://gamedemo{slot}/\n`]) {
      const result = composeConfig(cli!, broken, dotenv, {});
      expect(result.error).toBeNull();
      const failures = Object.values(appServiceEnvs(result.config!)).map((env) => ConfigSchema.safeParse(env));
      expect(failures.every((f) => !f.success && /PLAYTEST_URL/.test(f.error.message))).toBe(true);
    }
  });
});
