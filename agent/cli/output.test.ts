import { describe, expect, it } from 'vitest';
import { EndpointSource, PeerState, ResourceType, Severity, type PeerStatus, type Resource } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { endpointSourceName, peerStateName, plainResource, renderResources, severityName } from './output.js';

const status: Resource = {
  metadata: { type: ResourceType.RESOURCE_TYPE_PEER_STATUS, id: 'KEY=', version: 3, updated: new Date(0) },
  spec: {
    $case: 'peerStatus',
    value: {
      publicKey: 'KEY=',
      label: 'edge-1',
      state: PeerState.PEER_STATE_UP,
      endpoint: '1.2.3.4:51820',
      lastHandshake: new Date(10_000),
      rxBytes: 2048,
      txBytes: 10,
      lastEndpointChange: undefined,
      reason: '',
    },
  },
};
const layout = { spec: 'peerStatus' as const };
const lines = (text: string) => text.split('\n');

describe('get output', () => {
  it('prints talosctl-like columns', () => {
    const table = lines(renderResources([status], 'table', layout, new Date(15_000)));
    expect(table[0]).toBe('ID     VERSION   LABEL    ENDPOINT        STATE   RX        TX     HANDSHAKE   RTT   VIA');
    expect(table[1]).toBe('KEY=   3         edge-1   1.2.3.4:51820   up      2.0 KiB   10 B   5s ago      -     -');
    const measured = { ...status, spec: { $case: 'peerStatus' as const, value: { ...(status.spec?.value as PeerStatus), rttMs: 0.4567 } } };
    expect(lines(renderResources([measured], 'table', layout, new Date(15_000)))[1]).toBe(
      'KEY=   3         edge-1   1.2.3.4:51820   up      2.0 KiB   10 B   5s ago      0.46 ms   -',
    );
    expect(renderResources([status], 'table', { ...layout, node: '10.0.0.1:50000' }).startsWith('NODE')).toBe(true);
  });

  it('adds the update time and more columns in wide', () => {
    const wide = lines(renderResources([status], 'wide', layout, new Date(15_000)));
    expect(wide[0]).toMatch(/RTT\s+VIA\s+UPDATED\s+ENDPOINT CHANGED\s+REASON$/);
    expect(wide[1]).toMatch(/1970-01-01T00:00:00.000Z\s+never\s+-$/);
  });

  it('names enum values from the generated enums', () => {
    expect([peerStateName(PeerState.PEER_STATE_DOWN), peerStateName(PeerState.PEER_STATE_UNSPECIFIED), peerStateName(PeerState.UNRECOGNIZED)]).toEqual([
      'down',
      'unspecified',
      'unrecognized',
    ]);
    expect(endpointSourceName(EndpointSource.ENDPOINT_SOURCE_HARVESTED)).toBe('harvested');
    expect(severityName(Severity.SEVERITY_WARNING)).toBe('warning');
    expect(plainResource(status)).toMatchObject({ metadata: { id: 'KEY=', version: 3 }, spec: { state: 'up', label: 'edge-1' } });
  });

  it('prints JSON and YAML lists of plain resources', () => {
    expect(JSON.parse(renderResources([status], 'json', layout))).toEqual([plainResource(status)]);
    expect(renderResources([status], 'yaml', layout)).toMatch(/^- metadata:\n {4}id: KEY=\n/);
  });
});
