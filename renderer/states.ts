import type { PairHealthState } from '../electron/contract/index.js';
import { pairCodes, pairHealthOf } from '../electron/contract/fields.js';

/** Every state the UI colours, with the symbol and word that stand in for the colour. */
export type ShownState = PairHealthState | 'self' | 'open' | 'blocked' | 'unseen';

/** How a state is shown without relying on colour: a symbol and a label. */
export interface StateLook {
  symbol: string;
  label: string;
  /** CSS class suffix and CSS variable name (`--state-up`, ...). */
  tone: 'up' | 'fragile' | 'relayed' | 'down' | 'unknown' | 'self';
}

export const stateLooks: Record<ShownState, StateLook> = {
  up: { symbol: '✓', label: 'up', tone: 'up' },
  /** Up, but only one way in, through a path that cannot carry the MTU, or with a warning open on an end. */
  fragile: { symbol: '≈', label: 'fragile', tone: 'fragile' },
  /** Up through a third mesh node (a relay), not directly. */
  relayed: { symbol: '↪', label: 'relayed', tone: 'relayed' },
  down: { symbol: '✕', label: 'down', tone: 'down' },
  unknown: { symbol: '?', label: 'unknown', tone: 'unknown' },
  self: { symbol: '·', label: 'self', tone: 'self' },
  open: { symbol: '✓', label: 'open', tone: 'up' },
  blocked: { symbol: '✕', label: 'blocked', tone: 'down' },
  /** A row of a member Spanwise does not manage: no agent there reports what it sees. */
  unseen: { symbol: '–', label: 'not seen from this side', tone: 'self' },
};

/** The state of a matrix cell: the contract's name for its code (fragile included), `self` on the diagonal. */
export const codeState = (code: number): ShownState => (code === pairCodes.self ? 'self' : pairHealthOf(code));

/** States by cell code, for the canvas palette. */
export const codeStates: readonly ShownState[] = Array.from({ length: Math.max(...Object.values(pairCodes)) + 1 }, (_, code) => codeState(code));

/** Cell codes of reachability matrices drawn with the same canvas. */
export const reachCodes = { unknown: 0, open: 1, blocked: 2, self: 3 } as const;
export const reachStates: readonly ShownState[] = ['unknown', 'open', 'blocked', 'self'];
