import type { ReactNode } from 'react';
import { useNavStore, type Screen } from '../store/nav-slice.js';

/** A neutral note for a screen with nothing to show yet, with the one button that gets it there. */
export function EmptyState({ children, action, to }: { children: ReactNode; action: string; to: Screen }) {
  const go = useNavStore((s) => s.go);
  return (
    <div className="panel empty-state" data-testid="empty-state">
      <p>{children}</p>
      <button type="button" className="primary" onClick={() => go(to)}>
        {action}
      </button>
    </div>
  );
}
