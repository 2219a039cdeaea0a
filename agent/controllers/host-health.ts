import { HealthCode, reportHealth, type HealthReport } from '../resources/health.js';
import { HealthKind, HostNetworkKind, type HostNetwork } from '../resources/kinds.js';
import { shared } from './access.js';
import type { Controller } from './runtime.js';

/** Bytes WireGuard adds in the worst case (IPv6 outer header). */
export const WIREGUARD_OVERHEAD = 80;

/** MTU_ABOVE_UNDERLAY when the mesh MTU exceeds a default-route link's MTU minus 80. */
export function mtuWarnings(meshMtu: number, host: HostNetwork): HealthReport[] {
  return host.defaultRouteLinks.flatMap((name) => {
    const link = host.links.find((l) => l.name === name);
    if (!link || meshMtu <= link.mtu - WIREGUARD_OVERHEAD) return [];
    const recommended = link.mtu - WIREGUARD_OVERHEAD;
    return [
      {
        code: HealthCode.mtuTooLarge,
        subject: name,
        severity: 'warning' as const,
        text: `mesh MTU ${meshMtu} is above what ${name} (MTU ${link.mtu}) carries; large packets will be dropped or fragmented. Set mtu: ${recommended}`,
        evidence: { link: name, linkMtu: String(link.mtu), meshMtu: String(meshMtu), recommended: String(recommended) },
      },
    ];
  });
}

/** LINK_LOCAL_ADDRESS for an up link (default-route or physical) whose only IPv4 address is link-local (169.254/16): no peer can dial it. */
export function linkLocalWarnings(host: HostNetwork): HealthReport[] {
  return host.links.flatMap((link) => {
    const v4 = link.addresses.filter((a) => /^\d+\.\d+\.\d+\.\d+\//.test(a));
    const carries = link.up && (link.physical || host.defaultRouteLinks.includes(link.name));
    if (!carries || v4.length === 0 || !v4.every((a) => a.startsWith('169.254.'))) return [];
    return [
      {
        code: HealthCode.linkLocal,
        subject: link.name,
        severity: 'info' as const,
        text: `${link.name} has only the link-local address ${v4.join(', ')}; peers cannot dial it, and a CNI that picks it as the node IP leaves the node out of the mesh`,
        evidence: { link: link.name, addresses: v4.join(',') },
      },
    ];
  });
}

/** What the port check found: free, held by our own mesh link, or held by someone else. */
export type PortState = { state: 'free' | 'ours' } | { state: 'taken'; owner?: string };

/** Clock facts: whether NTP says synchronized, and the offset to a reference when one was measured. */
export interface ClockState {
  synchronized?: boolean;
  skewMs?: number;
  reference?: string;
}

/** Skew beyond this is reported (certificates and TTLs tolerate less than this comfortably). */
export const MAX_SKEW_MS = 30_000;

export function clockWarnings(clock: ClockState): HealthReport[] {
  const out: HealthReport[] = [];
  if (clock.skewMs !== undefined && Math.abs(clock.skewMs) > MAX_SKEW_MS) {
    out.push({
      code: HealthCode.clockSkew,
      severity: 'warning',
      text: `the clock is ${Math.round(clock.skewMs / 1000)}s off ${clock.reference ?? 'the reference'}; TLS to the agent API and discovery may fail`,
      evidence: { skewMs: String(Math.round(clock.skewMs)), reference: clock.reference ?? '' },
    });
  }
  if (clock.synchronized === false) out.push({ code: HealthCode.clockUnsynced, severity: 'info', text: 'the clock is not synchronized by NTP', evidence: {} });
  return out;
}

/** Host checks on a timer: MTU against the underlay, UDP 51820 ownership, clock. */
export function hostHealthController(meshMtu: number, checks: { port(): Promise<PortState>; clock(): Promise<ClockState> }, intervalMs = 60_000): Controller {
  return {
    name: 'host-health',
    inputs: [HostNetworkKind],
    outputs: [shared(HealthKind)],
    intervalMs,
    async run({ store, clock }) {
      const host = store.get(HostNetworkKind, 'host')?.spec;
      if (host) {
        reportHealth(store, [HealthCode.mtuTooLarge], mtuWarnings(meshMtu, host), clock.now());
        reportHealth(store, [HealthCode.linkLocal], linkLocalWarnings(host), clock.now());
      }
      const port = await checks.port();
      const portReports: HealthReport[] =
        port.state === 'taken'
          ? [
              {
                code: HealthCode.portTaken,
                severity: 'error',
                text: `UDP 51820 is already used${port.owner ? ` by ${port.owner}` : ''}; the mesh cannot listen`,
                evidence: { owner: port.owner ?? 'unknown' },
              },
            ]
          : [];
      if (port.state !== 'ours') reportHealth(store, [HealthCode.portTaken], portReports, clock.now());
      reportHealth(store, [HealthCode.clockSkew, HealthCode.clockUnsynced], clockWarnings(await checks.clock()), clock.now());
    },
  };
}
