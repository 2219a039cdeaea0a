import { useEffect } from 'react';
import { AboutScreen } from './screens/AboutScreen.js';
import { subscribeAppEvents, useAppStore } from './store/app-slice.js';

/** The application shell. */
export function App() {
  const load = useAppStore((s) => s.load);
  const mode = useAppStore((s) => s.info?.mode);
  useEffect(() => {
    const unsubscribe = subscribeAppEvents();
    void load();
    return unsubscribe;
  }, [load]);
  return (
    <>
      <header>
        <h1>Spanwise</h1>
        {mode && <span className="badge">{mode === 'web' ? 'web UI' : 'desktop'}</span>}
      </header>
      <main>
        <AboutScreen />
      </main>
    </>
  );
}
