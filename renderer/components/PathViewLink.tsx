import { openPath } from '../topology/path-store.js';

/** "Path view" for a pair (from the pair panel or a finding): opens the topology with that pair's path view. */
export function PathViewLink({ from, to }: { from: string; to: string }) {
  return (
    <button type="button" className="link" onClick={() => openPath(from, to)} data-testid={`open-path-${from}-${to}`}>
      Path view {from} ↔ {to}
    </button>
  );
}
