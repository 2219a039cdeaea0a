import type { FirewallKind, FixRule } from '../../../contract/diagnosis.js';
import { shellQuote } from '../../ssh/shell.js';
import type { BootPaths } from './boot-paths.js';
import { iptablesChain, iptablesDeletes, iptablesPersist, iptablesRuntime, iptablesUnpersist } from './iptables-plan.js';
import { FIREWALLD_ZONE, FIX_ID } from './names.js';
import { nftChains, nftDeletes, nftPersist, nftRuntime, nftUnpersist } from './nft-plan.js';

/** Reads the host (a root shell's stdout of one script). */
export type HostRead = (script: string) => Promise<string>;

/** What the runner runs for a fix that opens a port: each part a list of shell lines, built from validated names only. */
export interface RulePlan {
  /** Changes the live ruleset, appending the undo of each change to `undo` (a host file) as it goes. */
  runtime(undo: string): string[];
  /** Writes the fix where the host's boot loads it; empty where the firewall persists by itself. */
  persist(create: boolean): string[];
  /** Removes the persisted fix. */
  unpersist(): string[];
  /** The removal of the live rules, built from what the host holds now (handles change at a reboot). */
  liveRevert(read: HostRead): Promise<string[]>;
  /** The firewall keeps the change across reboots by itself (ufw, firewalld --permanent). */
  selfPersisting: boolean;
}

const portArg = (r: FixRule) => `${r.port}/${r.protocol}`;

function firewalldPlan(rule: FixRule, removedRichRule: string | undefined): RulePlan | null {
  const zone = rule.anchors[0] ?? 'public';
  if (!FIREWALLD_ZONE.test(zone)) return null;
  const both = (args: string) => ['', '--permanent '].map((p) => `firewall-cmd ${p}--zone=${zone} ${args}`);
  const rich = removedRichRule === undefined ? null : shellQuote(removedRichRule);
  const revert = [...both(`--remove-port=${portArg(rule)}`), ...(rich ? both(`--add-rich-rule=${rich}`) : [])];
  return {
    runtime: (undo) => [
      `printf '%s\\n' ${revert.map((c) => shellQuote(`${c} || true`)).join(' ')} >> ${shellQuote(undo)}`,
      ...(rich ? both(`--remove-rich-rule=${rich}`) : []),
      ...both(`--add-port=${portArg(rule)}`),
      `echo "@spanwise change runtime added firewalld zone ${zone} port ${portArg(rule)} (runtime and permanent)"`,
    ],
    persist: () => [],
    unpersist: () => [],
    liveRevert: async () => revert.map((c) => `${c} || true`),
    selfPersisting: true,
  };
}

function ufwPlan(rule: FixRule, insertFirst: boolean): RulePlan {
  const revert = `ufw delete allow ${portArg(rule)} || true`;
  return {
    runtime: (undo) => [
      `printf '%s\\n' ${shellQuote(revert)} >> ${shellQuote(undo)}`,
      `ufw ${insertFirst ? 'insert 1 ' : ''}allow ${portArg(rule)} comment ${shellQuote(`spanwise:${rule.id}`)}`,
      `echo "@spanwise change runtime added ufw rule allow ${portArg(rule)}"`,
    ],
    persist: () => [],
    unpersist: () => [],
    liveRevert: async () => [revert],
    selfPersisting: true,
  };
}

/** The plan of a port-opening fix, or null when its names are not plain (no automatic fix then). */
export function rulePlan(firewall: FirewallKind, rule: FixRule, paths: BootPaths): RulePlan | null {
  const validPort = Number.isInteger(rule.port) && rule.port > 0 && rule.port < 65536 && (rule.protocol === 'tcp' || rule.protocol === 'udp');
  if (!FIX_ID.test(rule.id) || !validPort) return null;
  switch (firewall) {
    case 'nftables': {
      const chains = nftChains(rule);
      if (!chains) return null;
      return {
        runtime: (undo) => nftRuntime(rule, chains, undo),
        persist: (create) => nftPersist(rule, chains, paths, create),
        unpersist: () => nftUnpersist(rule.id, paths),
        liveRevert: async (read) =>
          nftDeletes(await read('nft -j -a list ruleset'), rule.id).flatMap((c) => [
            c,
            `echo "@spanwise change runtime removed ${c.slice('nft delete '.length)}"`,
          ]),
        selfPersisting: false,
      };
    }
    case 'iptables': {
      const chain = iptablesChain(rule);
      if (!chain) return null;
      return {
        runtime: (undo) => iptablesRuntime(rule, chain, undo),
        persist: (create) => iptablesPersist(rule, chain, paths, create),
        unpersist: () => iptablesUnpersist(rule.id, paths),
        liveRevert: async () => iptablesDeletes(rule, chain),
        selfPersisting: false,
      };
    }
    case 'firewalld':
      return firewalldPlan(rule, rule.removesRichRule);
    case 'ufw':
      return ufwPlan(rule, rule.insertFirst ?? true);
  }
}
