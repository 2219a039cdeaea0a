import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HostFix } from '../../../contract/diagnosis.js';
import { hostFixFor } from '../remediation/host-fixes.js';
import { bootPaths } from './boot-paths.js';
import { fixScripts } from './fix-scripts.js';
import { persistenceOf, readMarkers } from './markers.js';
import type { HostShell } from './revert-guard.js';
import { revertFix } from './revert-fix.js';

/** The host's own ruleset, as its admin wrote it: UDP 51820 dropped in inet filter input. */
const HOST_RULESET = [
  'table inet filter {',
  '  chain input {',
  '    type filter hook input priority 0; policy accept;',
  '    udp dport 51820 drop',
  '  }',
  '}',
  '',
].join('\n');
const BOOT_FILE = `#!/usr/sbin/nft -f\nflush ruleset\n\n${HOST_RULESET}`;

const ns = `spanwise-fix-${process.pid}`;
const inNs = (args: string[], input?: string) => execFileSync('ip', ['netns', 'exec', ns, ...args], { encoding: 'utf8', ...(input ? { input } : {}) });
const shell: HostShell = {
  exec: async (script) => {
    const r = spawnSync('ip', ['netns', 'exec', ns, 'sh', '-c', script], { encoding: 'utf8' });
    return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
  },
};
const ruleset = () => inNs(['nft', 'list', 'ruleset']);
/** The rules of inet filter input in order, from the JSON listing. */
const inputRules = () =>
  (JSON.parse(inNs(['nft', '-j', 'list', 'ruleset'])).nftables as Array<{ rule?: { chain: string; comment?: string; expr: unknown[] } }>)
    .flatMap((i) => (i.rule && i.rule.chain === 'input' ? [i.rule] : []))
    .map((r) => ({ comment: r.comment ?? null, verdict: Object.keys(r.expr.at(-1) as object)[0] }));
const reboot = (conf: string) => (inNs(['nft', 'flush', 'ruleset']), inNs(['nft', '-f', conf]));

const fix = hostFixFor(
  'n',
  { verdict: 'block', firewall: 'nftables', rule: 'udp dport 51820 drop', anchors: ['inet filter input'] },
  { protocol: 'udp', port: 51820 },
) as HostFix;
let root: string;
let undo: string;

beforeAll(() => execFileSync('ip', ['netns', 'add', ns]));
afterAll(() => execFileSync('ip', ['netns', 'del', ns]));
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'spanwise-boot-'));
  undo = join(root, 'undo.sh');
  inNs(['nft', 'flush', 'ruleset']);
  inNs(['nft', '-f', '-'], HOST_RULESET);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function apply(persist: boolean) {
  const scripts = fixScripts(fix, undo, bootPaths(root), persist);
  if (!scripts?.plan) throw new Error('no plan');
  const out = await shell.exec(scripts.apply);
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  const reported = readMarkers(out.stdout);
  return { scripts, reported, persistence: persistenceOf(reported, false) };
}

describe('an nftables fix against the real nft, in a network namespace', () => {
  it('inserts the accept above the drop, and the automatic revert deletes it by its handle: the ruleset is as before', async () => {
    const before = ruleset();
    const { scripts, reported } = await apply(false);
    expect(inputRules()).toEqual([
      { comment: 'spanwise:udp-51820', verdict: 'accept' },
      { comment: null, verdict: 'drop' },
    ]);
    const handle = /handle (\d+)$/.exec(reported.changes[0]?.what ?? '')?.[1];
    expect(reported.changes[0]).toEqual({ kind: 'runtime', action: 'added', what: `rule inet filter input handle ${handle}` });
    expect(readFileSync(undo, 'utf8')).toBe(`nft delete rule inet filter input handle ${handle}\n`);
    expect((await shell.exec(scripts.revert.join('\n'))).code).toBe(0);
    expect(ruleset()).toBe(before);
  });

  it('says plainly the fix is runtime only where there is no boot file, and creates one when asked', async () => {
    const runtime = await apply(false);
    expect(runtime.persistence.persistence).toBe('runtime');
    expect(runtime.persistence.persistNote).toContain(`no nftables boot file (${root}/etc/nftables.conf or ${root}/etc/sysconfig/nftables.conf)`);
    await shell.exec(runtime.scripts.revert.join('\n'));

    const created = await apply(true);
    expect(created.persistence.persistence).toBe('persisted');
    const conf = join(root, 'etc/nftables.conf');
    reboot(conf);
    expect(inputRules()).toEqual([
      { comment: 'spanwise:udp-51820', verdict: 'accept' },
      { comment: null, verdict: 'drop' },
    ]);
    const reverted = await revertFix('n', 'udp-51820', shell, root);
    expect(reverted.reverted).toBe(true);
    expect(readFileSync(conf, 'utf8')).not.toContain('spanwise:');
    reboot(conf);
    expect(inputRules()).toEqual([{ comment: null, verdict: 'drop' }]);
  });

  describe('with the host boot file', () => {
    let conf: string;
    beforeEach(() => {
      mkdirSync(join(root, 'etc'));
      conf = join(root, 'etc/nftables.conf');
      writeFileSync(conf, BOOT_FILE);
    });

    it('persists in a drop-in the boot file includes; after a reboot the accept is back, and revert removes live and persisted', async () => {
      const before = ruleset();
      const { reported, persistence } = await apply(false);
      const dropIn = join(root, 'etc/nftables.d/spanwise.nft');
      expect(persistence).toEqual({ persistence: 'persisted', persistNote: `persisted in ${dropIn} (included from ${conf})` });
      expect(reported.changes.map((c) => c.kind)).toEqual(['runtime', 'persisted']);
      expect(readFileSync(dropIn, 'utf8')).toBe('insert rule inet filter input udp dport 51820 accept comment "spanwise:udp-51820"\n');
      expect(readFileSync(conf, 'utf8')).toBe(`${BOOT_FILE}include "${dropIn}"\n`);

      reboot(conf);
      expect(inputRules()).toEqual([
        { comment: 'spanwise:udp-51820', verdict: 'accept' },
        { comment: null, verdict: 'drop' },
      ]);
      // A second apply does not add the include twice nor duplicate the drop-in line.
      await apply(false);
      expect(readFileSync(conf, 'utf8')).toBe(`${BOOT_FILE}include "${dropIn}"\n`);
      expect(readFileSync(dropIn, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);

      const reverted = await revertFix('n', 'udp-51820', shell, root);
      expect(reverted.reverted).toBe(true);
      expect(reverted.changes.filter((c) => c.kind === 'runtime')).toHaveLength(2);
      expect(reverted.changes.filter((c) => c.kind === 'persisted').map((c) => c.what)).toEqual([`${dropIn} (the fix's lines)`, `${conf} (the include line)`]);
      expect(ruleset()).toBe(before);
      expect(readFileSync(conf, 'utf8')).toBe(BOOT_FILE);
      expect(existsSync(dropIn)).toBe(false);
      expect(existsSync(join(root, 'var/lib/spanwise/fixes/udp-51820.json'))).toBe(false);
      await expect(revertFix('n', 'udp-51820', shell, root)).rejects.toMatchObject({ code: 'FIX_NOT_FOUND' });
    });

    it('leaves a boot file that would no longer load as it was, and says the fix is runtime only', async () => {
      writeFileSync(conf, '#!/usr/sbin/nft -f\nflush ruleset\n');
      const { persistence } = await apply(false);
      expect(persistence.persistence).toBe('runtime');
      expect(persistence.persistNote).toMatch(/does not load with the fix added .*so it is left as it was/);
      expect(readFileSync(conf, 'utf8')).toBe('#!/usr/sbin/nft -f\nflush ruleset\n');
      expect(existsSync(join(root, 'etc/nftables.d/spanwise.nft'))).toBe(false);
    });
  });
});
