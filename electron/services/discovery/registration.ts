import { setTimeout as sleep } from 'node:timers/promises';
import { decryptMembers, DiscoveryClient } from '../../../agent/discovery/client/index.js';
import { clusterKey } from '../../../agent/shared/affiliate-crypto.js';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import type { StepContext } from '../onboarding/context.js';
import type { EmbeddedDiscoveryTarget } from './node-address.js';

/**
 * Waits until the machine's agent has registered with this app's discovery: its affiliate,
 * decrypted with the cluster secret, names the machine. Lists over gRPC on the loopback, so
 * it works whether this process or the app on the same data dir serves it.
 */
export async function confirmRegistered(ctx: StepContext, target: EmbeddedDiscoveryTarget, timeoutMs = 20_000): Promise<void> {
  const client = new DiscoveryClient({ endpoint: target.localEndpoint, insecure: true, timeoutMs: 3000 });
  const key = clusterKey(ctx.cluster.secret);
  const name = ctx.machine.name;
  const deadline = Date.now() + timeoutMs;
  let last = 'not asked';
  try {
    while (!ctx.signal.aborted) {
      try {
        const members = decryptMembers(key, await client.list(ctx.cluster.clusterId));
        if (members.some((m) => m.status === 'ok' && (m.nodename === name || m.hostname === name))) {
          ctx.log(`registered with this app's discovery (${members.length} member${members.length === 1 ? '' : 's'})`);
          return;
        }
        last = `${members.length} member(s), none is ${name}`;
      } catch (error) {
        last = (error as Error).message;
      }
      if (Date.now() >= deadline) break;
      await sleep(500);
    }
  } finally {
    client.close();
  }
  throw new SpanwiseError(
    'DISCOVERY_NOT_REGISTERED',
    `${name}'s agent runs but did not register with this app's discovery within ${Math.round(timeoutMs / 1000)} s (${last})`,
    `check the agent log ('spanwise node logs ${name}') for discovery errors; ${name} must reach this desktop on TCP ${target.port}`,
  );
}
