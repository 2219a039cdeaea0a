import { useEffect } from 'react';
import type { FindingScreen } from '../../electron/contract/index.js';
import { useHealthStore } from '../store/health-slice.js';
import { screenLabels, screens, useNavStore } from '../store/nav-slice.js';

const counted: ReadonlySet<string> = new Set<FindingScreen>(['overview', 'mesh', 'topology', 'firewall', 'settings']);

/** The screen list, with the health model's count of open findings on each screen that shows them; Alt+1..9 jumps to a screen from anywhere. */
export function Nav() {
  const screen = useNavStore((s) => s.screen);
  const go = useNavStore((s) => s.go);
  const health = useHealthStore((s) => s.health);
  const load = useHealthStore((s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <nav aria-label="Screens" className="nav">
      <ul>
        {screens.map((name, i) => {
          const count = counted.has(name) ? (health?.screens[name as FindingScreen] ?? 0) : 0;
          return (
            <li key={name}>
              <button
                type="button"
                aria-current={screen === name ? 'page' : undefined}
                onClick={() => go(name)}
                aria-keyshortcuts={`Alt+${i + 1}`}
                data-testid={`nav-${name}`}
              >
                {screenLabels[name]}
                {count > 0 && (
                  <span className={`nav-count${health?.severities.error ? ' nav-count-error' : ''}`} data-testid={`nav-count-${name}`}>
                    {count}
                    <span className="sr-only"> {count === 1 ? 'finding' : 'findings'}</span>
                  </span>
                )}
                <kbd aria-hidden="true">Alt+{i + 1}</kbd>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
