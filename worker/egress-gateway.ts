#!/usr/bin/env node
// The egress gateway container's process (lib/docker/egress-gateway.ts starts it
// from WORKER_IMAGE): the forwarding proxy of lib/llm/egress-proxy.ts on the unix
// socket the claude phase containers get, allowing only EGRESS_ALLOW. One JSON line
// per refusal on stdout (`docker logs`); exits 2 on a bad env, 0 on SIGTERM.
import { lstat, unlink } from 'node:fs/promises';
import { z } from 'zod';
import { parseAuthority, startEgressProxy } from '../lib/llm/egress-proxy.ts';

const GatewayEnv = z.object({
  EGRESS_SOCKET: z.string().startsWith('/', 'must be an absolute path'),
  EGRESS_ALLOW: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    )
    .refine((list) => list.length > 0, 'must name at least one host:port')
    .refine((list) => list.every((a) => parseAuthority(a)), 'must be a comma-separated list of host:port'),
});

const line = (entry: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);

const parsed = GatewayEnv.safeParse(process.env);
if (!parsed.success) {
  line({
    event: 'egress_gateway_bad_env',
    problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
  });
  process.exit(2);
}
const { EGRESS_SOCKET: socketPath, EGRESS_ALLOW: allow } = parsed.data;
// A previous gateway's socket file stays behind when its container is removed: listen() would fail on it.
if (
  await lstat(socketPath).then(
    (s) => s.isSocket(),
    () => false,
  )
)
  await unlink(socketPath);
const proxy = await startEgressProxy({ allow, listen: { socketPath }, log: line });
line({ event: 'egress_gateway_ready', socket: socketPath, allow });
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.once(signal, () => {
    void proxy.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
