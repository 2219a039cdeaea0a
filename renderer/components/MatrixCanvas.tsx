import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { cellAt, cellOrigin, type MatrixGeometry } from '../matrix/geometry.js';
import { MatrixPainter } from '../matrix/painter.js';
import type { ShownState } from '../states.js';

/** Names and site tones along the axes of a matrix. */
export interface MatrixAxes {
  rows: string[];
  cols: string[];
  rowTones: string[];
  colTones: string[];
}

/** Props of {@link MatrixCanvas}. */
export interface MatrixCanvasProps {
  axes: MatrixAxes;
  /** Row-major codes; a new array redraws the cells (without laying out again). */
  cells: Uint8Array;
  /** Code to state. */
  states: readonly ShownState[];
  /** Accessible name of the matrix. */
  label: string;
  /** A sentence for one cell, read out when it gets focus. */
  describe(row: number, col: number): string;
  tooltip?(row: number, col: number): ReactNode;
  onOpen?(row: number, col: number): void;
  onHover?(row: number, col: number): void;
  /** Cells to mark with a box of the given CSS class over the canvas (e.g. the cells a fix changed). */
  marks?: { cells: Cell[]; className: string };
  testId?: string;
}

type Cell = { row: number; col: number };

const margin = 8;

/**
 * Where a tooltip of `size` goes for a cell: below and right of it, else left of it, always
 * inside the window (fixed positioning, so no panel or sidebar cuts it off).
 */
export function tooltipPlace(
  canvas: { left: number; top: number },
  layout: MatrixGeometry,
  cell: Cell,
  size: { width: number; height: number },
  viewport: { width: number; height: number },
): { left: number; top: number } {
  const at = cellOrigin(layout, cell.row, cell.col);
  const right = canvas.left + at.x + layout.cell + margin;
  const left = right + size.width + margin <= viewport.width ? right : canvas.left + at.x - size.width - margin;
  const below = canvas.top + at.y + layout.cell + margin;
  const top = below + size.height + margin <= viewport.height ? below : canvas.top + at.y - size.height - margin;
  const clamp = (value: number, extent: number, room: number) => Math.max(margin, Math.min(value, room - extent - margin));
  return { left: clamp(left, size.width, viewport.width), top: clamp(top, size.height, viewport.height) };
}

/**
 * A matrix drawn on canvas (fluid at 200 x 200), with a hover tooltip and
 * keyboard navigation: arrows move the focused cell, Home/End jump within the
 * row, PageUp/PageDown by ten rows, Enter opens the cell.
 */
export function MatrixCanvas({ axes, cells, states, label, describe, tooltip, onOpen, onHover, marks, testId }: MatrixCanvasProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const base = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const painter = useRef<MatrixPainter | null>(null);
  const cellsRef = useRef(cells);
  cellsRef.current = cells;
  const [width, setWidth] = useState(0);
  const [hover, setHover] = useState<(Cell & { via: 'mouse' | 'keys' }) | null>(null);
  const [focus, setFocus] = useState<Cell>({ row: 0, col: 0 });
  const tipRef = useRef<HTMLDivElement>(null);
  const [tipAt, setTipAt] = useState<{ left: number; top: number } | null>(null);

  useEffect(() => {
    if (!base.current || !overlay.current) return;
    const p = new MatrixPainter(base.current, overlay.current, states);
    painter.current = p;
    const dark = matchMedia('(prefers-color-scheme: dark)');
    const onTheme = () => p.refreshPalette();
    dark.addEventListener('change', onTheme);
    return () => {
      dark.removeEventListener('change', onTheme);
      p.dispose();
      painter.current = null;
    };
  }, [states]);

  useEffect(() => {
    const element = wrap.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (width > 0) painter.current?.setData({ ...axes, cells: cellsRef.current }, width);
  }, [axes, width, states]);

  useEffect(() => {
    painter.current?.setCells(cells);
  }, [cells]);

  const clampCell = (row: number, col: number): Cell => ({
    row: Math.max(0, Math.min(axes.rows.length - 1, row)),
    col: Math.max(0, Math.min(axes.cols.length - 1, col)),
  });

  const moveTo = (cell: Cell) => {
    setFocus(cell);
    setHover({ ...cell, via: 'keys' });
    painter.current?.setFocus(cell);
    painter.current?.setHover(cell);
    onHover?.(cell.row, cell.col);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const { row, col } = focus;
    const moves: Record<string, Cell> = {
      ArrowUp: clampCell(row - 1, col),
      ArrowDown: clampCell(row + 1, col),
      ArrowLeft: clampCell(row, col - 1),
      ArrowRight: clampCell(row, col + 1),
      Home: clampCell(row, 0),
      End: clampCell(row, axes.cols.length - 1),
      PageUp: clampCell(row - 10, col),
      PageDown: clampCell(row + 10, col),
    };
    const next = moves[event.key];
    if (next) {
      event.preventDefault();
      moveTo(next);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen?.(row, col);
    } else if (event.key === 'Escape') {
      setHover(null);
      painter.current?.setHover(null);
    }
  };

  const pointAt = (event: MouseEvent): Cell | null => {
    const layout = painter.current?.layout;
    const rect = base.current?.getBoundingClientRect();
    return layout && rect ? cellAt(layout, event.clientX - rect.left, event.clientY - rect.top) : null;
  };

  const onMouseMove = (event: MouseEvent) => {
    const cell = pointAt(event);
    if (cell?.row === hover?.row && cell?.col === hover?.col) return;
    setHover(cell ? { ...cell, via: 'mouse' } : null);
    painter.current?.setHover(cell);
    if (cell) onHover?.(cell.row, cell.col);
  };

  const onClick = (event: MouseEvent) => {
    const cell = pointAt(event);
    if (!cell) return;
    setFocus(cell);
    painter.current?.setFocus(cell);
    onOpen?.(cell.row, cell.col);
  };

  const layout = painter.current?.layout;
  const tip = hover && layout && tooltip ? tooltip(hover.row, hover.col) : null;

  // After every render: the tooltip's size changes with its text (pair facts arrive later).
  useLayoutEffect(() => {
    const box = tipRef.current?.getBoundingClientRect();
    const rect = base.current?.getBoundingClientRect();
    const geometry = painter.current?.layout;
    if (!hover || !box || !rect || !geometry) return setTipAt((was) => (was === null ? was : null));
    const place = tooltipPlace(rect, geometry, hover, box, { width: window.innerWidth, height: window.innerHeight });
    setTipAt((was) => (was && was.left === place.left && was.top === place.top ? was : place));
  });
  const empty = axes.rows.length === 0 || axes.cols.length === 0;

  return (
    <div className="matrix" ref={wrap}>
      <div className="matrix-stack">
        <canvas
          ref={base}
          data-testid={testId}
          tabIndex={empty ? -1 : 0}
          role="application"
          aria-roledescription="matrix"
          aria-label={`${label}: ${axes.rows.length} by ${axes.cols.length}. Arrow keys move between cells, Enter opens the detail.`}
          onKeyDown={onKeyDown}
          onFocus={() => painter.current?.setFocus(focus)}
          onBlur={() => {
            painter.current?.setFocus(null);
            if (hover?.via === 'keys') setHover(null);
          }}
          onMouseMove={onMouseMove}
          onMouseLeave={() => {
            setHover(null);
            painter.current?.setHover(null);
          }}
          onClick={onClick}
        />
        <canvas ref={overlay} className="matrix-overlay" aria-hidden="true" />
        {layout &&
          marks?.cells.map(({ row, col }) => {
            const at = cellOrigin(layout, row, col);
            const side = layout.cell - layout.gap;
            return (
              <span
                key={`${row}:${col}`}
                className={marks.className}
                aria-hidden="true"
                data-cell={`${axes.rows[row]}>${axes.cols[col]}`}
                style={{ left: at.x, top: at.y, width: side, height: side }}
              />
            );
          })}
        {tip && (
          <div
            ref={tipRef}
            className="tooltip"
            role="tooltip"
            data-testid={testId ? `${testId}-tooltip` : undefined}
            style={tipAt ? { left: tipAt.left, top: tipAt.top } : { left: 0, top: 0, visibility: 'hidden' }}
          >
            {tip}
          </div>
        )}
      </div>
      <p className="sr-only" aria-live="polite" data-testid={testId ? `${testId}-focus` : undefined}>
        {empty ? '' : describe(focus.row, focus.col)}
      </p>
    </div>
  );
}
