import { useCallback, useRef, useState } from 'react';

/** The last width measured, so a screen shown again draws at its width from the first frame. */
let lastWidth = 0;
/** What stands beside the drawing across the window: the nav, the screen's padding and the panel's border and padding (CSS pixels). */
const besideDrawing = 227;

/**
 * A callback ref and the content width in CSS pixels of the element it is on. Until it is
 * measured the width is the last one measured, else the window's less what stands beside the
 * drawing: nothing reads layout before the first paint; a ResizeObserver measures the element
 * as that frame is laid out and follows it as it resizes.
 */
export function useWidth(): [(element: Element | null) => void, number] {
  const [width, setWidth] = useState(() => lastWidth || Math.max(0, window.innerWidth - besideDrawing));
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((element: Element | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!element || typeof ResizeObserver === 'undefined') return;
    observer.current = new ResizeObserver(([entry]) => {
      const next = Math.round(entry?.contentRect.width ?? 0);
      if (next <= 0) return;
      lastWidth = next;
      setWidth((w) => (Math.abs(w - next) > 8 ? next : w));
    });
    observer.current.observe(element);
  }, []);
  return [ref, width];
}
