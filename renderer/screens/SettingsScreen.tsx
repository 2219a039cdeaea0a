import { currentCluster, useClustersStore } from '../store/clusters-slice.js';
import { describeDiscovery } from './ClustersScreen.js';

/** The current cluster's settings, read-only: changing them across agents is not part of the contract yet. */
export function SettingsScreen() {
  const cluster = useClustersStore(currentCluster);
  if (!cluster) return <p className="panel muted">No cluster selected.</p>;
  return (
    <section className="panel" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings of {cluster.name}</h2>
      <p className="notice">Read-only: MTU, endpoint filters, down-peer bypass and advertised networks cannot be changed from the app yet.</p>
      <dl>
        <dt>Cluster id</dt>
        <dd>{cluster.clusterId}</dd>
        <dt>Discovery</dt>
        <dd>{describeDiscovery(cluster.discovery)}</dd>
        <dt>Created</dt>
        <dd>{new Date(cluster.createdAt).toLocaleString()}</dd>
        <dt>Machines</dt>
        <dd>{cluster.machineCount}</dd>
        <dt>Agent API CA</dt>
        <dd>
          <details>
            <summary>Certificate (PEM)</summary>
            <pre className="commands">{cluster.caCertificate}</pre>
          </details>
        </dd>
      </dl>
    </section>
  );
}
