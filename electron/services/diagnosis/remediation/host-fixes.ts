import type { FixRule, HostFix } from '../../../contract/diagnosis.js';
import type { LocalVerdict } from '../evidence.js';
import { bootPaths } from '../fix/boot-paths.js';
import { iptablesChain, iptablesSpec } from '../fix/iptables-plan.js';
import { chainText, fixComment } from '../fix/names.js';
import { nftChains, nftRuleBody } from '../fix/nft-plan.js';
import { rulePlan } from '../fix/rule-plan.js';
import { shellQuote } from '../../ssh/shell.js';

/** A port to open inbound. */
export interface PortSpec {
  protocol: 'tcp' | 'udp';
  port: number;
}

/** The id of the fix that opens a port on a host: its rules carry the comment `spanwise:<id>`. */
export const fixIdOf = (p: PortSpec) => `${p.protocol}-${p.port}`;

const paths = bootPaths();

/** The commands as a person would run them; the runner runs the same changes from the rule (with the handle read back). */
function shownCommands(firewall: HostFix['firewall'], rule: FixRule): Pick<HostFix, 'apply' | 'revert'> {
  const port = `${rule.port}/${rule.protocol}`;
  switch (firewall) {
    case 'nftables': {
      const chains = nftChains(rule) ?? [];
      return {
        apply: [
          ...chains.map((c) => `nft -e -a insert rule ${chainText(c)} ${shellQuote(nftRuleBody(rule))}`),
          `# and persisted: the same rule in ${paths.nftDropIn}, included from ${paths.nftConfs.join(' or ')}`,
        ],
        revert: [
          ...chains.map((c) => `nft delete rule ${chainText(c)} handle <the handle the insert echoed>`),
          `# and the fix's lines out of ${paths.nftDropIn}`,
        ],
      };
    }
    case 'iptables': {
      const chain = iptablesChain(rule) ?? 'INPUT';
      const spec = iptablesSpec(rule, chain);
      return {
        apply: [`iptables -I ${spec.replace(chain, `${chain} 1`)}`, `# and persisted: the same rule in ${paths.iptablesFiles.join(' or ')}`],
        revert: [`iptables -D ${spec}`, `# and the rule's line out of ${paths.iptablesFiles.join(' or ')}`],
      };
    }
    case 'ufw':
      return {
        apply: [`ufw ${rule.insertFirst ? 'insert 1 ' : ''}allow ${port} comment ${shellQuote(fixComment(rule.id))}`],
        revert: [`ufw delete allow ${port}`],
      };
    case 'firewalld': {
      const zone = rule.anchors[0] ?? 'public';
      const both = (args: string) => ['', '--permanent '].map((p) => `firewall-cmd ${p}--zone=${zone} ${args}`);
      const rich = rule.removesRichRule === undefined ? null : shellQuote(rule.removesRichRule);
      return {
        apply: [...(rich ? both(`--remove-rich-rule=${rich}`) : []), ...both(`--add-port=${port}`)],
        revert: [...both(`--remove-port=${port}`), ...(rich ? both(`--add-rich-rule=${rich}`) : [])],
      };
    }
  }
}

/**
 * The fix that opens a port inbound in the host firewall that blocks it, with
 * how to undo it; null when there is nothing to run, or the host's names are
 * not plain identifiers. nftables and iptables fixes are also written where the
 * host's boot loads them; ufw and firewalld keep theirs by themselves.
 */
export function hostFixFor(node: string, local: LocalVerdict, p: PortSpec): HostFix | null {
  if (local.verdict !== 'block' || !local.firewall) return null;
  const rule: FixRule = { id: fixIdOf(p), protocol: p.protocol, port: p.port, anchors: local.anchors };
  if (local.firewall === 'firewalld') {
    const rich = local.rule ? /^firewalld zone \S+: (rule .*)$/.exec(local.rule)?.[1] : undefined;
    if (rich) rule.removesRichRule = rich;
  }
  if (local.firewall === 'ufw') rule.insertFirst = local.hasRules ?? true;
  if (!rulePlan(local.firewall, rule, paths)) return null;
  return { node, firewall: local.firewall, ...shownCommands(local.firewall, rule), rule };
}
