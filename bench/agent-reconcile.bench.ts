// Reconcile cost of the agent's manager with 1000 synthetic peers through the WireGuard backend
// in dry run (commands generated and recorded, not executed). Ours: the diffing reconcile
// (only what changed is sent). Baseline, same run: a naive full re-apply (every peer re-sent
// with `wg set`, routes, rules and the nftables ruleset rewritten on every reconcile).
import { PeerState, type PeerStatus } from '../proto/gen/spanwise/agent/v1/agent.js';
import { managerController } from '../agent/controllers/manager.js';
import { buildPeerSpecs } from '../agent/controllers/peer-specs.js';
import { ControllerRuntime } from '../agent/controllers/runtime.js';
import { syntheticAffiliate, testConfig } from '../test/support/agent-fixtures.js';
import { ManualClock } from '../agent/shared/clock.js';
import { silentLogger } from '../agent/shared/log.js';
import { generateWireGuardKeyPair } from '../agent/shared/wireguard-keys.js';
import { IdentityKind, PeerSpecKind, PeerStatusKind, PrivateKeyKind, RelayPlanKind } from '../agent/resources/kinds.js';
import { ResourceStore } from '../agent/resources/store.js';
import { DryRunBackend } from '../agent/wireguard/dry-run-backend.js';
import { percentile, report } from './report.js';

const PEERS = 1000;
const ROUNDS = 40;

function setup(full: boolean) {
  const clock = new ManualClock();
  const store = new ResourceStore(clock);
  const config = testConfig();
  const pair = generateWireGuardKeyPair();
  store.upsert(PrivateKeyKind, 'local', { privateKey: pair.privateKey });
  store.upsert(IdentityKind, 'local', {
    nodeId: 'bench',
    publicKey: pair.publicKey,
    address: 'fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169',
    subnet: 'fd7f:175a:b97c:5602::/64',
    hostname: 'bench',
    linkName: 'eth0',
    linkMac: '2e:1a:b6:53:81:69',
    linkFallback: false,
  });
  store.upsert(RelayPlanKind, 'cluster', { relays: [], auto: false });
  const affiliates = Array.from({ length: PEERS }, (_, i) => syntheticAffiliate(i + 1));
  for (const spec of buildPeerSpecs(affiliates, pair.publicKey).specs) {
    store.upsert(PeerSpecKind, spec.publicKey, spec);
    const status: PeerStatus = {
      publicKey: spec.publicKey,
      label: spec.label,
      state: PeerState.PEER_STATE_UP,
      endpoint: spec.endpoints[0] ?? '',
      lastHandshake: undefined,
      rxBytes: 0,
      txBytes: 0,
      lastEndpointChange: undefined,
      reason: '',
    };
    store.upsert(PeerStatusKind, spec.publicKey, status);
  }
  const backend = new DryRunBackend({ clock, full });
  const runtime = new ControllerRuntime(store, clock, silentLogger).add(managerController(config, backend));
  return { store, backend, runtime, keys: affiliates.map((a) => a.publicKey) };
}

async function measure(full: boolean, change: 'none' | 'one-endpoint') {
  const { store, backend, runtime, keys } = setup(full);
  const t0 = performance.now();
  await runtime.settle();
  const initialMs = performance.now() - t0;
  const times: number[] = [];
  let commands = 0;
  let bytes = 0;
  for (let i = 0; i < ROUNDS; i += 1) {
    if (change === 'one-endpoint') {
      const key = keys[i % keys.length] as string;
      const status = store.get(PeerStatusKind, key)!.spec;
      store.upsert(PeerStatusKind, key, { ...status, endpoint: `192.0.2.${(i % 250) + 1}:51820` });
    } else {
      runtime.touchAll();
    }
    backend.recorder.commands.length = 0;
    const start = performance.now();
    await runtime.settle();
    times.push(performance.now() - start);
    commands += backend.recorder.commands.length;
    bytes += backend.recorder.commands.reduce((n, c) => n + c.argv.join(' ').length + (c.stdin?.length ?? 0), 0);
  }
  return { initialMs, p50: percentile(times, 50), p95: percentile(times, 95), commandsPerRound: commands / ROUNDS, bytesPerRound: bytes / ROUNDS };
}

// Warm up the JIT on both paths.
await measure(false, 'none');
await measure(true, 'none');

for (const change of ['none', 'one-endpoint'] as const) {
  const ours = await measure(false, change);
  const naive = await measure(true, change);
  report(`reconcile ${PEERS} peers, ${change} changed, diffing (p50)`, ours.p50, 'ms', naive.p50, '< 200 ms');
  report(`reconcile ${PEERS} peers, ${change} changed, diffing (p95)`, ours.p95, 'ms', naive.p95, '< 200 ms');
  report(`commands per reconcile, ${change} changed, diffing`, ours.commandsPerRound, 'commands', naive.commandsPerRound);
  report(`bytes sent to wg/ip/nft per reconcile, ${change} changed, diffing`, ours.bytesPerRound, 'bytes', naive.bytesPerRound);
  if (change === 'none') report(`initial apply ${PEERS} peers (all new)`, ours.initialMs, 'ms', naive.initialMs, '< 200 ms');
}
console.log('baseline: naive full re-apply of all peers, routes, rules and nftables on every reconcile (same dry-run backend, same run)');
