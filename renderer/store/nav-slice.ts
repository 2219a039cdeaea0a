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

/** Which screen is shown and what it is about; mirrored in `location.hash` (`#node/edge-1`), one history entry a screen, so Back and Forward move between screens. */
export interface NavState {
  screen: Screen;
  /** The node the node detail screen shows. */
  node: string | null;
  go(screen: Screen, node?: string | null): void;
  /** Shows what `location.hash` names (after Back or Forward). */
  followLocation(): void;
}

/** The screen and node a hash names (`#node/edge-1`); an unknown screen is the clusters screen. */
export function fromHash(hash: string): { screen: Screen; node: string | null } {
  const [name = '', node] = hash.replace(/^#/, '').split('/');
  const screen = (screens as readonly string[]).includes(name) ? (name as Screen) : 'clusters';
  return { screen, node: node ? decodeURIComponent(node) : null };
}

export const useNavStore = create<NavState>((set, get) => ({
  ...fromHash(typeof location === 'undefined' ? '' : location.hash),
  go(screen, node) {
    const next = { screen, node: node === undefined ? get().node : node };
    set(next);
    const hash = `#${screen}${next.node && screen === 'node' ? `/${encodeURIComponent(next.node)}` : ''}`;
    if (location.hash !== hash) history.pushState(null, '', hash);
  },
  followLocation() {
    const shown = fromHash(location.hash);
    set(shown.screen === 'node' ? shown : { screen: shown.screen });
  },
}));

onClusterChange(() => {
  const nav = useNavStore.getState();
  if (nav.node === null) return;
  useNavStore.setState({ node: null });
  if (nav.screen === 'node') history.replaceState(null, '', '#node');
});
