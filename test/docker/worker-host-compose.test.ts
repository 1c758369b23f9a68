// The extra worker host's compose file (docs/deploy.md, "Scaling out"), checked without an engine:
// what `compose config` hands its worker passes the app's own validation (lib/config.ts) and makes a
// runner that takes phases only, on this host's engine, with no slot directory and no Traefik network.
// Fixture: the same file without `SERVE_GAMES: "0"` makes a runner that would deploy games here.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../lib/config.ts';
import { takesTask } from '../../lib/queue/tasks.ts';
import { appServiceEnvs, composeCli, composeConfig } from './compose-cli.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (f: string) => readFileSync(path.join(ROOT, f), 'utf8');
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
const workerHost = read('docker-compose.worker-host.yml');
const DOTENV = 'DATABASE_URL=postgres://gamepocgen:pw0123456789@10.0.0.1:5432/gamepocgen\nZAI_API_KEY=k\n';

type Service = { volumes?: string[]; networks?: unknown; ports?: unknown; healthcheck?: { test: string[] } };

describe('docker-compose.worker-host.yml', () => {
  it('one worker service: the Docker socket and a workspace volume, no slot directory, no network or port of the stack', () => {
    const { services } = yaml.load(workerHost) as { services: Record<string, Service> };
    expect(Object.keys(services)).toEqual(['worker']);
    const w = services.worker!;
    expect(w.volumes).toEqual([
      '/var/run/docker.sock:/var/run/docker.sock',
      '${HOST_WORKSPACE_PATH:-/srv/gamepocgen/workspaces}:/data/workspaces',
    ]);
    expect(w.networks).toBeUndefined();
    expect(w.ports).toBeUndefined();
    expect(w.healthcheck?.test).toEqual(['CMD', 'node', 'bin/gamepocgen.ts', 'health', '--runner']);
  });

  it('docker-compose.shared-postgres.yml publishes Postgres only where POSTGRES_PUBLISH says (required)', () => {
    const override = yaml.load(read('docker-compose.shared-postgres.yml')) as {
      services: { postgres: { ports: string[]; networks: string[] } };
    };
    expect(override.services.postgres.ports).toEqual([expect.stringMatching(/^\$\{POSTGRES_PUBLISH:\?[^}]+\}:5432$/)]);
    expect(override.services.postgres.networks).toContain('internal');
  });

  const cli = composeCli();
  if (!cli) {
    if (process.env.CI) throw new Error('CI needs a compose CLI for this check: apt-get install docker-compose');
    console.warn('[worker-host-compose.test] SKIPPED the compose CLI checks: no compose CLI');
  }
  const workerEnv = (text: string) => {
    const result = composeConfig(cli!, text, DOTENV, {});
    expect(result.error, result.error ?? '').toBeNull();
    return appServiceEnvs(result.config!).worker!;
  };

  it.skipIf(!cli)('`compose config` → lib/config.ts: accepted, phases only, on the docker runtime', () => {
    const parsed = ConfigSchema.safeParse(workerEnv(workerHost));
    expect(parsed.success ? null : parsed.error.message).toBeNull();
    const config = parsed.data!;
    expect(config).toMatchObject({ SERVE_GAMES: false, RUNTIME: 'docker', ALLOW_UNSANDBOXED: false });
    expect(config.DATABASE_URL).toMatch(/@10\.0\.0\.1:5432\//);
    expect(['run-phase', 'deploy-game', 'playtest-game'].map((t) => takesTask(t, config.SERVE_GAMES))).toEqual([
      true,
      false,
      false,
    ]);
  });

  it.skipIf(!cli)('without DATABASE_URL it is refused, naming it', () => {
    expect(composeConfig(cli!, workerHost, '', {}).error).toMatch(/DATABASE_URL/);
  });

  it.skipIf(!cli)('fixture: without `SERVE_GAMES: "0"` the runner would take deploys on this host', () => {
    const broken = workerHost.replace(/^\s+SERVE_GAMES: "0"\n/m, '');
    expect(broken).not.toBe(workerHost);
    const config = ConfigSchema.parse(workerEnv(broken));
    expect(takesTask('deploy-game', config.SERVE_GAMES)).toBe(true);
  });
});
