// The second test engine (test/helpers/second-engine.ts) leaves the machine as it found it. A network
// made on it once took 172.17.0.0/16 (most likely because its dockerd, then started with
// --bridge=none, had deleted the first engine's docker0, so the subnet looked free) and its bridge
// outlived the engine: once docker0 was back, replies to every default-network container (every
// `docker build` step) went to that dead bridge, so `npm ci` in the stack test's image build waited
// on DNS for ever (EAI_AGAIN).
// Control: the network's bridge is on the host while the engine runs, so its absence afterwards means something.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { secondEngineUnavailable, startSecondEngine } from '../helpers/second-engine.ts';
import { probeEngine } from './helpers.ts';

const engine = await probeEngine();
const unavailable = engine.available ? secondEngineUnavailable() : engine.reason;
if (unavailable && engine.available) {
  if (process.env.CI) throw new Error(`the second-engine test cannot run under CI: ${unavailable}`);
  console.warn(`[test/docker] second engine SKIPPED: ${unavailable}`);
}

const linkExists = (name: string) =>
  promisify(execFile)('ip', ['link', 'show', name]).then(
    () => true,
    () => false,
  );

/** [first, last] address of an IPv4 CIDR as numbers. */
function range(cidr: string): [number, number] {
  const [addr, bits] = cidr.split('/');
  const base = addr!.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  const first = base - (base % size);
  return [first, first + size - 1];
}
const overlaps = (a: string, b: string) => {
  const [a0, a1] = range(a);
  const [b0, b1] = range(b);
  return a0 <= b1 && b0 <= a1;
};

describe.skipIf(unavailable !== null)('second test engine', () => {
  it("its networks stay clear of the first engine's default bridge, and their bridges go with it", async () => {
    const second = await startSecondEngine([]);
    let bridge = '';
    try {
      const created = await second.docker.createNetwork({ Name: 'gpg-second-engine-probe', Driver: 'bridge' });
      const info = await second.docker.getNetwork(created.id).inspect();
      const subnet = info.IPAM?.Config?.[0]?.Subnet ?? '';
      const docker0 = (await engine.docker.getNetwork('bridge').inspect()).IPAM?.Config?.[0]?.Subnet ?? '';
      expect(subnet).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
      expect(docker0).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
      expect(overlaps('172.17.0.0/16', '172.17.5.0/24')).toBe(true); // the check itself can fail
      expect(overlaps(subnet, docker0), `${subnet} against docker0's ${docker0}`).toBe(false);
      bridge = info.Options?.['com.docker.network.bridge.name'] ?? `br-${created.id.slice(0, 12)}`;
      expect(await linkExists(bridge)).toBe(true);
    } finally {
      await second.stop();
    }
    expect(await linkExists(bridge), `${bridge} left on the host`).toBe(false);
  }, 120_000);
});
