import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectFirewall } from '../../electron/services/diagnosis/firewall/inspect.js';
import { parseHostReport } from '../../electron/services/diagnosis/gather/host-report.js';
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

/**
 * The same attack through firewalld: a zone or a rich rule written to run a command
 * (firewalld itself does not run here, so the report is the one firewall-cmd would print,
 * and a stand-in firewall-cmd on PATH records the argv each command reaches it with).
 */
const report = (zone: string, rich: string) => `### firewall-links
default via 198.51.100.1 dev eth0 proto static
### firewalld-state
running
### firewalld-zones
${zone} (active)
  target: default
  interfaces: eth0
  services: ssh
  ports: 
  rich rules: 
\t${rich}
### firewalld-active-zones
${zone}
  interfaces: eth0
### firewalld-default-zone
${zone}
`;

describe('firewalld names and rich rules from the host', () => {
  const bin = join(dir, 'bin');
  const calls = join(dir, 'firewall-cmd.calls');
  const shell = (script: string) => execFileSync('sh', ['-c', script], { env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` } });
  beforeAll(() => {
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'firewall-cmd'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done >> ${calls}\necho -- >> ${calls}\n`);
    chmodSync(join(bin, 'firewall-cmd'), 0o755);
  });

  it('a zone named to run a command is not a zone: no fix, and the verdict says which line', () => {
    const evidence = inspectFirewall(parseHostReport(report(`x$(touch\${IFS}${pwned})`, 'rule port port="51820" protocol="udp" drop')).firewall);
    expect(evidence.udp51820).toMatchObject({ verdict: 'unknown', firewall: 'firewalld' });
    expect(evidence.udp51820.reason).toMatch(/line 1 .* is not a zone, policy or service name/);
    expect(hostFixFor('edge1', evidence.udp51820, { protocol: 'udp', port: 51820 })).toBeNull();
  });

  it('a rich rule written to run a command reaches firewall-cmd as one argument, in the apply, the shown commands and the armed revert', () => {
    const rich = `rule family="ipv4" port port="51820" protocol="udp" log prefix="'$(touch ${pwned})' \`touch ${pwned}\`" drop`;
    const evidence = inspectFirewall(parseHostReport(report('mesh', rich)).firewall);
    expect(evidence.udp51820).toMatchObject({ verdict: 'block', firewall: 'firewalld', anchors: ['mesh'] });
    const fix = hostFixFor('edge1', evidence.udp51820, { protocol: 'udp', port: 51820 });
    const scripts = fix && fixScripts(fix, join(dir, 'fwd-undo.sh'), bootPaths(dir), true);
    expect(scripts?.plan).toBeTruthy();
    shell(scripts?.apply ?? 'false');
    shell(scripts?.revert.join('\n') ?? 'false');
    for (const command of [...(fix?.apply ?? []), ...(fix?.revert ?? [])]) shell(command);
    expect(existsSync(pwned)).toBe(false);
    const invocations = readFileSync(calls, 'utf8').split('--\n').filter(Boolean);
    const richArgs = invocations.flatMap((call) => call.split('\n').filter((arg) => arg.includes('rich-rule')));
    expect(new Set(richArgs)).toEqual(new Set([`--remove-rich-rule=${rich}`, `--add-rich-rule=${rich}`]));
    expect(richArgs).toHaveLength(8);
  });
});
