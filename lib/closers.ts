// What a process has started, as one list of how to stop each part: added right after each part
// starts, stopped last first. The service's close() runs it, and so does a start-up that fails
// part-way (startedOrUndone), so nothing started before the failing step is left running.

export class Closers {
  private readonly stack: { name: string; close: () => unknown }[] = [];

  /** Registers how to stop a part that has just started; `name` says what failed to stop. */
  add(name: string, close: () => unknown): void {
    this.stack.push({ name, close });
  }

  /**
   * Stops every part, the last started first. Each is stopped even when one before it fails to
   * stop; then a StopError names every part that failed and why.
   */
  async close(): Promise<void> {
    const failures: { part: string; error: unknown }[] = [];
    for (let part = this.stack.pop(); part; part = this.stack.pop()) {
      try {
        await part.close();
      } catch (error) {
        failures.push({ part: part.name, error });
      }
    }
    if (failures.length) throw new StopError(failures);
  }
}

export class StopError extends AggregateError {
  code = 'stop_failed';
  constructor(failures: { part: string; error: unknown }[]) {
    super(
      failures.map((f) => f.error),
      failures.map((f) => `stopping ${f.part} failed: ${(f.error as Error)?.message ?? String(f.error)}`).join('; '),
    );
    this.name = 'StopError';
  }
}

/**
 * Runs a start-up that adds what it starts to `closers`. When it throws, everything it started is
 * stopped (last first) and its own error is rethrown as it was (code and message intact); a failure
 * to stop is reported to `onStopFailure`, never in place of the start-up error.
 */
export async function startedOrUndone<T>(
  closers: Closers,
  start: () => Promise<T>,
  onStopFailure: (e: Error) => void,
): Promise<T> {
  try {
    return await start();
  } catch (e) {
    await closers.close().catch((stopError: Error) => onStopFailure(stopError));
    throw e;
  }
}
