// The labels that tie containers to jobs, phases and slots. The reaper finds
// everything it manages by these, so they are the contract between the
// runtime/deployer that create containers and the reaper that removes them.

export const LABEL = {
  role: 'gamepocgen.role',
  job: 'gamepocgen.job',
  phase: 'gamepocgen.phase',
  /** Epoch seconds after which a still-running worker is killed by the reaper. */
  deadline: 'gamepocgen.deadline',
  slot: 'gamepocgen.slot',
  /** The installation (lib/instance.ts): the reaper, reconciler and runtime touch only their own. */
  instance: 'gamepocgen.instance',
} as const;

/** The label filter that scopes everything to one installation. */
export const instanceLabels = (instanceId: string): Record<string, string> => ({ [LABEL.instance]: instanceId });

/** `egress-gateway`: one per installation and engine (lib/docker/egress-gateway.ts); the reaper leaves it alone.
 * `playtest`: one per play-test (lib/docker/playtest-spec.ts); the reaper treats it like a worker. */
export type Role = 'worker' | 'game' | 'egress-gateway' | 'playtest';

/** Docker label filters for `listContainers`: the role plus any extra `key=value` filters (tests isolate their runs this way). */
export function roleFilter(role: Role, extra: Record<string, string> = {}): { label: string[] } {
  return { label: [`${LABEL.role}=${role}`, ...Object.entries(extra).map(([k, v]) => `${k}=${v}`)] };
}

/** A label value as a non-negative integer, or null when missing/garbled. */
export function intLabel(labels: Record<string, string> | undefined, key: string): number | null {
  const raw = labels?.[key];
  if (raw === undefined || !/^\d+$/.test(raw)) return null;
  return Number(raw);
}
