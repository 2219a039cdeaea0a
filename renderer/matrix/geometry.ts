/** Where the cells of a rows x cols matrix sit on the canvas, in CSS pixels. */
export interface MatrixGeometry {
  rows: number;
  cols: number;
  /** Side of one cell, including the gap. */
  cell: number;
  /** Space between cells (0 when cells are small). */
  gap: number;
  /** Left margin for row labels (or the site strip). */
  left: number;
  /** Top margin for column labels (or the site strip). */
  top: number;
  /** Whether names fit next to the rows and above the columns. */
  labels: boolean;
  width: number;
  height: number;
}

/** The smallest and largest side of a cell, in CSS pixels: cells grow with the space between these. */
export const CELL_SIZE = { min: 3, max: 44 } as const;
const labelCell = 12;
/** Names are cut to this many characters (see draw.ts). */
const labelChars = 16;
/** Room a label character takes at the 12 px label font, and the space between labels and cells. */
const charWidth = 7;
const labelPad = 22;
const stripGutter = 8;

/**
 * Fits the matrix into `available` CSS pixels of width (and at most that much height).
 * The label margin is as wide as the longest name needs (`longestName` characters), so short
 * names leave no empty band above the cells.
 */
export function layoutMatrix(rows: number, cols: number, available: number, longestName = labelChars): MatrixGeometry {
  const labelGutter = labelPad + Math.min(longestName, labelChars) * charWidth;
  const fit = (gutter: number) => Math.floor((Math.max(available, 200) - gutter) / Math.max(cols, rows, 1));
  let cell = Math.max(CELL_SIZE.min, Math.min(CELL_SIZE.max, fit(labelGutter)));
  const labels = cell >= labelCell;
  if (!labels) cell = Math.max(CELL_SIZE.min, Math.min(CELL_SIZE.max, fit(stripGutter)));
  const gutter = labels ? labelGutter : stripGutter;
  const gap = cell >= 6 ? 1 : 0;
  return { rows, cols, cell, gap, left: gutter, top: gutter, labels, width: gutter + cols * cell, height: gutter + rows * cell };
}

/** The cell under a point, or null outside the cells. */
export function cellAt(g: MatrixGeometry, x: number, y: number): { row: number; col: number } | null {
  const col = Math.floor((x - g.left) / g.cell);
  const row = Math.floor((y - g.top) / g.cell);
  if (x < g.left || y < g.top || col < 0 || row < 0 || col >= g.cols || row >= g.rows) return null;
  return { row, col };
}

/** Top-left corner of a cell. */
export function cellOrigin(g: MatrixGeometry, row: number, col: number): { x: number; y: number } {
  return { x: g.left + col * g.cell, y: g.top + row * g.cell };
}
