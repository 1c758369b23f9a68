// The stack of closers behind startService and close(): last started, first stopped; one part
// failing to stop does not keep the others running; a start-up's own error reaches its caller.
import { describe, expect, it } from 'vitest';
import { Closers, StopError, startedOrUndone } from '../lib/closers.ts';

function parts() {
  const stopped: string[] = [];
  const closers = new Closers();
  const add = (name: string, fail?: string) =>
    closers.add(name, async () => {
      stopped.push(name);
      if (fail) throw Object.assign(new Error(fail), { code: 'ECONNRESET' });
    });
  return { closers, stopped, add };
}

/** Runs a start-up that starts `start` and throws `cause`: what it threw, and the stop failures reported. */
async function failedStart(closers: Closers, start: () => void, cause: Error) {
  const reported: Error[] = [];
  const error = await startedOrUndone(
    closers,
    async () => {
      start();
      throw cause;
    },
    (e) => reported.push(e),
  ).then(
    () => null,
    (e: unknown) => e,
  );
  return { error, reported };
}

describe('Closers', () => {
  it('stops the parts last first, each once', async () => {
    const { closers, stopped, add } = parts();
    add('database');
    add('http');
    add('runner');
    await closers.close();
    await closers.close(); // a second close has nothing left to stop
    expect(stopped).toEqual(['runner', 'http', 'database']);
  });

  it('stops every part when some fail to stop, then names each failure', async () => {
    const { closers, stopped, add } = parts();
    add('database');
    add('http', 'socket hang up');
    add('runner', 'pool already ended');
    const error = await closers.close().then(
      () => null,
      (e: unknown) => e as StopError,
    );
    expect(stopped).toEqual(['runner', 'http', 'database']);
    expect(error).toBeInstanceOf(StopError);
    expect(error).toMatchObject({ code: 'stop_failed' });
    expect(error!.message).toBe('stopping runner failed: pool already ended; stopping http failed: socket hang up');
    expect(error!.errors.map((e: Error) => e.message)).toEqual(['pool already ended', 'socket hang up']);
  });

  it('control: nothing failing to stop, nothing thrown', async () => {
    const { closers, add } = parts();
    add('database');
    await expect(closers.close()).resolves.toBeUndefined();
  });
});

describe('startedOrUndone', () => {
  it('stops what a failed start-up started and rethrows its own error unchanged', async () => {
    const { closers, stopped, add } = parts();
    const cause = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:3000'), {
      code: 'EADDRINUSE',
      port: 3000,
    });
    const { error, reported } = await failedStart(
      closers,
      () => {
        add('database');
        add('events');
      },
      cause,
    );
    expect(error).toBe(cause);
    expect(stopped).toEqual(['events', 'database']);
    expect(reported).toEqual([]);
  });

  it('reports a failure to stop on the side, never in place of the start-up error', async () => {
    const { closers, stopped, add } = parts();
    const cause = Object.assign(new Error('cannot read or write the API token file'), { code: 'EISDIR' });
    const { error, reported } = await failedStart(
      closers,
      () => {
        add('database');
        add('runner', 'runner would not stop');
      },
      cause,
    );
    expect(error).toBe(cause);
    expect(stopped).toEqual(['runner', 'database']);
    expect(reported.map((e) => e.message)).toEqual(['stopping runner failed: runner would not stop']);
  });

  it('control: a start-up that succeeds stops nothing and returns its result', async () => {
    const { closers, stopped, add } = parts();
    const result = await startedOrUndone(
      closers,
      async () => {
        add('database');
        return 'service';
      },
      () => {},
    );
    expect(result).toBe('service');
    expect(stopped).toEqual([]);
  });
});
