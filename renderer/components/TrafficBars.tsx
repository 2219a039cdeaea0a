import { formatBytes } from '../format.js';

/** Received and sent bytes of one peer as two bars, scaled to the busiest peer of the table. */
export function TrafficBars({ rx, tx, max }: { rx: number; tx: number; max: number }) {
  const width = (bytes: number) => (max > 0 ? Math.max(1, (bytes / max) * 100) : 1);
  return (
    <svg
      className="traffic-bars"
      viewBox="0 0 100 10"
      preserveAspectRatio="none"
      role="img"
      aria-label={`received ${formatBytes(rx)}, sent ${formatBytes(tx)}`}
    >
      <rect x={0} y={0} height={4} width={width(rx)} className="bar-rx" />
      <rect x={0} y={6} height={4} width={width(tx)} className="bar-tx" />
    </svg>
  );
}
