import { useCallback, useRef, useState } from 'react';

/** The last width measured, so a screen shown again draws at its width from the first frame. */
let lastWidth = 0;

function contentWidth(element: Element): number {
  const style = getComputedStyle(element);
  return Math.round(element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight));
}

/**
 * A callback ref and the content width in CSS pixels of the element it is on, followed as it
 * resizes: 0 until it is first measured, which happens as the element is attached, before the
 * frame is painted, so what depends on it can wait for it and be drawn once.
 */
export function useWidth(): [(element: Element | null) => void, number] {
  const [width, setWidth] = useState(lastWidth);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((element: Element | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!element) return;
    const follow = (next: number) => {
      if (next <= 0) return;
      lastWidth = next;
      setWidth((w) => (Math.abs(w - next) > 8 ? next : w));
    };
    follow(contentWidth(element));
    if (typeof ResizeObserver === 'undefined') return;
    observer.current = new ResizeObserver(([entry]) => follow(Math.round(entry?.contentRect.width ?? 0)));
    observer.current.observe(element);
  }, []);
  return [ref, width];
}
