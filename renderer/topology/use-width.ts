import { useCallback, useRef, useState } from 'react';

/** A callback ref and the content width in CSS pixels of the element it is on, followed as it resizes (`fallback` until measured). */
export function useWidth(fallback: number): [(element: Element | null) => void, number] {
  const [width, setWidth] = useState(fallback);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((element: Element | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!element || typeof ResizeObserver === 'undefined') return;
    observer.current = new ResizeObserver(([entry]) => {
      const next = Math.round(entry?.contentRect.width ?? 0);
      if (next > 0) setWidth((w) => (Math.abs(w - next) > 8 ? next : w));
    });
    observer.current.observe(element);
  }, []);
  return [ref, width];
}
