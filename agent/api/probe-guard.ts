import { status } from '@grpc/grpc-js';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { systemClock, type Clock } from '../shared/clock.js';
import { MAX_RESPONDER_MS, PROBE_SOURCE_PORTS, RESPONDER_PORTS } from '../shared/ports.js';
import { probeTargetRefusal } from './probe-targets.js';
import { RpcError } from './rpc-error.js';

/**
 * How much probing one agent does for its callers. The budget is a token bucket over every
 * Probe call (refused ones too); the in-flight limit bounds sockets, with a bounded queue
 * behind it so a diagnosis burst waits instead of failing. Sized for a diagnosis of about a
 * hundred nodes, which sends each agent a probe per address of every other node at once.
 */
export interface ProbeLimits {
  /** Probe calls that may arrive at once before the budget is spent. */
  burst: number;
  /** How fast the budget refills. */
  perSecond: number;
  /** Probes running at once. */
  maxInFlight: number;
  /** Probes waiting for a slot; one more is refused with RESOURCE_EXHAUSTED. */
  maxWaiting: number;
  clock: Clock;
  /** Why a target address is refused, or undefined (default: probe-targets.ts). */
  refuseTarget: (ip: string) => string | undefined;
  /** Resolves a host name on the agent, as it would reach it (default: the system resolver). */
  resolve: (host: string) => Promise<string[]>;
  /** Ports an OpenResponder may bind (default: diagnosis's, diagnosis-ports.ts). */
  responderPorts: Readonly<Record<'tcp' | 'udp', readonly number[]>>;
}

/** The limits agents run with. */
export const DEFAULT_PROBE_LIMITS: ProbeLimits = {
  burst: 1024,
  perSecond: 256,
  maxInFlight: 128,
  maxWaiting: 1024,
  clock: systemClock,
  refuseTarget: probeTargetRefusal,
  resolve: async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address),
  responderPorts: RESPONDER_PORTS,
};

/** Where a probe goes once its host is checked: an address, or why the name did not resolve. */
export type ProbeTarget = { ip: string } | { unresolved: string };

/** Rate, concurrency and target checks for Probe, and the bounds of OpenResponder; one per API server. */
export class ProbeGuard {
  private readonly limits: ProbeLimits;
  private tokens: number;
  private refilledAt: number;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(limits: Partial<ProbeLimits> = {}) {
    this.limits = { ...DEFAULT_PROBE_LIMITS, ...limits };
    this.tokens = this.limits.burst;
    this.refilledAt = this.limits.clock.now();
  }

  /** Spends one probe from the budget, or refuses with RESOURCE_EXHAUSTED. */
  admit(): void {
    const now = this.limits.clock.now();
    this.tokens = Math.min(this.limits.burst, this.tokens + ((now - this.refilledAt) * this.limits.perSecond) / 1000);
    this.refilledAt = now;
    if (this.tokens < 1)
      throw new RpcError(
        status.RESOURCE_EXHAUSTED,
        `probe rate limit: at most ${this.limits.perSecond} a second (bursts of ${this.limits.burst}); try again shortly`,
      );
    this.tokens -= 1;
  }

  /**
   * The address to probe: an IP literal as given, or what the name resolves to on this host.
   * Refuses (PERMISSION_DENIED) a target that is, or resolves to, an address no probe may reach;
   * the probe then goes to the checked address, so a second lookup cannot swap it.
   */
  async target(host: string, sourcePort: number): Promise<ProbeTarget> {
    if (!PROBE_SOURCE_PORTS.includes(sourcePort))
      throw new RpcError(status.PERMISSION_DENIED, `source_port: ${sourcePort} is not a port diagnosis sends from (${PROBE_SOURCE_PORTS.join(', ')})`);
    let addresses: string[];
    if (isIP(host)) addresses = [host];
    else {
      try {
        addresses = await this.limits.resolve(host);
      } catch (error) {
        return { unresolved: (error as NodeJS.ErrnoException).code ?? 'lookup failed' };
      }
    }
    for (const ip of addresses) {
      const refusal = this.limits.refuseTarget(ip);
      if (refusal)
        throw new RpcError(
          status.PERMISSION_DENIED,
          `host: ${host === ip ? ip : `${host} (${ip})`} is ${refusal}; probes go to other machines' unicast addresses only`,
        );
    }
    const [first] = addresses;
    return first ? { ip: first } : { unresolved: 'ENOTFOUND' };
  }

  /** Runs a probe when a slot is free (waiting in order), or refuses when too many already wait. */
  async run<T>(probe: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.limits.maxInFlight) {
      if (this.waiting.length >= this.limits.maxWaiting)
        throw new RpcError(
          status.RESOURCE_EXHAUSTED,
          `too many probes at once (${this.limits.maxInFlight} running, ${this.limits.maxWaiting} waiting); try again shortly`,
        );
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.inFlight += 1;
    try {
      return await probe();
    } finally {
      // A slot passes straight to the next waiter, so the count stays put.
      const next = this.waiting.shift();
      if (next) next();
      else this.inFlight -= 1;
    }
  }

  /** Checks an OpenResponder request: only the responder ports, for at most MAX_RESPONDER_MS. */
  checkResponder(protocol: 'tcp' | 'udp', port: number, durationMs: number): void {
    if (durationMs < 1 || durationMs > MAX_RESPONDER_MS) throw new RpcError(status.INVALID_ARGUMENT, `duration_ms: must be 1..${MAX_RESPONDER_MS}`);
    const allowed = this.limits.responderPorts[protocol];
    if (!allowed.includes(port)) {
      throw new RpcError(
        status.PERMISSION_DENIED,
        `port: a ${protocol.toUpperCase()} responder may bind ${allowed.length ? allowed.join(', ') : 'no port'} only (the ports diagnosis uses)`,
      );
    }
  }
}
