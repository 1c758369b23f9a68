// The app as the route table and the API description see it: building it touches no
// database, so tests of /openapi.json and /docs need no service.
import { createApp } from '../../functions/app.ts';
import type { AppDeps } from '../../functions/deps.ts';
import { loadConfig } from '../../lib/config.ts';

export function createDbFreeApp() {
  return createApp({
    config: loadConfig({}),
    apiToken: 'unused-token',
    tokenConfigured: false,
    runtimeDescription: 'none',
    startedAt: new Date(),
  } as unknown as AppDeps);
}
