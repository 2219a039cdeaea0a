import { useMemo } from 'react';
import { useNavStore } from '../store/nav-slice.js';
import { pathPair, type PathPair } from './path.js';

/** The pair whose path view the topology shows: in the address (`#topology?path=cloud2,dc1`), so Back, Forward and a reload keep it. */
export function usePathPair(): PathPair | null {
  const query = useNavStore((s) => (s.screen === 'topology' ? s.query : ''));
  return useMemo(() => pathPair(query), [query]);
}

/** Opens the topology with the path view of a pair (one history entry: Back closes it). */
export function openPath(a: string, b: string): void {
  useNavStore.getState().go('topology', undefined, `path=${encodeURIComponent(a)},${encodeURIComponent(b)}`);
}

/** Closes the path view: the topology alone. */
export function closePath(): void {
  useNavStore.getState().go('topology');
}
