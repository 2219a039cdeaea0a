/**
 * The few browser globals that code run inside the page (`page.evaluate`) uses.
 * The node-side tsconfig has no DOM lib, so such code reads them with
 * `globalThis as unknown as PageGlobals` (types only; nothing is imported at run time).
 */
export interface PageElement {
  id: string;
  title: string;
  textContent: string | null;
  clientWidth: number;
  style: { cssText: string; background: string; color: string };
  children: ArrayLike<PageElement>;
  append(...nodes: PageElement[]): void;
  remove(): void;
  click(): void;
  getBoundingClientRect(): unknown;
}

/** A canvas element, as far as the tests read its pixels. */
export interface PageCanvas extends PageElement {
  width: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/** An event as the page's listeners see it. */
export interface PageEvent {
  detail?: unknown;
}

/** Globals of the page. */
export interface PageGlobals {
  document: {
    body: PageElement;
    createElement(tag: string): PageElement;
    getElementById(id: string): PageElement | null;
    querySelector(selector: string): PageElement | null;
    addEventListener(type: string, listener: (event: PageEvent) => void, options?: { once?: boolean; capture?: boolean }): void;
  };
  requestAnimationFrame(callback: () => void): number;
  getComputedStyle(element: PageElement): { color: string; background: string };
  /** Bench instrumentation (set by the init script). */
  benchHandlerMs: number[];
  benchLongTasks: number[];
  benchDrawMs: number[];
}
