import { useAppStore } from '../store/app-slice.js';

/** Facts about the running backend and the agent bundle it pushes to hosts. */
export function AboutScreen() {
  const info = useAppStore((s) => s.info);
  const error = useAppStore((s) => s.error);
  if (error)
    return (
      <p className="error" role="alert">
        {error.message}
        {error.hint ? ` (${error.hint})` : ''}
      </p>
    );
  if (!info) return <p aria-busy="true">Connecting to the backend…</p>;
  return (
    <section className="panel" aria-labelledby="about-title">
      <h2 id="about-title">Backend</h2>
      <dl>
        <dt>Version</dt>
        <dd data-testid="version">{info.version}</dd>
        <dt>Mode</dt>
        <dd data-testid="mode">{info.mode}</dd>
        <dt>Data dir</dt>
        <dd>{info.dataDir}</dd>
        <dt>Secrets</dt>
        <dd data-testid="secret-box">
          {info.secrets.box === 'keychain' ? 'OS keychain' : 'key file'}: {info.secrets.reason}
        </dd>
        <dt>Agent bundle</dt>
        <dd data-testid="agent-bundle">
          {info.agentBundle ? `${info.agentBundle.bytes} bytes, sha256 ${info.agentBundle.sha256}` : 'not built (run npm run build)'}
        </dd>
      </dl>
    </section>
  );
}
