import { describe, expect, it } from 'vitest';
import { tooltipPlace } from '../components/MatrixCanvas.js';
import { CELL_SIZE, layoutMatrix } from './geometry.js';

describe('matrix layout', () => {
  it('grows cells with the width between the min and max size, with a label margin as wide as the names need', () => {
    const narrow = layoutMatrix(40, 40, 1000, 8);
    const wide = layoutMatrix(40, 40, 1600, 8);
    expect(wide.cell).toBeGreaterThan(narrow.cell);
    expect(layoutMatrix(4, 4, 1600, 6).cell).toBe(CELL_SIZE.max);
    expect(layoutMatrix(2000, 2000, 800).cell).toBe(CELL_SIZE.min);
    expect(layoutMatrix(4, 4, 1600, 6).top).toBe(22 + 6 * 7);
    expect(layoutMatrix(4, 4, 1600, 40).top).toBe(22 + 16 * 7);
  });

  it('places a tooltip inside the window: right of the cell where it fits, else left, clamped to the edges', () => {
    const g = layoutMatrix(4, 4, 400, 6);
    const size = { width: 200, height: 60 };
    const viewport = { width: 1000, height: 700 };
    const first = tooltipPlace({ left: 100, top: 100 }, g, { row: 0, col: 0 }, size, viewport);
    expect(first.left).toBe(100 + g.left + g.cell + 8);
    const last = tooltipPlace({ left: 700, top: 100 }, g, { row: 0, col: 3 }, size, viewport);
    expect(last.left + size.width).toBeLessThanOrEqual(viewport.width - 8);
    expect(last.left).toBe(700 + g.left + 3 * g.cell - size.width - 8);
    const cramped = tooltipPlace({ left: -50, top: 650 }, g, { row: 3, col: 0 }, { width: 990, height: 60 }, viewport);
    expect(cramped.left).toBeGreaterThanOrEqual(8);
    expect(cramped.top + 60).toBeLessThanOrEqual(viewport.height - 8);
  });
});
