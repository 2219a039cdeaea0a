import { describe, expect, it } from 'vitest';
import type { FixResult } from '../contract/diagnosis.js';
import { fixText, revertText } from './fix-text.js';

const kept: FixResult = {
  findingId: 'UDP_51820_INBOUND_BLOCKED:cloud2',
  applied: true,
  reverted: false,
  cleared: true,
  log: [],
  fixId: 'udp-51820',
  node: 'cloud2',
  commands: ["nft insert rule inet filter input udp dport 51820 accept comment 'spanwise:udp-51820'"],
  changes: [{ kind: 'runtime', action: 'added', what: 'rule inet filter input handle 7' }],
  recheck: {
    cells: [{ port: 'udp51820', from: 'cloud1', to: 'cloud2', before: 'blocked', after: 'open' }],
    pairs: [{ a: 'cloud1', b: 'cloud2', before: 'down', after: 'up' }],
  },
};

describe('what spanwise fix prints', () => {
  it('after a kept fix: the commands on their host, the host changes, each changed cell and pair, and how to undo', () => {
    expect(fixText(kept).split('\n')).toEqual([
      'ran on cloud2:',
      "  nft insert rule inet filter input udp dport 51820 accept comment 'spanwise:udp-51820'",
      'runtime added: rule inet filter input handle 7',
      're-check, what changed:',
      '  cloud1 -> cloud2 UDP 51820: blocked -> open',
      '  cloud1/cloud2: down -> up',
      'applied: true  reverted: false  cleared: true',
      'undo with: spanwise fix --revert udp-51820 --node cloud2',
    ]);
  });

  it('after a fix the host reverted by itself: no re-check and no undo', () => {
    const text = fixText({ ...kept, reverted: true, cleared: false });
    expect(text).not.toContain('re-check');
    expect(text).not.toContain('undo with');
    expect(text).toContain('applied: true  reverted: true  cleared: false');
  });

  it('after a revert: what the diagnosis after it saw change, or that nothing did', () => {
    const undone = {
      node: 'cloud2',
      fixId: 'udp-51820',
      reverted: true,
      changes: [{ kind: 'runtime' as const, action: 'removed' as const, what: 'rule inet filter input handle 7' }],
      log: [],
      recheck: { cells: [{ port: 'udp51820' as const, from: 'cloud1', to: 'cloud2', before: 'open' as const, after: 'blocked' as const }], pairs: [] },
    };
    expect(revertText(undone).split('\n')).toEqual([
      'runtime removed: rule inet filter input handle 7',
      're-check, what changed:',
      '  cloud1 -> cloud2 UDP 51820: open -> blocked',
      'reverted: true',
    ]);
    expect(revertText({ ...undone, recheck: { cells: [], pairs: [] } })).toContain('re-check: no matrix cell or pair changed');
  });
});
