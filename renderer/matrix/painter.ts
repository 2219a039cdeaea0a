import type { ShownState } from '../states.js';
import { cellImage, drawAxes, drawCells, drawOverlay, type CellImage, type MatrixData } from './draw.js';
import { layoutMatrix, type MatrixGeometry } from './geometry.js';

const longestName = (data: MatrixData) => [...data.rows, ...data.cols].reduce((most, name) => Math.max(most, name.length), 0);
import { readPalette, type MatrixPalette } from './palette.js';

type Cell = { row: number; col: number } | null;

/** Fired on the base canvas after each paint, with the time drawing took (for tests and benchmarks). */
export const drawnEvent = 'spanwise:drawn';

/**
 * Draws a matrix on two stacked canvases, apart from React: the base holds the
 * axes and cells (axes redrawn on layout changes, cells on every change),
 * the overlay the hover crosshair and the focus ring. Work is coalesced into
 * one animation frame.
 */
export class MatrixPainter {
  private data: MatrixData | null = null;
  private geometry: MatrixGeometry | null = null;
  private palette: MatrixPalette;
  private pendingFull = true;
  private pendingCells = false;
  private image: CellImage | null = null;
  private frame = 0;
  private hover: Cell = null;
  private focus: Cell = null;
  private width = 0;

  constructor(
    private readonly base: HTMLCanvasElement,
    private readonly overlay: HTMLCanvasElement,
    private readonly states: readonly ShownState[],
  ) {
    this.palette = readPalette(base, states);
  }

  /** The layout in use (for hit testing). */
  get layout(): MatrixGeometry | null {
    return this.geometry;
  }

  /** New names or a new size: lay out again and draw everything. */
  setData(data: MatrixData, width: number): void {
    this.data = data;
    this.width = width;
    this.geometry = layoutMatrix(data.rows.length, data.cols.length, width, longestName(data));
    this.pendingFull = true;
    this.schedule();
  }

  /** New cells with the same names: redraws the cells (not the axes) in the next frame. */
  setCells(cells: Uint8Array): void {
    if (!this.data || this.data.cells === cells) return;
    this.data = { ...this.data, cells };
    this.pendingCells = true;
    this.schedule();
  }

  /** The theme changed: read the colours again and repaint. */
  refreshPalette(): void {
    this.palette = readPalette(this.base, this.states);
    if (this.data) this.setData(this.data, this.width);
  }

  setHover(cell: Cell): void {
    this.hover = cell;
    this.paintOverlay();
  }

  setFocus(cell: Cell): void {
    this.focus = cell;
    this.paintOverlay();
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.paint());
  }

  private paint(): void {
    this.frame = 0;
    const { data, geometry: g } = this;
    if (!data || !g) return;
    const started = performance.now();
    this.image = cellImage(this.image, g.rows, g.cols);
    if (this.pendingFull) {
      const ctx = this.prepare(this.base, g);
      ctx.clearRect(0, 0, g.width, g.height);
      drawAxes(ctx, g, data, this.palette);
      drawCells(ctx, g, data, this.palette, this.image);
      this.prepare(this.overlay, g);
      this.paintOverlay();
    } else if (this.pendingCells) {
      const ctx = this.base.getContext('2d');
      if (ctx) drawCells(ctx, g, data, this.palette, this.image);
    }
    this.pendingFull = false;
    this.pendingCells = false;
    this.base.dispatchEvent(new CustomEvent(drawnEvent, { detail: { ms: performance.now() - started } }));
  }

  private paintOverlay(): void {
    const ctx = this.overlay.getContext('2d');
    if (ctx && this.geometry) drawOverlay(ctx, this.geometry, this.palette, this.hover, this.focus);
  }

  private prepare(canvas: HTMLCanvasElement, g: MatrixGeometry): CanvasRenderingContext2D {
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.ceil(g.width * ratio);
    canvas.height = Math.ceil(g.height * ratio);
    canvas.style.width = `${g.width}px`;
    canvas.style.height = `${g.height}px`;
    const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    return ctx;
  }
}
