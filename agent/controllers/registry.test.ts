import { afterEach, describe, expect, it } from 'vitest';
import { memoryPersistence, testConfig, testHost } from '../../test/support/agent-fixtures.js';
import { startTestServer } from '../../test/integration/discovery-helpers.js';
import { DiscoveryClient } from '../discovery/client/index.js';
import type { DiscoveryServer } from '../discovery/server/index.js';
import { ManualClock } from '../shared/clock.js';
import type { Logger } from '../shared/log.js';
import { DiscoveredAffiliateKind, PeerSpecKind, type HostNetwork, RelayPlanKind } from '../resources/kinds.js';
import { DryRunBackend } from '../wireguard/dry-run-backend.js';
import { createAgent } from './agent.js';

let server: DiscoveryServer | undefined;
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
  await server?.stop();
  server = undefined;
});

const hostB: HostNetwork = {
  links: [{ name: 'eth0', mac: '2e:1a:b6:53:81:70', physical: true, up: true, mtu: 1500, addresses: ['10.0.0.6/24'] }],
  defaultRouteLinks: ['eth0'],
};

/** Records every line; `failures` are the controller runs that threw. */
function recordingLogger(): Logger & { lines: string[]; failures: string[] } {
  const lines: string[] = [];
  const failures: string[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
    if (message === 'controller failed') failures.push(JSON.stringify(fields));
  };
  return { lines, failures, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** An agent with every controller of the registry, talking to the real discovery server. */
function node(name: string, host: HostNetwork, url: string, relayMode: 'manual' | 'auto' = 'manual') {
  const clock = new ManualClock();
  const backend = new DryRunBackend({ clock });
  const log = recordingLogger();
  const agent = createAgent({
    config: { ...testConfig(), discovery: { endpoints: [url] }, relayMode },
    clock,
    log,
    backend,
    readHost: async () => host,
    persistence: { ...memoryPersistence(), nodeId: async () => name },
    hostname: name,
    discovery: (target) => new DiscoveryClient({ endpoint: target.endpoint, insecure: target.insecure }),
    hostChecks: { port: async () => ({ state: 'taken', owner: 'other-vpn' }), clock: async () => ({ synchronized: false }) },
    measureRtt: async () => 3.25,
  });
  stops.push(() => agent.runtime.stop());
  return { ...agent, clock, backend, log };
}

async function settleUntil(nodes: ReturnType<typeof node>[], done: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    for (const n of nodes) await n.runtime.settle();
    if (done()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the agents did not converge');
}

describe('the registered controller set', () => {
  it('registers cleanly and, running a two-node mesh over real discovery, writes only kinds it declared', async () => {
    ({ server } = await startTestServer());
    const url = `http://${server.address}`;
    const a = node('node-a', testHost, url);
    const b = node('node-b', hostB, url);
    expect(a.runtime.controllers.map((c) => c.name)).toEqual([
      'host-network',
      'identity',
      'endpoints',
      'local-affiliate',
      'relay-plan',
      'peer-specs',
      'peer-status',
      'manager',
      'discovery',
      'host-health',
      'peer-probe',
    ]);

    await settleUntil([a, b], () => a.store.list(PeerSpecKind).length === 1 && b.store.list(PeerSpecKind).length === 1);
    const peer = a.store.list(PeerSpecKind)[0]!.spec;
    a.backend.setPeerRuntime(peer.publicKey, { lastHandshake: a.clock.now(), rxBytes: 92, endpoint: '10.0.0.6:51820' });
    a.runtime.touchAll();
    await a.runtime.settle();

    expect(a.log.failures).toEqual([]);
    expect(b.log.failures).toEqual([]);
    const empty = a.runtime.controllers.flatMap((c) => c.outputs.filter((o) => a.store.list(o.kind).length === 0).map((o) => `${c.name}: ${o.kind.name}`));
    expect(empty).toEqual([]);
  });

  it('in automatic relay mode, adds the reach controller and publishes the relay offer that the other node reads', async () => {
    ({ server } = await startTestServer());
    const url = `http://${server.address}`;
    const a = node('node-a', testHost, url, 'auto');
    const b = node('node-b', hostB, url, 'auto');
    expect(a.runtime.controllers.map((c) => c.name)).toContain('relay-reach');
    await settleUntil([a, b], () => b.store.list(DiscoveredAffiliateKind).some((m) => m.spec.info.spanwise?.relayOffer === true));
    expect(b.store.list(DiscoveredAffiliateKind).find((m) => m.id === 'node-a')?.spec.info.spanwise).toEqual({ relayOffer: true, site: '', unreachable: [] });
    expect(b.store.get(RelayPlanKind, 'cluster')?.spec).toEqual({ relays: [], auto: true });
    expect([...a.log.failures, ...b.log.failures]).toEqual([]);
  });

  it('prints each controller with what it reads and writes when started', async () => {
    ({ server } = await startTestServer());
    const a = node('node-a', testHost, `http://${server.address}`);
    a.runtime.start();
    await a.runtime.stop();
    const lines = a.log.lines.filter((l) => l.startsWith('debug controller '));
    expect(lines).toHaveLength(11);
    expect(lines).toContain('debug controller {"name":"peer-probe","inputs":"peerstatuses","reads":"peerspecs","outputs":"peerprobe"}');
    expect(lines).toContain(
      'debug controller {"name":"manager","inputs":"identities,privatekey,peerspecs,peerstatuses,relayplan,relayreach","reads":"","outputs":"health (shared)"}',
    );
  });
});
