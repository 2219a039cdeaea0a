import type { MachineState, MachineSummary } from '../../electron/contract/index.js';

const stateLooks: Record<MachineState, string> = {
  added: '○ added',
  onboarding: '◐ onboarding',
  onboarded: '✓ onboarded',
  failed: '✕ failed',
  removing: '◐ removing',
};

/** Props of {@link MachineTable}. */
export interface MachineTableProps {
  machines: MachineSummary[];
  picked: Set<string>;
  onPick(name: string, on: boolean): void;
  onDelete(name: string): void;
  onEdit(name: string): void;
  /** Machines whose onboarding waits for the user to decide on a host key. */
  waiting: Set<string>;
}

/** The machines of the current cluster, with a checkbox each for onboarding. */
export function MachineTable({ machines, picked, onPick, onDelete, onEdit, waiting }: MachineTableProps) {
  return (
    <table className="table" data-testid="machine-table">
      <thead>
        <tr>
          <th scope="col">
            <input
              type="checkbox"
              aria-label="Pick every machine"
              checked={machines.length > 0 && machines.every((m) => picked.has(m.name))}
              onChange={(e) => machines.forEach((m) => onPick(m.name, e.target.checked))}
            />
          </th>
          <th scope="col">Name</th>
          <th scope="col">SSH</th>
          <th scope="col">Site</th>
          <th scope="col">Role</th>
          <th scope="col">Sign-in</th>
          <th scope="col">State</th>
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {machines.map((m) => (
          <tr key={m.name}>
            <td>
              <input type="checkbox" aria-label={`Pick ${m.name}`} checked={picked.has(m.name)} onChange={(e) => onPick(m.name, e.target.checked)} />
            </td>
            <th scope="row">{m.name}</th>
            <td>
              <code>
                {m.ssh.user}@{m.ssh.host}:{m.ssh.port}
              </code>
              {m.jump.length > 0 && <span className="muted"> via {m.jump.map((j) => j.host).join(' → ')}</span>}
            </td>
            <td>{m.site}</td>
            <td>{m.role}</td>
            <td>{m.identityFile ? 'key file' : m.hasPassword ? 'password' : 'SSH agent'}</td>
            {waiting.has(m.name) ? (
              <td className="machine-waiting">◌ waiting for you: confirm its host key</td>
            ) : (
              <td className={`machine-${m.state}`}>{stateLooks[m.state]}</td>
            )}
            <td className="buttons">
              <button type="button" onClick={() => onEdit(m.name)} aria-label={`Edit ${m.name}`}>
                Edit
              </button>
              <button type="button" className="danger" onClick={() => onDelete(m.name)} aria-label={`Delete ${m.name} from the inventory`}>
                Delete
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
