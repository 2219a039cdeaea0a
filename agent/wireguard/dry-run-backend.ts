import { ManualClock, type Clock } from '../shared/clock.js';
import type { CommandResult, CommandRunner, CommandSpec } from '../system/command.js';
import { LinuxBackend, type LinkProvider, type LinkState } from './linux-backend.js';
import type { DeviceRuntime, PeerRuntime } from './types.js';

/** Records commands instead of running them. `stdin` is dropped: it may hold the ruleset only, but keep it out of logs anyway. */
export class RecordingRunner implements CommandRunner {
  readonly commands: CommandSpec[] = [];
  async run(command: CommandSpec): Promise<CommandResult> {
    this.commands.push(command);
    return { code: 0, stdout: '', stderr: '' };
  }
}

const noLink: LinkProvider = { name: 'dry-run', ensure: async () => {}, remove: async () => {} };

/**
 * The backend in dry run: the same planning as the real one, commands recorded, and the system
 * state simulated as "what was applied". Tests set handshakes and counters with `setPeerRuntime`.
 */
export class DryRunBackend extends LinuxBackend {
  readonly recorder: RecordingRunner;
  private readonly overrides = new Map<string, Partial<PeerRuntime>>();

  constructor(options: { clock?: Clock; full?: boolean } = {}) {
    const recorder = new RecordingRunner();
    super({
      runner: recorder,
      link: noLink,
      clock: options.clock ?? new ManualClock(),
      keyDir: '/run/spanwise',
      full: options.full,
      verifyEveryMs: Number.POSITIVE_INFINITY,
    });
    this.recorder = recorder;
  }

  protected override async writeKeyFiles(): Promise<void> {}
  protected override async readLink(): Promise<LinkState | undefined> {
    return this.known?.link;
  }
  protected override async readRules(): Promise<boolean> {
    return this.known?.rules ?? false;
  }
  protected override async readRoutesMtu(): Promise<number | undefined> {
    return this.known?.routesMtu;
  }
  protected override async hasNftTable(): Promise<boolean> {
    return this.known?.nftHash !== undefined;
  }

  override async readDevice(): Promise<DeviceRuntime | undefined> {
    const device = this.known?.device;
    if (!device) return undefined;
    const peers = new Map([...device.peers].map(([k, p]) => [k, { ...p, ...this.overrides.get(k) }]));
    return { ...device, peers };
  }

  /** Simulates what WireGuard would report for a peer (handshake, counters, roamed endpoint). */
  setPeerRuntime(publicKey: string, runtime: Partial<PeerRuntime>): void {
    this.overrides.set(publicKey, { ...this.overrides.get(publicKey), ...runtime });
  }

  /** The recorded commands as shell-like lines (for tests and `--dry-run` output). */
  lines(): string[] {
    return this.recorder.commands.map((c) => c.argv.join(' ') + (c.stdin !== undefined ? ' <<stdin' : ''));
  }
}
