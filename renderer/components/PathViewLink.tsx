import { useNavStore } from '../store/nav-slice.js';
import { usePathStore } from '../topology/path-store.js';

/** "Path view" for a pair (from the pair panel or a finding): opens the topology with that pair's path view. */
export function PathViewLink({ from, to }: { from: string; to: string }) {
  const open = () => {
    usePathStore.getState().open(from, to);
    useNavStore.getState().go('topology');
  };
  return (
    <button type="button" className="link" onClick={open} data-testid={`open-path-${from}-${to}`}>
      Path view {from} ↔ {to}
    </button>
  );
}
