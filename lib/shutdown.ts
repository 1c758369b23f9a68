// Process-level safety for long-running commands (`start`, `api`, the
// graphile-worker CLI): a stray rejection is logged, never the end of the
// process (a Postgres restart used to kill `npm start` through graphile-worker's
// unawaited failJob), and SIGTERM/SIGINT/SIGHUP run one orderly shutdown and
// exit 0. A second signal while stopping says what is going on; SIGKILL forces.

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
let guarded = false;

/** Logs unhandled rejections instead of letting them end the process. Idempotent. */
export function guardProcess(log: (line: string) => void = (l) => console.error(l)) {
  if (guarded) return;
  guarded = true;
  process.on('unhandledRejection', (reason) => {
    const e = reason as { code?: string; message?: string };
    log(
      `warning: an operation failed in the background and was dropped (${e?.code ?? 'no code'}): ${e?.message ?? String(reason)}`,
    );
  });
}

/** On the first signal runs `stop` and exits 0 (1 if stopping failed); later signals only log. */
export function onShutdownSignals(
  stop: (signal: string) => Promise<void>,
  log: (line: string) => void = (l) => console.log(l),
) {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) {
      log(`${signal}: already shutting down (running phases get SHUTDOWN_GRACE_SECONDS); SIGKILL forces an exit`);
      return;
    }
    stopping = true;
    stop(signal).then(
      () => process.exit(0),
      (e) => {
        log(`shutdown failed: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  for (const signal of SIGNALS) process.on(signal, handler);
}

/**
 * For the graphile-worker CLI, which handles signals itself: it stops its
 * worker pool gracefully and then re-sends the signal to itself to exit. This
 * listener keeps that second signal from killing the process, so it exits
 * naturally (code 0) once the CLI has released everything — after which the
 * embedded Postgres, if this process started it, stops on 'beforeExit'.
 */
export function exitNaturallyAfterSignals() {
  for (const signal of SIGNALS) process.on(signal, () => {});
}
