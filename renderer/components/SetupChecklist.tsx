import { useEffect } from 'react';
import { carriesCode } from '../../electron/contract/fields.js';
import { currentCluster, useClustersStore } from '../store/clusters-slice.js';
import { useMachinesStore } from '../store/machines-slice.js';
import { useMeshStore } from '../store/mesh-slice.js';
import { useNavStore, type Screen } from '../store/nav-slice.js';

/** One step of the first run: whether it is done, and where to do it. */
export interface SetupStep {
  label: string;
  done: boolean;
  to: Screen;
  action: string;
}

/** The first run's steps from what the app holds: a cluster, machines, one onboarded, and a mesh whose pairs all carry traffic, directly or relayed (two nodes at least). */
export function setupSteps(hasCluster: boolean, states: string[], cells: Uint8Array | null, nodes: number): SetupStep[] {
  let meshUp = nodes >= 2 && cells !== null;
  for (let i = 0; meshUp && cells && i < cells.length; i += 1) {
    if (i % (nodes + 1) !== 0 && !carriesCode(cells[i] as number)) meshUp = false;
  }
  return [
    { label: 'Create a cluster', done: hasCluster, to: 'clusters', action: 'Create a cluster' },
    { label: 'Add machines', done: states.length > 0, to: 'machines', action: 'Add a machine' },
    { label: 'Onboard them', done: states.includes('onboarded'), to: 'machines', action: 'Onboard' },
    { label: 'Mesh up: every pair connects', done: meshUp, to: 'mesh', action: nodes < 2 ? 'Add a second machine' : 'See the mesh' },
  ];
}

/** The setup checklist on Overview, shown until every step is done; the next step has the button. */
export function SetupChecklist() {
  const cluster = useClustersStore(currentCluster);
  const machines = useMachinesStore((s) => s.machines);
  const loadMachines = useMachinesStore((s) => s.load);
  const view = useMeshStore((s) => s.view);
  const go = useNavStore((s) => s.go);
  useEffect(() => {
    if (cluster) void loadMachines();
  }, [cluster, loadMachines]);
  const steps = setupSteps(cluster !== undefined, cluster ? machines.map((m) => m.state) : [], view?.cells ?? null, view?.nodes.length ?? 0);
  const next = steps.findIndex((s) => !s.done);
  if (next < 0) return null;
  const step = steps[next] as SetupStep;
  return (
    <section className="panel checklist" aria-labelledby="setup-title" data-testid="setup-checklist">
      <h3 id="setup-title">Set up your mesh</h3>
      <ol>
        {steps.map((s, i) => (
          <li key={s.label} className={s.done ? 'ok' : i === next ? 'next' : 'muted'} data-done={s.done}>
            {s.done ? '✓' : '○'} {s.label}
          </li>
        ))}
      </ol>
      <button type="button" className="primary" onClick={() => go(step.to)}>
        {step.action}
      </button>
    </section>
  );
}
