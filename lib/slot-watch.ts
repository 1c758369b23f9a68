// Watches the Docker engine's event stream (`docker events`, not polling) for game slot
// containers that die, stop or vanish, and hands the affected slots to the reconciler.
// Events arriving together are handled in one batch; a broken stream is reopened and
// followed by a full pass (events may have been missed meanwhile).
import type Docker from 'dockerode';
import { LABEL } from './docker/labels.ts';

export interface SlotWatchOptions {
  docker: Docker;
  /** Extra label filters (`key=value`): the instance's, a test run's. */
  labels?: Record<string, string>;
  /** Reconciles the given slots; `null` = all of them. Errors are reported to `log`. */
  onSlots(slots: number[] | null): Promise<unknown>;
  log?: (line: string) => void;
  /** Collects events for this long before reconciling (default 250 ms). */
  batchMs?: number;
  /** Wait before reopening a broken stream (default 2 s). */
  reopenMs?: number;
}

export interface SlotWatch {
  stop(): Promise<void>;
  /** Resolves once the event stream is open (tests wait for it before acting). */
  ready: Promise<void>;
}

const EVENTS = ['die', 'stop', 'kill', 'destroy', 'oom'];

export function watchSlotContainers(opts: SlotWatchOptions): SlotWatch {
  const log = opts.log ?? (() => {});
  let stopped = false;
  let stream: NodeJS.ReadableStream | null = null;
  const pending = new Set<number>();
  let all = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => {
    markReady = r;
  });

  const flush = () => {
    timer = null;
    const slots = all ? null : [...pending];
    pending.clear();
    all = false;
    running = running
      .then(() => opts.onSlots(slots))
      .then(
        () => {},
        (e) => log(`slot watch: reconcile failed: ${(e as Error).message}`),
      );
  };
  const schedule = (slot: number | null) => {
    if (stopped) return;
    if (slot === null) all = true;
    else pending.add(slot);
    timer ??= setTimeout(flush, opts.batchMs ?? 250);
  };

  const open = async (reopened: boolean) => {
    if (stopped) return;
    const filters = {
      type: ['container'],
      event: EVENTS,
      label: [`${LABEL.role}=game`, ...Object.entries(opts.labels ?? {}).map(([k, v]) => `${k}=${v}`)],
    };
    try {
      const s = (await opts.docker.getEvents({ filters: JSON.stringify(filters) })) as NodeJS.ReadableStream;
      if (stopped) return void (s as unknown as { destroy?: () => void }).destroy?.();
      stream = s;
      markReady();
      if (reopened) schedule(null);
      let buffered = '';
      s.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
          const line = buffered.slice(0, i).trim();
          buffered = buffered.slice(i + 1);
          if (line) schedule(slotOf(line));
        }
      });
      const again = () => {
        if (stream !== s) return;
        stream = null;
        if (!stopped) setTimeout(() => void open(true), opts.reopenMs ?? 2000).unref();
      };
      s.once('end', again);
      s.once('close', again);
      s.once('error', again);
    } catch (e) {
      log(`slot watch: cannot open the engine's event stream: ${(e as Error).message}; retrying`);
      if (!stopped) setTimeout(() => void open(true), opts.reopenMs ?? 2000).unref();
    }
  };
  void open(false);

  return {
    ready,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const s = stream;
      stream = null;
      (s as unknown as { destroy?: () => void } | null)?.destroy?.();
      await running;
    },
  };
}

/** The slot an engine event is about (its container's gamepocgen.slot label), or null (then: all slots). */
function slotOf(line: string): number | null {
  try {
    const raw = (JSON.parse(line) as { Actor?: { Attributes?: Record<string, string> } }).Actor?.Attributes?.[
      LABEL.slot
    ];
    return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : null;
  } catch {
    return null;
  }
}
