import { useState } from 'react';
import type { ImportedHost, MachineRole, SiteKind } from '../../electron/contract/index.js';
import { useMachinesStore } from '../store/machines-slice.js';
import { machineNameFromAlias } from '../validation/imported-name.js';
import { ErrorNote } from './ErrorNote.js';

function describeHost(host: ImportedHost): string {
  const jump = host.jump.length ? ` via ${host.jump.map((j) => `${j.user}@${j.host}`).join(' → ')}` : '';
  return `${host.ssh.user}@${host.ssh.host}:${host.ssh.port}${jump}`;
}

/** Imports several machines at once from an OpenSSH client config (nothing is stored until Add). */
export function ImportPanel() {
  const { imported, importError, importSshConfig, clearImport, add } = useMachinesStore();
  const [path, setPath] = useState('');
  const [picked, setPicked] = useState<Record<string, boolean>>({});
  const [site, setSite] = useState<SiteKind>('cloud');
  const [role, setRole] = useState<MachineRole>('worker');
  const [outcomes, setOutcomes] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const addPicked = async () => {
    setBusy(true);
    const results: Record<string, string> = {};
    for (const host of imported ?? []) {
      if (picked[host.name] === false) continue;
      const error = await add({
        name: machineNameFromAlias(host.name),
        ssh: host.ssh,
        auth: host.identityFile ? { identityFile: host.identityFile } : { useAgent: true },
        jump: host.jump,
        site,
        role,
      });
      results[host.name] = error ? `✕ ${error.message}${error.hint ? ` (${error.hint})` : ''}` : '✓ added';
    }
    setOutcomes(results);
    setBusy(false);
  };

  return (
    <section className="panel" aria-labelledby="import-title">
      <h3 id="import-title">Import from an SSH config</h3>
      <div className="row">
        <label className="inline">
          Config file <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="~/.ssh/config" spellCheck={false} />
        </label>
        <button type="button" onClick={() => void importSshConfig(path.trim() || undefined)}>
          Read hosts
        </button>
        {imported && (
          <button type="button" onClick={clearImport}>
            Clear
          </button>
        )}
      </div>
      {importError && <ErrorNote error={importError} />}
      {imported && imported.length === 0 && <p className="muted">No concrete Host entries found (wildcard entries are skipped).</p>}
      {imported && imported.length > 0 && (
        <>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Add</th>
                <th scope="col">Name</th>
                <th scope="col">Target</th>
                <th scope="col">Key file</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {imported.map((host) => (
                <tr key={host.name}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Add ${host.name}`}
                      checked={picked[host.name] !== false}
                      onChange={(e) => setPicked((p) => ({ ...p, [host.name]: e.target.checked }))}
                    />
                  </td>
                  <td>{machineNameFromAlias(host.name)}</td>
                  <td>
                    <code>{describeHost(host)}</code>
                  </td>
                  <td>{host.identityFile ?? 'SSH agent'}</td>
                  <td>{outcomes[host.name] ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row">
            <label className="inline">
              Site{' '}
              <select value={site} onChange={(e) => setSite(e.target.value as SiteKind)}>
                <option value="cloud">Cloud</option>
                <option value="datacenter">Datacenter</option>
                <option value="edge">Edge</option>
              </select>
            </label>
            <label className="inline">
              Role{' '}
              <select value={role} onChange={(e) => setRole(e.target.value as MachineRole)}>
                <option value="worker">Worker</option>
                <option value="controlplane">Control plane</option>
              </select>
            </label>
            <button type="button" className="primary" disabled={busy} onClick={() => void addPicked()}>
              Add selected
            </button>
          </div>
        </>
      )}
    </section>
  );
}
