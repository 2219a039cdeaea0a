import { describe, expect, it } from 'vitest';
import { diagnose } from '../diagnose.js';
import { allOpenEvidence } from '../../../../test/support/diagnosis-fixtures/lab-scenarios.js';
import type { Evidence } from '../evidence.js';
import type { AgentHealthWarning } from '../../agents/agent-view.js';

function withWarnings(node: string, warnings: AgentHealthWarning[]): Evidence {
  const e = allOpenEvidence();
  const n = e.nodes.find((x) => x.name === node);
  if (n) n.warnings = warnings;
  return e;
}

describe('agent health warnings become findings of the same code', () => {
  it('turns MTU, port, clock and link-local warnings into findings with the agent text and evidence', () => {
    const unmeasured = (e: Evidence) => {
      Object.assign(e.nodes.find((x) => x.name === 'cloud2') as object, { linkMtu: null, host: null, addresses: [] });
      return e;
    };
    const findings = diagnose(
      unmeasured(
        withWarnings('cloud2', [
          {
            code: 'MTU_ABOVE_UNDERLAY',
            severity: 'warning',
            text: 'mesh MTU 1420 is above what eth0 (MTU 1450) carries',
            evidence: { link: 'eth0', recommended: '1370' },
          },
          { code: 'PORT_51820_TAKEN', severity: 'error', text: 'UDP 51820 is already used by wg0', evidence: { owner: 'wg0' } },
          { code: 'CLOCK_SKEW', severity: 'warning', text: 'the clock is 45s off pool.ntp.org', evidence: { skewMs: '45000' } },
          { code: 'LINK_LOCAL_ADDRESS', severity: 'info', text: 'eth1 has only the link-local address 169.254.3.4/16', evidence: { link: 'eth1' } },
        ]),
      ),
    );
    // (no addresses: the desktop also sees it as behind NAT; not the agent's)
    expect(findings.filter((f) => f.code !== 'BEHIND_NAT').map((f) => [f.id, f.severity])).toEqual([
      ['PORT_51820_TAKEN:cloud2', 'error'],
      ['CLOCK_SKEW:cloud2', 'warning'],
      ['MTU_ABOVE_UNDERLAY:cloud2', 'warning'],
      ['LINK_LOCAL_ADDRESS:cloud2', 'info'],
    ]);
    const mtu = findings.find((f) => f.code === 'MTU_ABOVE_UNDERLAY');
    expect(mtu?.evidence).toEqual([
      "cloud2's agent reports MTU_ABOVE_UNDERLAY: mesh MTU 1420 is above what eth0 (MTU 1450) carries (link=eth0, recommended=1370)",
    ]);
    expect(mtu?.remediation.summary).toContain('Lower the mesh MTU');
  });

  it('merges warnings of one code, keeps the most severe, and maps unknown codes to AGENT_HEALTH_WARNING', () => {
    const findings = diagnose(
      withWarnings('cloud1', [
        { code: 'ENDPOINT_ROTATION', severity: 'info', text: 'rotating cloud2', evidence: {} },
        { code: 'ENDPOINT_ROTATION', severity: 'warning', text: 'rotating cloud3', evidence: {} },
        { code: 'SOMETHING_NEW', severity: 'info', text: 'from a newer agent', evidence: {} },
      ]),
    );
    expect(findings.map((f) => [f.id, f.severity, f.evidence.length])).toEqual([
      ['ENDPOINT_ROTATION:cloud1', 'warning', 2],
      ['AGENT_HEALTH_WARNING:cloud1', 'info', 1],
    ]);
    expect(findings[1]?.evidence[0]).toContain('SOMETHING_NEW: from a newer agent');
  });

  it("keeps the desktop's own finding where the agent reports the same code", () => {
    const e = withWarnings('cloud3', [{ code: 'DISCOVERY_UNREACHABLE', severity: 'error', text: 'discovery: connection refused', evidence: {} }]);
    const n = e.nodes.find((x) => x.name === 'cloud3');
    if (n) n.discovery = { target: '198.18.1.10:3000', reachable: false, error: 'ECONNREFUSED' };
    const found = diagnose(e).filter((f) => f.code === 'DISCOVERY_UNREACHABLE');
    expect(found).toHaveLength(1);
    expect(found[0]?.evidence[0]).toContain('cannot connect to the discovery service at 198.18.1.10:3000 (ECONNREFUSED)');
  });
});

describe('agent warnings the desktop measures itself, and severities', () => {
  it("leaves MTU, discovery and clock to the desktop's own measurement where it has one", () => {
    const e = withWarnings('cloud1', [
      { code: 'MTU_ABOVE_UNDERLAY', severity: 'warning', text: 'mesh MTU 1420 is above what eth0 (MTU 1492) carries', evidence: {} },
      { code: 'DISCOVERY_UNREACHABLE', severity: 'warning', text: 'discovery service is unreachable: reset', evidence: {} },
      { code: 'CLOCK_SKEW', severity: 'warning', text: 'the clock is 40s off', evidence: {} },
    ]);
    expect(diagnose(e).map((f) => f.id)).toEqual([]);
    const n = e.nodes.find((x) => x.name === 'cloud1');
    if (n) Object.assign(n, { linkMtu: null, discovery: null, host: null });
    expect(
      diagnose(e)
        .map((f) => f.id)
        .sort(),
    ).toEqual(['CLOCK_SKEW:cloud1', 'DISCOVERY_UNREACHABLE:cloud1', 'MTU_ABOVE_UNDERLAY:cloud1']);
  });

  it('shows a warning no more severe than the registry ranks its code, and keeps an error', () => {
    const virtual = (severity: 'warning' | 'error') =>
      diagnose(withWarnings('cloud1', [{ code: 'NO_PHYSICAL_NIC', severity, text: 'no physical Ethernet link', evidence: {} }]))[0]?.severity;
    expect(virtual('warning')).toBe('info');
    expect(virtual('error')).toBe('error');
  });
});
