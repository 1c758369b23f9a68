// Environments for child processes, built from scratch: a child gets the few
// variables a process needs to run plus what its caller names, never this
// process's environment (which holds LLM_API_KEY, API_TOKEN, DATABASE_URL, …).
// Used for worker processes, the play-test browser and the embedded Postgres.

/** Variables any child may inherit: where programs are, the locale, the time zone. */
const BASE_KEYS = ['PATH', 'HOME', 'TZ', 'TMPDIR'] as const;

export function childEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/tmp', LANG: 'C.UTF-8' };
  for (const key of BASE_KEYS) {
    const value = process.env[key];
    if (value) env[key] = value;
  }
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) env[key] = value;
  return env;
}
