import type { PeerView } from '../../electron/contract/index.js';
import { formatAge, formatBytes } from '../format.js';
import { StateBadge } from './StateBadge.js';

/** A node's peers as it sees them (KubeSpan peer statuses). */
export function PeerTable({ peers }: { peers: PeerView[] }) {
  if (peers.length === 0) return <p className="muted">No peers reported.</p>;
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
          <th scope="col">Public key</th>
        </tr>
      </thead>
      <tbody>
        {peers.map((p) => (
          <tr key={p.publicKey}>
            <th scope="row">{p.name}</th>
            <td>
              <StateBadge state={p.state} />
            </td>
            <td>
              <code>{p.endpoint ?? 'none'}</code>
            </td>
            <td>{formatAge(p.lastHandshake)}</td>
            <td>{formatBytes(p.rx)}</td>
            <td>{formatBytes(p.tx)}</td>
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
