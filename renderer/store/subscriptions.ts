import { getApi } from '../api/client.js';
import { subscribeAppEvents } from './app-slice.js';
import { useDiagnosisStore } from './diagnosis-slice.js';
import { useMeshStore } from './mesh-slice.js';
import { useOnboardingStore } from './onboarding-slice.js';

/** Routes every backend event into its slice; returns the function that stops it. Components never poll. */
export function subscribeBackendEvents(): () => void {
  const api = getApi();
  const stops = [
    subscribeAppEvents(),
    api.on('onboard:progress', (progress) => useOnboardingStore.getState().applyProgress(progress)),
    api.on('mesh:snapshot', (snapshot) => useMeshStore.getState().applySnapshot(snapshot)),
    api.on('mesh:patch', (patch) => useMeshStore.getState().applyPatch(patch)),
    api.on('diagnosis:report', (report) => useDiagnosisStore.getState().setReport(report)),
  ];
  return () => stops.forEach((stop) => stop());
}
