// One timeout for a promise that may never settle (a wedged socket, a database that
// does not answer), so a health check or start-up cannot stall on it.

/** Resolves as `p`, or rejects with "<what> did not answer within <ms> ms". */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
