import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FixRule } from '../../../contract/diagnosis.js';
import { bootPaths } from './boot-paths.js';
import { iptablesDeletes, iptablesPersist, iptablesRuntime, iptablesUnpersist } from './iptables-plan.js';
import { readMarkers } from './markers.js';
import { rulePlan } from './rule-plan.js';

const rule: FixRule = { id: 'udp-51820', protocol: 'udp', port: 51820, anchors: ['INPUT'] };
const SAVED = ['*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', '-A INPUT -p tcp --dport 22 -j ACCEPT', 'COMMIT', ''].join('\n');
const LINE = '-A INPUT -p udp --dport 51820 -m comment --comment spanwise:udp-51820 -j ACCEPT';

let root: string;
/** Runs plan lines with stand-ins for iptables-save (prints SAVED) and iptables-restore --test (accepts a file with COMMIT). */
const run = (lines: string[]) => {
  const r = spawnSync('sh', ['-c', ['set -e', ...lines].join('\n')], { encoding: 'utf8', env: { PATH: `${root}/bin:/usr/bin:/bin` } });
  expect(r.stderr).toBe('');
  return readMarkers(r.stdout);
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'spanwise-ipt-'));
  mkdirSync(join(root, 'bin'));
  writeFileSync(join(root, 'bin/iptables-save'), `#!/bin/sh\nprintf '%s' '${SAVED}${LINE}\n'\n`);
  writeFileSync(join(root, 'bin/iptables-restore'), '#!/bin/sh\ngrep -q "^COMMIT" -\n');
  for (const f of ['iptables-save', 'iptables-restore']) chmodSync(join(root, 'bin', f), 0o755);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('iptables fix plans', () => {
  it('inserts a comment-tagged rule first and records its delete by rule spec', () => {
    expect(iptablesRuntime(rule, 'INPUT', '/run/u.sh').slice(0, 2)).toEqual([
      'iptables -I INPUT 1 -p udp --dport 51820 -m comment --comment spanwise:udp-51820 -j ACCEPT',
      `printf '%s\\n' 'iptables -D INPUT -p udp --dport 51820 -m comment --comment spanwise:udp-51820 -j ACCEPT' >> '/run/u.sh'`,
    ]);
    expect(iptablesDeletes(rule, 'INPUT')[0]).toContain('while iptables -C INPUT -p udp --dport 51820 -m comment --comment spanwise:udp-51820 -j ACCEPT');
    expect(rulePlan('iptables', { ...rule, anchors: ['IN PUT'] }, bootPaths())).toBeNull();
    expect(rulePlan('iptables', { ...rule, id: 'x; reboot' }, bootPaths())).toBeNull();
  });

  it("writes the rule first in netfilter-persistent's filter table, and revert takes out only that line", () => {
    const paths = bootPaths(root);
    mkdirSync(join(root, 'etc/iptables'), { recursive: true });
    const file = join(root, 'etc/iptables/rules.v4');
    writeFileSync(file, SAVED);
    const added = run(iptablesPersist(rule, 'INPUT', paths, false));
    expect(added.changes).toEqual([{ kind: 'persisted', action: 'added', what: `${file} (the rule, first in the filter table)` }]);
    expect(readFileSync(file, 'utf8')).toBe(SAVED.replace('-A INPUT -p tcp', `${LINE}\n-A INPUT -p tcp`));
    run(iptablesPersist(rule, 'INPUT', paths, false));
    expect(readFileSync(file, 'utf8').split(LINE)).toHaveLength(2);
    const removed = run(iptablesUnpersist(rule.id, paths));
    expect(removed.changes).toEqual([{ kind: 'persisted', action: 'removed', what: `${file} (the rule of the fix)` }]);
    expect(readFileSync(file, 'utf8')).toBe(SAVED);
  });

  it('is runtime only without a boot file, and with persist creates one with iptables-save', () => {
    const paths = bootPaths(root);
    expect(run(iptablesPersist(rule, 'INPUT', paths, false)).runtimeOnly[0]).toContain(`no iptables boot file (${root}/etc/iptables/rules.v4`);
    mkdirSync(join(root, 'etc/sysconfig'), { recursive: true });
    const created = run(iptablesPersist(rule, 'INPUT', paths, true));
    const file = join(root, 'etc/sysconfig/iptables');
    expect(created.changes[0]?.what).toBe(`${file} (created by iptables-save)`);
    expect(readFileSync(file, 'utf8')).toContain(LINE);
    run(iptablesUnpersist(rule.id, paths));
    expect(readFileSync(file, 'utf8')).toBe(SAVED);
    expect(existsSync(join(root, 'etc/iptables/rules.v4'))).toBe(false);
  });

  it('leaves a boot file without a filter table as it was', () => {
    mkdirSync(join(root, 'etc/iptables'), { recursive: true });
    const file = join(root, 'etc/iptables/rules.v4');
    writeFileSync(file, '*nat\nCOMMIT\n');
    expect(run(iptablesPersist(rule, 'INPUT', bootPaths(root), false)).runtimeOnly).toEqual([`${file} has no filter table, so it is left as it was`]);
    expect(readFileSync(file, 'utf8')).toBe('*nat\nCOMMIT\n');
  });
});

describe('firewalld and ufw plans', () => {
  it('change runtime and permanent config (firewalld) or ufw rules, which persist by themselves, and record their undo', () => {
    const fwd = rulePlan('firewalld', { ...rule, anchors: ['public'], removesRichRule: 'rule port port="51820" protocol="udp" drop' }, bootPaths());
    expect(fwd?.selfPersisting).toBe(true);
    const lines = fwd?.runtime('/u') ?? [];
    expect(lines).toContain('firewall-cmd --permanent --zone=public --add-port=51820/udp');
    expect(lines).toContain(`firewall-cmd --zone=public --remove-rich-rule='rule port port="51820" protocol="udp" drop'`);
    expect(lines[0]).toContain('--permanent --zone=public --remove-port=51820/udp || true');
    expect(fwd?.persist(true)).toEqual([]);
    const ufw = rulePlan('ufw', { ...rule, anchors: [], insertFirst: false }, bootPaths());
    expect(ufw?.runtime('/u')[1]).toBe("ufw allow 51820/udp comment 'spanwise:udp-51820'");
    expect(rulePlan('firewalld', { ...rule, anchors: ['public;reboot'] }, bootPaths())).toBeNull();
  });
});
