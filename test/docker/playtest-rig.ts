// What the play-test container tests share: the play-test test image, a games network, a slot deployer
// on it (the static test image) and a container play-tester on the same network, all labelled for the run.
import path from 'node:path';
import type Docker from 'dockerode';
import { createDockerDeployer, type DockerDeployer } from '../../lib/deployers/docker.ts';
import { createContainerPlaytester, type Playtester } from '../../lib/playtest/container-judge.ts';
import { buildPlaytestImage, PLAYTEST_TEST_IMAGE } from '../../support/playtest-image.ts';
import { STATIC_TEST_IMAGE, type TestRun } from './helpers.ts';

export interface PlaytestRig {
  games: string;
  deployer: DockerDeployer;
  playtester: Playtester;
}

export async function playtestRig(
  docker: Docker,
  run: TestRun,
  opts: { removeContainers?: boolean } = {},
): Promise<PlaytestRig> {
  await buildPlaytestImage({ log: (l) => console.log(`[test/docker] ${l}`) });
  const games = `${run.id}-games`;
  run.networks.push(games);
  const deployer = createDockerDeployer({
    docker,
    image: STATIC_TEST_IMAGE,
    network: games,
    domain: 'games.example.test',
    deployDir: path.join(run.tmp, 'deploy'),
    namePrefix: `${run.id.replace(/[^a-z0-9]/g, '')}g`,
    labels: run.labels,
    handoverMs: 0,
  });
  const playtester = createContainerPlaytester({
    docker,
    image: PLAYTEST_TEST_IMAGE,
    network: games,
    namePrefix: `${run.id}-`,
    labels: run.labels,
    ...(opts.removeContainers === undefined ? {} : { removeContainers: opts.removeContainers }),
  });
  return { games, deployer, playtester };
}
