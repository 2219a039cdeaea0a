import { useEffect, useState } from 'react';

/** Runs `fn` once the next frame has been painted and the page is idle (at most a second later); returns the function that cancels it. */
export function afterPaint(fn: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const idle = requestIdleCallback(fn, { timeout: 1000 });
    return () => cancelIdleCallback(idle);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(fn, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

/** `compute()` worked out after the frame that shows the rest is painted (null until then), again whenever `compute` changes. */
export function useAfterPaint<T>(compute: () => T): T | null {
  const [value, setValue] = useState<{ compute: () => T; value: T } | null>(null);
  useEffect(() => afterPaint(() => setValue({ compute, value: compute() })), [compute]);
  return value?.compute === compute ? value.value : null;
}
