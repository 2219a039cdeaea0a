import { useEffect, useRef, type ComponentType } from 'react';
import { Nav } from './components/Nav.js';
import { AboutScreen } from './screens/AboutScreen.js';
import { ClustersScreen } from './screens/ClustersScreen.js';
import { FirewallScreen } from './screens/FirewallScreen.js';
import { MachinesScreen } from './screens/MachinesScreen.js';
import { MeshScreen } from './screens/MeshScreen.js';
import { NodeScreen } from './screens/NodeScreen.js';
import { OverviewScreen } from './screens/OverviewScreen.js';
import { SettingsScreen } from './screens/SettingsScreen.js';
import { TopologyScreen } from './screens/TopologyScreen.js';
import { useAppStore } from './store/app-slice.js';
import { currentCluster, useClustersStore } from './store/clusters-slice.js';
import { screenLabels, screens, useNavStore, type Screen } from './store/nav-slice.js';
import { useConnectionStore } from './store/connection-slice.js';
import { useOnboardingStore } from './store/onboarding-slice.js';
import { subscribeBackendEvents } from './store/subscriptions.js';

const views: Record<Screen, ComponentType> = {
  clusters: ClustersScreen,
  machines: MachinesScreen,
  overview: OverviewScreen,
  mesh: MeshScreen,
  topology: TopologyScreen,
  firewall: FirewallScreen,
  node: NodeScreen,
  settings: SettingsScreen,
  about: AboutScreen,
};

/** The application shell: header, screen navigation, the current screen, and backend notices. */
export function App() {
  const load = useAppStore((s) => s.load);
  const mode = useAppStore((s) => s.info?.mode);
  const notices = useAppStore((s) => s.notices);
  const loadClusters = useClustersStore((s) => s.load);
  const cluster = useClustersStore(currentCluster);
  const screen = useNavStore((s) => s.screen);
  const go = useNavStore((s) => s.go);
  const connected = useConnectionStore((s) => s.connected);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    const unsubscribe = subscribeBackendEvents();
    void load();
    void loadClusters().then(() => useOnboardingStore.getState().loadRuns());
    return unsubscribe;
  }, [load, loadClusters]);

  useEffect(() => {
    const follow = () => useNavStore.getState().followLocation();
    window.addEventListener('popstate', follow);
    return () => window.removeEventListener('popstate', follow);
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const target = screens[Number(event.key) - 1];
      if (target) {
        event.preventDefault();
        go(target);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);

  useEffect(() => {
    if (first.current) first.current = false;
    else main.current?.focus();
  }, [screen]);

  const View = views[screen];
  const latest = notices.at(-1);
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header>
        <h1>Spanwise</h1>
        {mode && <span className="badge">{mode === 'web' ? 'web UI' : 'desktop'}</span>}
        <span className="header-cluster" data-testid="current-cluster">
          {cluster ? `Cluster: ${cluster.name}` : 'No cluster selected'}
        </span>
        {latest && (
          <span className={`notice notice-${latest.level}`} role="status">
            {latest.text}
          </span>
        )}
      </header>
      {!connected && (
        <p className="banner banner-disconnected" role="alert" data-testid="disconnected">
          Disconnected from the Spanwise backend: the data shown is frozen. Connecting again…
        </p>
      )}
      <div className="body">
        <Nav />
        <main
          id="main"
          ref={main}
          tabIndex={-1}
          aria-label={screenLabels[screen]}
          className={connected ? undefined : 'frozen'}
          aria-busy={!connected || undefined}
        >
          <View />
        </main>
      </div>
    </div>
  );
}
