import { useEffect, useState } from 'react';
import type { InstallMethod } from '../../electron/contract/onboarding.js';
import { EmptyState } from '../components/EmptyState.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { HostKeyDialog } from '../components/HostKeyDialog.js';
import { ImportPanel } from '../components/ImportPanel.js';
import { MachineForm } from '../components/MachineForm.js';
import { MachineTable } from '../components/MachineTable.js';
import { OnboardingRunView } from '../components/OnboardingRunView.js';
import { currentCluster, useClustersStore } from '../store/clusters-slice.js';
import { useMachinesStore } from '../store/machines-slice.js';
import { useOnboardingStore } from '../store/onboarding-slice.js';

const installChoices: Array<[InstallMethod, string]> = [
  ['auto', 'auto (package where the host has dpkg or rpm)'],
  ['package', 'package (.deb or .rpm)'],
  ['files', 'files (bundle, runtime, unit)'],
];

/** Add machines (form or SSH config import), onboard them with one button, and watch each run. */
export function MachinesScreen() {
  const cluster = useClustersStore(currentCluster);
  const { machines, error, load, remove } = useMachinesStore();
  const runs = useOnboardingStore((s) => s.runs);
  const onboard = useOnboardingStore((s) => s.onboard);
  const { install, setInstall } = useOnboardingStore();
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const prompts = useOnboardingStore((s) => s.prompts);

  useEffect(() => {
    void load();
  }, [load, cluster?.name]);

  if (!cluster) {
    return (
      <EmptyState action="Create a cluster" to="clusters">
        Machines belong to a cluster: create one first.
      </EmptyState>
    );
  }

  const waiting = new Set(prompts.map((p) => p.machine));
  const editedMachine = machines.find((m) => m.name === editing) ?? null;
  const names = machines.filter((m) => picked.has(m.name)).map((m) => m.name);
  const pick = (name: string, on: boolean) =>
    setPicked((p) => {
      const next = new Set(p);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });

  return (
    <div className="stack">
      <section className="panel" aria-labelledby="machines-title">
        <div className="panel-head">
          <h2 id="machines-title">
            Machines <span className="muted">in {cluster.name}</span>
          </h2>
          <div className="row">
            <label>
              Install{' '}
              <select value={install} onChange={(e) => setInstall(e.target.value as InstallMethod)} data-testid="install-method">
                {installChoices.map(([value, text]) => (
                  <option key={value} value={value}>
                    {text}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="primary" disabled={names.length === 0} onClick={() => void onboard(names)} data-testid="onboard-button">
              Onboard {names.length || ''} {names.length === 1 ? 'machine' : 'machines'}
            </button>
          </div>
        </div>
        {error && <ErrorNote error={error} />}
        {removeError && <p className="field-error">{removeError}</p>}
        {machines.length === 0 ? (
          <p className="muted">No machines yet: add one below, or import hosts from an SSH config.</p>
        ) : (
          <MachineTable
            machines={machines}
            picked={picked}
            onPick={pick}
            onDelete={(name) => void remove(name).then((e) => setRemoveError(e ? e.message : null))}
            onEdit={setEditing}
            waiting={waiting}
          />
        )}
      </section>
      {Object.keys(runs).length > 0 && (
        <section aria-labelledby="runs-title" className="stack">
          <h3 id="runs-title">Onboarding</h3>
          {Object.entries(runs).map(([machine, run]) =>
            waiting.has(machine) ? (
              <section key={machine} className="panel run run-waiting" data-testid={`run-${machine}`}>
                <h4>
                  {machine} <span className="muted">— waiting for you: confirm the host key in the dialog</span>
                </h4>
              </section>
            ) : (
              <OnboardingRunView key={machine} machine={machine} run={run} />
            ),
          )}
        </section>
      )}
      {editedMachine ? <MachineForm key={editedMachine.name} editing={editedMachine} onDone={() => setEditing(null)} /> : <MachineForm />}
      <ImportPanel />
      <HostKeyDialog />
    </div>
  );
}
