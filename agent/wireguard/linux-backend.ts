import { createHash } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../shared/clock.js';
import { runChecked, type CommandRunner, type CommandSpec } from '../system/command.js';
import { keyHash as keyHashOf, parseWgDump } from './dump.js';
import { nftDeleteCommand, nftRuleset } from './nftables.js';
import { diffPeers, planDevice, planPeers, type KeyFiles } from './plan.js';
import { forwardingCommand } from './relay-forward.js';
import { hasMeshRule, routeCommands, routeFlushCommand, ruleAddCommand, ruleDeleteCommand } from './routing.js';
import { KUBESPAN, type ApplyReport, type DeviceConfig, type DeviceRuntime, type WireGuardBackend } from './types.js';

/** The state of the mesh link itself (not WireGuard's part). */
export interface LinkState {
  mtu: number;
  up: boolean;
  addresses: string[];
}

/** Creates the mesh link: the kernel module, or a supervised wireguard-go. */
export interface LinkProvider {
  readonly name: 'kernel' | 'wireguard-go' | 'dry-run';
  /** Makes sure the link exists (idempotent). */
  ensure(): Promise<void>;
  /** Removes the link (and stops a userspace process). */
  remove(): Promise<void>;
  /** Stops helper processes without other changes. */
  close?(): Promise<void>;
}

/** Options of the backend; `full` turns off diffing (the naive baseline of the benchmark). */
export interface LinuxBackendOptions {
  runner: CommandRunner;
  link: LinkProvider;
  clock: Clock;
  /** Directory for the 0600 key files `wg set` reads (the agent's runtime dir). */
  keyDir: string;
  /** Re-read the real state at least this often to repair drift. */
  verifyEveryMs?: number;
  full?: boolean;
}

interface Known {
  link?: LinkState;
  device?: DeviceRuntime;
  routesMtu?: number;
  rules?: boolean;
  nftHash?: string;
  /** Whether forwarding on the mesh link was turned on (a relay node). */
  forwarding?: boolean;
  readAt: number;
}

/**
 * The real backend: `ip`, `wg` and `nft` run as argument vectors. It remembers what it applied and
 * re-reads the system only every `verifyEveryMs` (or after a failure), so a reconcile with no
 * change runs no command at all.
 */
export class LinuxBackend implements WireGuardBackend {
  readonly name: 'kernel' | 'wireguard-go' | 'dry-run';
  protected known?: Known;
  protected readonly keys: KeyFiles;

  constructor(protected readonly opts: LinuxBackendOptions) {
    this.name = opts.link.name;
    this.keys = { privateKey: join(opts.keyDir, 'kubespan.key'), presharedKey: join(opts.keyDir, 'kubespan.psk') };
  }

  protected run(command: CommandSpec): Promise<string> {
    return runChecked(this.opts.runner, command);
  }

  protected async writeKeyFiles(desired: DeviceConfig): Promise<void> {
    await mkdir(this.opts.keyDir, { recursive: true, mode: 0o700 });
    for (const [path, key] of [
      [this.keys.privateKey, desired.privateKey],
      [this.keys.presharedKey, desired.presharedKey],
    ] as const) {
      await writeFile(path, `${key}\n`, { mode: 0o600 });
      await chmod(path, 0o600);
    }
  }

  protected async readLink(): Promise<LinkState | undefined> {
    const result = await this.opts.runner.run({ argv: ['ip', '-j', 'addr', 'show', 'dev', KUBESPAN.link] });
    if (result.code !== 0) return undefined;
    const [link] = JSON.parse(result.stdout || '[]') as { mtu?: number; flags?: string[]; addr_info?: { local?: string; prefixlen?: number }[] }[];
    if (!link) return undefined;
    return { mtu: link.mtu ?? 0, up: (link.flags ?? []).includes('UP'), addresses: (link.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`) };
  }

  async readDevice(): Promise<DeviceRuntime | undefined> {
    const result = await this.opts.runner.run({ argv: ['wg', 'show', KUBESPAN.link, 'dump'] });
    return result.code === 0 ? parseWgDump(result.stdout) : undefined;
  }

  protected async readRules(): Promise<boolean> {
    const v4 = await this.run({ argv: ['ip', '-j', '-4', 'rule', 'show'] });
    const v6 = await this.run({ argv: ['ip', '-j', '-6', 'rule', 'show'] });
    return hasMeshRule(v4) && hasMeshRule(v6);
  }

  /** The MTU of table 180's default routes when both families have them via the mesh link. */
  protected async readRoutesMtu(): Promise<number | undefined> {
    const mtus: (number | undefined)[] = [];
    for (const family of ['-4', '-6']) {
      const result = await this.opts.runner.run({ argv: ['ip', '-j', family, 'route', 'show', 'table', String(KUBESPAN.table)] });
      const routes = result.code === 0 ? (JSON.parse(result.stdout || '[]') as { dst?: string; dev?: string; metrics?: { mtu?: number }[] }[]) : [];
      const route = routes.find((r) => r.dst === 'default' && r.dev === KUBESPAN.link);
      mtus.push(route?.metrics?.find((m) => m.mtu !== undefined)?.mtu);
    }
    return mtus[0] !== undefined && mtus[0] === mtus[1] ? mtus[0] : undefined;
  }

  protected async hasNftTable(): Promise<boolean> {
    return (await this.opts.runner.run({ argv: ['nft', 'list', 'table', 'inet', KUBESPAN.nftTable] })).code === 0;
  }

  private async refresh(): Promise<Known> {
    const now = this.opts.clock.now();
    const stale = !this.known || now - this.known.readAt >= (this.opts.verifyEveryMs ?? 30_000);
    if (!stale && this.known) return this.known;
    await this.opts.link.ensure();
    const nftHash = this.known?.nftHash !== undefined && (await this.hasNftTable()) ? this.known.nftHash : undefined;
    const routesMtu = await this.readRoutesMtu();
    const forwarding = this.known?.forwarding;
    this.known = { link: await this.readLink(), device: await this.readDevice(), rules: await this.readRules(), routesMtu, nftHash, forwarding, readAt: now };
    return this.known;
  }

  async apply(desired: DeviceConfig): Promise<ApplyReport> {
    const known = await this.refresh();
    const commands: CommandSpec[] = [];
    const link = known.link;
    if (!link || link.mtu !== desired.mtu || !link.up) commands.push({ argv: ['ip', 'link', 'set', 'dev', KUBESPAN.link, 'mtu', String(desired.mtu), 'up'] });
    if (!link?.addresses.includes(desired.address)) commands.push({ argv: ['ip', '-6', 'addr', 'replace', desired.address, 'dev', KUBESPAN.link] });
    commands.push(...planDevice(this.opts.full ? undefined : known.device, desired, this.keys));
    const diff = diffPeers(known.device?.peers ?? new Map(), desired.peers, desired.presharedKey, this.opts.full);
    commands.push(...planPeers(diff, this.keys));
    const routingChanged = this.opts.full || known.routesMtu !== desired.mtu || !known.rules;
    if (routingChanged) {
      commands.push(...routeCommands(desired.mtu).map((argv) => ({ argv })));
      if (!known.rules || this.opts.full) for (const f of ['-4', '-6'] as const) commands.push({ argv: ruleDeleteCommand(f) }, { argv: ruleAddCommand(f) });
    }
    const ruleset = nftRuleset(desired.mtu, desired.routed, desired.forwarded, desired.localPrefixes, desired.underlayServices);
    const nftHash = createHash('sha256').update(ruleset).digest('hex');
    const firewallChanged = this.opts.full || nftHash !== known.nftHash;
    const forwarding = desired.forwarded.length > 0;
    const nft: CommandSpec[] = firewallChanged ? [{ argv: ['nft', '-f', '-'], stdin: ruleset }] : [];
    const sysctl = forwarding !== (known.forwarding ?? false) ? [forwardingCommand(forwarding)] : [];
    // The forward chain is in place before forwarding turns on, and stays until it is off.
    commands.push(...(forwarding ? [...nft, ...sysctl] : [...sysctl, ...nft]));
    if (commands.length) await this.execute(commands, desired);
    this.remember(desired, nftHash);
    if (this.known) this.known.forwarding = forwarding;
    return { commands: commands.length, peersChanged: diff.upsert.length, peersRemoved: diff.remove.length, routingChanged, firewallChanged };
  }

  private async execute(commands: CommandSpec[], desired: DeviceConfig): Promise<void> {
    if (commands.some((c) => c.argv[0] === 'wg' && c.argv.some((a) => a === this.keys.privateKey || a === this.keys.presharedKey)))
      await this.writeKeyFiles(desired);
    try {
      for (const command of commands) {
        if (command.argv[2] === 'rule' && command.argv[3] === 'del') await this.opts.runner.run(command);
        else await this.run(command);
      }
    } catch (error) {
      this.known = undefined;
      throw error;
    }
  }

  /** After a successful apply the known state is the desired one (counters keep their values). */
  private remember(desired: DeviceConfig, nftHash: string): void {
    const old = this.known?.device?.peers ?? new Map();
    const peers = new Map(
      desired.peers.map((p) => {
        const prev = old.get(p.publicKey);
        return [
          p.publicKey,
          {
            publicKey: p.publicKey,
            presharedKeyHash: keyHashOf(desired.presharedKey),
            endpoint: p.endpoint ?? prev?.endpoint,
            allowedIps: p.allowedIps,
            lastHandshake: prev?.lastHandshake,
            rxBytes: prev?.rxBytes ?? 0,
            txBytes: prev?.txBytes ?? 0,
            keepaliveSec: KUBESPAN.keepaliveSec,
          },
        ];
      }),
    );
    this.known = {
      link: { mtu: desired.mtu, up: true, addresses: [...new Set([...(this.known?.link?.addresses ?? []), desired.address])] },
      device: {
        publicKey: this.known?.device?.publicKey ?? '',
        privateKeyHash: keyHashOf(desired.privateKey),
        listenPort: desired.listenPort,
        fwmark: KUBESPAN.wireguardMark,
        peers,
      },
      routesMtu: desired.mtu,
      rules: true,
      nftHash,
      readAt: this.known?.readAt ?? this.opts.clock.now(),
    };
  }

  async close(): Promise<void> {
    await this.opts.link.close?.();
  }

  async remove(): Promise<void> {
    const tolerant = (argv: string[]) => this.opts.runner.run({ argv });
    for (const f of ['-4', '-6'] as const) {
      for (let i = 0; i < 8; i += 1) if ((await tolerant(ruleDeleteCommand(f))).code !== 0) break;
      await tolerant(routeFlushCommand(f));
    }
    await tolerant(nftDeleteCommand());
    await this.opts.link.remove();
    this.known = undefined;
  }
}
