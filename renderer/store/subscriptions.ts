import { getApi } from '../api/client.js';
import { subscribeAppEvents, useAppStore } from './app-slice.js';
import { useClustersStore } from './clusters-slice.js';
import { followConnection } from './connection-slice.js';
import { useDiagnosisStore } from './diagnosis-slice.js';
import { useHealthStore } from './health-slice.js';
import { useMachinesStore } from './machines-slice.js';
import { useMeshStore, type MeshView } from './mesh-slice.js';
import { useOnboardingStore } from './onboarding-slice.js';
import { useStatusStore } from './status-slice.js';

const nodeSet = (view: MeshView | null) => view?.nodes.map((n) => n.name).join('\n');

/** What the screens hold, fetched again once the backend is back after a loss (events sent meanwhile were missed). */
function resync(): void {
  void useAppStore.getState().load();
  void useClustersStore.getState().load();
  void useMeshStore.getState().load();
  void useMachinesStore.getState().load();
  void useOnboardingStore.getState().loadRuns();
  void useDiagnosisStore.getState().loadLast();
  if (useStatusStore.getState().status || useStatusStore.getState().error) void useStatusStore.getState().load();
}

/** Routes every backend event into its slice, and follows the connection; returns the function that stops it. Components never poll. */
export function subscribeBackendEvents(): () => void {
  const api = getApi();
  const stops = [
    followConnection(resync),
    subscribeAppEvents(),
    api.on('onboard:progress', (progress) => useOnboardingStore.getState().applyProgress(progress)),
    api.on('mesh:snapshot', (snapshot) => useMeshStore.getState().applySnapshot(snapshot)),
    api.on('mesh:patch', (patch) => useMeshStore.getState().applyPatch(patch)),
    api.on('diagnosis:report', (report) => useDiagnosisStore.getState().setReport(report)),
    api.on('health:changed', (health) => useHealthStore.getState().apply(health)),
    // A machine added or removed (here or in another window) changes the mesh's nodes: the lists made of machines follow.
    useMeshStore.subscribe((state, previous) => {
      if (!state.view || !previous.view || state.view.cluster !== previous.view.cluster || nodeSet(state.view) === nodeSet(previous.view)) return;
      void useMachinesStore.getState().load();
      if (useStatusStore.getState().status) void useStatusStore.getState().load();
    }),
  ];
  return () => stops.forEach((stop) => stop());
}
