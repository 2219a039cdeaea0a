import { useMemo } from 'react';
import { useNavStore } from '../store/nav-slice.js';

/** The pair the path view shows, as the address names it; `b` is empty where the address does not name two nodes. */
export interface PathPair {
  a: string;
  b: string;
}

/** The pair a topology query names (`path=cloud2,dc1`), null for none. */
export function pathPair(query: string): PathPair | null {
  const value = new URLSearchParams(query).get('path');
  if (value === null) return null;
  const [a = '', b = '', ...rest] = value.split(',');
  return { a, b: rest.length > 0 ? '' : b };
}

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
