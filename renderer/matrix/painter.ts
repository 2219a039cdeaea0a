import type { ShownState } from '../states.js';
import { drawAxes, drawCells, drawOverlay, type MatrixData } from './draw.js';
import { layoutMatrix, type MatrixGeometry } from './geometry.js';
import { readPalette, type MatrixPalette } from './palette.js';

type Cell = { row: number; col: number } | null;

/** Fired on the base canvas after each paint, with the time drawing took (for tests and benchmarks). */
export const drawnEvent = 'spanwise:drawn';

/**
 * Draws a matrix on two stacked canvases, apart from React: the base holds the
 * axes and cells (redrawn in full on layout changes, cell by cell on patches),
 * the overlay the hover crosshair and the focus ring. Work is coalesced into
 * one animation frame.
 */
export class MatrixPainter {
  private data: MatrixData | null = null;
  private geometry: MatrixGeometry | null = null;
  private palette: MatrixPalette;
  private pendingFull = true;
  private pendingCells: Int32Array[] = [];
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
    this.geometry = layoutMatrix(data.rows.length, data.cols.length, width);
    this.pendingFull = true;
    this.schedule();
  }

  /** New cells with the same names: draws only `changed` (all when null). */
  setCells(cells: Uint8Array, changed: Int32Array | null): void {
    if (!this.data) return;
    this.data = { ...this.data, cells };
    if (changed && !this.pendingFull && changed.length < cells.length / 4) this.pendingCells.push(changed);
    else this.pendingFull = true;
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
    if (this.pendingFull) {
      const ctx = this.prepare(this.base, g);
      ctx.clearRect(0, 0, g.width, g.height);
      drawAxes(ctx, g, data, this.palette);
      drawCells(ctx, g, data, this.palette, null);
      this.prepare(this.overlay, g);
      this.paintOverlay();
    } else {
      const ctx = this.base.getContext('2d');
      if (ctx) for (const changed of this.pendingCells) drawCells(ctx, g, data, this.palette, changed);
    }
    this.pendingFull = false;
    this.pendingCells = [];
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
