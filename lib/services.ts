// Picks the runtime, agent and deployer for this process from the config, and
// says which. Tasks receive the result as their dependencies (lib/task-deps.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { llmSettings, PASS_THROUGH_ENV, providerSettings, ROOT_DIR, type Config } from './config.ts';
import { instanceLabels } from './docker/labels.ts';
import { createLocalDeployer } from './deployers/local.ts';
import { modelEndpoints } from './llm/providers.ts';
import type { Deployer } from './deployers/types.ts';
import type { DockerLike } from './docker/client.ts';
import type { Playtester } from './playtest/container-judge.ts';
import { createLocalRuntime } from './runtimes/local.ts';
import type { Runtime } from './runtimes/types.ts';

export class SetupError extends Error {
  code = 'setup_refused';
}

export function chooseAgent(config: Config): 'builtin' | 'claude' {
  if (config.AGENT !== 'auto') return config.AGENT;
  return llmSettings(config).apiKey ? 'claude' : 'builtin';
}

/** Env the worker needs for the agent (secrets included: passed to the worker, never logged). */
export function agentEnv(config: Config): Record<string, string> {
  const { baseUrl, apiKey } = llmSettings(config);
  const env: Record<string, string> = {
    MODEL: config.MODEL,
    BUILD_FALLBACK: config.BUILD_FALLBACK,
  };
  if (baseUrl) env.LLM_BASE_URL = baseUrl;
  if (apiKey) env.LLM_API_KEY = apiKey;
  // Optional agent tuning, passed through as the operator set it.
  for (const key of PASS_THROUGH_ENV) if (config[key]) env[key] = config[key];
  if (config.AGENT_MODULE) env.AGENT_MODULE = config.AGENT_MODULE;
  return env;
}

/** The version a worker image must be built for (package.json "version"; its gamepocgen.version label). */
export const APP_VERSION = (
  JSON.parse(readFileSync(path.join(ROOT_DIR, 'package.json'), 'utf8')) as { version: string }
).version;

async function dockerRuntimeIfAvailable(
  config: Config,
  agent: 'builtin' | 'claude',
  instanceId: string,
  log: (line: string) => void,
): Promise<Runtime | null> {
  const required = config.RUNTIME === 'docker';
  try {
    const docker = await import('./runtimes/docker.ts');
    const Dockerode = (await import('dockerode')).default;
    const client = new Dockerode();
    // RUNTIME=docker trusts the operator's image (with a warning); RUNTIME=auto only one built for this version.
    const check = await docker.dockerRuntimeCheck(client, config.WORKER_IMAGE, APP_VERSION);
    const usable = check.code === 'ok' || (required && check.code === 'wrong_version');
    if (required && check.code === 'wrong_version') log(`RUNTIME=docker: warning: ${check.reason}`);
    if (!usable) {
      if (required)
        throw new SetupError(
          `RUNTIME=docker but ${check.reason}: start dockerd and build the worker image (see docs/deploy.md)`,
        );
      log(`RUNTIME=auto: using the local runtime because ${check.reason}`);
      return null;
    }
    if (!required) log(`RUNTIME=auto: using the docker runtime because ${check.reason}`);
    return docker.createDockerRuntime({
      docker: client,
      image: config.WORKER_IMAGE,
      agent,
      workspaceRoot: config.workspaceDir,
      hostWorkspaceRoot: config.HOST_WORKSPACE_PATH,
      network: config.WORKER_NETWORK,
      // The egress gateway lets claude phases reach these endpoints and nothing else.
      egressAllow: modelEndpoints(providerSettings(config)),
      namePrefix: `gamepocgen-${instanceId}-`,
      labels: instanceLabels(instanceId),
    });
  } catch (e) {
    if (required) throw e;
    log(`RUNTIME=auto: using the local runtime because the docker check failed: ${(e as Error).message}`);
    return null;
  }
}

export async function chooseRuntime(
  config: Config,
  agent: 'builtin' | 'claude',
  instanceId = 'default',
  log: (line: string) => void = (l) => console.log(`[gamepocgen] ${l}`),
): Promise<Runtime> {
  if (config.RUNTIME !== 'local') {
    const docker = await dockerRuntimeIfAvailable(config, agent, instanceId, log);
    if (docker) return docker;
  }
  if (agent === 'claude' && !config.ALLOW_UNSANDBOXED) {
    throw new SetupError(
      'the claude agent would run generated code on this machine without a sandbox (local runtime): start Docker and build the worker image, or set ALLOW_UNSANDBOXED=1 to accept the risk',
    );
  }
  return createLocalRuntime({ agent });
}

export async function chooseDeployer(config: Config, runtime: Runtime, instanceId = 'default'): Promise<Deployer> {
  const useDocker =
    config.DEPLOY === 'docker' ||
    (config.DEPLOY === 'auto' && runtime.name === 'docker' && config.DOMAIN !== 'localhost');
  if (useDocker) {
    const { createDockerDeployer } = await import('./deployers/docker.ts');
    const Dockerode = (await import('dockerode')).default;
    return createDockerDeployer({
      docker: new Dockerode(),
      image: config.GAME_SERVER_IMAGE,
      deployDir: config.deployDir,
      hostDeployDir: config.HOST_DEPLOY_DIR,
      domain: config.DOMAIN,
      network: config.DOCKER_NETWORK,
      instanceId,
      labels: instanceLabels(instanceId),
      publishLoopback: config.PUBLISH_SLOTS === '127.0.0.1',
    });
  }
  return createLocalDeployer({ deployDir: config.deployDir, port: config.PORT, publicBase: config.PUBLIC_URL });
}

/**
 * Under the docker runtime with the docker deployer, play-tests run in containers of their own from
 * WORKER_IMAGE, on the engine and network that serve the games (the deployer's), hardened like a phase
 * (docs/playtest.md). Otherwise (the local runtime, or games the app serves itself on its loopback, which
 * no container reaches) null: this process's Chromium plays, as before.
 */
export async function choosePlaytester(
  config: Config,
  runtime: Runtime,
  deployer: Deployer,
  instanceId = 'default',
): Promise<Playtester | null> {
  if (runtime.name !== 'docker' || deployer.name !== 'docker' || !('docker' in deployer)) return null;
  const { createContainerPlaytester } = await import('./playtest/container-judge.ts');
  return createContainerPlaytester({
    docker: (deployer as { docker: DockerLike }).docker,
    image: config.WORKER_IMAGE,
    network: config.DOCKER_NETWORK,
    namePrefix: `gamepocgen-${instanceId}-`,
    labels: instanceLabels(instanceId),
  });
}
