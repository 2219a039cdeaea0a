import { create } from 'zustand';
import { onConnectionChange } from '../api/client.js';

/** Whether the backend is connected; while it is not, what the screens show is frozen. */
export interface ConnectionState {
  connected: boolean;
  /** When the connection was lost (ISO time), null while connected. */
  lostAt: string | null;
}

export const useConnectionStore = create<ConnectionState>(() => ({ connected: true, lostAt: null }));

/** Follows the backend connection; `resync` runs each time it is back after a loss. Returns the function that stops it. */
export function followConnection(resync: () => void): () => void {
  return onConnectionChange((connected) => {
    const was = useConnectionStore.getState().connected;
    if (connected === was) return;
    useConnectionStore.setState({ connected, lostAt: connected ? null : new Date().toISOString() });
    if (connected) resync();
  });
}
