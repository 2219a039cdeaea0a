import { screenLabels, screens, useNavStore } from '../store/nav-slice.js';

/** The screen list; Alt+1..9 jumps to a screen from anywhere. */
export function Nav() {
  const screen = useNavStore((s) => s.screen);
  const go = useNavStore((s) => s.go);
  return (
    <nav aria-label="Screens" className="nav">
      <ul>
        {screens.map((name, i) => (
          <li key={name}>
            <button
              type="button"
              aria-current={screen === name ? 'page' : undefined}
              onClick={() => go(name)}
              aria-keyshortcuts={`Alt+${i + 1}`}
              data-testid={`nav-${name}`}
            >
              {screenLabels[name]}
              <kbd aria-hidden="true">Alt+{i + 1}</kbd>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
