import { stateLooks, type ShownState } from '../states.js';

/** A state as colour, symbol and word (never colour alone). */
export function StateBadge({ state, text }: { state: ShownState; text?: string }) {
  const look = stateLooks[state];
  return (
    <span className={`state state-${look.tone}`}>
      <span aria-hidden="true">{look.symbol}</span> {text ?? look.label}
    </span>
  );
}

/** The legend of a matrix: every state with its symbol. */
export function StateLegend({ states }: { states: readonly ShownState[] }) {
  return (
    <ul className="legend" aria-label="Legend">
      {states.map((state) => (
        <li key={state}>
          <span className={`swatch swatch-${stateLooks[state].tone}`} aria-hidden="true">
            {stateLooks[state].symbol}
          </span>
          {stateLooks[state].label}
        </li>
      ))}
    </ul>
  );
}
