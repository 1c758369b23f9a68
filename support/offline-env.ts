// The settings of an offline, in-process service on loopback (builtin agent, local runtime and deploys,
// a free port): what the test harness, the shutdown/restart tests and the bench all start from.
export const OFFLINE_SERVICE_ENV = {
  PORT: '0',
  HOST: '127.0.0.1',
  RUNTIME: 'local',
  AGENT: 'builtin',
  DEPLOY: 'local',
} as const;
