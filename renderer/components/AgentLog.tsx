import { useLogsStore } from '../store/logs-slice.js';
import { ErrorNote } from './ErrorNote.js';

/** The last lines of a node's agent log, read over SSH when asked. */
export function AgentLog({ node }: { node: string }) {
  const lines = useLogsStore((s) => s.logs[node]);
  const loading = useLogsStore((s) => s.loading === node);
  const error = useLogsStore((s) => s.error);
  const load = useLogsStore((s) => s.load);
  return (
    <section className="panel" aria-labelledby="agent-log-title">
      <div className="panel-head">
        <h3 id="agent-log-title">Agent log</h3>
        <button type="button" onClick={() => void load(node)} disabled={loading}>
          {loading ? 'Reading…' : lines ? 'Read again' : 'Show agent log'}
        </button>
      </div>
      {error && <ErrorNote error={error} />}
      {lines && (
        <pre className="commands" data-testid="agent-log">
          {lines.length ? lines.join('\n') : 'The agent log is empty.'}
        </pre>
      )}
    </section>
  );
}
