/**
 * Prints one benchmark line: `name: value unit (ratio x vs baseline)`.
 * The ratio is value / baseline; the baseline is measured in the same run.
 */
export function report(name: string, value: number, unit: string, baseline: number, target?: string): void {
  const ratio = baseline === 0 ? Number.NaN : value / baseline;
  const suffix = target ? `; target ${target}` : '';
  console.log(`${name}: ${format(value)} ${unit} (${format(ratio)}x vs baseline ${format(baseline)} ${unit}${suffix})`);
}

function format(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3);
}

/** Percentile (0..100) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}
