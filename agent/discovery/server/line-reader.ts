import type { FileHandle } from 'node:fs/promises';

/** One line of a file: its text, or only its length when it was longer than the cap (never buffered). */
export type Line = { text: string; bytes: number } | { text: undefined; bytes: number };

const CHUNK = 64 * 1024;

/**
 * Reads `file` line by line ('\n'), holding at most `maxLineBytes` of one line; longer
 * lines are skipped as they stream past and reported by length only. Empty lines
 * are not reported.
 */
export async function* readLines(file: FileHandle, maxLineBytes: number): AsyncGenerator<Line> {
  const chunk = Buffer.alloc(CHUNK);
  let parts: Buffer[] = [];
  let held = 0;
  let length = 0;
  const finish = (): Line => {
    const line: Line = held === length ? { text: Buffer.concat(parts).toString('utf8'), bytes: length } : { text: undefined, bytes: length };
    parts = [];
    held = 0;
    length = 0;
    return line;
  };
  for (;;) {
    const { bytesRead } = await file.read(chunk, 0, CHUNK, null);
    if (bytesRead === 0) break;
    let start = 0;
    while (start < bytesRead) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 || newline >= bytesRead ? bytesRead : newline;
      const piece = end - start;
      if (held === length && held + piece <= maxLineBytes) {
        parts.push(Buffer.from(chunk.subarray(start, end)));
        held += piece;
      } else {
        parts = [];
        held = -1;
      }
      length += piece;
      start = end + 1;
      if (end < bytesRead) {
        const line = finish();
        if (line.bytes > 0) yield line;
      }
    }
  }
  if (length > 0) yield finish();
}
