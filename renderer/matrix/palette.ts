import type { ShownState, StateLook } from '../states.js';
import { stateLooks } from '../states.js';

/** Colours the painter uses, read from the theme's CSS variables. */
export interface MatrixPalette {
  /** Fill by cell code. */
  fills: string[];
  /** The same fills as RGBA words for image data (platform byte order). */
  fillWords: Uint32Array;
  /** Symbol by cell code. */
  symbols: string[];
  /** The mark drawn on cells too small for a symbol, by cell code: a cross on down or blocked cells, a slash on fragile ones, a bar across relayed ones. */
  marks: Array<'cross' | 'slash' | 'bar' | null>;
  background: string;
  text: string;
  muted: string;
  mark: string;
  focus: string;
  /** Strip colour by row tone name (site kinds). */
  tones: Record<string, string>;
}

const smallMarks: Partial<Record<StateLook['tone'], MatrixPalette['marks'][number]>> = { down: 'cross', fragile: 'slash', relayed: 'bar' };

/** Reads the palette for the given code-to-state table from the element's computed style. */
export function readPalette(element: Element, states: readonly ShownState[]): MatrixPalette {
  const style = getComputedStyle(element);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const fills = states.map((state) => v(`--state-${stateLooks[state].tone}`, '#888'));
  return {
    fills,
    fillWords: toWords(fills),
    symbols: states.map((state) => stateLooks[state].symbol),
    marks: states.map((state) => smallMarks[stateLooks[state].tone] ?? null),
    background: v('--panel', '#fff'),
    text: v('--text', '#000'),
    muted: v('--muted', '#666'),
    mark: v('--cell-mark', '#fff'),
    focus: v('--accent', '#2f6fde'),
    tones: {
      edge: v('--site-edge', '#b86e00'),
      datacenter: v('--site-datacenter', '#6b4fbb'),
      cloud: v('--site-cloud', '#1f7fa8'),
      desktop: v('--muted', '#666'),
    },
  };
}

/** CSS colours to RGBA words, resolved by the canvas itself (any CSS colour syntax works). */
function toWords(colours: string[]): Uint32Array {
  const probe = document.createElement('canvas');
  probe.width = colours.length;
  probe.height = 1;
  const ctx = probe.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
  colours.forEach((colour, i) => {
    ctx.fillStyle = colour;
    ctx.fillRect(i, 0, 1, 1);
  });
  return new Uint32Array(ctx.getImageData(0, 0, colours.length, 1).data.buffer.slice(0));
}
