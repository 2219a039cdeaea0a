import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from './json-file.js';

/** A rectangle in screen coordinates (a window's bounds, a display's work area). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The main window's size and place, kept across runs in `<dataDir>/window-state.json`. */
export interface WindowState {
  width: number;
  height: number;
  /** Absent on first run, or when the saved place is on no display now (the OS then centres the window). */
  x?: number;
  y?: number;
  maximized: boolean;
}

const defaults: WindowState = { width: 1280, height: 860, maximized: false };
/** The smallest window the UI is laid out for. */
export const minimumWindowSize = { width: 900, height: 600 };

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Parses a saved state, keeping its place only where it still overlaps one of `displays`. */
export function restoreWindowState(saved: unknown, displays: Rect[]): WindowState {
  if (typeof saved !== 'object' || saved === null) return { ...defaults };
  const s = saved as Record<string, unknown>;
  const width = isNumber(s.width) ? Math.max(minimumWindowSize.width, Math.round(s.width)) : defaults.width;
  const height = isNumber(s.height) ? Math.max(minimumWindowSize.height, Math.round(s.height)) : defaults.height;
  const state: WindowState = { width, height, maximized: s.maximized === true };
  if (isNumber(s.x) && isNumber(s.y) && displays.some((d) => overlaps({ x: s.x as number, y: s.y as number, width, height }, d))) {
    state.x = Math.round(s.x);
    state.y = Math.round(s.y);
  }
  return state;
}

/** The window state file of a data dir. */
export class WindowStateFile {
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'window-state.json');
  }

  load(displays: Rect[]): WindowState {
    return restoreWindowState(readJsonFile(this.path), displays);
  }

  /** Saves the window's normal (unmaximized) bounds and whether it is maximized. */
  save(bounds: Rect, maximized: boolean): void {
    writeJsonFile(this.path, { ...bounds, maximized });
  }
}
