import type { Affiliate } from '../../../proto/gen/sidero/discovery/server/cluster.js';
import { openAffiliate, openEndpoint, type KubeSpanInfo, type SpanwiseInfo } from '../../shared/affiliate-crypto.js';
import { alignColumns } from '../../shared/table.js';

/** One cluster member as `discovery list` prints it. */
export interface MemberView {
  affiliateId: string;
  /** "ok"; "no-data" for endpoint-only affiliates; "undecryptable" when the secret does not open the data. */
  status: 'ok' | 'no-data' | 'undecryptable';
  nodeId: string;
  hostname: string;
  nodename: string;
  machineType: string;
  operatingSystem: string;
  addresses: string[];
  kubespan: KubeSpanInfo | null;
  /** The Spanwise relay extension (automatic relay mode), null when the member publishes none. */
  relay: SpanwiseInfo | null;
  /** Why the member's relay extension was ignored (out of bounds). */
  relayError?: string;
  /** Decrypted endpoints, "ip:port". */
  endpoints: string[];
  /** Endpoint blobs the secret does not open. */
  undecryptableEndpoints: number;
  /** Why the data could not be read (never contains the secret). */
  error?: string;
}

/** Decrypts every affiliate with the cluster key; failures are reported per member, not hidden. */
export function decryptMembers(key: Buffer, affiliates: Affiliate[]): MemberView[] {
  return affiliates.map((a) => {
    const view: MemberView = {
      affiliateId: a.id,
      status: 'ok',
      nodeId: '',
      hostname: '',
      nodename: '',
      machineType: '',
      operatingSystem: '',
      addresses: [],
      kubespan: null,
      relay: null,
      endpoints: [],
      undecryptableEndpoints: 0,
    };
    if (a.data.length === 0) view.status = 'no-data';
    else {
      try {
        const info = openAffiliate(key, a.data);
        Object.assign(view, {
          nodeId: info.nodeId,
          hostname: info.hostname,
          nodename: info.nodename,
          machineType: info.machineType,
          operatingSystem: info.operatingSystem,
          addresses: info.addresses,
          kubespan: info.kubespan ?? null,
          relay: info.spanwise ?? null,
          ...(info.spanwiseError ? { relayError: info.spanwiseError } : {}),
        });
      } catch (error) {
        view.status = 'undecryptable';
        view.error = (error as Error).message;
      }
    }
    for (const blob of a.endpoints) {
      try {
        view.endpoints.push(openEndpoint(key, blob));
      } catch {
        view.undecryptableEndpoints += 1;
      }
    }
    return view;
  });
}

/** A plain-text table of members. */
export function membersTable(members: MemberView[]): string {
  const header = ['AFFILIATE', 'HOSTNAME', 'TYPE', 'ADDRESSES', 'KUBESPAN', 'ENDPOINTS', 'STATUS'];
  const rows = members.map((m) => [
    m.affiliateId,
    m.hostname || '-',
    m.machineType || '-',
    m.addresses.join(',') || '-',
    m.kubespan?.address || '-',
    [...m.endpoints, ...(m.undecryptableEndpoints ? [`(${m.undecryptableEndpoints} undecryptable)`] : [])].join(',') || '-',
    m.status,
  ]);
  return `${alignColumns([header, ...rows], '  ').join('\n')}\n`;
}
