import {
  endpointSourceToJSON,
  peerStateToJSON,
  severityToJSON,
  type EndpointSource,
  type PeerState,
  type Resource,
  type Severity,
} from '../../proto/gen/spanwise/agent/v1/agent.js';
import { renderOutput, tableText, type OutputFormat } from '../shared/output-format.js';
import type { SpecCase } from './get-types.js';

/** A readable name for a generated enum value: its proto name without the enum's prefix, lower-case (PEER_STATE_UP -> up). */
export function enumName(protoName: string, prefix: string): string {
  return (protoName.startsWith(prefix) ? protoName.slice(prefix.length) : protoName).toLowerCase().replaceAll('_', '-');
}

export const peerStateName = (state: PeerState) => enumName(peerStateToJSON(state), 'PEER_STATE_');
export const endpointSourceName = (source: EndpointSource) => enumName(endpointSourceToJSON(source), 'ENDPOINT_SOURCE_');
export const severityName = (severity: Severity) => enumName(severityToJSON(severity), 'SEVERITY_');

type Spec = NonNullable<Resource['spec']>;
type ValueOf<C extends SpecCase> = Extract<Spec, { $case: C }>['value'];

/** The columns of one type after ID and VERSION; `wide` adds more after those. */
interface Columns<T> {
  header: string[];
  cells(value: T, now: Date): string[];
  wideHeader: string[];
  wideCells(value: T, now: Date): string[];
}

const ago = (d: Date | undefined, now: Date) => (d ? `${Math.max(0, Math.round((now.getTime() - d.getTime()) / 1000))}s ago` : 'never');
const bytes = (n: number) => (n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / (1 << 20)).toFixed(1)} MiB`);
const list = (items: readonly string[]) => items.join(',') || '-';

/** Table columns per type, like `talosctl get kubespan...`. */
const COLUMNS: { [C in SpecCase]: Columns<ValueOf<C>> } = {
  identity: {
    header: ['ADDRESS', 'SUBNET', 'PUBLIC KEY', 'LINK'],
    cells: (v) => [v.address, v.subnet, v.publicKey, `${v.linkName}${v.linkFallback ? ' (fallback)' : ''}`],
    wideHeader: ['NODE ID', 'HOSTNAME', 'MAC'],
    wideCells: (v) => [v.nodeId, v.hostname, v.linkMac || '-'],
  },
  peerSpec: {
    header: ['LABEL', 'ENDPOINTS', 'ALLOWED IPS'],
    cells: (v) => [v.label, list(v.endpoints), list(v.allowedIps)],
    wideHeader: ['NODE ID', 'ADDRESS'],
    wideCells: (v) => [v.nodeId, v.address],
  },
  peerStatus: {
    header: ['LABEL', 'ENDPOINT', 'STATE', 'RX', 'TX', 'HANDSHAKE', 'RTT', 'VIA'],
    cells: (v, now) => [
      v.label,
      v.endpoint,
      peerStateName(v.state),
      bytes(v.rxBytes),
      bytes(v.txBytes),
      ago(v.lastHandshake, now),
      v.rttMs === undefined ? '-' : `${v.rttMs.toFixed(2)} ms`,
      v.via || '-',
    ],
    wideHeader: ['ENDPOINT CHANGED', 'REASON'],
    wideCells: (v, now) => [ago(v.lastEndpointChange, now), v.reason || '-'],
  },
  endpoint: {
    header: ['ENDPOINT', 'SOURCE', 'ORDER'],
    cells: (v) => [v.address, endpointSourceName(v.source), String(v.order)],
    wideHeader: [],
    wideCells: () => [],
  },
  config: {
    header: ['ENABLED', 'MTU', 'BACKEND', 'TIMING'],
    cells: (v) => [String(v.enabled), String(v.mtu), v.wireguardBackend, v.timing],
    wideHeader: ['DISCOVERY', 'FILTERS', 'BYPASS'],
    wideCells: (v) => [list(v.discoveryEndpoints), list(v.endpointFilters), String(v.allowDownPeerBypass)],
  },
  healthWarning: {
    header: ['SEVERITY', 'TEXT'],
    cells: (v) => [severityName(v.severity), v.text],
    wideHeader: ['SINCE', 'EVIDENCE'],
    wideCells: (v, now) => [ago(v.since, now), list(Object.entries(v.evidence).map(([k, e]) => `${k}=${e}`))],
  },
};

/** How the text views lay out one type; `node` adds a NODE column first (remote agents), `events` the `*` column of a watch. */
export interface Layout {
  spec: SpecCase;
  wide: boolean;
  node?: string;
  events?: boolean;
}

/** The header of a table of one type. */
export function tableHeader(layout: Layout): string[] {
  const columns = COLUMNS[layout.spec];
  return [
    ...(layout.node ? ['NODE'] : []),
    ...(layout.events ? ['*'] : []),
    'ID',
    'VERSION',
    ...columns.header,
    ...(layout.wide ? ['UPDATED', ...columns.wideHeader] : []),
  ];
}

/** One row of a table; a resource without a spec (a deleted one in a watch) shows its id and version only. */
export function tableRow(layout: Layout, resource: Resource, now: Date, event?: string): string[] {
  const columns = COLUMNS[layout.spec] as Columns<unknown>;
  const spec = resource.spec?.$case === layout.spec ? resource.spec.value : undefined;
  const width = columns.header.length + (layout.wide ? 1 + columns.wideHeader.length : 0);
  const cells =
    spec === undefined
      ? Array<string>(width).fill('')
      : [...columns.cells(spec, now), ...(layout.wide ? [resource.metadata?.updated?.toISOString() ?? '-', ...columns.wideCells(spec, now)] : [])];
  return [
    ...(layout.node ? [layout.node] : []),
    ...(layout.events ? [event ?? ''] : []),
    resource.metadata?.id ?? '',
    String(resource.metadata?.version ?? ''),
    ...cells,
  ];
}

/** A plain object per resource for JSON and YAML: metadata plus the spec, with enum values by name. */
export function plainResource(resource: Resource): Record<string, unknown> {
  const spec: Record<string, unknown> = resource.spec ? { ...resource.spec.value } : {};
  if (resource.spec?.$case === 'peerStatus') spec.state = peerStateName(resource.spec.value.state);
  if (resource.spec?.$case === 'endpoint') spec.source = endpointSourceName(resource.spec.value.source);
  if (resource.spec?.$case === 'healthWarning') spec.severity = severityName(resource.spec.value.severity);
  return {
    metadata: { id: resource.metadata?.id, version: resource.metadata?.version, updated: resource.metadata?.updated?.toISOString() },
    spec: JSON.parse(JSON.stringify(spec)) as unknown,
  };
}

/** Resources of one type in the chosen format: a JSON/YAML list of plain resources, or the table. */
export function renderResources(resources: readonly Resource[], format: OutputFormat, layout: Omit<Layout, 'wide'>, now = new Date()): string {
  const table = (wide: boolean) => () =>
    resources.length === 0
      ? 'no resources\n'
      : tableText(
          tableHeader({ ...layout, wide }),
          resources.map((r) => tableRow({ ...layout, wide }, r, now)),
        );
  return renderOutput(format, resources.map(plainResource), { table: table(false), wide: table(true) });
}

/** One resource in the chosen format: a single JSON/YAML document, or a one-row table. */
export function renderResource(resource: Resource, format: OutputFormat, layout: Omit<Layout, 'wide'>, now = new Date()): string {
  const table = (wide: boolean) => () => tableText(tableHeader({ ...layout, wide }), [tableRow({ ...layout, wide }, resource, now)]);
  return renderOutput(format, plainResource(resource), { table: table(false), wide: table(true) });
}
