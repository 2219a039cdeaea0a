import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { unitExposure, unitProblems } from '../../test/support/systemd-analyze.js';
import { AGENT_LAUNCH_ENV } from '../shared/agent-launch.js';

const unitPath = fileURLToPath(new URL('./spanwise-agent.service', import.meta.url));
const unit = readFileSync(unitPath, 'utf8');
const lines = unit.split('\n');
const agentCommand = '/opt/spanwise/spanwise-agent.mjs';

describe('systemd unit', () => {
  it('runs the agent with the launch environment every other start uses', () => {
    const env = Object.entries(AGENT_LAUNCH_ENV).map(([k, v]) => `"${k}=${v}"`);
    expect(lines).toContain(`Environment=${env.join(' ')}`);
    const openrc = readFileSync(fileURLToPath(new URL('./openrc/spanwise-agent', import.meta.url)), 'utf8');
    for (const [k, v] of Object.entries(AGENT_LAUNCH_ENV)) expect(openrc).toContain(`export ${k}="${v}"`);
  });

  it('is ready when the agent says so, restarts on failure, has state and runtime dirs and cleans up on stop', () => {
    for (const line of [
      'Type=notify',
      'NotifyAccess=all',
      'SyslogIdentifier=spanwise-agent',
      'Restart=on-failure',
      'StateDirectory=spanwise',
      'RuntimeDirectory=spanwise',
      'ExecStart=/opt/spanwise/spanwise-agent.mjs run --config /etc/spanwise/agent.yaml',
      'ExecStopPost=/opt/spanwise/spanwise-agent.mjs cleanup --config /etc/spanwise/agent.yaml',
    ]) {
      expect(lines).toContain(line);
    }
  });

  it('keeps root to the network capabilities and writes only its own dirs and /run/wireguard', () => {
    expect(lines).toContain('CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_BIND_SERVICE');
    expect(lines.filter((l) => l.startsWith('CapabilityBoundingSet=') || l.startsWith('AmbientCapabilities='))).toHaveLength(1);
    expect(lines).toContain('ProtectSystem=strict');
    expect(lines.filter((l) => l.startsWith('ReadWritePaths='))).toEqual(['ReadWritePaths=-/run/wireguard']);
    expect(lines).toContain('DeviceAllow=/dev/net/tun rw');
  });
});

describe('systemd unit, as systemd-analyze sees it', () => {
  it('passes systemd-analyze verify (the agent bundle is not installed here)', () => {
    expect(unitProblems(unitPath, [agentCommand])).toEqual([]);
  });

  it('scores 3.0 or better in systemd-analyze security', () => {
    const { score, table } = unitExposure(unitPath);
    console.log(`spanwise-agent.service: systemd-analyze security --offline=yes: ${score.toFixed(1)}`);
    expect(score, table).toBeLessThanOrEqual(3.0);
  });
});
