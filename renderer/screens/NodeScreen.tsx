import { useEffect } from 'react';
import { Address } from '../components/Address.js';
import { AgentLog } from '../components/AgentLog.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { FindingSummary } from '../components/FindingSummary.js';
import { NodeActions } from '../components/NodeActions.js';
import { PeerTable } from '../components/PeerTable.js';
import { StateBadge } from '../components/StateBadge.js';
import { useDiagnosisStore } from '../store/diagnosis-slice.js';
import { useNavStore } from '../store/nav-slice.js';
import { useStatusStore } from '../store/status-slice.js';

/** One node: identity, agent, peers and their states, the findings that name it, and actions. */
export function NodeScreen() {
  const { status, error, loading, load } = useStatusStore();
  const selected = useNavStore((s) => s.node);
  const go = useNavStore((s) => s.go);
  const findings = useDiagnosisStore((s) => s.report?.findings);
  const hasReport = useDiagnosisStore((s) => s.report !== null);
  const loadLast = useDiagnosisStore((s) => s.loadLast);
  useEffect(() => {
    if (!status) void load();
  }, [status, load]);
  // After a reload the findings come from the backend's last diagnosis, not from this window's memory.
  useEffect(() => {
    if (!hasReport) void loadLast();
  }, [hasReport, loadLast]);

  const nodes = status?.nodes ?? [];
  const node = nodes.find((n) => n.name === selected) ?? nodes[0];
  const warnings = node ? (findings ?? []).filter((f) => f.nodes.includes(node.name)) : [];

  return (
    <div className="stack">
      <section className="panel" aria-labelledby="node-title">
        <div className="panel-head">
          <h2 id="node-title">Node detail</h2>
          <div className="buttons">
            <label className="inline">
              Node{' '}
              <select value={node?.name ?? ''} onChange={(e) => go('node', e.target.value)} disabled={nodes.length === 0}>
                {nodes.map((n) => (
                  <option key={n.name} value={n.name}>
                    {n.name}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" onClick={() => void load()} disabled={loading}>
              {loading ? 'Asking…' : 'Ask again'}
            </button>
          </div>
        </div>
        {error && <ErrorNote error={error} />}
        {!node && !error && <p className="muted">{loading ? 'Asking the agents…' : 'No nodes in this cluster yet.'}</p>}
        {node && (
          <dl data-testid="node-identity">
            <dt>Name</dt>
            <dd>{node.name}</dd>
            <dt>Site / role</dt>
            <dd>
              {node.site} / {node.role}
            </dd>
            <dt>Agent</dt>
            <dd>
              <StateBadge
                state={node.agent.reachable ? 'up' : 'down'}
                text={node.agent.reachable ? `reachable ${node.agent.via === 'ssh-tunnel' ? 'through SSH' : 'directly'}` : 'unreachable'}
              />
              {node.agent.version && ` · v${node.agent.version}`}
              {node.agent.error && <span className="muted"> · {node.agent.error}</span>}
            </dd>
            <dt>Node address</dt>
            <dd>
              <Address text={node.address} label="node address" />
            </dd>
            <dt>Public key</dt>
            <dd>
              <Address text={node.publicKey} label="public key" />
            </dd>
          </dl>
        )}
      </section>
      {node && (
        <div className="screen-grid">
          <section className="panel" aria-labelledby="peers-title">
            <h3 id="peers-title">
              Peers ({node.peers.filter((p) => p.state === 'up').length} ✓ up of {node.peers.length})
            </h3>
            <PeerTable peers={node.peers} />
          </section>
          <section className="panel" aria-labelledby="warnings-title">
            <h3 id="warnings-title">Health warnings</h3>
            {warnings.length === 0 ? <p className="muted">None in the last diagnosis.</p> : warnings.map((f) => <FindingSummary key={f.id} finding={f} />)}
          </section>
          <AgentLog node={node.name} />
          <section className="panel" aria-labelledby="actions-title">
            <h3 id="actions-title">Actions</h3>
            <NodeActions name={node.name} />
          </section>
        </div>
      )}
    </div>
  );
}
