import { HostNetworkKind, type HostNetwork } from '../resources/kinds.js';
import { exclusive } from './access.js';
import type { Controller } from './runtime.js';

/** Refreshes the host's links and addresses (HostNetwork "host") on a timer. */
export function hostNetworkController(read: () => Promise<HostNetwork>, intervalMs = 10_000): Controller {
  return {
    name: 'host-network',
    inputs: [],
    outputs: [exclusive(HostNetworkKind)],
    intervalMs,
    async run({ store }) {
      store.upsert(HostNetworkKind, 'host', await read());
    },
  };
}
