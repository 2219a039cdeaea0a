/**
 * Lines of an aligned text table: every column padded to its widest cell except the
 * last, columns joined by `gap`. The first row is usually the header.
 */
export function alignColumns(rows: readonly (readonly string[])[], gap = '   '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join(gap));
}
