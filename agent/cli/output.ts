import { stringify as toYaml } from 'yaml';
import { alignColumns } from '../lib/table.js';
import { EndpointSource, PeerState, Severity, type Resource } from '../../proto/gen/spanwise/agent/v1/agent.js';

/** The resource names `get` accepts. */
export const GET_TYPES = ['identities', 'peerspecs', 'peerstatuses', 'endpoints', 'health', 'config'] as const;
export type GetType = (typeof GET_TYPES)[number];

const ago = (d: Date | undefined, now: Date) => (d ? `${Math.max(0, Math.round((now.getTime() - d.getTime()) / 1000))}s ago` : 'never');
const bytes = (n: number) => (n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / (1 << 20)).toFixed(1)} MiB`);
const STATE: Record<number, string> = { [PeerState.PEER_STATE_UNKNOWN]: 'unknown', [PeerState.PEER_STATE_UP]: 'up', [PeerState.PEER_STATE_DOWN]: 'down' };
const SOURCE: Record<number, string> = { [EndpointSource.ENDPOINT_SOURCE_ADDRESS]: 'address', [EndpointSource.ENDPOINT_SOURCE_REFLECTED]: 'reflected', [EndpointSource.ENDPOINT_SOURCE_EXTRA]: 'extra', [EndpointSource.ENDPOINT_SOURCE_HARVESTED]: 'harvested' };
const SEVERITY: Record<number, string> = { [Severity.SEVERITY_INFO]: 'info', [Severity.SEVERITY_WARNING]: 'warning', [Severity.SEVERITY_ERROR]: 'error' };

/** Table columns per type, like `talosctl get kubespan...` (NODE is added for remote nodes). */
function row(resource: Resource, now: Date): [string[], string[]] {
  const id = resource.metadata?.id ?? '';
  const version = String(resource.metadata?.version ?? '');
  const spec = resource.spec;
  switch (spec?.$case) {
    case 'identity':
      return [['ID', 'VERSION', 'ADDRESS', 'SUBNET', 'PUBLIC KEY', 'LINK'], [id, version, spec.value.address, spec.value.subnet, spec.value.publicKey, `${spec.value.linkName}${spec.value.linkFallback ? ' (fallback)' : ''}`]];
    case 'peerSpec':
      return [['ID', 'VERSION', 'LABEL', 'ENDPOINTS', 'ALLOWED IPS'], [id, version, spec.value.label, spec.value.endpoints.join(','), spec.value.allowedIps.join(',')]];
    case 'peerStatus': {
      const s = spec.value;
      const rtt = s.rttMs === undefined ? '-' : `${s.rttMs.toFixed(2)} ms`;
      return [['ID', 'VERSION', 'LABEL', 'ENDPOINT', 'STATE', 'RX', 'TX', 'HANDSHAKE', 'RTT'], [id, version, s.label, s.endpoint, STATE[s.state] ?? 'unknown', bytes(s.rxBytes), bytes(s.txBytes), ago(s.lastHandshake, now), rtt]];
    }
    case 'endpoint':
      return [['ID', 'VERSION', 'ENDPOINT', 'SOURCE', 'ORDER'], [id, version, spec.value.address, SOURCE[spec.value.source] ?? '', String(spec.value.order)]];
    case 'healthWarning':
      return [['ID', 'SEVERITY', 'TEXT'], [id, SEVERITY[spec.value.severity] ?? '', spec.value.text]];
    case 'config':
      return [['ID', 'VERSION', 'ENABLED', 'MTU', 'BACKEND', 'TIMING'], [id, version, String(spec.value.enabled), String(spec.value.mtu), spec.value.wireguardBackend, spec.value.timing]];
    default:
      return [['ID', 'VERSION'], [id, version]];
  }
}

/** Renders resources as an aligned table; `node` adds a NODE column first. */
export function renderTable(resources: readonly Resource[], now = new Date(), node?: string): string {
  if (resources.length === 0) return 'no resources\n';
  const rows = resources.map((r) => row(r, now));
  const header = [...(node ? ['NODE'] : []), ...(rows[0]?.[0] ?? [])];
  const body = rows.map(([, cells]) => [...(node ? [node] : []), ...cells]);
  return `${alignColumns([header, ...body]).join('\n')}\n`;
}

/** A plain object per resource for yaml/json: metadata plus the spec, with enum names. */
export function plainResource(resource: Resource): Record<string, unknown> {
  const spec = resource.spec ? { ...resource.spec.value } : {};
  const out = spec as Record<string, unknown>;
  if (resource.spec?.$case === 'peerStatus') out.state = STATE[resource.spec.value.state];
  if (resource.spec?.$case === 'endpoint') out.source = SOURCE[resource.spec.value.source];
  if (resource.spec?.$case === 'healthWarning') out.severity = SEVERITY[resource.spec.value.severity];
  return { metadata: { id: resource.metadata?.id, version: resource.metadata?.version, updated: resource.metadata?.updated?.toISOString() }, spec: JSON.parse(JSON.stringify(out)) as unknown };
}

export function renderResources(resources: readonly Resource[], format: 'table' | 'yaml' | 'json', node?: string): string {
  if (format === 'json') return `${JSON.stringify(resources.map(plainResource), null, 2)}\n`;
  if (format === 'yaml') return resources.map((r) => `---\n${toYaml(plainResource(r))}`).join('') || '[]\n';
  return renderTable(resources, new Date(), node);
}
