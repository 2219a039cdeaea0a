import { cellOrigin, type MatrixGeometry } from './geometry.js';
import type { MatrixPalette } from './palette.js';

/** What the painter draws: names along the axes, their tones, and the cells. */
export interface MatrixData {
  rows: string[];
  cols: string[];
  /** Tone (site kind) per row and column, for the strip along the axes. */
  rowTones: string[];
  colTones: string[];
  /** Row-major cell codes. */
  cells: Uint8Array;
}

/** A one-pixel-per-cell image of the matrix, reused between paints. */
export interface CellImage {
  canvas: HTMLCanvasElement;
  pixels: ImageData;
}

/** Makes (or reuses) the cell image for a rows x cols matrix. */
export function cellImage(previous: CellImage | null, rows: number, cols: number): CellImage {
  if (previous && previous.pixels.width === cols && previous.pixels.height === rows) return previous;
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, cols);
  canvas.height = Math.max(1, rows);
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  return { canvas, pixels: ctx.createImageData(canvas.width, canvas.height) };
}

/**
 * Draws every cell: writes one pixel per cell (40,000 writes at 200 nodes),
 * scales the image up without smoothing, then draws the gaps between cells
 * and the marks. A few milliseconds whatever changed, so patches redraw all.
 */
export function drawCells(ctx: CanvasRenderingContext2D, g: MatrixGeometry, data: MatrixData, p: MatrixPalette, image: CellImage): void {
  const { cells } = data;
  const out = new Uint32Array(image.pixels.data.buffer);
  const total = Math.min(out.length, g.rows * g.cols);
  const fills = p.fillWords;
  for (let i = 0; i < total; i++) out[i] = fills[cells[i] as number] ?? 0;
  const small = image.canvas.getContext('2d') as CanvasRenderingContext2D;
  small.putImageData(image.pixels, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(image.canvas, g.left, g.top, g.cols * g.cell, g.rows * g.cell);
  if (g.gap > 0) {
    ctx.fillStyle = p.background;
    for (let c = 1; c <= g.cols; c++) ctx.fillRect(g.left + c * g.cell - g.gap, g.top, g.gap, g.rows * g.cell);
    for (let r = 1; r <= g.rows; r++) ctx.fillRect(g.left, g.top + r * g.cell - g.gap, g.cols * g.cell, g.gap);
  }
  if (g.cell >= 8) drawMarks(ctx, g, data, p);
}

/** Symbols in the cells, so states differ by more than colour: ✓ ≈ ✕ ? when cells are large; otherwise a cross on down cells and a slash on fragile ones. */
function drawMarks(ctx: CanvasRenderingContext2D, g: MatrixGeometry, data: MatrixData, p: MatrixPalette): void {
  const size = g.cell - g.gap;
  const each = (visit: (i: number) => void) => {
    for (let i = 0; i < g.rows * g.cols; i++) visit(i);
  };
  ctx.strokeStyle = p.mark;
  ctx.fillStyle = p.mark;
  if (g.cell >= 14) {
    ctx.font = `${Math.floor(size * 0.7)}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    each((i) => {
      const code = data.cells[i] as number;
      const row = Math.floor(i / g.cols);
      const { x, y } = cellOrigin(g, row, i - row * g.cols);
      ctx.fillText(p.symbols[code] ?? '', x + size / 2, y + size / 2 + 1);
    });
    return;
  }
  ctx.lineWidth = 1;
  ctx.beginPath();
  each((i) => {
    const mark = p.marks[data.cells[i] as number];
    if (!mark) return;
    const row = Math.floor(i / g.cols);
    const { x, y } = cellOrigin(g, row, i - row * g.cols);
    if (mark === 'bar') {
      ctx.moveTo(x + 1, y + size / 2);
      ctx.lineTo(x + size - 1, y + size / 2);
      return;
    }
    ctx.moveTo(x + size - 2, y + 2);
    ctx.lineTo(x + 2, y + size - 2);
    if (mark === 'slash') return;
    ctx.moveTo(x + 2, y + 2);
    ctx.lineTo(x + size - 2, y + size - 2);
  });
  ctx.stroke();
}

/** Names (or site strips when names do not fit) along both axes. */
export function drawAxes(ctx: CanvasRenderingContext2D, g: MatrixGeometry, data: MatrixData, p: MatrixPalette): void {
  const strip = 4;
  data.rowTones.forEach((tone, row) => {
    ctx.fillStyle = p.tones[tone] ?? p.muted;
    ctx.fillRect(g.left - strip - 2, g.top + row * g.cell, strip, g.cell - g.gap);
  });
  data.colTones.forEach((tone, col) => {
    ctx.fillStyle = p.tones[tone] ?? p.muted;
    ctx.fillRect(g.left + col * g.cell, g.top - strip - 2, g.cell - g.gap, strip);
  });
  if (!g.labels) return;
  const size = Math.min(12, g.cell - 2);
  ctx.font = `${size}px system-ui, sans-serif`;
  ctx.fillStyle = p.text;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  const clip = (name: string) => (name.length > 16 ? `${name.slice(0, 15)}…` : name);
  data.rows.forEach((name, row) => ctx.fillText(clip(name), g.left - 10, g.top + row * g.cell + (g.cell - g.gap) / 2));
  ctx.textAlign = 'left';
  data.cols.forEach((name, col) => {
    ctx.save();
    ctx.translate(g.left + col * g.cell + (g.cell - g.gap) / 2, g.top - 10);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(clip(name), 0, 0);
    ctx.restore();
  });
}

/** The overlay: a crosshair for the hovered cell and a ring around the focused one. */
export function drawOverlay(
  ctx: CanvasRenderingContext2D,
  g: MatrixGeometry,
  p: MatrixPalette,
  hover: { row: number; col: number } | null,
  focus: { row: number; col: number } | null,
): void {
  ctx.clearRect(0, 0, g.width, g.height);
  if (hover) {
    ctx.fillStyle = p.focus;
    ctx.globalAlpha = 0.12;
    ctx.fillRect(g.left, g.top + hover.row * g.cell, g.cols * g.cell, g.cell);
    ctx.fillRect(g.left + hover.col * g.cell, g.top, g.cell, g.rows * g.cell);
    ctx.globalAlpha = 1;
  }
  if (focus) {
    const { x, y } = cellOrigin(g, focus.row, focus.col);
    ctx.strokeStyle = p.focus;
    ctx.lineWidth = 2;
    const pad = g.cell < 8 ? 3 : 1;
    ctx.strokeRect(x - pad, y - pad, g.cell - g.gap + pad * 2, g.cell - g.gap + pad * 2);
  }
}
