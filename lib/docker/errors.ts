// Errors from the Docker path carry a stable `code` and a message that says
// what to do; helpers classify the engine's HTTP errors (dockerode puts the
// status on `statusCode`) so callers can treat "already gone" as success.

export class DockerPathError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DockerPathError';
    this.code = code;
  }
}

export function statusOf(e: unknown): number | undefined {
  const s = (e as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

/** 404: the container (or network, image) does not exist, e.g. another reaper removed it. */
export const isNotFound = (e: unknown) => statusOf(e) === 404;
/** 409: a conflicting state, e.g. removal already in progress or the name is taken. */
export const isConflict = (e: unknown) => statusOf(e) === 409;
/** 304: nothing to do (already stopped / already started). */
export const isNotModified = (e: unknown) => statusOf(e) === 304;

/** Runs `op`, treating 404/409/304 (a concurrent actor got there first) as done. Returns false when it was. */
export async function tolerateGone(op: () => Promise<unknown>): Promise<boolean> {
  try {
    await op();
    return true;
  } catch (e) {
    if (isNotFound(e) || isConflict(e) || isNotModified(e)) return false;
    throw e;
  }
}

/** What to do when an image the engine was asked to run is missing (a 404 on create); '' otherwise. */
export function missingImageHint(e: unknown, image: string): string {
  return isNotFound(e) ? `; build it: docker build -f Dockerfile.worker -t ${image} .` : '';
}

/** The engine's own explanation (dockerode keeps it in `json.message`), else the error message. */
export function engineMessage(e: unknown): string {
  const json = (e as { json?: { message?: unknown } } | null)?.json;
  if (json && typeof json.message === 'string') return json.message;
  return e instanceof Error ? e.message : String(e);
}
