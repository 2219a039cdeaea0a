import type { ClusterSettings } from '../../electron/contract/index.js';

/** The relays saved in the cluster's settings, each with Remove (the pair goes direct again once the agents have the settings). */
export function RelayList({ settings, busy, onSave }: { settings: ClusterSettings; busy: boolean; onSave(settings: ClusterSettings): void }) {
  const relays = settings.relays ?? [];
  if (relays.length === 0) return <p className="muted">No relays applied.</p>;
  return (
    <ul className="plain-list" data-testid="relay-list">
      {relays.map((r) => (
        <li key={r.between.join(',')}>
          ↪ {r.between.join(' ↔ ')} through {r.via}{' '}
          <button
            type="button"
            disabled={busy}
            onClick={() => onSave({ ...settings, relays: relays.filter((other) => other !== r) })}
            aria-label={`Remove the relay of ${r.between.join(' ↔ ')} through ${r.via}`}
          >
            Remove
          </button>
        </li>
      ))}
    </ul>
  );
}
