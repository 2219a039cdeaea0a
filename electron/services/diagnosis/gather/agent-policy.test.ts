import { describe, expect, it } from 'vitest';
import { MAX_RESPONDER_MS, PROBE_SOURCE_PORTS, RESPONDER_PORTS } from '../../../../agent/shared/ports.js';
import { probeTargetRefusal } from '../../../../agent/api/probe-targets.js';
import { AGENT_API_PORT, MESH_PORT } from '../../../../agent/shared/ports.js';
import { NAT_SOURCE_PORT, OBSERVER_PORTS } from './nat-probe.js';

/** Diagnosis asks agents only for what agents allow (agent/api/probe-guard.ts); a change on either side shows here. */
describe('what diagnosis asks agents for stays inside what agents allow', () => {
  it('responder ports, durations and probe source ports', () => {
    // udp-reach opens the mesh port for 5 s; nat-probe the two observer ports for 8 s.
    expect(RESPONDER_PORTS.udp).toEqual([MESH_PORT, ...OBSERVER_PORTS]);
    expect(RESPONDER_PORTS.tcp).toEqual([]);
    expect(MAX_RESPONDER_MS).toBeGreaterThanOrEqual(8000);
    expect(PROBE_SOURCE_PORTS).toEqual(expect.arrayContaining([0, MESH_PORT, NAT_SOURCE_PORT]));
  });

  it('probe targets: other machines unicast addresses, private and public, pass; the host itself does not', () => {
    for (const ip of ['10.0.0.5', '192.168.1.10', '172.16.0.1', '100.64.0.1', '203.0.113.9', '2001:db8::5', 'fd7f:175a:b97c:5602::1', 'fd00::1'])
      expect(probeTargetRefusal(ip)).toBeUndefined();
    for (const ip of ['127.0.0.1', '::1', '169.254.169.254', 'fd00:ec2::254', '224.0.0.1', 'fe80::1']) expect(probeTargetRefusal(ip)).toBeDefined();
    expect(AGENT_API_PORT).toBe(50000);
  });
});
