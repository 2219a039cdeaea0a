import type { ShownState } from '../states.js';
import { stateLooks } from '../states.js';

/** Colours the painter uses, read from the theme's CSS variables. */
export interface MatrixPalette {
  /** Fill by cell code. */
  fills: string[];
  /** Symbol by cell code. */
  symbols: string[];
  background: string;
  text: string;
  muted: string;
  mark: string;
  focus: string;
  /** Strip colour by row tone name (site kinds). */
  tones: Record<string, string>;
}

/** Reads the palette for the given code-to-state table from the element's computed style. */
export function readPalette(element: Element, states: readonly ShownState[]): MatrixPalette {
  const style = getComputedStyle(element);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    fills: states.map((state) => v(`--state-${stateLooks[state].tone}`, '#888')),
    symbols: states.map((state) => stateLooks[state].symbol),
    background: v('--panel', '#fff'),
    text: v('--text', '#000'),
    muted: v('--muted', '#666'),
    mark: v('--cell-mark', '#fff'),
    focus: v('--accent', '#2f6fde'),
    tones: { edge: v('--site-edge', '#b86e00'), datacenter: v('--site-datacenter', '#6b4fbb'), cloud: v('--site-cloud', '#1f7fa8'), desktop: v('--muted', '#666') },
  };
}
