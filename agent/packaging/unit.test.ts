import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('systemd unit', () => {
  const unit = readFileSync(new URL('./spanwise-agent.service', import.meta.url), 'utf8');
  it('restarts on failure, has state and runtime dirs and cleans up on stop', () => {
    for (const line of ['Restart=on-failure', 'StateDirectory=spanwise', 'RuntimeDirectory=spanwise', 'ExecStart=/opt/spanwise/spanwise-agent.mjs run --config /etc/spanwise/agent.yaml', 'ExecStopPost=/opt/spanwise/spanwise-agent.mjs cleanup --config /etc/spanwise/agent.yaml']) {
      expect(unit.split('\n')).toContain(line);
    }
  });
});
