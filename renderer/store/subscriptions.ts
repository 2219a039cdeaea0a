import { getApi } from '../api/client.js';
import { subscribeAppEvents } from './app-slice.js';
import { useDiagnosisStore } from './diagnosis-slice.js';
import { useMachinesStore } from './machines-slice.js';
import { useMeshStore, type MeshView } from './mesh-slice.js';
import { useOnboardingStore } from './onboarding-slice.js';
import { useStatusStore } from './status-slice.js';

const nodeSet = (view: MeshView | null) => view?.nodes.map((n) => n.name).join('\n');

/** Routes every backend event into its slice; returns the function that stops it. Components never poll. */
export function subscribeBackendEvents(): () => void {
  const api = getApi();
  const stops = [
    subscribeAppEvents(),
    api.on('onboard:progress', (progress) => useOnboardingStore.getState().applyProgress(progress)),
    api.on('mesh:snapshot', (snapshot) => useMeshStore.getState().applySnapshot(snapshot)),
    api.on('mesh:patch', (patch) => useMeshStore.getState().applyPatch(patch)),
    api.on('diagnosis:report', (report) => useDiagnosisStore.getState().setReport(report)),
    // A machine added or removed (here or in another window) changes the mesh's nodes: the lists made of machines follow.
    useMeshStore.subscribe((state, previous) => {
      if (!state.view || !previous.view || state.view.cluster !== previous.view.cluster || nodeSet(state.view) === nodeSet(previous.view)) return;
      void useMachinesStore.getState().load();
      if (useStatusStore.getState().status) void useStatusStore.getState().load();
    }),
  ];
  return () => stops.forEach((stop) => stop());
}
