import { create } from 'zustand';
import { onClusterChange } from './cluster-scope.js';

/** The screens of the app, in navigation order. */
export const screens = ['clusters', 'machines', 'overview', 'mesh', 'topology', 'firewall', 'node', 'settings', 'about'] as const;
export type Screen = (typeof screens)[number];

/** Labels of the screens in the navigation. */
export const screenLabels: Record<Screen, string> = {
  clusters: 'Clusters',
  machines: 'Machines',
  overview: 'Overview',
  mesh: 'Mesh matrix',
  topology: 'Topology',
  firewall: 'Firewall',
  node: 'Node detail',
  settings: 'Settings',
  about: 'About',
};

/** Which screen is shown and what it is about; mirrored in `location.hash` (`#node/edge-1`, `#topology?path=cloud2,dc1`), one history entry a screen, so Back and Forward move between screens. */
export interface NavState {
  screen: Screen;
  /** The node the node detail screen shows. */
  node: string | null;
  /** What the screen shows within it, after `?` in the hash (`path=cloud2,dc1`); empty for the screen alone. */
  query: string;
  go(screen: Screen, node?: string | null, query?: string): void;
  /** Shows what `location.hash` names (after Back or Forward). */
  followLocation(): void;
}

/** The screen, node and query a hash names (`#node/edge-1`, `#topology?path=a,b`); an unknown screen is the clusters screen. */
export function fromHash(hash: string): { screen: Screen; node: string | null; query: string } {
  const [where = '', query = ''] = hash.replace(/^#/, '').split('?');
  const [name = '', node] = where.split('/');
  const screen = (screens as readonly string[]).includes(name) ? (name as Screen) : 'clusters';
  return { screen, node: node ? decodeURIComponent(node) : null, query };
}

export const useNavStore = create<NavState>((set, get) => ({
  ...fromHash(typeof location === 'undefined' ? '' : location.hash),
  go(screen, node, query = '') {
    const next = { screen, node: node === undefined ? get().node : node, query };
    set(next);
    const hash = `#${screen}${next.node && screen === 'node' ? `/${encodeURIComponent(next.node)}` : ''}${query ? `?${query}` : ''}`;
    if (location.hash !== hash) history.pushState(null, '', hash);
  },
  followLocation() {
    const shown = fromHash(location.hash);
    set(shown.screen === 'node' ? shown : { screen: shown.screen, query: shown.query });
  },
}));

onClusterChange(() => {
  const nav = useNavStore.getState();
  if (nav.node === null) return;
  useNavStore.setState({ node: null });
  if (nav.screen === 'node') history.replaceState(null, '', '#node');
});
