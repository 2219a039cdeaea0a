import type { PeerView } from '../../electron/contract/index.js';
import { formatAge, formatBytes } from '../format.js';
import { StateBadge } from './StateBadge.js';
import { TrafficBars } from './TrafficBars.js';

/** A node's peers as it sees them (KubeSpan peer statuses, a peer up through a relay as relayed), with traffic drawn against the busiest peer. */
export function PeerTable({ peers }: { peers: PeerView[] }) {
  if (peers.length === 0) return <p className="muted">No peers reported.</p>;
  const busiest = Math.max(...peers.flatMap((p) => [p.rx, p.tx]));
  return (
    <table className="table" data-testid="peer-table">
      <thead>
        <tr>
          <th scope="col">Peer</th>
          <th scope="col">State</th>
          <th scope="col">Endpoint</th>
          <th scope="col">Last handshake</th>
          <th scope="col">Rx</th>
          <th scope="col">Tx</th>
          <th scope="col">
            Traffic (<span className="key key-rx">rx</span> / <span className="key key-tx">tx</span>)
          </th>
          <th scope="col">Round trip</th>
          <th scope="col">Public key</th>
        </tr>
      </thead>
      <tbody>
        {peers.map((p) => (
          <tr key={p.publicKey}>
            <th scope="row">{p.name}</th>
            <td>{p.via && p.state === 'up' ? <StateBadge state="relayed" text={`relayed through ${p.via}`} /> : <StateBadge state={p.state} />}</td>
            <td>
              <code>{p.endpoint ?? 'none'}</code>
            </td>
            <td>{formatAge(p.lastHandshake)}</td>
            <td>{formatBytes(p.rx)}</td>
            <td>{formatBytes(p.tx)}</td>
            <td>
              <TrafficBars rx={p.rx} tx={p.tx} max={busiest} />
            </td>
            <td>{p.rttMs === null ? '—' : `${p.rttMs.toFixed(1)} ms`}</td>
            <td>
              <code className="key-text" title={p.publicKey}>
                {p.publicKey.slice(0, 12)}…
              </code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
