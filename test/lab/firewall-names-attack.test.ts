import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectFirewall } from '../../electron/services/diagnosis/firewall/inspect.js';
import { bootPaths } from '../../electron/services/diagnosis/fix/boot-paths.js';
import { fixScripts } from '../../electron/services/diagnosis/fix/fix-scripts.js';
import { hostFixFor } from '../../electron/services/diagnosis/remediation/host-fixes.js';

/**
 * A host whose nftables holds a table named to run a command: the netlink API
 * accepts any name, so anything with CAP_NET_ADMIN on the host can make one.
 * Runs in a network namespace of its own (real nft, no lab needed).
 */
const ns = `spanwise-fwname-${randomBytes(3).toString('hex')}`;
const pwned = `/tmp/spanwise-pwned-${randomBytes(6).toString('hex')}`;
const inNs = (args: string[]) => execFileSync('ip', ['netns', 'exec', ns, ...args], { encoding: 'utf8' });
const sh = (command: string) => inNs(['sh', '-c', command]);
const dir = mkdtempSync(join(tmpdir(), 'spanwise-fwname-'));
const addTable = (name: string) => {
  const file = join(dir, 'ruleset.json');
  writeFileSync(file, tableJson(name));
  inNs(['nft', '-j', '-f', file]);
};
const tableJson = (name: string) =>
  JSON.stringify({
    nftables: [
      { add: { table: { family: 'inet', name } } },
      { add: { chain: { family: 'inet', table: name, name: 'input', type: 'filter', hook: 'input', prio: 0, policy: 'drop' } } },
    ],
  });

describe('firewall names from the host', () => {
  beforeAll(() => execFileSync('ip', ['netns', 'add', ns]));
  afterAll(() => execFileSync('ip', ['netns', 'del', ns]));

  it('a table named to run a command gets no command, and the verdict still says what blocks', () => {
    addTable(`x$(touch\${IFS}${pwned})`);
    const evidence = inspectFirewall({ nft: inNs(['nft', '-j', 'list', 'ruleset']) });
    expect(evidence.udp51820).toMatchObject({ verdict: 'block', firewall: 'nftables' });
    const fix = hostFixFor('edge1', evidence.udp51820, { protocol: 'udp', port: 51820 });
    for (const command of [...(fix?.apply ?? []), ...(fix?.revert ?? [])]) {
      try {
        sh(command);
      } catch {
        // a refused command is fine; what matters is what it ran
      }
    }
    expect(fix).toBeNull();
    expect(existsSync(pwned)).toBe(false);
    inNs(['nft', 'flush', 'ruleset']);
  });

  it('a plainly named table gets a fix that real nft applies and reverts', () => {
    addTable('filter');
    const before = inNs(['nft', 'list', 'ruleset']);
    const fix = hostFixFor('edge1', inspectFirewall({ nft: inNs(['nft', '-j', 'list', 'ruleset']) }).udp51820, { protocol: 'udp', port: 51820 });
    const scripts = fix && fixScripts(fix, join(dir, 'undo.sh'), bootPaths(dir), false);
    expect(scripts?.plan).toBeTruthy();
    sh(scripts?.apply ?? 'false');
    expect(inspectFirewall({ nft: inNs(['nft', '-j', 'list', 'ruleset']) }).udp51820.verdict).toBe('allow');
    sh(scripts?.revert.join('\n') ?? 'false');
    expect(inNs(['nft', 'list', 'ruleset'])).toBe(before);
  });
});
