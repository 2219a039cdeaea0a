import { describe, expect, it } from 'vitest';
import { PeerState, ResourceType, type PeerStatus, type Resource } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { plainResource, renderTable } from './output.js';

const status: Resource = {
  metadata: { type: ResourceType.RESOURCE_TYPE_PEER_STATUS, id: 'KEY=', version: 3, updated: new Date(0) },
  spec: { $case: 'peerStatus', value: { publicKey: 'KEY=', label: 'edge-1', state: PeerState.PEER_STATE_UP, endpoint: '1.2.3.4:51820', lastHandshake: new Date(10_000), rxBytes: 2048, txBytes: 10, lastEndpointChange: undefined, reason: '' } },
};

describe('get output', () => {
  it('prints talosctl-like columns', () => {
    expect(renderTable([status], new Date(15_000)).split('\n')[0]).toBe('ID     VERSION   LABEL    ENDPOINT        STATE   RX        TX     HANDSHAKE   RTT');
    expect(renderTable([status], new Date(15_000)).split('\n')[1]).toBe('KEY=   3         edge-1   1.2.3.4:51820   up      2.0 KiB   10 B   5s ago      -');
    const measured = { ...status, spec: { $case: 'peerStatus' as const, value: { ...(status.spec?.value as PeerStatus), rttMs: 0.4567 } } };
    expect(renderTable([measured], new Date(15_000)).split('\n')[1]).toBe('KEY=   3         edge-1   1.2.3.4:51820   up      2.0 KiB   10 B   5s ago      0.46 ms');
    expect(renderTable([status], new Date(15_000), '10.0.0.1:50000').startsWith('NODE')).toBe(true);
  });

  it('uses enum names in yaml/json', () => {
    expect(plainResource(status)).toMatchObject({ metadata: { id: 'KEY=', version: 3 }, spec: { state: 'up', label: 'edge-1' } });
  });
});
